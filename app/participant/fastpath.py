"""The autosave's common case without Flask's request machinery.

Every tap on an answer is a `POST /api/answer`, and in a full room hundreds arrive each second
at a laptop. Most of them are the common case: a participant with a valid session cookie and
CSRF token stores a new choice while her test is open. For that case Flask's request
handling (contexts, the session object, the hooks, the response object) costs several times
the database write. `AutosaveFastPath` is WSGI middleware that serves only that case:

- it makes the same checks, with the same objects: the session cookie through the app's own
  session serializer (signature and age), the CSRF token in the header through Flask-WTF's
  rules (signature, time limit, this session's token, the referrer under HTTPS), the NUL
  check, the JSON body and its fields as the view reads them;
- it stores with the same single statement as the view (`store_new_choice`);
- it answers with the same body and headers as the view (the security headers are added by
  `SecurityHeaders`, which wraps it).

Anything else goes, untouched, to Flask: another path or method, no or a bad cookie or token,
a permanent or remembered-login session, a query string, an odd body, an answer that the
statement did not store (resent, late, test closed, unknown question), any error on the way
(a database error, JSON nested too deep to read): the fast path adds no failure of its own.
The view then does the full work and gives the full answer, so every error message and
every outcome other than "stored" comes from one place. `tests/app/test_fast_path.py` sends
the same requests with the fast path on and off and requires the same responses.

The setting AUTOSAVE_FAST_PATH (on by default) turns it off.
"""

from __future__ import annotations

import io
import json

from itsdangerous import BadData
from werkzeug.http import parse_cookie

from app.extensions import AUTOSAVE_BIND, db, header_token, header_token_is_good
from app.participant.views import answer_fields, parse_client_time
from app.security import json_body_has_nul
from app.services.participants import store_new_choice

PATH = "/api/answer"
#: Longer bodies are not an autosave (the view refuses them or reads them itself).
MAX_BODY = 2048


class AutosaveFastPath:
    def __init__(self, app, wsgi_app) -> None:
        self.app = app
        self.wsgi_app = wsgi_app
        self._engine = None

    def __call__(self, environ, start_response):
        if (
            environ.get("PATH_INFO") != PATH
            or environ.get("REQUEST_METHOD") != "POST"
            or not self.app.config["AUTOSAVE_FAST_PATH"]
            or self.app.debug  # Flask's debug JSON is indented: let the view answer
        ):
            return self.wsgi_app(environ, start_response)
        try:
            length = int(environ.get("CONTENT_LENGTH") or 0)
        except ValueError:
            length = -1
        if not 0 < length <= MAX_BODY:
            return self.wsgi_app(environ, start_response)
        body = environ["wsgi.input"].read(length)
        # Whatever happens here, Flask can read the body again.
        environ["wsgi.input"] = io.BytesIO(body)
        try:
            question = self._store(environ, body)
        except Exception:  # noqa: BLE001 - never a new failure: Flask runs the request and reports it
            question = None
        if question is None:
            return self.wsgi_app(environ, start_response)
        # The view's own answer (jsonify: compact, sorted keys, a final newline).
        payload = (json.dumps({"ok": True, "question": question, "status": "stored"}, separators=(",", ":"),
                              sort_keys=True) + "\n").encode()
        start_response("200 OK", [
            ("Content-Type", "application/json"),
            ("Content-Length", str(len(payload))),
            ("Vary", "Cookie"),
        ])
        return [payload]

    def _store(self, environ, body: bytes) -> str | None:
        """The question's key when the answer was stored here; None to hand the request to Flask."""
        app = self.app
        config = app.config
        if (
            environ.get("QUERY_STRING")
            or environ.get("CONTENT_TYPE", "").partition(";")[0].strip().lower() != "application/json"
            or json_body_has_nul(body)
            or config.get("TRUSTED_HOSTS")
        ):
            return None
        session = self._session(environ)
        if session is None or not self._csrf_ok(environ, session):
            return None
        try:
            data = json.loads(body)
        except ValueError:
            return None
        fields = answer_fields(data)
        if fields is None:
            return None
        kind, question, option, key = fields
        # A database error propagates to __call__, and Flask runs the request again and reports it.
        stored = store_new_choice(session["pid"], kind, question, option, key,
                                  parse_client_time(data.get("chosen_at")), engine=self._autosave_engine())
        return question if stored else None

    def _session(self, environ) -> dict | None:
        """The session cookie's content when it is valid and an ordinary participant's."""
        app = self.app
        serializer = app.session_interface.get_signing_serializer(app)
        if serializer is None:
            return None
        cookie = parse_cookie(environ).get(app.config["SESSION_COOKIE_NAME"])
        if not cookie:
            return None
        try:
            data = serializer.loads(cookie, max_age=int(app.permanent_session_lifetime.total_seconds()))
        except BadData:
            return None
        if not isinstance(data, dict) or "_permanent" in data or "_remember" in data:
            return None  # Flask would renew the cookie, or Flask-Login look at it: let them
        pid = data.get("pid")
        return data if isinstance(pid, int) and pid > 0 else None

    def _csrf_ok(self, environ, session: dict) -> bool:
        """Flask-WTF's checks, for a token sent in a header (`header_token_is_good`)."""
        config = self.app.config
        if not (config.get("WTF_CSRF_ENABLED", True) and config.get("WTF_CSRF_CHECK_DEFAULT", True)):
            return False  # an unusual set-up: Flask decides
        return header_token_is_good(
            self.app, header_token(config, environ), session.get(config["WTF_CSRF_FIELD_NAME"]),
            environ.get("wsgi.url_scheme") == "https", environ.get("HTTP_REFERER"), environ.get("HTTP_HOST"),
        )

    def _autosave_engine(self):
        if self._engine is None:
            with self.app.app_context():
                self._engine = db.engines[AUTOSAVE_BIND]
        return self._engine
