"""One transaction per request and per command (app/unit_of_work.py).

A request that fails leaves nothing of what it flushed; a GET that changes domain state is
caught; an audit entry of a download is kept; a CLI command commits once when it succeeds
and nothing when it fails. Each test goes through the real views and commands, with a
service made to fail where it would in the field.
"""

from __future__ import annotations

import click
import pytest
from flask.cli import with_appcontext
from sqlalchemy import event, func, select

from app import unit_of_work
from app.extensions import db
from app.models import AuditLog, CounselingSession, Phase
from app.services import live as live_svc
from app.services import sessions as svc
from tests.conftest import csrf_from


def audit_count(action: str) -> int:
    return db.session.scalar(select(func.count()).select_from(AuditLog).where(AuditLog.action == action))


def post_phase(educator_client, session_id: int, target: str):
    page = educator_client.client.get(f"/educator/sessions/{session_id}")
    return educator_client.client.post(
        f"/educator/sessions/{session_id}/phase", data={"target": target, "csrf_token": csrf_from(page.text)}
    )


@pytest.fixture
def session_id(app, educator_client):
    return educator_client.create_session()


def test_a_service_that_raises_after_a_flush_leaves_nothing_written(
    app, educator_client, session_id, monkeypatch
):
    real = svc.move_phase

    def flush_then_fail(target, wanted, actor_id=None, **kwargs):
        real(target, wanted, actor_id=actor_id)  # the phase and its audit entry are flushed
        target.title = "half-written"
        db.session.flush()
        raise RuntimeError("the disk is full")

    monkeypatch.setattr(svc, "move_phase", flush_then_fail)
    response = post_phase(educator_client, session_id, "pre_open")
    assert response.status_code == 500
    db.session.expire_all()
    stored = db.session.get(CounselingSession, session_id)
    assert stored.phase == Phase.DRAFT and stored.title != "half-written"
    assert audit_count("phase.pre_open") == 0


def test_a_refused_step_rolls_back_what_the_service_flushed(app, educator_client, session_id, monkeypatch):
    from app.models import PhaseError

    def flush_then_refuse(target, wanted, actor_id=None, **kwargs):
        target.title = "half-written"
        db.session.flush()
        raise PhaseError(target.phase, wanted)

    monkeypatch.setattr(svc, "move_phase", flush_then_refuse)
    response = post_phase(educator_client, session_id, "pre_open")
    assert response.status_code == 409
    db.session.expire_all()
    assert db.session.get(CounselingSession, session_id).title != "half-written"


def test_a_successful_post_is_committed_by_the_unit_of_work(app, educator_client, session_id):
    assert post_phase(educator_client, session_id, "pre_open").status_code == 302
    db.session.expire_all()
    assert db.session.get(CounselingSession, session_id).phase == Phase.PRE_OPEN
    assert audit_count("phase.pre_open") == 1


def test_a_get_that_changes_domain_state_is_caught(app, educator_client, session_id, monkeypatch):
    real = live_svc.shown_score_table

    def score_table_that_writes(target, identified):
        target.title = "changed by a GET"
        return real(target, identified)

    monkeypatch.setattr(live_svc, "shown_score_table", score_table_that_writes)
    with pytest.raises(unit_of_work.WriteOnSafeRequest, match="changed domain state"):
        educator_client.client.get(f"/educator/sessions/{session_id}")
    db.session.expire_all()
    assert db.session.get(CounselingSession, session_id).title != "changed by a GET"


def test_a_get_that_changes_domain_state_is_logged_and_undone_outside_tests(
    app, educator_client, session_id, monkeypatch, caplog
):
    real = live_svc.shown_score_table

    def score_table_that_writes(target, identified):
        target.title = "changed by a GET"
        return real(target, identified)

    monkeypatch.setattr(live_svc, "shown_score_table", score_table_that_writes)
    monkeypatch.setitem(app.config, "TESTING", False)
    response = educator_client.client.get(f"/educator/sessions/{session_id}")
    assert response.status_code == 200
    assert "changed domain state" in caplog.text
    db.session.expire_all()
    assert db.session.get(CounselingSession, session_id).title != "changed by a GET"


def test_a_download_keeps_its_audit_entry(app, educator_client, session_id):
    response = educator_client.client.get(f"/reports/sessions/{session_id}/download/csv")
    assert response.status_code == 200
    assert audit_count("export.csv") == 1


# --------------------------------------------------------------------------------------- commands


def count_commits():
    commits = []
    event.listen(db.session(), "after_commit", commits.append)
    return commits


@click.command("uow-probe")
@click.option("--fail", is_flag=True)
@click.option("--exit-code", type=int, default=0)
@with_appcontext
@unit_of_work.command
def probe(fail: bool, exit_code: int):
    db.session.add(AuditLog(action="probe.write", detail={}))
    db.session.flush()
    if fail:
        raise RuntimeError("the command failed half-way")
    if exit_code:
        raise SystemExit(exit_code)


@pytest.mark.parametrize(("args", "kept"), [([], 1), (["--fail"], 0), (["--exit-code", "2"], 0)])
def test_a_command_commits_once_or_rolls_back(app, runner, args, kept):
    result = runner.invoke(probe, args)
    assert (result.exit_code == 0) == (kept == 1), result.output
    db.session.expire_all()
    assert audit_count("probe.write") == kept


def test_a_command_commits_exactly_once(app):
    commits = count_commits()
    with unit_of_work.transaction():
        db.session.add(AuditLog(action="probe.write", detail={}))
        db.session.flush()
        db.session.add(AuditLog(action="probe.write", detail={}))
    assert len(commits) == 1
    assert audit_count("probe.write") == 2


def test_flask_report_that_fails_writes_no_audit_entry(app, runner, tmp_path):
    bad = tmp_path / "bad.csv"
    bad.write_text("participant,pre,post\nA01,50,75\nA02,abc,80\n", encoding="utf-8")
    result = runner.invoke(args=["report", "--from-file", str(bad), "-o", str(tmp_path / "r.pdf")])
    assert result.exit_code == 2
    assert db.session.scalar(select(func.count()).select_from(AuditLog)) == 0


def test_quizzes_load_with_a_broken_file_loads_nothing(app, runner, tmp_path):
    from pathlib import Path

    from app.models import QuizVersion

    before = db.session.scalar(select(func.count()).select_from(QuizVersion))
    good = Path(app.config["QUIZ_DIR"]) / "produksi-asi.yaml"
    copy = good.read_text(encoding="utf-8").replace("id: produksi-asi", "id: produksi-asi-uow", 1)
    (tmp_path / "a.yaml").write_text(copy, encoding="utf-8")
    (tmp_path / "b.yaml").write_text("id: [broken\n", encoding="utf-8")
    result = runner.invoke(args=["quizzes", "load", "--dir", str(tmp_path)])
    assert result.exit_code == 1
    db.session.expire_all()
    assert db.session.scalar(select(func.count()).select_from(QuizVersion)) == before
