"""CSRF protection: Flask-WTF's, with the token looked for in the request headers first.

The tablets' autosave and submit calls are JSON with the token in X-CSRFToken; pages post it
as a form field. `csrf` is the extension, initialised in create_app().
"""

from __future__ import annotations

import hmac

from flask import current_app, g, request, session
from flask_wtf import CSRFProtect
from flask_wtf.csrf import same_origin
from itsdangerous import BadData

from app.security import CheckedOnceSerializer


class HeaderFirstCSRFProtect(CSRFProtect):
    """CSRF protection that looks for the token in the request headers before the form.

    The tablets' autosave and submit calls are JSON with the token in X-CSRFToken; looking
    there first spares parsing a form they do not have. Pages still post it as a form field.

    A token in a header that passes every check Flask-WTF makes is accepted here, with its
    signature checked once per token (`CheckedOnceSerializer`): a phone sends the same token
    with each of its answers. Anything else (no token, a form field, a bad, expired or
    foreign token, a missing referrer under HTTPS) goes to Flask-WTF's own check, which
    refuses it with its own message.
    """

    def _get_csrf_token(self):
        return self._header_token() or super()._get_csrf_token()

    def protect(self, apply_exemptions=False):
        if self._header_token_is_good():
            g.csrf_valid = True
            return
        super().protect(apply_exemptions)

    @staticmethod
    def _header_token() -> str | None:
        return header_token(current_app.config, request.environ)

    def _header_token_is_good(self) -> bool:
        # The objects behind the context proxies, looked up once (this runs on every autosave).
        app, req = current_app._get_current_object(), request._get_current_object()
        config = app.config
        if req.method not in config["WTF_CSRF_METHODS"]:
            return False
        return header_token_is_good(
            app,
            header_token(config, req.environ),
            session.get(config["WTF_CSRF_FIELD_NAME"]),
            req.is_secure,
            req.referrer,
            req.host,
        )


def header_token(config, environ) -> str | None:
    """The CSRF token from the first of WTF_CSRF_HEADERS the request carries."""
    for header_name in config["WTF_CSRF_HEADERS"]:
        token = environ.get("HTTP_" + header_name.upper().replace("-", "_"))
        if token:
            return token
    return None


def header_token_is_good(
    app, token: str | None, expected, secure: bool, referrer: str | None, host: str | None
) -> bool:
    """Flask-WTF's checks of a CSRF token sent in a header, with its signature checked once per token.

    `expected` is the session's CSRF secret; `secure`, `referrer` and `host` describe the
    request (under HTTPS, with WTF_CSRF_SSL_STRICT, the referrer must be this site).
    """
    config = app.config
    if not token or not isinstance(expected, str):
        return False
    try:
        value = csrf_serializer(app).loads(token, max_age=config["WTF_CSRF_TIME_LIMIT"])
    except BadData:
        return False
    if not isinstance(value, str) or not hmac.compare_digest(expected, value):
        return False
    if secure and config["WTF_CSRF_SSL_STRICT"]:
        return bool(referrer) and bool(host) and same_origin(referrer, f"https://{host}/")
    return True


def csrf_serializer(app):
    """Flask-WTF's token serializer (its key and salt) as a `CheckedOnceSerializer`, kept while the key is the same."""
    key = app.config.get("WTF_CSRF_SECRET_KEY") or app.secret_key
    cached = app.extensions.get("csrf_serializer")
    if cached is None or cached[0] != key:
        cached = app.extensions["csrf_serializer"] = (key, CheckedOnceSerializer(key, salt="wtf-csrf-token"))
    return cached[1]


csrf = HeaderFirstCSRFProtect()
