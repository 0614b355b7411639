"""Start the app as shipped (waitress, one process: `python -m app.server`) on 127.0.0.1, with a database
made for the run.

Used by bench/load_burst.py, bench/bench_autosave.py, bench/bench_server.py and tests/load/. Everything
stops by itself: servers are started with a deadline and stopped (INT, then KILL) in a finally block.
"""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import tempfile
import time
import uuid
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SECRET = "bench-secret-" + uuid.uuid4().hex


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def psycopg_url(url: str) -> str:
    for prefix in ("postgres://", "postgresql://"):
        if url.startswith(prefix):
            return "postgresql+psycopg://" + url[len(prefix) :]
    return url


@dataclass
class Database:
    """A database for one run: a SQLite file, or a private schema in a PostgreSQL database."""

    url: str  # what the app gets as DATABASE_URL
    backend: str
    schema: str | None = None
    base_url: str | None = None
    path: Path | None = None

    def drop(self) -> None:
        if self.schema:
            from sqlalchemy import create_engine, text

            engine = create_engine(psycopg_url(self.base_url))
            with engine.begin() as conn:
                conn.execute(text(f"DROP SCHEMA IF EXISTS {self.schema} CASCADE"))
            engine.dispose()


def new_database(backend: str, pg_base_url: str | None = None, directory: Path | None = None) -> Database:
    if backend == "sqlite":
        directory = directory or Path(tempfile.mkdtemp(prefix="asi-bench-"))
        path = directory / "asi.sqlite3"
        return Database("sqlite:///" + str(path), "sqlite", path=path)
    from sqlalchemy import create_engine, text

    schema = "run_" + uuid.uuid4().hex[:10]
    engine = create_engine(psycopg_url(pg_base_url))
    with engine.begin() as conn:
        conn.execute(text(f"CREATE SCHEMA {schema}"))
    engine.dispose()
    sep = "&" if "?" in pg_base_url else "?"
    return Database(
        pg_base_url + f"{sep}options=-csearch_path%3D{schema}",
        "postgresql",
        schema=schema,
        base_url=pg_base_url,
    )


def prepare(db: Database, quiz_key: str = "kader-konseling") -> dict:
    """Migrate, load the quiz bank, create an educator and a session with its pre-test open."""
    code = f"""
import json
from datetime import date
from app.schema import upgrade
from sqlalchemy import select
from app import create_app
from app.extensions import db
from app.models import QuizVersion, Phase
from app.services import quizbank, sessions
from app.services.accounts import create_account
app = create_app({{"SQLALCHEMY_DATABASE_URI": {db.url!r}}})
with app.app_context():
    upgrade()
    quizbank.import_bank(app.config["QUIZ_DIR"])
    user = create_account(None, username="bench", full_name="Bench", password="bench-password-1")
    quiz = db.session.scalar(select(QuizVersion).where(QuizVersion.quiz_key == {quiz_key!r}))
    s = sessions.create_session(user, title="Load", place="127.0.0.1", held_on=date(2026, 11, 23), quiz_version=quiz)
    sessions.move_phase(s, Phase.PRE_OPEN)
    questions = [{{"key": q.key, "options": [o.key for o in q.options]}} for q in quiz.questions]
    db.session.commit()
    print(json.dumps({{"session_id": s.id, "join_code": s.join_code, "questions": questions}}))
"""
    # A separate interpreter: the app and its engine do not live on in the benchmark's process.
    out = subprocess.run(
        [sys.executable, "-c", code],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=180,
        env=_env(db.url),
        check=True,
    )
    import json

    return json.loads(out.stdout.strip().splitlines()[-1])


def _env(database_url: str, **extra) -> dict:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("TEST_DATABASE", "PYTEST"))}
    env.update(
        {
            "APP_CONFIG": "production",
            "SECRET_KEY": SECRET,
            "DATABASE_URL": database_url,
            # Off unless BENCH_RATELIMIT=1: all simulated phones come from 127.0.0.1 (one address, as
            # a guesser's), and the load tests expect it off. bench_request_cost.py turns it on.
            "RATELIMIT_ENABLED": os.environ.get("BENCH_RATELIMIT", "0"),
            "PYTHONPATH": str(ROOT),
            # Start as an installed laptop does, with compiled bytecode kept (not recompiled on each start).
            "PYTHONDONTWRITEBYTECODE": "",
        }
    )
    env.update(extra)
    return env


@dataclass
class Server:
    """One server process (waitress) on a port of 127.0.0.1, which can be killed and started again."""

    command: list[str]
    env: dict
    port: int
    log: Path
    proc: subprocess.Popen | None = None
    started_at: float = 0.0
    #: Seconds from starting the process to the first page served, and the CPU time the server had
    #: used by then (which a busy shared machine inflates less than the wall time); set by `start`.
    first_page_s: float = 0.0
    first_page_cpu_s: float = 0.0

    @property
    def base(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    @property
    def pid(self) -> int:
        assert self.proc is not None
        return self.proc.pid

    #: The page whose answer (any HTTP status) says the server is up; None: a connection is enough
    #: (bench/_bare.py answers nothing but autosaves).
    probe: str | None = "/"

    def start(self, timeout_s: float = 60) -> None:
        """Start the process and wait until it answers `probe`."""
        out = open(self.log, "a")
        self.started_at = time.perf_counter()
        self.proc = subprocess.Popen(
            self.command,
            cwd=ROOT,
            env=self.env,
            stdout=out,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
        out.close()
        deadline = time.monotonic() + timeout_s
        while True:
            if self.proc.poll() is not None:
                raise RuntimeError("the server exited:\n" + self.log_text()[-3000:])
            if _answers(self.port, self.probe):
                self.first_page_s = time.perf_counter() - self.started_at
                self.first_page_cpu_s = self.cpu_seconds()
                return
            if time.monotonic() > deadline:
                raise RuntimeError("the server did not start:\n" + self.log_text()[-3000:])
            time.sleep(0.02)

    def kill(self) -> None:
        """SIGKILL: the process ends at once, every connection with it (a laptop whose app crashed)."""
        if self.proc is not None and self.proc.poll() is None:
            os.kill(self.proc.pid, signal.SIGKILL)
            self.proc.wait(timeout=10)

    def stop(self) -> None:
        """Ctrl+C (SIGINT), as a person stops it; SIGKILL if it has not stopped within 15 s."""
        if self.proc is None or self.proc.poll() is not None:
            return
        self.proc.send_signal(signal.SIGINT)
        try:
            self.proc.wait(timeout=15)
        except subprocess.TimeoutExpired:
            os.killpg(self.proc.pid, signal.SIGKILL)
            self.proc.wait(timeout=5)

    def cpu_seconds(self) -> float:
        """CPU time (user + system, all threads) the server process has used so far."""
        try:
            fields = Path(f"/proc/{self.pid}/stat").read_text().rsplit(")", 1)[1].split()
        except OSError:
            return 0.0
        return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")  # utime and stime, in ticks

    def pss_mb(self) -> float:
        """The proportional memory of the server (its one process), from /proc/<pid>/smaps_rollup."""
        return pss_mb(self.pid)

    def log_text(self) -> str:
        return self.log.read_text(errors="replace") if self.log.exists() else ""


def pss_mb(pid: int) -> float:
    for line in Path(f"/proc/{pid}/smaps_rollup").read_text().splitlines():
        if line.startswith("Pss:"):
            return int(line.split()[1]) / 1024
    raise RuntimeError(f"no Pss in /proc/{pid}/smaps_rollup")


def _answers(port: int, path: str | None) -> bool:
    """Whether the server on `port` answers an HTTP GET of `path` (with any status), or accepts a connection."""
    try:
        with socket.create_connection(("127.0.0.1", port), timeout=2) as conn:
            if path is None:
                return True
            conn.sendall(f"GET {path} HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n".encode())
            return conn.recv(12).startswith(b"HTTP/1.")
    except OSError:
        return False


@contextmanager
def server(
    database_url: str,
    *,
    app: str = "wsgi:app",
    threads: int | None = None,
    timeout_s: float = 60,
    extra_env: dict | None = None,
    log_dir: Path | None = None,
):
    """The shipped server (`python -m app.server`, waitress) on a free port of 127.0.0.1; stopped on exit."""
    port = free_port()
    log_dir = log_dir or Path(tempfile.mkdtemp(prefix="asi-server-"))
    command = [
        sys.executable,
        "-m",
        "app.server",
        "--host",
        "127.0.0.1",
        "--port",
        str(port),
        "--app",
        app,
        "--quiet",
    ]
    if threads:
        command += ["--threads", str(threads)]
    running = Server(command, _env(database_url, **(extra_env or {})), port, log_dir / f"server-{port}.log")
    if app != "wsgi:app":
        running.probe = None
    try:
        running.start(timeout_s)
        yield running
    finally:
        running.stop()
