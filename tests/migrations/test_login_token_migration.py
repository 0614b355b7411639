"""The login-token revision: up keeps every account (with no token: everyone logs in once more), down drops it."""

from __future__ import annotations

import pytest
from sqlalchemy import inspect, text

from app.extensions import db
from app.schema import downgrade, upgrade
from app.services import accounts
from tests.conftest import BACKENDS
from tests.migrations.helpers import fresh_app, revisions

REVISION = "3f1c2a9b7d40"


def columns() -> set[str]:
    return {c["name"] for c in inspect(db.engine).get_columns("educator")}


@pytest.mark.parametrize("backend", BACKENDS)
def test_the_login_token_revision_goes_up_and_down_keeping_the_accounts(backend, tmp_path):
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
        upgrade(revision=REVISION)
        assert {"login_token", "login_token_at"} <= columns()
        with db.engine.connect() as conn:
            account_id, token = conn.execute(text("SELECT id, login_token FROM educator")).one()
        assert token is None
        # A session cookie from before the upgrade names the bare id: it is no login any more.
        assert accounts.user_for_login_id(str(account_id)) is None
        assert accounts.user_for_login_id(f"{account_id}:") is None
        db.session.remove()
        downgrade(revision=before)
        assert not {"login_token", "login_token_at"} & columns()
        with db.engine.connect() as conn:
            assert conn.execute(text("SELECT username FROM educator")).scalars().all() == ["bidan"]
