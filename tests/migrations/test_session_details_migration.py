"""The report-details revision: up keeps every session and account (with empty details), down drops the columns."""

from __future__ import annotations

import json

import pytest
from sqlalchemy import text

from app.extensions import db
from app.schema import downgrade, upgrade
from app.services import sessioninfo
from tests.conftest import BACKENDS
from tests.migrations.helpers import columns, just_before

REVISION = "e09876583463"
#: One closed session, with a team, before the revision.
SESSIONS = ({"title": "Edukasi", "join_code": "ABC123", "place": "Posyandu", "team": "Tim KKN"},)


@pytest.mark.parametrize("backend", BACKENDS)
def test_the_report_details_revision_goes_up_and_down_keeping_sessions(backend, tmp_path):
    with just_before(backend, tmp_path, REVISION, *SESSIONS) as before:
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
