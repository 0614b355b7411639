"""The baseline: a bare WSGI endpoint that does only the autosave's single upsert, with the plain driver.

Served by the same gunicorn settings as the app. DATABASE_URL picks sqlite3 (same PRAGMAs as the app:
WAL, busy_timeout, synchronous=NORMAL) or psycopg. One connection per thread, one transaction per request.
"""

from __future__ import annotations

import json
import os
import threading
from datetime import datetime, timezone

URL = os.environ["DATABASE_URL"]
_local = threading.local()

UPSERT = (
    "INSERT INTO bare_answer (attempt_id, question, option, client_key, chosen_at, received_at) "
    "VALUES ({p}, {p}, {p}, {p}, {p}, {p}) "
    "ON CONFLICT (attempt_id, question) DO UPDATE SET option = excluded.option, client_key = excluded.client_key, "
    "chosen_at = excluded.chosen_at, received_at = excluded.received_at "
    "WHERE bare_answer.chosen_at <= excluded.chosen_at RETURNING id"
)
CREATE = (
    "CREATE TABLE IF NOT EXISTS bare_answer (id {pk}, attempt_id INTEGER NOT NULL, question VARCHAR(64) NOT NULL, "
    "option VARCHAR(32) NOT NULL, client_key VARCHAR(64) NOT NULL, chosen_at {ts} NOT NULL, "
    "received_at {ts} NOT NULL, UNIQUE (attempt_id, question))"
)


def connect():
    if URL.startswith("sqlite"):
        import sqlite3

        conn = sqlite3.connect(URL.removeprefix("sqlite:///"), timeout=30, isolation_level=None)
        for pragma in ("journal_mode=WAL", "foreign_keys=ON", "busy_timeout=30000", "synchronous=NORMAL"):
            conn.execute("PRAGMA " + pragma)
        return conn, "?"
    import psycopg

    return psycopg.connect(URL), "%s"


def create_table() -> None:
    conn, _ = connect()
    if URL.startswith("sqlite"):
        conn.execute(CREATE.format(pk="INTEGER PRIMARY KEY", ts="DATETIME"))
    else:
        conn.execute(CREATE.format(pk="SERIAL PRIMARY KEY", ts="TIMESTAMPTZ"))
        conn.commit()
    conn.close()


def app(environ, start_response):
    if not hasattr(_local, "conn"):
        _local.conn, _local.p = connect()
    conn = _local.conn
    length = int(environ.get("CONTENT_LENGTH") or 0)
    data = json.loads(environ["wsgi.input"].read(length))
    now = datetime.now(timezone.utc)
    chosen = datetime.fromisoformat(data["chosen_at"])
    sql = UPSERT.format(p=_local.p)
    params = (int(data["attempt"]), data["question"], data["option"], data["key"], chosen, now)
    if URL.startswith("sqlite"):
        conn.execute("BEGIN")
        row = conn.execute(sql, (*params[:4], chosen.isoformat(" "), now.isoformat(" "))).fetchone()
        conn.execute("COMMIT")
    else:
        with conn.transaction():
            row = conn.execute(sql, params).fetchone()
    body = json.dumps({"ok": True, "status": "stored" if row else "superseded"}).encode()
    start_response("200 OK", [("Content-Type", "application/json"), ("Content-Length", str(len(body)))])
    return [body]
