"""Error pages and JSON errors: a clear message in the person's language, never a traceback."""

from __future__ import annotations

from flask import Flask, jsonify, render_template, request
from flask_babel import gettext as _
from flask_wtf.csrf import CSRFError
from werkzeug.exceptions import HTTPException

from app import unit_of_work


def messages() -> dict[int, str]:
    return {
        400: _("The request could not be understood. Please go back and try again."),
        403: _("You may not open this page."),
        404: _("This page does not exist. Check the address or the code."),
        405: _("This action is not possible here."),
        409: _("This cannot be done now."),
        413: _("The file is too large."),
        422: _("Some of what was sent is not valid."),
        429: _("Too many attempts. Please wait a minute and try again."),
        500: _("Something went wrong on the server. Your saved answers are safe. Please try again."),
    }


def wants_json() -> bool:
    if request.path.startswith("/api/") or request.is_json:
        return True
    best = request.accept_mimetypes.best_match(["application/json", "text/html"])
    return (
        best == "application/json" and request.accept_mimetypes[best] > request.accept_mimetypes["text/html"]
    )


def error_response(status: int, message: str | None = None, code: str | None = None):
    message = message or messages().get(status, messages()[400])
    if wants_json():
        return jsonify(ok=False, error=code or str(status), message=message), status
    return render_template("errors/error.html", status=status, message=message), status


def register(app: Flask) -> None:
    @app.errorhandler(CSRFError)
    def csrf_error(exc):
        unit_of_work.discard()
        return error_response(
            400,
            _("This form has expired or was not sent from this app. Please reload the page and try again."),
            "csrf",
        )

    @app.errorhandler(HTTPException)
    def http_error(exc: HTTPException):
        unit_of_work.discard()
        return error_response(exc.code or 500)

    @app.errorhandler(Exception)
    def unexpected(exc: Exception):
        unit_of_work.retry_if_connection_lost(exc)
        unit_of_work.discard()
        app.logger.exception("Unhandled error on %s", request.path)
        return error_response(500)
