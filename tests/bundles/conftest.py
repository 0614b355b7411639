"""Two instances: the `app` fixture is the server (PostgreSQL when TEST_DATABASE_URL is set, else
SQLite); `laptop` is a second app on a SQLite file of its own, with its own signing key."""

from __future__ import annotations

import pytest

from tests.conftest import EducatorActions, delete_test_data, make_app, new_educator, prepared


@pytest.fixture(scope="session")
def laptop_base(tmp_path_factory):
    tmp = tmp_path_factory.mktemp("laptop")
    yield from prepared(make_app("sqlite", tmp, BUNDLE_KEY_FILE=str(tmp / "laptop-key.json")))


@pytest.fixture
def laptop(laptop_base, app, tmp_path):
    """The laptop app (use it inside `with laptop.app_context()`), emptied after the test."""
    laptop_base.config["BUNDLE_KEY_FILE"] = str(tmp_path / "laptop-key.json")
    app.config["BUNDLE_KEY_FILE"] = str(tmp_path / "server-key.json")
    yield laptop_base
    with laptop_base.app_context():
        delete_test_data()


@pytest.fixture
def laptop_educator(laptop):
    with laptop.app_context():
        new_educator(institution="PKM")
        actions = EducatorActions(laptop.test_client())
        actions.login()
    return actions
