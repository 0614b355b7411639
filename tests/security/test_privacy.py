"""Personal data: deleting a participant or a session, the audit log, and what a participant may see."""

from __future__ import annotations

import re

import pytest
from sqlalchemy import func, select

from app.extensions import db
from app.models import (
    Answer,
    Attempt,
    AuditLog,
    Certificate,
    CounselingSession,
    Educator,
    Participant,
    SessionAccess,
)
from tests.conftest import EducatorActions, Tablet, csrf_from, one_tablet_in
from tests.security.helpers import answer_everything, both_tests_taken


def count(model, *where) -> int:
    db.session.expire_all()
    return db.session.scalar(select(func.count()).select_from(model).where(*where)) or 0


@pytest.fixture
def finished(app, educator_client):
    """A session with three mothers who took both tests."""
    sid, code, tablets = both_tests_taken(app, educator_client, ("Ibu Satu", "Ibu Dua", "Ibu Tiga"))
    ids = list(
        db.session.scalars(
            select(Participant.id).where(Participant.session_id == sid).order_by(Participant.id)
        )
    )
    return {"sid": sid, "code": code, "tablets": tablets, "pids": ids}


def confirm_page(client, path):
    page = client.get(path)
    assert page.status_code == 200, page.text
    return csrf_from(page.text)


def test_deleting_a_participant_removes_her_answers_and_leaves_the_others(app, educator_client, finished):
    sid, victim = finished["sid"], finished["pids"][1]
    client = educator_client.client
    n_questions = count(
        Answer, Answer.attempt_id.in_(select(Attempt.id).where(Attempt.participant_id == victim))
    )
    assert n_questions > 0
    total = count(Answer)
    path = f"/educator/sessions/{sid}/participants/{victim}/delete"
    token = confirm_page(client, path)
    # Without the confirmation tick nothing happens.
    refused = client.post(path, data={"csrf_token": token})
    assert refused.status_code == 400 and count(Participant, Participant.id == victim) == 1
    done = client.post(path, data={"csrf_token": token, "confirm": "y"})
    assert done.status_code == 302
    assert count(Participant, Participant.id == victim) == 0
    assert count(Attempt, Attempt.participant_id == victim) == 0
    assert count(Certificate, Certificate.participant_id == victim) == 0
    assert count(Answer) == total - n_questions
    assert count(Participant, Participant.session_id == sid) == 2
    entry = db.session.scalar(select(AuditLog).where(AuditLog.action == "participant.delete"))
    assert entry.session_id == sid and entry.detail == {"participant_id": victim, "answers": n_questions}
    assert entry.actor_id == db.session.scalar(select(Educator.id).where(Educator.username == "bidan"))
    # The deleted mother's tablet no longer reaches anything.
    assert finished["tablets"][1].client.get("/result").status_code == 302


def test_a_participant_of_another_session_cannot_be_deleted_through_this_one(app, educator_client, finished):
    other = educator_client.create_session(title="Sesi lain")
    path = f"/educator/sessions/{other}/participants/{finished['pids'][0]}/delete"
    assert educator_client.client.get(path).status_code == 404
    assert count(Participant, Participant.id == finished["pids"][0]) == 1


def test_deleting_a_session_removes_everything_in_it_and_keeps_an_audit_entry(
    app, educator_client, finished, make_educator
):
    sid = finished["sid"]
    lecturer = make_educator("dosen", "rahasia-789", role="lecturer")
    db.session.add(SessionAccess(session_id=sid, educator_id=lecturer.id))
    db.session.commit()
    keep = educator_client.create_session(title="Tetap")
    n_answers = count(Answer)
    client = educator_client.client
    path = f"/educator/sessions/{sid}/delete"
    token = confirm_page(client, path)
    wrong = client.post(path, data={"csrf_token": token, "join_code": "XXXXXX"})
    assert wrong.status_code == 400 and count(CounselingSession, CounselingSession.id == sid) == 1
    typed = finished["code"][:3].lower() + "-" + finished["code"][3:].lower()  # as read aloud
    done = client.post(path, data={"csrf_token": token, "join_code": typed})
    assert done.status_code == 302
    assert count(CounselingSession, CounselingSession.id == sid) == 0
    assert count(Participant) == 0 and count(Attempt) == 0 and count(Answer) == 0 and count(Certificate) == 0
    assert count(SessionAccess) == 0
    assert count(CounselingSession, CounselingSession.id == keep) == 1
    entry = db.session.scalar(select(AuditLog).where(AuditLog.action == "session.delete"))
    assert entry.session_id == sid
    assert entry.detail["participants"] == 3 and entry.detail["answers"] == n_answers
    # The log of the deleted session survives, without any name in it.
    assert count(AuditLog, AuditLog.session_id == sid) >= 5
    for row in db.session.scalars(select(AuditLog)):
        assert "Ibu" not in repr(row.detail)


def test_the_audit_log_shows_phase_changes_and_deletions_to_the_owner(app, educator_client, finished):
    client = educator_client.client
    sid = finished["sid"]
    path = f"/educator/sessions/{sid}/participants/{finished['pids'][0]}/delete"
    client.post(path, data={"csrf_token": confirm_page(client, path), "confirm": "y"})
    page = client.get(f"/educator/sessions/{sid}/audit")
    assert page.status_code == 200
    for action in (
        "session.create",
        "phase.pre_open",
        "phase.pre_closed",
        "phase.post_open",
        "phase.closed",
        "participant.delete",
    ):
        assert action in page.text, action
    assert "bidan" in page.text
    assert "Ibu Satu" not in page.text


def test_the_participants_page_lists_people_with_escaped_names(app, educator_client, tablet):
    sid, code = educator_client.open_pre_test()
    tablet().register(code, "<img src=x>")
    page = educator_client.client.get(f"/educator/sessions/{sid}/participants")
    assert page.status_code == 200
    assert "<img src=x>" not in page.text and "&lt;img src=x&gt;" in page.text


# --- admin --------------------------------------------------------------------------------------


@pytest.fixture
def admin(app, make_educator):
    make_educator("admin", "rahasia-000", role="admin")
    actions = EducatorActions(app.test_client(), "admin", "rahasia-000")
    actions.login()
    return actions


def test_an_admin_creates_an_account_that_can_log_in(app, admin):
    token = confirm_page(admin.client, "/admin/accounts/new")
    data = {
        "csrf_token": token,
        "username": "Bidan.Baru",
        "full_name": "Bidan Baru",
        "institution": "Puskesmas",
        "role": "educator",
        "password": "kata-sandi-panjang",
    }
    assert admin.client.post("/admin/accounts/new", data=data).status_code == 302
    user = db.session.scalar(select(Educator).where(Educator.username == "bidan.baru"))
    assert user is not None and user.role == "educator" and "kata-sandi" not in user.password_hash
    EducatorActions(app.test_client(), "bidan.baru", "kata-sandi-panjang").login()
    again = admin.client.post("/admin/accounts/new", data=data)
    assert again.status_code == 409
    short = admin.client.post("/admin/accounts/new", data=data | {"username": "x2", "password": "short"})
    assert short.status_code == 400
    # The admin's own account (made by the fixture, as the CLI does) and this one: none for the refusals.
    entries = db.session.scalars(
        select(AuditLog).where(AuditLog.action == "account.create").order_by(AuditLog.id)
    ).all()
    assert [e.detail["via"] for e in entries] == ["cli", "admin"]
    admin_id = db.session.scalar(select(Educator.id).where(Educator.username == "admin"))
    assert entries[-1].actor_id == admin_id and entries[-1].detail["account_id"] == user.id


def test_an_admin_deactivates_and_reactivates_an_account(app, admin, educator):
    token = confirm_page(admin.client, "/admin/")
    assert (
        admin.client.post(f"/admin/accounts/{educator.id}/active", data={"csrf_token": token}).status_code
        == 302
    )
    db.session.refresh(educator)
    assert educator.active is False
    page = app.test_client().get("/auth/login")
    login = app.test_client()
    login.get("/auth/login")
    response = login.post(
        "/auth/login",
        data={"username": "bidan", "password": "rahasia-123", "csrf_token": csrf_from(page.text)},
    )
    assert response.status_code in (400, 401)
    admin.client.post(f"/admin/accounts/{educator.id}/active", data={"csrf_token": token})
    db.session.refresh(educator)
    assert educator.active is True
    actions = [a for (a,) in db.session.execute(select(AuditLog.action).order_by(AuditLog.id))]
    assert actions[-2:] == ["account.deactivate", "account.activate"]


def test_an_admin_cannot_lock_herself_out(app, admin):
    me = db.session.scalar(select(Educator).where(Educator.username == "admin"))
    token = confirm_page(admin.client, "/admin/")
    assert admin.client.post(f"/admin/accounts/{me.id}/active", data={"csrf_token": token}).status_code == 409
    assert (
        admin.client.post(
            f"/admin/accounts/{me.id}/role", data={"csrf_token": token, "role": "educator"}
        ).status_code
        == 409
    )
    db.session.refresh(me)
    assert me.active and me.role == "admin"


def test_an_admin_changes_a_role_and_grants_read_access_to_a_lecturer(app, admin, educator_client):
    sid = educator_client.create_session()
    bidan = db.session.scalar(select(Educator).where(Educator.username == "bidan"))
    token = confirm_page(admin.client, "/admin/")
    bad = admin.client.post(f"/admin/accounts/{bidan.id}/role", data={"csrf_token": token, "role": "root"})
    assert bad.status_code == 400
    from app.services.accounts import create_account

    lecturer = create_account(None, username="dosen", full_name="Dosen", password="rahasia-789")
    db.session.commit()
    assert (
        admin.client.post(
            f"/admin/accounts/{lecturer.id}/role", data={"csrf_token": token, "role": "lecturer"}
        ).status_code
        == 302
    )
    page = admin.client.get("/admin/access")
    grant = admin.client.post(
        "/admin/access",
        data={"csrf_token": csrf_from(page.text), "session": str(sid), "lecturer": str(lecturer.id)},
    )
    assert grant.status_code == 302
    assert (
        count(SessionAccess, SessionAccess.session_id == sid, SessionAccess.educator_id == lecturer.id) == 1
    )
    reader = EducatorActions(app.test_client(), "dosen", "rahasia-789")
    reader.login()
    assert reader.client.get(f"/educator/sessions/{sid}").status_code == 200
    access_id = db.session.scalar(select(SessionAccess.id))
    assert (
        admin.client.post(f"/admin/access/{access_id}/revoke", data={"csrf_token": token}).status_code == 302
    )
    assert reader.client.get(f"/educator/sessions/{sid}").status_code == 403
    actions = set(db.session.scalars(select(AuditLog.action)))
    assert {"account.role", "access.grant", "access.revoke"} <= actions
    assert admin.client.get("/admin/audit").status_code == 200


# --- what a participant sees --------------------------------------------------------------------


def explanations(session_id: int, kind: str) -> list[str]:
    quiz = db.session.get(CounselingSession, session_id).quiz_for(kind)
    return [q.explanation("id") for q in quiz.questions if q.scored and len(q.explanation("id")) > 20]


def test_a_participant_sees_the_correct_answers_only_after_her_post_test(app, educator_client):
    sid, _code, t = one_tablet_in(app, educator_client, "Ibu Hati")
    secret = explanations(sid, "pre")
    assert secret

    def shown():
        texts = [
            t.client.get(p, follow_redirects=True).text for p in ("/me", "/result", "/quiz/pre/1", "/wait")
        ]
        texts.append(t.client.get("/quiz/pre/review").text)
        return any(s in text for s in secret for text in texts)

    assert not shown()
    answer_everything(t, sid, "pre")
    t.submit("pre")
    assert not shown()
    educator_client.move(sid, "pre_closed")
    educator_client.move(sid, "post_open")
    assert not shown()
    answer_everything(t, sid, "post")
    assert not shown()
    t.submit("post")
    result = t.client.get("/result").text
    assert any(s in result for s in explanations(sid, "post"))


def test_the_result_page_shows_her_own_answers_not_someone_elses(app, educator_client):
    import random

    sid, code = educator_client.open_pre_test()
    a, b = Tablet(app), Tablet(app)
    a.register(code, "Ibu A")
    b.register(code, "Ibu B")
    educator_client.move(sid, "pre_closed")
    educator_client.move(sid, "post_open")
    picks_a = answer_everything(a, sid, "post", random.Random(1))
    answer_everything(b, sid, "post", random.Random(2))
    a.submit("post")
    b.submit("post")
    quiz = db.session.get(CounselingSession, sid).quiz_for("post")
    page = a.client.get("/result").text
    shown = re.findall(r"<strong>([^<]+)</strong>\s*(?:<span|\n)", page)
    mine = [
        next(o.text("id") for o in q.options if o.key == picks_a[q.key]) for q in quiz.questions if q.scored
    ]
    assert shown[: len(mine)] == mine
    assert "Ibu B" not in page
