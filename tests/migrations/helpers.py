"""Databases for migration tests: a fresh SQLite file, or a private schema in the PostgreSQL test database."""

from __future__ import annotations

import uuid
from contextlib import contextmanager
from pathlib import Path

from alembic.script import ScriptDirectory
from sqlalchemy import create_engine, text

from app import create_app
from app.extensions import db, dispose_engines
from app.schema import alembic_config
from tests.conftest import ROOT, IsolatedClient, pg_url


@contextmanager
def fresh_app(backend: str, tmp_path: Path):
    """An app on an empty database of its own. On PostgreSQL: a new schema, dropped afterwards."""
    schema = None
    if backend == "sqlite":
        url = "sqlite:///" + str(tmp_path / f"m-{uuid.uuid4().hex[:8]}.sqlite3")
    else:
        schema = "mig_" + uuid.uuid4().hex[:8]
        base = pg_url()
        engine = create_engine(base)
        with engine.begin() as conn:
            conn.execute(text(f"CREATE SCHEMA {schema}"))
        engine.dispose()
        url = base + ("&" if "?" in base else "?") + f"options=-csearch_path%3D{schema}"
    app = create_app(
        {"SQLALCHEMY_DATABASE_URI": url, "QUIZ_DIR": str(ROOT / "quizzes"), "WTF_CSRF_ENABLED": True}
    )
    app.test_client_class = IsolatedClient
    try:
        with app.app_context():
            yield app
            db.session.remove()
            dispose_engines()
    finally:
        if schema:
            engine = create_engine(pg_url())
            with engine.begin() as conn:
                conn.execute(text(f"DROP SCHEMA {schema} CASCADE"))
            engine.dispose()


def revisions(app) -> list[str]:
    """Every revision id, oldest first."""
    with app.app_context():
        script = ScriptDirectory.from_config(alembic_config())
    return [r.revision for r in reversed(list(script.walk_revisions("base", "heads")))]
