"""Participant pages: join, consent, registration, the quiz, waiting and results."""

from flask import Blueprint

bp = Blueprint("participant", __name__)

from app.participant import views  # noqa: E402,F401
