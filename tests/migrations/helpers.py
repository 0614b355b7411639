"""Databases for migration tests: a fresh SQLite file, or a private schema in the PostgreSQL test database;
and the rows and checks the revision tests share (raw SQL: a revision's tests must not read today's models)."""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from alembic.script import ScriptDirectory
from sqlalchemy import create_engine, inspect, text
from sqlalchemy.engine import Connection

from app import create_app
from app.extensions import db, dispose_engines
from app.schema import alembic_config, upgrade
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


def upgrade_to_before(app, revision: str) -> str:
    """Upgrade to the revision just before `revision` (whatever it follows once merged); return that id."""
    chain = revisions(app)
    before = chain[chain.index(revision) - 1]
    upgrade(revision=before)
    return before


@contextmanager
def just_before(backend: str, tmp_path: Path, revision: str, *sessions: dict[str, str]) -> Iterator[str]:
    """A fresh database (see `fresh_app`) at the revision just before `revision`, holding the rows
    `insert_closed_sessions` writes; yields the id of that revision."""
    with fresh_app(backend, tmp_path) as app:
        before = upgrade_to_before(app, revision)
        with db.engine.begin() as conn:
            insert_closed_sessions(conn, *sessions)
        yield before


def columns(table: str) -> set[str]:
    """The names of the table's columns as the database has them now."""
    return {c["name"] for c in inspect(db.engine).get_columns(table)}


def insert_educator(conn: Connection) -> None:
    """One educator account, 'bidan'."""
    conn.execute(
        text(
            "INSERT INTO educator (username, full_name, institution, password_hash, role, active,"
            " created_at) VALUES ('bidan', 'Bidan', '', 'x', 'educator', true, CURRENT_TIMESTAMP)"
        )
    )


def insert_closed_sessions(conn: Connection, *sessions: dict[str, str]) -> None:
    """The educator 'bidan', one (empty) quiz version and, on them, a closed session for each of `sessions`
    (keys: title, join_code; place, team optional)."""
    insert_educator(conn)
    conn.execute(
        text(
            "INSERT INTO quiz_version (quiz_key, version_label, content_hash, title_id, title_en,"
            " description_id, description_en, audience, source_file, content, loaded_at)"
            " VALUES ('q', '1', 'h', 'Kuis', 'Quiz', '', '', 'mothers', 'q.yaml', '{}', CURRENT_TIMESTAMP)"
        )
    )
    for session in sessions:
        conn.execute(
            text(
                "INSERT INTO counseling_session (educator_id, title, place, held_on, team, institution,"
                " quiz_version_id, phase, post_only, join_code, consent_text_id, consent_text_en,"
                " characteristics, created_at, phase_changed_at) SELECT e.id, :title, :place, '2026-11-20',"
                " :team, '', q.id, 'closed', false, :join_code, '', '', '[]', CURRENT_TIMESTAMP,"
                " CURRENT_TIMESTAMP FROM educator e, quiz_version q"
            ),
            {"place": "Desa", "team": ""} | session,
        )
