"""Bundles: a session's download on the laptop, the push to the server, and on the server the
admin's upload page, registered laptops, conflicts, and the push API (app/services/bundles.py)."""

from flask import Blueprint

bp = Blueprint("bundles", __name__)

from app.bundles import views  # noqa: E402,F401
