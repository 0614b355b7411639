#!/usr/bin/env python3
"""Start Edu-ASI on this laptop: `python run.py` (Windows, macOS, Linux; Python 3.11 or newer).

It does everything, each time, and needs nothing but Python:

1. the virtual environment `.venv` beside this file, made on the first start, with the pinned
   packages of requirements.txt (installed again only when a pin changes);
2. the Indonesian translations compiled, the secret key in `instance/secret_key` (made once);
3. the database built or upgraded (a SQLite file under `instance/`, or DATABASE_URL);
4. the quiz bank loaded from `quizzes/`;
5. the demo educator created once, her password printed then and kept across restarts (she
   changes it in the app under "Kata sandi saya"; `flask demo --reset` prints a new one);
6. the app served on every network of this laptop (waitress, see app/server.py), with the
   addresses that tablets can open printed, until Ctrl+C.

`start-windows.bat` and `start-macos.command` run this file; so does `make run`.

Options: --port (default 5000, or the next free one), --host (default every address),
--no-demo (no demo educator: a district server), --venv PATH or EDUASI_VENV=PATH (use that
virtual environment instead of .venv), --no-venv (use the running Python as it is).
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent
REQUIREMENTS = ROOT / "requirements.txt"
DEFAULT_PORT = 5000

if sys.version_info < (3, 11):  # noqa: UP036 - this file may be started by any Python
    sys.exit(
        f"Edu-ASI needs Python 3.11 or newer; this is Python {sys.version_info[0]}.{sys.version_info[1]}."
    )


def parse_args(argv: list[str]) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="python run.py", description="Start Edu-ASI on this laptop.")
    parser.add_argument("--host", default="0.0.0.0", help="address to listen on (default: every address)")  # noqa: S104
    parser.add_argument(
        "--port", type=int, default=None, help=f"port (default {DEFAULT_PORT}, or the next free one)"
    )
    parser.add_argument("--no-demo", action="store_true", help="do not create the demo educator")
    parser.add_argument("--venv", default=os.environ.get("EDUASI_VENV"), help="virtual environment to use")
    parser.add_argument("--no-venv", action="store_true", help="run with this Python as it is")
    return parser.parse_args(argv)


# --- 1. the virtual environment -------------------------------------------------------------


def venv_python(venv: Path) -> Path:
    return venv / ("Scripts/python.exe" if os.name == "nt" else "bin/python")


def running_in(venv: Path) -> bool:
    try:
        return Path(sys.prefix).resolve() == venv.resolve()
    except OSError:
        return False


def create_venv(venv: Path) -> None:
    import venv as venv_module

    print(f"Making the virtual environment {venv} (first start only) ...", flush=True)
    try:
        venv_module.EnvBuilder(with_pip=True).create(venv)
    except (OSError, subprocess.CalledProcessError) as exc:
        sys.exit(
            f"Could not make the virtual environment ({exc}).\n"
            "On Debian or Ubuntu, install it first: sudo apt install python3-venv"
        )


def reexec_in(venv: Path, argv: list[str]) -> None:
    """Run this file again with the virtual environment's Python (and never come back)."""
    python = venv_python(venv)
    command = [str(python), str(ROOT / "run.py"), *argv]
    env = {**os.environ, "EDUASI_VENV": str(venv)}
    if os.name == "nt":
        # Windows has no exec: the child gets Ctrl+C from the console; this process only waits.
        import signal

        signal.signal(signal.SIGINT, signal.SIG_IGN)
        sys.exit(subprocess.call(command, env=env))
    os.execve(python, command, env)  # noqa: S606 - our own interpreter, with our own file


def missing_requirements(requirements: Path = REQUIREMENTS) -> list[str]:
    """The pins of requirements.txt that the running Python lacks (absent or another version)."""
    from importlib.metadata import PackageNotFoundError, version

    missing = []
    for raw in requirements.read_text(encoding="utf-8").splitlines():
        line = raw.split("#", 1)[0].strip()
        if not line or line.startswith("-"):
            continue
        requirement, _, marker = line.partition(";")
        if marker.strip() and not marker_holds(marker):
            continue
        name, _, pinned = requirement.partition("==")
        name = name.split("[", 1)[0].strip()
        try:
            if version(name) != pinned.strip():
                missing.append(line)
        except PackageNotFoundError:
            missing.append(line)
    return missing


def marker_holds(marker: str) -> bool:
    """Whether an environment marker (`python_version < "3.14"`) holds here, by pip's own rules."""
    try:
        from packaging.markers import Marker
    except ImportError:
        from pip._vendor.packaging.markers import Marker
    return bool(Marker(marker.strip()).evaluate())


def install_requirements(requirements: Path = REQUIREMENTS) -> None:
    missing = missing_requirements(requirements)
    if not missing:
        return
    print(
        f"Installing {len(missing)} package(s) from {requirements.name} (needs internet, once) ...",
        flush=True,
    )
    subprocess.run(
        [
            sys.executable,
            "-m",
            "pip",
            "install",
            "--disable-pip-version-check",
            "-q",
            "-r",
            str(requirements),
        ],
        check=True,
    )


# --- 2. translations and the secret key ------------------------------------------------------


def compile_translations() -> None:
    """Build the .mo catalogs from the .po files when missing or older (as `make translations`)."""
    translations = ROOT / "app" / "translations"
    stale = [
        po
        for po in translations.glob("*/LC_MESSAGES/messages.po")
        if not po.with_suffix(".mo").exists() or po.with_suffix(".mo").stat().st_mtime < po.stat().st_mtime
    ]
    if not stale:
        return
    from babel.messages.frontend import CommandLineInterface

    CommandLineInterface().run(["pybabel", "-q", "compile", "-f", "-d", str(translations)])


def secret_key(instance: Path) -> str:
    """The secret that signs cookies, made once per laptop and kept in instance/secret_key."""
    import secrets

    path = instance / "secret_key"
    if not path.exists():
        instance.mkdir(parents=True, exist_ok=True)
        path.write_text(secrets.token_hex(32), encoding="ascii")
        try:
            path.chmod(0o600)  # only this user may read it (on Windows: no effect beyond read-only)
        except OSError:
            pass
    return path.read_text(encoding="ascii").strip()


# --- 3-5. database, quiz bank, demo educator -------------------------------------------------


def run_cli(app, *args: str) -> None:
    """Run one of the app's `flask` commands (the same code as on the command line)."""
    import click

    with app.app_context():
        command = app.cli.get_command(click.Context(app.cli), args[0])
        command.main(args=list(args[1:]), prog_name="flask " + args[0], standalone_mode=False)


def prepare(app, *, demo: bool = True) -> None:
    from app.schema import upgrade

    with app.app_context():
        upgrade()
    run_cli(app, "quizzes", "load")
    if demo:
        run_cli(app, "demo")


def free_port(host: str, first: int, tries: int = 10) -> int:
    """The first of `tries` ports from `first` that nothing listens on (macOS's AirPlay takes 5000)."""
    import socket

    for port in range(first, first + tries):
        family = socket.AF_INET6 if ":" in host else socket.AF_INET
        with socket.socket(family, socket.SOCK_STREAM) as probe:
            try:
                probe.bind((host, port))
            except OSError:
                continue
            return port
    sys.exit(f"Ports {first} to {first + tries - 1} are all in use; start with --port N.")


def main(argv: list[str] | None = None) -> int:
    argv = sys.argv[1:] if argv is None else argv
    args = parse_args(argv)
    if not args.no_venv:
        venv = Path(args.venv) if args.venv else ROOT / ".venv"
        if not running_in(venv):
            if not venv_python(venv).exists():
                create_venv(venv)
            reexec_in(venv, argv)
        install_requirements()
    try:
        sys.stdout.reconfigure(errors="replace")  # type: ignore[attr-defined]
    except AttributeError:
        pass
    os.chdir(ROOT)
    sys.path.insert(0, str(ROOT))
    compile_translations()
    os.environ.setdefault("APP_CONFIG", "production")
    os.environ.setdefault("SECRET_KEY", secret_key(ROOT / "instance"))

    from app import create_app
    from app.server import serve

    app = create_app()
    prepare(app, demo=not args.no_demo)
    port = args.port if args.port is not None else free_port(args.host, DEFAULT_PORT)
    serve(app, args.host, port)
    return 0


if __name__ == "__main__":
    sys.exit(main())
