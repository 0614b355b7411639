"""Educator pages of the quiz bank: browse quizzes, see answers and item statistics, copy to adapt."""

from flask import Blueprint

bp = Blueprint("bank", __name__)
