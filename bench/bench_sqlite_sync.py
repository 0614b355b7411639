"""What SQLite's synchronous=FULL costs an answer, against NORMAL, in WAL mode as the app runs it.

Each answer the tablet is told is saved is one committed transaction of one row. With
synchronous=NORMAL in WAL mode a commit is not synced to disk: a laptop whose battery dies can
lose the last commits. FULL syncs the WAL at every commit. This times N one-row answer commits
with each setting, in a table shaped like `answer` (its columns, unique key and index), on a
file in the directory given (default: instance/, where the app's database lives, so the same
disk), with the app's other pragmas (WAL, busy_timeout). Rounds alternate between the two
settings so that drift of the machine hits both alike.

    .venv/bin/python bench/bench_sqlite_sync.py             # --commits 2000 --rounds 5 --dir instance
"""

from __future__ import annotations

import argparse
import sqlite3
import statistics
import tempfile
import time
import uuid
from datetime import UTC, datetime
from pathlib import Path

SCHEMA = """
CREATE TABLE answer (
    id INTEGER NOT NULL PRIMARY KEY,
    attempt_id INTEGER NOT NULL,
    question_id INTEGER NOT NULL,
    option_id INTEGER NOT NULL,
    client_key VARCHAR(64) NOT NULL,
    chosen_at DATETIME NOT NULL,
    received_at DATETIME NOT NULL,
    CONSTRAINT uq_answer_attempt_id_question_id UNIQUE (attempt_id, question_id)
);
CREATE INDEX ix_answer_attempt_id ON answer (attempt_id);
"""


def connect(path: Path, synchronous: str) -> sqlite3.Connection:
    conn = sqlite3.connect(path, isolation_level=None)  # explicit BEGIN/COMMIT below
    conn.execute("PRAGMA journal_mode=WAL")
    conn.execute("PRAGMA busy_timeout=30000")
    conn.execute(f"PRAGMA synchronous={synchronous}")
    return conn


def commits(path: Path, synchronous: str, n: int, start: int) -> float:
    """Seconds for n transactions of one answer each (a new choice: one INSERT, one COMMIT)."""
    conn = connect(path, synchronous)
    now = datetime.now(UTC).isoformat()
    began = time.perf_counter()
    for i in range(start, start + n):
        conn.execute("BEGIN")
        conn.execute(
            "INSERT INTO answer (attempt_id, question_id, option_id, client_key, chosen_at, received_at)"
            " VALUES (?, ?, ?, ?, ?, ?)",
            (i // 16, i % 16, (i % 16) * 4 + 1, uuid.uuid4().hex, now, now),
        )
        conn.execute("COMMIT")
    elapsed = time.perf_counter() - began
    conn.close()
    return elapsed


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--commits", type=int, default=2000, help="answer commits per round and setting")
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument(
        "--dir", default="instance", help="where the database file is made (same disk as the app's)"
    )
    args = parser.parse_args()
    Path(args.dir).mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(dir=args.dir) as tmp:
        path = Path(tmp) / "sync.sqlite3"
        setup = sqlite3.connect(path)
        setup.executescript(SCHEMA)
        setup.close()
        times: dict[str, list[float]] = {"NORMAL": [], "FULL": []}
        start = 0
        commits(path, "NORMAL", 200, 10**8)  # warm-up: the WAL file exists, pages are cached
        for _ in range(args.rounds):
            for mode in ("NORMAL", "FULL"):
                times[mode].append(commits(path, mode, args.commits, start))
                start += args.commits
        per_commit = {mode: statistics.median(t) / args.commits * 1000 for mode, t in times.items()}
    for mode in ("NORMAL", "FULL"):
        print(
            f"synchronous={mode:<6} {args.commits} answer commits x {args.rounds} rounds: "
            f"median {per_commit[mode]:.3f} ms per commit ({1000 / per_commit[mode]:,.0f} commits/s)"
        )
    print(f"FULL / NORMAL: {per_commit['FULL'] / per_commit['NORMAL']:.2f}x")


if __name__ == "__main__":
    main()
