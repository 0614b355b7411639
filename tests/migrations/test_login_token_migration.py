"""The login-token revision: up keeps every account (with no token: everyone logs in once more), down drops it."""

from __future__ import annotations

import pytest
from sqlalchemy import text

from app.extensions import db
from app.schema import downgrade, upgrade
from app.services import accounts
from tests.conftest import BACKENDS
from tests.migrations.helpers import columns, just_before

REVISION = "3f1c2a9b7d40"


@pytest.mark.parametrize("backend", BACKENDS)
def test_the_login_token_revision_goes_up_and_down_keeping_the_accounts(backend, tmp_path):
    with just_before(backend, tmp_path, REVISION) as before:
        upgrade(revision=REVISION)
        assert {"login_token", "login_token_at"} <= columns("educator")
        with db.engine.connect() as conn:
            account_id, token = conn.execute(text("SELECT id, login_token FROM educator")).one()
        assert token is None
        # A session cookie from before the upgrade names the bare id: it is no login any more.
        assert accounts.user_for_login_id(str(account_id)) is None
        assert accounts.user_for_login_id(f"{account_id}:") is None
        db.session.remove()
        downgrade(revision=before)
        assert not {"login_token", "login_token_at"} & columns("educator")
        with db.engine.connect() as conn:
            assert conn.execute(text("SELECT username FROM educator")).scalars().all() == ["bidan"]
