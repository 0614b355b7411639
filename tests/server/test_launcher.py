"""`python run.py` in a fresh copy of the project, with nothing on the PATH but Python (no make, no shell tools).

The launcher is started by the base interpreter (outside any virtual environment) with
EDUASI_VENV naming the test run's own virtual environment, so it re-executes itself inside that
one instead of making `.venv` and installing every package for minutes; the making of a virtual
environment is tested on its own below. Then it must: compile the translations, make the secret
key, build the database, load the quiz bank, print the demo educator's login and the addresses,
serve the join page, let the demo educator log in with the printed password, and stop cleanly on
SIGINT (Ctrl+C). Windows' Ctrl+C (CTRL_C_EVENT) cannot be sent here.
"""

from __future__ import annotations

import http.cookiejar
import os
import re
import shutil
import signal
import socket
import subprocess
import sys
import time
import urllib.parse
import urllib.request
from pathlib import Path

import pytest

from bench._server import free_port
from tests.conftest import ROOT, csrf_from

pytestmark = pytest.mark.slow

BASE_PYTHON = Path(getattr(sys, "_base_executable", sys.executable)).resolve()


def fresh_copy(dest: Path) -> Path:
    """The files a clone of the project holds (tracked and new, not ignored), as they are in the work tree."""
    listed = subprocess.run(
        ["git", "ls-files", "-z", "--cached", "--others", "--exclude-standard"],
        cwd=ROOT,
        capture_output=True,
        check=True,
    ).stdout.split(b"\0")
    for name in filter(None, (n.decode() for n in listed)):
        source = ROOT / name
        if source.is_file():
            (dest / name).parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(source, dest / name)
    return dest


def wait_for_line(proc: subprocess.Popen, pattern: str, seen: list[str], timeout: float) -> re.Match:
    deadline = time.monotonic() + timeout
    regex = re.compile(pattern)
    while time.monotonic() < deadline:
        line = proc.stdout.readline()
        if not line:
            if proc.poll() is not None:
                break
            continue
        seen.append(line)
        match = regex.search(line)
        if match:
            return match
    raise AssertionError(f"no line matching {pattern!r} in:\n" + "".join(seen))


def test_the_launcher_starts_serves_logs_in_and_stops_in_a_fresh_copy(tmp_path):
    clone = fresh_copy(tmp_path / "edu-asi")
    assert not (clone / "instance").exists() and not (clone / ".venv").exists()
    assert not list(clone.glob("app/translations/*/LC_MESSAGES/messages.mo"))
    port = free_port()
    env = {
        "PATH": str(BASE_PYTHON.parent),  # only the Python interpreter's folder: no make, no sh tools
        "EDUASI_VENV": sys.prefix,
        "HOME": str(tmp_path),
        "PYTHONUNBUFFERED": "1",
    }
    assert shutil.which("make", path=env["PATH"]) is None
    proc = subprocess.Popen(
        [str(BASE_PYTHON), "run.py", "--port", str(port)],
        cwd=clone,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    seen: list[str] = []
    try:
        login = wait_for_line(proc, r"username: (\S+)\s+password: (\S+)", seen, 120)
        wait_for_line(proc, r"Stop with Ctrl\+C", seen, 60)
        out = "".join(seen)
        assert "On a tablet or phone on the same Wi-Fi, open:" in out
        assert f"http://127.0.0.1:{port}/ (that address works only here, not on a tablet)" in out
        # It re-executed itself with the virtual environment's Python.
        cmdline = Path(f"/proc/{proc.pid}/cmdline").read_bytes().split(b"\0")
        assert Path(cmdline[0].decode()) == Path(sys.prefix) / "bin" / "python", cmdline
        # The secret key is made once, readable by this user only; the catalogs are compiled.
        key = clone / "instance" / "secret_key"
        assert len(key.read_text().strip()) == 64 and key.stat().st_mode & 0o077 == 0
        assert (clone / "app/translations/id/LC_MESSAGES/messages.mo").exists()

        base = f"http://127.0.0.1:{port}"
        opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(http.cookiejar.CookieJar()))
        join = opener.open(base + "/", timeout=10)
        page = join.read().decode()
        assert join.status == 200 and 'lang="id"' in page and "Kode sesi" in page, page[:500]
        login_page = opener.open(base + "/auth/login", timeout=10).read().decode()
        form = urllib.parse.urlencode(
            {"username": login.group(1), "password": login.group(2), "csrf_token": csrf_from(login_page)}
        ).encode()
        dashboard = opener.open(base + "/auth/login", data=form, timeout=10)
        assert dashboard.status == 200 and dashboard.url.startswith(base + "/educator"), dashboard.url
        assert "/educator/sessions/new" in dashboard.read().decode()  # the logged-in educator's page
    finally:
        proc.send_signal(signal.SIGINT)  # Ctrl+C
        try:
            rest, _ = proc.communicate(timeout=20)
        except subprocess.TimeoutExpired:
            proc.kill()
            rest, _ = proc.communicate()
    assert proc.returncode == 0, "".join(seen) + rest
    assert "Edu-ASI stopped." in rest and "Traceback" not in "".join(seen) + rest
    with pytest.raises(OSError), socket.create_connection(("127.0.0.1", port), timeout=2):
        pass


def test_the_launcher_makes_a_virtual_environment_that_runs(tmp_path):
    """The first start's branch: `.venv` made with pip in it (the install itself needs the internet)."""
    sys.path.insert(0, str(ROOT))
    import run

    venv = tmp_path / "venv"
    run.create_venv(venv)
    python = run.venv_python(venv)
    out = subprocess.run(
        [str(python), "-c", "import sys, pip; print(sys.prefix)"], capture_output=True, text=True, check=True
    )
    assert Path(out.stdout.strip()) == venv


def test_the_launcher_installs_only_when_a_pin_is_missing(tmp_path):
    sys.path.insert(0, str(ROOT))
    import run

    assert run.missing_requirements() == []  # this test run's environment holds every pin
    wanted = tmp_path / "requirements.txt"
    wanted.write_text(
        "# comment\nFlask==0.0.1\nwaitress==3.0.2\nno-such-package-edu-asi==1.0\n"
        'backports.zstd==1.8.0; python_version >= "9.0"\n'
    )
    assert run.missing_requirements(wanted) == ["Flask==0.0.1", "no-such-package-edu-asi==1.0"]


def test_every_start_path_goes_through_run_py():
    makefile = (ROOT / "Makefile").read_text()
    run_target = makefile.split("\nrun:", 1)[1].split("\n\n", 1)[0]
    assert "run.py" in run_target and "gunicorn" not in makefile
    assert "run.py" in (ROOT / "start-windows.bat").read_text()
    assert b"\r\n" in (ROOT / "start-windows.bat").read_bytes()
    assert "run.py" in (ROOT / "start-macos.command").read_text()
    assert os.access(ROOT / "start-macos.command", os.X_OK)
    assert not (ROOT / "gunicorn.conf.py").exists()
