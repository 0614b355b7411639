"""Start the app as in production (gunicorn, several workers) on 127.0.0.1, with a database made for the run.

Used by bench/load_burst.py, bench/bench_autosave.py and tests/load/. Everything stops by itself:
servers are started with a deadline and stopped (TERM, then KILL) in a finally block.
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
GUNICORN = str(Path(sys.executable).with_name("gunicorn"))
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
from flask_migrate import upgrade
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
            "INSECURE_COOKIES": "1",  # plain HTTP on 127.0.0.1
            # All simulated phones come from 127.0.0.1: one address would be throttled as a guesser.
            "RATELIMIT_ENABLED": "0",
            "PYTHONPATH": str(ROOT),
        }
    )
    env.update(extra)
    return env


@dataclass
class Server:
    proc: subprocess.Popen
    port: int
    log: Path

    @property
    def base(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def workers(self) -> list[int]:
        try:
            children = Path(f"/proc/{self.proc.pid}/task/{self.proc.pid}/children").read_text().split()
        except OSError:
            return []
        return [int(c) for c in children]

    def cpu_seconds(self) -> float:
        """CPU time (user + system, all threads) used so far by gunicorn's master and its workers."""
        total = 0
        for pid in [self.proc.pid, *self.workers()]:
            try:
                fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
            except OSError:
                continue
            total += int(fields[11]) + int(fields[12])  # utime and stime, in clock ticks
        return total / os.sysconf("SC_CLK_TCK")

    def log_text(self) -> str:
        return self.log.read_text(errors="replace") if self.log.exists() else ""


@contextmanager
def gunicorn(
    database_url: str,
    *,
    app: str = "wsgi:app",
    workers: int = 3,
    threads: int = 4,
    timeout_s: float = 60,
    extra_env: dict | None = None,
    log_dir: Path | None = None,
):
    """gunicorn on a free port of 127.0.0.1; stopped on exit whatever happens."""
    port = free_port()
    log_dir = log_dir or Path(tempfile.mkdtemp(prefix="asi-gunicorn-"))
    log = log_dir / f"gunicorn-{port}.log"
    with open(log, "w") as out:
        proc = subprocess.Popen(
            [
                GUNICORN,
                "--workers",
                str(workers),
                "--threads",
                str(threads),
                "--bind",
                f"127.0.0.1:{port}",
                "--graceful-timeout",
                "5",
                "--timeout",
                "30",
                "--backlog",
                "2048",
                app,
            ],
            cwd=ROOT,
            env=_env(database_url, **(extra_env or {})),
            stdout=out,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
    server = Server(proc, port, log)
    try:
        deadline = time.monotonic() + timeout_s
        while True:
            if proc.poll() is not None:
                raise RuntimeError("gunicorn exited:\n" + server.log_text()[-3000:])
            try:
                with socket.create_connection(("127.0.0.1", port), timeout=0.5):
                    pass
                if len(server.workers()) >= workers:
                    break
            except OSError:
                pass
            if time.monotonic() > deadline:
                raise RuntimeError("gunicorn did not start:\n" + server.log_text()[-3000:])
            time.sleep(0.1)
        time.sleep(0.5)  # let every worker import the app
        yield server
    finally:
        if proc.poll() is None:
            proc.send_signal(signal.SIGTERM)
            try:
                proc.wait(timeout=15)
            except subprocess.TimeoutExpired:
                os.killpg(proc.pid, signal.SIGKILL)
                proc.wait(timeout=5)
