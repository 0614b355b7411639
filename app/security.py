"""Security headers on every response: a Content-Security-Policy that allows only our own files.

Enabled by the SECURITY_HEADERS setting (on in development and production). The policy
allows scripts, styles and images from this app only: no inline script, no inline style
attribute, no CDN, so participant text that slipped through escaping still cannot run.

Also who may open a page beyond logging in: `admin_required` (the admin and bundles pages) and
the cohort accounts kept in the cohort (`keep_cohort_accounts_in_the_cohort`).
"""

from __future__ import annotations

import time
from datetime import UTC, datetime
from functools import wraps

from flask import Flask, abort, request
from flask.sessions import SecureCookieSessionInterface
from flask_login import current_user, login_required
from itsdangerous import URLSafeTimedSerializer
from itsdangerous.encoding import want_bytes

#: One directive per entry; joined with "; " into the header.
CONTENT_SECURITY_POLICY = (
    "default-src 'self'",
    "script-src 'self'",
    "style-src 'self'",
    "img-src 'self' data:",
    "object-src 'none'",
    "frame-ancestors 'none'",
    "base-uri 'self'",
    "form-action 'self'",
)

HEADERS = {
    "Content-Security-Policy": "; ".join(CONTENT_SECURITY_POLICY),
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "same-origin",
    "X-Frame-Options": "DENY",
    "Cross-Origin-Opener-Policy": "same-origin",
    "Permissions-Policy": "camera=(), microphone=(), geolocation=()",
}


def admin_required(view):
    """Logged in (else to the login page) and an admin (else 403)."""

    @wraps(view)
    @login_required
    def wrapped(*args, **kwargs):
        if not current_user.is_admin:
            abort(403)
        return view(*args, **kwargs)

    return wrapped


def has_nul(req) -> bool:
    """A NUL character anywhere in the path, the query, the form fields or a JSON body.

    No one types one; PostgreSQL refuses it in text (a 500 if it reached a query), and some tools
    cut strings at it. Uploaded files are not inspected: they are read by their own parsers.
    """
    if "\x00" in req.path:
        return True
    # The raw query: a NUL arrives as %00 (or, from a careless client, as the byte itself).
    query = req.query_string
    if query and (b"%00" in query or b"\x00" in query):
        return True
    if req.is_json:
        return json_body_has_nul(req.get_data(cache=True))
    if req.mimetype in ("application/x-www-form-urlencoded", "multipart/form-data"):
        return any("\x00" in k or "\x00" in v for k, v in req.form.items(multi=True))
    return False


def json_body_has_nul(body: bytes) -> bool:
    """A NUL in a JSON body: the byte itself or its escape."""
    return b"\x00" in body or b"\\u0000" in body


class CheckedOnceSerializer(URLSafeTimedSerializer):
    """itsdangerous's URL-safe timed serializer that checks a signed value once, then remembers it.

    A phone sends the same session cookie and the same CSRF token with every autosave, and
    checking a signature costs two HMACs and the parsing around them. A value whose signature
    has been checked is remembered with its signing time, by its whole text; a later request
    with the same text skips only the HMACs:
    - the age limit is checked again on every use, against the signing time;
    - no two requests share an object: a payload of plain values (a string, or a dict of
      strings and numbers, as a participant's session is) is remembered decoded and handed out
      as a new dict each time; any other payload (a list of flashed messages) is decoded anew;
    - a value that is not remembered, or is too old, goes through itsdangerous's own checks
      and gets its own errors (a bad or expired signature is never remembered);
    - one instance serves one set of keys and one salt, so a new key starts with nothing
      remembered.
    At most `remembered` values (a few hundred bytes each); when full, it starts over.
    """

    remembered = 4096

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        #: signed text -> (what it signs, signing time, the payload when made of plain values)
        self._checked: dict[bytes, tuple[bytes, int, object]] = {}
        self._sep = want_bytes(self.signer_kwargs.get("sep", b"."))

    def loads(self, s, max_age=None, return_timestamp=False, salt=None):
        if salt is not None:
            return super().loads(s, max_age=max_age, return_timestamp=return_timestamp, salt=salt)
        s = want_bytes(s)
        checked = self._checked.get(s)
        if checked is not None:
            base64d, signed_at, plain = checked
            if max_age is None or 0 <= int(time.time()) - signed_at <= max_age:
                if plain is None:
                    payload = self.load_payload(base64d)
                else:
                    payload = dict(plain) if isinstance(plain, dict) else plain
                if return_timestamp:
                    return payload, datetime.fromtimestamp(signed_at, UTC)
                return payload
        payload, signed = super().loads(s, max_age=max_age, return_timestamp=True)
        if len(self._checked) >= self.remembered:
            self._checked.clear()
        # The signature checked out: what it signs is everything before the time and signature.
        remembered = (dict(payload) if isinstance(payload, dict) else payload) if _plain(payload) else None
        self._checked[s] = (s.rsplit(self._sep, 2)[0], int(signed.timestamp()), remembered)
        return (payload, signed) if return_timestamp else payload


_PLAIN = (str, int, float, bool)


def _plain(payload) -> bool:
    """A value no request can change in place: a string or number, or a dict of those under string keys."""
    if isinstance(payload, dict):
        return all(isinstance(k, str) and isinstance(v, _PLAIN) for k, v in payload.items())
    return isinstance(payload, _PLAIN)


class SessionCookies(SecureCookieSessionInterface):
    """Flask's signed session cookie, with its serializer built once per key instead of per request.

    Flask builds a new serializer (which test-encodes a value on creation) to read the
    cookie of every request and again to write it; the autosave is the hottest path there is.
    Keys, salt and signature are Flask's own, so existing cookies stay valid. The serializer
    remembers the cookies it has checked (`CheckedOnceSerializer`). The cookie is Secure on
    every request that arrives over HTTPS, whatever SESSION_COOKIE_SECURE says.
    """

    def get_signing_serializer(self, app: Flask) -> URLSafeTimedSerializer | None:
        keys = (app.secret_key, tuple(app.config["SECRET_KEY_FALLBACKS"] or ()))
        cached = app.extensions.get("session_serializer")
        if cached is None or cached[0] != keys:
            flask_own = super().get_signing_serializer(app)
            if flask_own is not None:
                flask_own = CheckedOnceSerializer(
                    flask_own.secret_keys,
                    salt=flask_own.salt,
                    serializer=flask_own.serializer,
                    signer_kwargs=flask_own.signer_kwargs,
                )
            cached = app.extensions["session_serializer"] = (keys, flask_own)
        return cached[1]

    def save_session(self, app: Flask, session, response) -> None:
        """Flask's, minus working out the cookie's name, domain and flags when no cookie is set.

        Most requests (every autosave) leave the session as it came: Flask would compute the
        cookie's attributes and then only add `Vary: Cookie`."""
        if self.should_set_cookie(app, session):
            super().save_session(app, session, response)
        elif session.accessed:
            add_vary(response, "Cookie")

    def get_cookie_secure(self, app: Flask) -> bool:
        """Secure when the settings say so (an https PUBLIC_BASE_URL) or this request came over HTTPS."""
        return bool(super().get_cookie_secure(app) or request.is_secure)


def add_vary(response, header: str) -> None:
    """Name `header` in the response's Vary, editing the header's text.

    What `response.vary.add` does, without parsing the header into a set object and writing
    it back (three times the work, on every autosave)."""
    vary = response.headers.get("Vary")
    if not vary:
        response.headers["Vary"] = header
    elif header.lower() not in (part.strip().lower() for part in vary.split(",")):
        response.headers["Vary"] = f"{vary}, {header}"


class SecurityHeaders:
    """WSGI middleware: the security headers on every response, added to its plain list of headers.

    A header the response already has (a view's own Cache-Control, say) is kept. Pages and
    JSON (not static files) also get `Cache-Control: no-store`: they may show names and scores,
    and a shared tablet's Back button must not bring them back. HSTS only when the secure-cookie
    setting says the site is served over HTTPS. The settings are read for each response.
    Working on the WSGI list, once the response is final, costs a fraction of what
    Flask's header objects do on the autosave (one pass, no revalidation of our constants).
    """

    HSTS = ("Strict-Transport-Security", "max-age=31536000")
    NO_STORE = ("Cache-Control", "no-store")

    def __init__(self, wsgi_app, config) -> None:
        self.wsgi_app = wsgi_app
        self.config = config
        self.headers = [(name.lower(), (name, value)) for name, value in HEADERS.items()]

    def __call__(self, environ, start_response):
        if not self.config.get("SECURITY_HEADERS"):
            return self.wsgi_app(environ, start_response)
        static = environ.get("PATH_INFO", "").startswith("/static/")

        def with_headers(status, headers, exc_info=None):
            present = set()
            mimetype = ""
            for name, value in headers:
                lowered = name.lower()
                present.add(lowered)
                if lowered == "content-type":
                    mimetype = value.partition(";")[0].strip().lower()
            headers.extend(header for lowered, header in self.headers if lowered not in present)
            if self.config.get("SESSION_COOKIE_SECURE") and "strict-transport-security" not in present:
                headers.append(self.HSTS)
            if (
                not static
                and mimetype in ("text/html", "application/json")
                and "cache-control" not in present
            ):
                headers.append(self.NO_STORE)
            return start_response(status, headers, exc_info)

        return self.wsgi_app(environ, with_headers)


#: The blueprints of counseling sessions (educators, lecturers, admins): a cohort-only account (a
#: cadre, a nutrition officer) is sent to her cohort home on a GET and refused (403) otherwise.
SESSION_BLUEPRINTS = ("educator", "reports", "bank")
COHORT_ONLY_ROLES = ("kader", "tpg")
#: Open to anyone: a certificate's verification page and the blueprints' static files.
PUBLIC_ENDPOINTS = ("reports.verify", "reports.static", "bank.static", "educator.static")


def register(app: Flask) -> None:
    """Refuse NUL characters; add the security headers to every response when SECURITY_HEADERS is on."""
    app.session_interface = SessionCookies()

    @app.before_request
    def refuse_nul():
        if has_nul(request._get_current_object()):  # one lookup behind the proxy, not one per attribute
            from flask_babel import gettext as _

            from app.errors import error_response

            return error_response(400, _("The request contains a character that is not allowed."), "nul")
        return None

    @app.before_request
    def keep_cohort_accounts_in_the_cohort():
        """A cadre or nutrition officer has her own home, /cohort/: the sessions' pages are not hers."""
        if request.blueprint not in SESSION_BLUEPRINTS or request.endpoint in PUBLIC_ENDPOINTS:
            return None
        if not (current_user.is_authenticated and current_user.role in COHORT_ONLY_ROLES):
            return None
        if request.method in ("GET", "HEAD") and not request.path.endswith(".json"):
            from flask import redirect, url_for

            return redirect(url_for("cohort.register"))
        from app.errors import error_response

        return error_response(403)

    app.wsgi_app = SecurityHeaders(app.wsgi_app, app.config)
