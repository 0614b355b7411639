"""The database schema, made and changed by the Alembic migrations in migrations/ (through Flask-Migrate).

Alembic is imported here only, and only when migrations run: `upgrade()` and `downgrade()` (run.py,
the tests, the benchmarks) and the `flask db` commands. Serving a request never needs it, so a
server start does not import it (bench/README.md, start-up).
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from flask import Flask, current_app

from app.extensions import db

if TYPE_CHECKING:
    import click
    from alembic.config import Config
    from flask_migrate import Migrate

MIGRATIONS = Path(__file__).resolve().parent.parent / "migrations"


def set_up(app: Flask) -> Migrate:
    """Flask-Migrate for `app`, once: its commands and functions read it from `app.extensions`."""
    from flask_migrate import Migrate

    if "migrate" not in app.extensions:
        Migrate(app, db, directory=str(MIGRATIONS), render_as_batch=True)
    return app.extensions["migrate"].migrate


def upgrade(revision: str = "head") -> None:
    """Upgrade the current app's database to `revision` (default: the newest), as `flask db upgrade`."""
    import flask_migrate

    set_up(current_app._get_current_object())
    flask_migrate.upgrade(revision=revision)


def downgrade(revision: str = "-1") -> None:
    """Downgrade the current app's database to `revision` (default: one step), as `flask db downgrade`."""
    import flask_migrate

    set_up(current_app._get_current_object())
    flask_migrate.downgrade(revision=revision)


def alembic_config() -> Config:
    """Alembic's configuration of the migrations (for their ScriptDirectory: revisions, heads)."""
    return set_up(current_app._get_current_object()).get_config()


def command(app: Flask) -> click.Command:
    """`flask db ...`: Flask-Migrate's commands, set up for `app`."""
    from flask_migrate.cli import db as group

    set_up(app)
    return group
