"""Two instances: the `app` fixture is the server (PostgreSQL when TEST_DATABASE_URL is set, else
SQLite); `laptop` is a second app on a SQLite file of its own, with its own signing key."""

from __future__ import annotations

import pytest
from sqlalchemy import text

from app.extensions import db, dispose_engines
from tests.conftest import DATA_TABLES, EducatorActions, IsolatedClient, make_app


@pytest.fixture(scope="session")
def laptop_base(tmp_path_factory):
    from app.schema import upgrade
    from app.services import quizbank

    tmp = tmp_path_factory.mktemp("laptop")
    laptop = make_app("sqlite", tmp, BUNDLE_KEY_FILE=str(tmp / "laptop-key.json"))
    laptop.test_client_class = IsolatedClient
    with laptop.app_context():
        upgrade()
        quizbank.import_bank(laptop.config["QUIZ_DIR"])
        db.session.commit()
    yield laptop
    with laptop.app_context():
        db.session.remove()
        dispose_engines()


@pytest.fixture
def laptop(laptop_base, app, tmp_path):
    """The laptop app (use it inside `with laptop.app_context()`), emptied after the test."""
    laptop_base.config["BUNDLE_KEY_FILE"] = str(tmp_path / "laptop-key.json")
    app.config["BUNDLE_KEY_FILE"] = str(tmp_path / "server-key.json")
    yield laptop_base
    with laptop_base.app_context():
        db.session.remove()
        with db.engine.begin() as conn:
            for table in DATA_TABLES:
                conn.execute(text(f"DELETE FROM {table}"))


@pytest.fixture
def laptop_educator(laptop):
    from app.services.accounts import create_account

    with laptop.app_context():
        create_account(
            None,
            username="bidan",
            full_name="Bidan Sari",
            password="rahasia-123",
            role="educator",
            institution="PKM",
        )
        db.session.commit()
        actions = EducatorActions(laptop.test_client())
        actions.login()
    return actions
