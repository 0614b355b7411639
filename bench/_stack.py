"""Flask's request handling without the database: what the autosave's Flask view costs before any SQL.

The production app (`create_app()`, same configuration and hooks: the signed session cookie,
CSRF, the NUL check, security headers) with one more route, POST /api/answer-nodb, that checks
the participant and the answer as the /api/answer view does and acknowledges it without touching
the database: Flask and the app's hooks alone. bench_autosave.py measures it beside the app and
the bare endpoint, in the same run.
Served by the same gunicorn settings; it uses the same SECRET_KEY, so the phones' cookies and
CSRF tokens from the app are valid here.
"""

from __future__ import annotations

from flask import abort, jsonify, request, session

from app import create_app
from app.errors import error_response

app = create_app()


@app.post("/api/answer-nodb")
def answer_nodb():
    if not session.get("pid"):
        abort(401)
    data = request.get_json(silent=True)
    if not isinstance(data, dict):
        return error_response(400, "bad json", "bad_json")
    values = [data.get(k) for k in ("kind", "question", "option", "key")]
    if not all(isinstance(v, str) and 0 < len(v) <= 64 for v in values):
        return error_response(400, "bad json", "bad_json")
    return jsonify(ok=True, status="stored", question=values[1])
