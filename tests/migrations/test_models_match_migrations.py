"""The models and the migrations describe the same schema: autogenerate finds nothing to do."""

from __future__ import annotations

import pytest
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext

from app.extensions import db
from app.schema import upgrade
from tests.conftest import BACKENDS
from tests.migrations.helpers import fresh_app, revisions


@pytest.mark.parametrize("backend", BACKENDS)
def test_models_and_migrations_agree(backend, tmp_path):
    with fresh_app(backend, tmp_path) as app:
        upgrade()
        with db.engine.connect() as conn:
            context = MigrationContext.configure(
                conn, opts={"compare_type": True, "compare_server_default": False, "render_as_batch": True}
            )
            diff = compare_metadata(context, db.metadata)
        assert diff == [], (
            "Models and migrations differ; run `flask db migrate` and tidy the result:\n"
            + "\n".join(map(str, diff))
        )
        assert revisions(app), "no migrations at all"


def test_there_is_one_head():
    from alembic.script import ScriptDirectory

    from app import create_app
    from app.schema import alembic_config

    app = create_app({"SQLALCHEMY_DATABASE_URI": "sqlite://"})
    with app.app_context():
        script = ScriptDirectory.from_config(alembic_config())
        assert len(script.get_heads()) == 1, script.get_heads()


def test_the_check_notices_a_column_the_migrations_lack(tmp_path):
    """The control experiment: a model column with no migration is reported."""
    from sqlalchemy import Column, Integer, MetaData

    with fresh_app("sqlite", tmp_path) as app:
        upgrade()
        changed = MetaData(naming_convention=db.metadata.naming_convention)
        for table in db.metadata.sorted_tables:
            copy = table.to_metadata(changed)
            if table.name == "answer":
                copy.append_column(Column("seconds_taken", Integer))
        with db.engine.connect() as conn:
            diff = compare_metadata(MigrationContext.configure(conn, opts={"compare_type": True}), changed)
        assert any(d[0] == "add_column" and d[3].name == "seconds_taken" for d in diff), diff
        assert app
