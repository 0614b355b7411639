"""Migration f7ae37d07828 gives every existing travelling row a global id and keeps every answer and figure."""

from __future__ import annotations

from sqlalchemy import func, select, text

from app.extensions import db
from app.models import Answer, Attempt, AuditLog, Certificate, CounselingSession, Participant
from app.schema import upgrade
from tests.migrations.helpers import fresh_app
from tests.migrations.test_upgrade_keeps_answers import copy_rows, figures, play_finished_session

REVISION = "f7ae37d07828"
BEFORE = "4a44ea694fe2"  # the revision before it in the chain
TABLES = ("counseling_session", "participant", "attempt", "answer", "certificate", "audit_log")


def _counts(conn) -> dict[str, int]:
    return {t: conn.execute(text(f"SELECT COUNT(*) FROM {t}")).scalar() for t in TABLES}


def test_existing_rows_get_unique_ids_and_keep_every_figure(app, educator_client, tmp_path):
    sid = play_finished_session(app, educator_client)
    before = figures(sid)
    source_engine = db.engine
    with source_engine.connect() as conn:
        counts = _counts(conn)
    assert counts["answer"] > 100 and counts["certificate"] >= 6

    with fresh_app(app.config["BACKEND"], tmp_path) as old:
        upgrade(revision=BEFORE)
        assert copy_rows(source_engine, db.engine) > 100
        result = old.test_cli_runner().invoke(args=["db", "upgrade", REVISION])
        assert result.exit_code == 0, result.output
        db.session.remove()
        with db.engine.connect() as conn:
            assert _counts(conn) == counts
            for table in TABLES:
                n, distinct, missing = conn.execute(
                    text(
                        f"SELECT COUNT(*), COUNT(DISTINCT uuid), SUM(CASE WHEN uuid IS NULL THEN 1 ELSE 0 END) FROM {table}"
                    )
                ).one()
                assert (distinct, missing or 0) == (n, 0), table
        # The figures, read through today's models, at head.
        result = old.test_cli_runner().invoke(args=["db", "upgrade"])
        assert result.exit_code == 0, result.output
        db.session.remove()
        assert figures(sid) == before
        db.session.remove()  # PostgreSQL: the read above holds locks the downgrade's ALTER waits for
        # Going back drops the columns (and the bundles' tables) and nothing else.
        result = old.test_cli_runner().invoke(args=["db", "downgrade", BEFORE])
        assert result.exit_code == 0, result.output
        db.session.remove()
        with db.engine.connect() as conn:
            assert _counts(conn) == counts


def test_new_rows_get_a_global_id(app, educator_client):
    sid = play_finished_session(app, educator_client, n=3)
    for model in (CounselingSession, Participant, Attempt, Answer, Certificate, AuditLog):
        n = db.session.scalar(select(func.count()).select_from(model))
        missing = db.session.scalar(select(func.count()).select_from(model).where(model.uuid.is_(None)))
        distinct = db.session.scalar(select(func.count(func.distinct(model.uuid))))
        assert n > 0 and missing == 0 and distinct == n, model
    assert sid
