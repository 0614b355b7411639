"""Educator pages of the quiz bank: browse quizzes, see answers and item statistics, copy to adapt."""

from flask import Blueprint

bp = Blueprint("bank", __name__)

from app.bank import views  # noqa: E402,F401
