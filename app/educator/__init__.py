"""Educator pages: dashboard, creating and running sessions, scores."""

from flask import Blueprint

bp = Blueprint("educator", __name__)

from app.educator import views  # noqa: E402,F401
from app.educator import manage  # noqa: E402,F401
