"""WSGI entry point: `python -m app.server` (waitress) serves it; `flask --app wsgi run` while developing."""

from app import create_app

app = create_app()
