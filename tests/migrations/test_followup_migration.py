"""The follow-up revision: up keeps every session, attempt and answer (no follow-up yet), down removes it again."""

from __future__ import annotations

from sqlalchemy import inspect, text

from app.extensions import db
from app.schema import downgrade, upgrade
from tests.migrations.helpers import fresh_app, upgrade_to_before
from tests.migrations.test_upgrade_keeps_answers import copy_rows, play_finished_session

REVISION = "4a44ea694fe2"


def _columns(table: str) -> dict[str, object]:
    return {c["name"]: c["type"] for c in inspect(db.engine).get_columns(table)}


def _rows(conn) -> dict[str, list]:
    return {
        "sessions": conn.execute(
            text("SELECT id, phase, quiz_version_id FROM counseling_session ORDER BY id")
        ).all(),
        "attempts": conn.execute(
            text("SELECT id, participant_id, kind, score, submitted_at FROM attempt ORDER BY id")
        ).all(),
        "answers": conn.execute(text("SELECT id, attempt_id, option_id, seq FROM answer ORDER BY id")).all(),
    }


def test_the_followup_revision_keeps_existing_rows_and_goes_down_again(app, educator_client, tmp_path):
    backend = app.config["BACKEND"]
    play_finished_session(app, educator_client, n=5)
    source_engine = db.engine
    with fresh_app(backend, tmp_path) as old:
        before = upgrade_to_before(old, REVISION)
        assert copy_rows(source_engine, db.engine) > 50
        with db.engine.connect() as conn:
            rows_before = _rows(conn)
        assert len(rows_before["answers"]) > 50 and {r.kind for r in rows_before["attempts"]} == {
            "pre",
            "post",
        }

        upgrade(revision=REVISION)
        columns = _columns("counseling_session")
        assert {"followup_quiz_version_id", "followup_opened_at"} <= set(columns)
        assert _columns("attempt")["kind"].length == 8
        fks = inspect(db.engine).get_foreign_keys("counseling_session")
        assert any(fk["constrained_columns"] == ["followup_quiz_version_id"] for fk in fks), fks
        with db.engine.begin() as conn:
            assert _rows(conn) == rows_before  # every row kept, nothing changed
            assert conn.execute(
                text("SELECT COUNT(*) FROM counseling_session WHERE followup_quiz_version_id IS NOT NULL"
                     " OR followup_opened_at IS NOT NULL")
            ).scalar() == 0  # fmt: skip
            if backend == "sqlite":
                assert conn.execute(text("PRAGMA integrity_check")).scalar() == "ok"
            # A follow-up attempt fits the wider column (PostgreSQL enforces the length).
            first = rows_before["attempts"][0]
            conn.execute(
                text(
                    "INSERT INTO attempt (participant_id, kind, quiz_version_id, started_at)"
                    " SELECT participant_id, 'followup', quiz_version_id, started_at FROM attempt WHERE id = :id"
                ),
                {"id": first.id},
            )
            conn.execute(text("UPDATE counseling_session SET phase = 'followup_open'"))

        db.session.remove()
        downgrade(revision=before)
        assert not {"followup_quiz_version_id", "followup_opened_at"} & set(_columns("counseling_session"))
        assert _columns("attempt")["kind"].length == 4
        with db.engine.connect() as conn:
            after = _rows(conn)
        assert after["attempts"] == rows_before["attempts"] and after["answers"] == rows_before["answers"]
        assert {r.phase for r in after["sessions"]} == {"closed"}
        upgrade()  # and up again to head
        assert "followup_opened_at" in _columns("counseling_session")
