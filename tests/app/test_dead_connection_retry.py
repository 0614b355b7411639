"""PostgreSQL: a request whose pooled connection was terminated runs again on a fresh one.

The server ends the backend of the app's only pooled connection (`pg_terminate_backend`, as
a restart or an administrator does under load); the next request finds it dead at its first
statement. Having written nothing, it is dispatched once more (app/unit_of_work.py) and
succeeds: a page, and a form post whose body is read again. A request that had already
flushed a write when its connection died is not run twice: it is a 500 with nothing stored.
Runs when TEST_DATABASE_URL is set (always in CI, by .ci/run).
"""

from __future__ import annotations

import os

import pytest
from sqlalchemy import func, insert, select, text

from app import create_app
from app.extensions import db, dispose_engines
from app.models import AuditLog, CounselingSession, Phase
from app.services import sessions as svc
from tests.app.test_idle_connections import backend_pid, end_backend
from tests.conftest import ROOT, EducatorActions, IsolatedClient, csrf_from, pg_url

pytestmark = pytest.mark.skipif(not os.environ.get("TEST_DATABASE_URL"), reason="needs TEST_DATABASE_URL")


@pytest.fixture
def one_connection_app(app):
    """A second app on the test database with a pool of one connection, never pinged."""
    if app.config["BACKEND"] != "postgresql":
        pytest.skip("PostgreSQL only")
    other = create_app(
        {
            "SQLALCHEMY_DATABASE_URI": pg_url(),
            "QUIZ_DIR": str(ROOT / "quizzes"),
            "WTF_CSRF_ENABLED": True,
            "SERVER_NAME": None,
            "DATABASE_PING_AFTER_IDLE": 3600,
            "SQLALCHEMY_ENGINE_OPTIONS": {"pool_size": 1, "max_overflow": 0},
        }
    )
    other.test_client_class = IsolatedClient
    yield other
    with other.app_context():
        dispose_engines()


def kill_pooled_connection(app) -> int:
    with app.app_context():
        pid = backend_pid(db.engine)
    end_backend(pid)
    return pid


def test_a_page_on_a_terminated_connection_is_served(one_connection_app, educator):
    actions = EducatorActions(one_connection_app.test_client())
    actions.login()
    first = kill_pooled_connection(one_connection_app)
    response = actions.client.get("/educator/")
    assert response.status_code == 200, response.text[:300]
    with one_connection_app.app_context():
        assert backend_pid(db.engine) != first


def test_a_form_post_on_a_terminated_connection_is_done_once(one_connection_app, educator):
    actions = EducatorActions(one_connection_app.test_client())
    actions.login()
    session_id = actions.create_session()
    page = actions.client.get(f"/educator/sessions/{session_id}")
    kill_pooled_connection(one_connection_app)
    response = actions.client.post(
        f"/educator/sessions/{session_id}/phase",
        data={"target": "pre_open", "csrf_token": csrf_from(page.text)},
    )
    assert response.status_code == 302, response.text[:300]
    db.session.expire_all()
    assert db.session.get(CounselingSession, session_id).phase == Phase.PRE_OPEN
    assert db.session.scalar(select(func.count()).where(AuditLog.action == "phase.pre_open")) == 1


REAL_MOVE_PHASE = svc.move_phase


def flush_a_phase_change(target, wanted, actor_id):
    REAL_MOVE_PHASE(target, wanted, actor_id=actor_id)  # flushed: the phase and its audit entry


def send_an_insert(target, wanted, actor_id):
    db.session.execute(insert(AuditLog).values(action="probe.core", session_id=target.id, detail={}))


@pytest.mark.parametrize("write", [flush_a_phase_change, send_an_insert], ids=["flush", "statement"])
def test_a_request_that_wrote_before_its_connection_died_is_not_run_again(
    one_connection_app, educator, monkeypatch, write
):
    actions = EducatorActions(one_connection_app.test_client())
    actions.login()
    session_id = actions.create_session()
    page = actions.client.get(f"/educator/sessions/{session_id}")
    calls = []

    def write_then_lose_the_connection(target, wanted, actor_id=None, **kwargs):
        calls.append(wanted)
        write(target, wanted, actor_id)
        end_backend(db.session.execute(text("SELECT pg_backend_pid()")).scalar_one())
        db.session.execute(text("SELECT 1"))

    monkeypatch.setattr(svc, "move_phase", write_then_lose_the_connection)
    response = actions.client.post(
        f"/educator/sessions/{session_id}/phase",
        data={"target": "pre_open", "csrf_token": csrf_from(page.text)},
    )
    assert response.status_code == 500
    assert len(calls) == 1
    db.session.expire_all()
    assert db.session.get(CounselingSession, session_id).phase == Phase.DRAFT
    assert (
        db.session.scalar(select(func.count()).where(AuditLog.action.in_(["phase.pre_open", "probe.core"])))
        == 0
    )
