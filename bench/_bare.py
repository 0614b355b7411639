"""The baselines: the autosave's one statement with nothing of the app around it.

The statement is the app's own (`app.services.participants.compiled_choice_statement`: the same
INSERT ... SELECT ... ON CONFLICT DO UPDATE ... RETURNING into the same `answer` table, with its
checks of attempt, phase, question, option and sequence number), run by SQLAlchemy Core on a
plain engine in a transaction of its own, as the app's request runs it. Two ways in:

- `app`: a plain WSGI function (served by bench_autosave.py with the same gunicorn settings as
  the app): no framework at all;
- `flask_app`: a minimal Flask app with one route, POST /api/answer, that reads the JSON body,
  runs the statement and answers with jsonify: the framework's floor (bench_request_cost.py).

What both leave out is everything else the app does for a request: the signed session cookie,
the CSRF check, the NUL check, Flask-Limiter, Flask-Babel, the ORM session and the unit of work,
the security headers. DATABASE_URL picks sqlite3 (the app's PRAGMAs: its connect listener is
registered by importing the app) or psycopg. The request body names the participant:
{participant, kind, question, option, key, seq, chosen_at}.
"""

from __future__ import annotations

import json
import os
import uuid
from datetime import datetime

from flask import Flask, jsonify, request
from sqlalchemy import create_engine

from app.models._time import utcnow
from app.services.participants import OPEN_PHASE, compiled_choice_statement

URL = os.environ["DATABASE_URL"]
if URL.startswith(("postgres://", "postgresql://")):
    URL = "postgresql+psycopg://" + URL.split("://", 1)[1]
engine = create_engine(URL, **({"connect_args": {"timeout": 30}} if URL.startswith("sqlite") else {}))
STATEMENT = compiled_choice_statement(engine.dialect.name)


def store(data: dict) -> bool:
    """The app's statement for one answer, in its own transaction; True when it stored the choice."""
    now = utcnow()
    params = {
        "participant": int(data["participant"]),
        "kind": data["kind"],
        "phase": OPEN_PHASE[data["kind"]].value,
        "question": data["question"],
        "option": data["option"],
        "key": data["key"],
        "seq": int(data.get("seq", 0)),
        "chosen_at": datetime.fromisoformat(data["chosen_at"]) if data.get("chosen_at") else now,
        "received_at": now,
        "uuid": str(uuid.uuid4()),
    }
    with engine.begin() as conn:
        return conn.execute(STATEMENT, params).first() is not None


def app(environ, start_response):
    length = int(environ.get("CONTENT_LENGTH") or 0)
    stored = store(json.loads(environ["wsgi.input"].read(length)))
    body = json.dumps({"ok": True, "status": "stored" if stored else "superseded"}).encode()
    start_response("200 OK", [("Content-Type", "application/json"), ("Content-Length", str(len(body)))])
    return [body]


flask_app = Flask(__name__)


@flask_app.post("/api/answer")
def answer():
    data = request.get_json()
    return jsonify(ok=True, status="stored" if store(data) else "superseded", question=data["question"])
