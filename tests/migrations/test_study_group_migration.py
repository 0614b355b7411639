"""The study-group revision: up keeps every session (none marked), a marked session reads back, down drops it."""

from __future__ import annotations

import pytest
from sqlalchemy import inspect, text

from app.extensions import db
from app.schema import downgrade, upgrade
from tests.conftest import BACKENDS
from tests.migrations.helpers import fresh_app, revisions

REVISION = "bbdeac6a42d5"


def columns() -> set[str]:
    return {c["name"] for c in inspect(db.engine).get_columns("counseling_session")}


@pytest.mark.parametrize("backend", BACKENDS)
def test_the_study_group_revision_goes_up_and_down_keeping_the_sessions(backend, tmp_path):
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
                    " VALUES ('q', '1', 'h', 'K', 'Q', '', '', 'mothers', 'q.yaml', '{}', CURRENT_TIMESTAMP)"
                )
            )
            for title, code in (("Posyandu Melati", "AAA111"), ("Posyandu Mawar", "BBB222")):
                conn.execute(
                    text(
                        "INSERT INTO counseling_session (educator_id, title, place, held_on, team, institution,"
                        " quiz_version_id, phase, post_only, join_code, consent_text_id, consent_text_en,"
                        " characteristics, created_at, phase_changed_at) SELECT e.id, :title, 'Desa', '2026-11-20',"
                        " '', '', q.id, 'closed', false, :code, '', '', '[]', CURRENT_TIMESTAMP,"
                        " CURRENT_TIMESTAMP FROM educator e, quiz_version q"
                    ),
                    {"title": title, "code": code},
                )
        upgrade(revision=REVISION)
        assert "study_group" in columns()
        with db.engine.begin() as conn:
            rows = conn.execute(
                text("SELECT title, study_group FROM counseling_session ORDER BY title")
            ).all()
            assert [tuple(r) for r in rows] == [("Posyandu Mawar", None), ("Posyandu Melati", None)]
            conn.execute(
                text("UPDATE counseling_session SET study_group = 'control' WHERE join_code = 'BBB222'")
            )
            marked = conn.execute(
                text("SELECT study_group FROM counseling_session WHERE join_code = 'BBB222'")
            )
            assert marked.scalar_one() == "control"
        db.session.remove()
        downgrade(revision=before)
        assert "study_group" not in columns()
        with db.engine.connect() as conn:
            titles = conn.execute(text("SELECT title FROM counseling_session ORDER BY title")).scalars().all()
        assert titles == ["Posyandu Mawar", "Posyandu Melati"]
