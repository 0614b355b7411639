"""The study-group revision: up keeps every session (none marked), a marked session reads back, down drops it."""

from __future__ import annotations

import pytest
from sqlalchemy import text

from app.extensions import db
from app.schema import downgrade, upgrade
from tests.conftest import BACKENDS
from tests.migrations.helpers import columns, just_before

REVISION = "bbdeac6a42d5"
#: Two closed sessions before the revision; neither can have a study group yet.
SESSIONS = (
    {"title": "Posyandu Melati", "join_code": "AAA111"},
    {"title": "Posyandu Mawar", "join_code": "BBB222"},
)


@pytest.mark.parametrize("backend", BACKENDS)
def test_the_study_group_revision_goes_up_and_down_keeping_the_sessions(backend, tmp_path):
    with just_before(backend, tmp_path, REVISION, *SESSIONS) as before:
        upgrade(revision=REVISION)
        assert "study_group" in columns("counseling_session")
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
        assert "study_group" not in columns("counseling_session")
        with db.engine.connect() as conn:
            titles = conn.execute(text("SELECT title FROM counseling_session ORDER BY title")).scalars().all()
        assert titles == ["Posyandu Mawar", "Posyandu Melati"]
