"""PostgreSQL: a pooled connection that died while idle is replaced before a request uses it.

The pool does not ping on every checkout (a round trip per request); it pings a connection
that sat idle for DATABASE_PING_AFTER_IDLE seconds. Here the server ends the pooled
connection's backend (as a restart would), and the next use must still succeed; with the
check switched off the same kill reaches the caller, which shows the check is what saves it.
Runs when TEST_DATABASE_URL is set (always in CI, by .ci/run).
"""

from __future__ import annotations

import os
import time
from contextlib import contextmanager

import psycopg
import pytest
from sqlalchemy import text
from sqlalchemy.exc import DBAPIError

from app import create_app
from app.extensions import db, dispose_engines

pytestmark = pytest.mark.skipif(not os.environ.get("TEST_DATABASE_URL"), reason="needs TEST_DATABASE_URL")


def backend_pid(engine) -> int:
    with engine.connect() as conn:
        return conn.execute(text("SELECT pg_backend_pid()")).scalar_one()


def end_backend(pid: int) -> None:
    url = os.environ["TEST_DATABASE_URL"].replace("postgresql+psycopg://", "postgresql://")
    with psycopg.connect(url, autocommit=True) as admin:
        assert admin.execute("SELECT pg_terminate_backend(%s)", (pid,)).fetchone()[0] is True
    time.sleep(0.2)


def app_with(idle_seconds: float):
    return create_app(
        {
            "SQLALCHEMY_DATABASE_URI": os.environ["TEST_DATABASE_URL"],
            "DATABASE_PING_AFTER_IDLE": idle_seconds,
            "SQLALCHEMY_ENGINE_OPTIONS": {"pool_size": 1, "max_overflow": 0},
        }
    )


@contextmanager
def pooled_connection_ended(idle_seconds: float):
    """An app with one pooled connection whose backend the server has just ended (as a restart
    would): yields the engine and the ended backend's pid."""
    app = app_with(idle_seconds)
    with app.app_context():
        engine = db.engine
        first = backend_pid(engine)
        end_backend(first)
        try:
            yield engine, first
        finally:
            dispose_engines()


def test_a_connection_gone_while_idle_is_replaced():
    with pooled_connection_ended(0.1) as (engine, first):
        time.sleep(0.2)  # idle for longer than the threshold
        assert backend_pid(engine) != first  # a new connection, and no error


def test_a_busy_connection_is_not_checked_and_the_kill_shows():
    with pooled_connection_ended(3600) as (engine, first):
        with pytest.raises(DBAPIError) as caught:
            backend_pid(engine)
        assert caught.value.connection_invalidated
        # SQLAlchemy dropped the dead connection: the next use gets a new one.
        assert backend_pid(engine) != first
