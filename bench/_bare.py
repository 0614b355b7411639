"""The baseline: a bare WSGI endpoint that runs the autosave's single statement with the plain driver.

The statement is the app's own (`app.services.participants.store_choice_sql`): the same
INSERT ... SELECT ... ON CONFLICT DO UPDATE into the same `answer` table, with its foreign
keys and indexes, on an autocommit connection (the statement is its own transaction), as the
app runs it; the count of rows written tells stored from not. What the bare
endpoint leaves out is everything else the app does for a request: Flask, the signed session
cookie, the CSRF check, the security headers, SQLAlchemy's pool and session.

Served by the same gunicorn settings as the app. DATABASE_URL picks sqlite3 (same PRAGMAs as the
app: WAL, foreign keys, busy_timeout, synchronous=NORMAL) or psycopg. One connection per thread.
The request body names the participant: {participant, kind, question, option, key, chosen_at}.
"""

from __future__ import annotations

import json
import os
import threading
from datetime import UTC, datetime

from app.services.participants import OPEN_PHASE, store_choice_sql

URL = os.environ["DATABASE_URL"]
SQLITE = URL.startswith("sqlite")
SQL = store_choice_sql("sqlite" if SQLITE else "postgresql")
_local = threading.local()


def connect():
    if SQLITE:
        import sqlite3

        conn = sqlite3.connect(URL.removeprefix("sqlite:///"), timeout=30, isolation_level=None)
        for pragma in ("journal_mode=WAL", "foreign_keys=ON", "busy_timeout=30000", "synchronous=NORMAL"):
            conn.execute("PRAGMA " + pragma)
        return conn
    import psycopg

    return psycopg.connect(URL, autocommit=True)


def to_db(moment: datetime):
    """SQLite keeps UTC text in the app's format (as SQLAlchemy writes it); psycopg takes the datetime."""
    moment = moment.astimezone(UTC)
    return moment.strftime("%Y-%m-%d %H:%M:%S.%f") if SQLITE else moment


def app(environ, start_response):
    if not hasattr(_local, "conn"):
        _local.conn = connect()
    conn = _local.conn
    length = int(environ.get("CONTENT_LENGTH") or 0)
    data = json.loads(environ["wsgi.input"].read(length))
    params = {
        "key": data["key"],
        "chosen_at": to_db(datetime.fromisoformat(data["chosen_at"])),
        "received_at": to_db(datetime.now(UTC)),
        "question": data["question"],
        "option": data["option"],
        "participant": int(data["participant"]),
        "kind": data["kind"],
        "phase": OPEN_PHASE[data["kind"]],
    }
    stored = conn.execute(SQL, params).rowcount == 1
    body = json.dumps({"ok": True, "status": "stored" if stored else "superseded"}).encode()
    start_response("200 OK", [("Content-Type", "application/json"), ("Content-Length", str(len(body)))])
    return [body]
