"""Educator pages: dashboard, creating and running sessions, scores."""

from flask import Blueprint

bp = Blueprint("educator", __name__)

# The views register their routes on bp, so they are imported after it exists.
from app.educator import (  # noqa: E402
    manage,  # noqa: F401
    views,  # noqa: F401
)
