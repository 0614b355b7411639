"""Security headers on every response: a Content-Security-Policy that allows only our own files.

Enabled by the SECURITY_HEADERS setting (on in development and production). The policy
allows scripts, styles and images from this app only: no inline script, no inline style
attribute, no CDN, so participant text that slipped through escaping still cannot run.
"""

from __future__ import annotations

from flask import Flask, Response, request
from flask.sessions import SecureCookieSessionInterface
from itsdangerous import URLSafeTimedSerializer

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
        body = req.get_data(cache=True)
        return b"\x00" in body or b"\\u0000" in body
    if req.mimetype in ("application/x-www-form-urlencoded", "multipart/form-data"):
        return any("\x00" in k or "\x00" in v for k, v in req.form.items(multi=True))
    return False


class SessionCookies(SecureCookieSessionInterface):
    """Flask's signed session cookie, with its serializer built once per key instead of per request.

    Flask builds a new serializer (which test-encodes a value on creation) to read the
    cookie of every request and again to write it; the autosave is the hottest path there is.
    Keys, salt and signature are Flask's own, so existing cookies stay valid.
    """

    def get_signing_serializer(self, app: Flask) -> URLSafeTimedSerializer | None:
        keys = (app.secret_key, tuple(app.config["SECRET_KEY_FALLBACKS"] or ()))
        cached = app.extensions.get("session_serializer")
        if cached is None or cached[0] != keys:
            cached = app.extensions["session_serializer"] = (keys, super().get_signing_serializer(app))
        return cached[1]


def register(app: Flask) -> None:
    """Refuse NUL characters; add the security headers to every response when SECURITY_HEADERS is on."""
    app.session_interface = SessionCookies()

    @app.before_request
    def refuse_nul():
        if has_nul(request):
            from flask_babel import gettext as _

            from app.errors import error_response

            return error_response(400, _("The request contains a character that is not allowed."), "nul")
        return None

    @app.after_request
    def security_headers(response: Response) -> Response:
        if not app.config.get("SECURITY_HEADERS"):
            return response
        wanted = list(HEADERS.items())
        if app.config.get("SESSION_COOKIE_SECURE"):
            # Only behind HTTPS: the secure-cookie setting says the site is served over TLS.
            wanted.append(("Strict-Transport-Security", "max-age=31536000"))
        if response.mimetype in ("text/html", "application/json") and not request.path.startswith("/static/"):
            # Pages may show names and scores: a shared tablet's Back button must not bring them back.
            wanted.append(("Cache-Control", "no-store"))
        # One pass over the response's few headers; a view's own value of any of them is kept.
        present = {key.lower() for key in response.headers.keys()}
        response.headers.extend([(name, value) for name, value in wanted if name.lower() not in present])
        return response
