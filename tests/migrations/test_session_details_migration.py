"""The report-details revision: up keeps every session and account (with empty details), down drops the columns."""

from __future__ import annotations

import json

import pytest
from sqlalchemy import inspect, text

from app.extensions import db
from app.schema import downgrade, upgrade
from app.services import sessioninfo
from tests.conftest import BACKENDS
from tests.migrations.helpers import fresh_app, revisions

REVISION = "e09876583463"


def columns(table: str) -> set[str]:
    return {c["name"] for c in inspect(db.engine).get_columns(table)}


@pytest.mark.parametrize("backend", BACKENDS)
def test_the_report_details_revision_goes_up_and_down_keeping_sessions(backend, tmp_path):
    with fresh_app(backend, tmp_path) as app:
        chain = revisions(app)
        before = chain[chain.index(REVISION) - 1]  # whatever revision it follows once merged
        upgrade(revision=before)
        with db.engine.begin() as conn:
            conn.execute(
                text(
                    "INSERT INTO educator (username, full_name, institution, password_hash, role, active,"
                    " created_at) VALUES ('bidan', 'Bidan', '', 'x', 'educator', true, CURRENT_TIMESTAMP)"
                )
            )
            conn.execute(
                text(
                    "INSERT INTO quiz_version (quiz_key, version_label, content_hash, title_id, title_en,"
                    " description_id, description_en, audience, source_file, content, loaded_at)"
                    " VALUES ('q', '1', 'h', 'Kuis', 'Quiz', '', '', 'mothers', 'q.yaml', '{}',"
                    " CURRENT_TIMESTAMP)"
                )
            )
            conn.execute(
                text(
                    "INSERT INTO counseling_session (educator_id, title, place, held_on, team, institution,"
                    " quiz_version_id, phase, post_only, join_code, consent_text_id, consent_text_en,"
                    " characteristics, created_at, phase_changed_at) SELECT e.id, 'Edukasi', 'Posyandu',"
                    " '2026-11-20', 'Tim KKN', '', q.id, 'closed', false, 'ABC123', '', '', '[]',"
                    " CURRENT_TIMESTAMP, CURRENT_TIMESTAMP FROM educator e, quiz_version q"
                )
            )
        upgrade(revision=REVISION)
        assert "report_details" in columns("counseling_session")
        assert "report_defaults" in columns("educator")
        # Raw SQL, not the models: a later revision may add columns the database has not got yet.
        with db.engine.connect() as conn:
            title, team, details = conn.execute(
                text("SELECT title, team, report_details FROM counseling_session")
            ).one()
            defaults = conn.execute(text("SELECT report_defaults FROM educator")).scalar_one()
        assert (title, team) == ("Edukasi", "Tim KKN")
        details, defaults = (json.loads(v) if isinstance(v, str) else v for v in (details, defaults))
        assert details == {} and defaults == {}
        assert sessioninfo.from_json(details).is_empty  # its report stays as it was
        downgrade(revision=before)
        assert "report_details" not in columns("counseling_session")
        assert "report_defaults" not in columns("educator")
        with db.engine.connect() as conn:
            assert conn.execute(text("SELECT join_code FROM counseling_session")).scalars().all() == [
                "ABC123"
            ]
