"""Who may open which page: every educator, report, admin and bank route, tried as the wrong person.

The routes are read from app.url_map, so a route added later is tried too. Each is opened
(GET, and POST with a valid CSRF token and plausible form data) as another educator, as a
participant and logged out. The answer must be a redirect to the login page, 401, 403 or
404: never 200, never a 500, and nothing in the database may change.
"""

from __future__ import annotations

import pytest
from flask import url_for
from sqlalchemy import func, select

from app.extensions import db
from app.models import Answer, AuditLog, CounselingSession, Educator, Participant, SessionAccess
from tests.conftest import EducatorActions, Tablet, csrf_from
from tests.security.helpers import answer_everything

PREFIXES = ("educator.", "reports.", "admin.", "bank.", "cohort.")
#: Account pages outside those blueprints that need a login too.
ACCOUNT_ENDPOINTS = {"auth.change_password", "auth.logout"}
#: Arguments that tie a route to one session (or its people): another educator must be refused there.
OWNED_ARGS = {"session_id", "participant_id", "pair_id", "puskesmas_id", "cert_id"}
DENIED = {401, 403, 404}


@pytest.fixture
def world(app, make_educator):
    """Educator A with a finished session and two participants; educator B; a lecturer; an admin."""
    make_educator("bidan_a", "rahasia-123")
    make_educator("bidan_b", "rahasia-456")
    lecturer = make_educator("dosen", "rahasia-789", role="lecturer")
    make_educator("admin", "rahasia-000", role="admin")
    owner = EducatorActions(app.test_client(), "bidan_a", "rahasia-123")
    owner.login()
    sid = owner.create_session()
    target = db.session.get(CounselingSession, sid)
    owner.move(sid, "pre_open")
    tablet = Tablet(app)
    tablet.register(target.join_code, "Ibu Rahasia")
    answer_everything(tablet, sid, "pre")
    tablet.submit("pre")
    other_tablet = Tablet(app)
    other_tablet.register(target.join_code, "Ibu Lain")
    grant = SessionAccess(session_id=sid, educator_id=lecturer.id)
    db.session.add(grant)
    db.session.commit()
    participant = db.session.scalar(
        select(Participant).where(Participant.session_id == sid).order_by(Participant.id)
    )
    return {
        "owner": owner,
        "sid": sid,
        "join_code": target.join_code,
        "participant_id": participant.id,
        "tablet": tablet,
        "account_id": db.session.scalar(select(Educator.id).where(Educator.username == "bidan_a")),
        "access_id": grant.id,
        "lecturer_id": lecturer.id,
    }


def url_args(rule, world) -> dict:
    known = {
        "session_id": world["sid"],
        "participant_id": world["participant_id"],
        "account_id": world["account_id"],
        "access_id": world["access_id"],
        "code": world["join_code"],
        "kind": "pre",
        "n": 1,
        "quiz_key": "produksi-asi",
        "fmt": "xlsx",
        "format": "xlsx",
    }
    values = {}
    for arg in rule.arguments:
        if arg in known:
            values[arg] = known[arg]
        else:
            converter = rule._converters[arg].__class__.__name__
            values[arg] = 1 if "Integer" in converter else "x"
    return values


def protected_rules(app):
    return sorted(
        (
            r
            for r in app.url_map.iter_rules()
            if r.endpoint.startswith(PREFIXES) or r.endpoint in ACCOUNT_ENDPOINTS
        ),
        key=lambda r: r.endpoint,
    )


def build(app, rule, world) -> str:
    with app.test_request_context():
        return url_for(rule.endpoint, **url_args(rule, world))


def plausible_form(world, token: str) -> dict:
    """Everything a POST on these routes could want, so a missing check shows up as a success."""
    return {
        "csrf_token": token,
        "confirm": "y",
        "join_code": world["join_code"],
        "target": "pre_closed",
        "role": "admin",
        "username": "intruder",
        "full_name": "Intruder",
        "password": "intruder-password-1",
        "institution": "",
        "session": str(world["sid"]),
        "lecturer": str(world["lecturer_id"]),
        "title": "Hijacked",
        "place": "Nowhere",
        "held_on": "2026-01-01",
        "quiz": "1",
        "post_quiz": "0",
    }


def snapshot() -> dict:
    db.session.expire_all()
    return {
        "sessions": db.session.scalar(select(func.count(CounselingSession.id))),
        "participants": db.session.scalar(select(func.count(Participant.id))),
        "answers": db.session.scalar(select(func.count(Answer.id))),
        "accounts": sorted(
            db.session.execute(select(Educator.username, Educator.role, Educator.active)).all()
        ),
        "grants": db.session.scalar(select(func.count(SessionAccess.id))),
        "phases": sorted(db.session.execute(select(CounselingSession.id, CounselingSession.phase)).all()),
        "audit": db.session.scalar(select(func.count(AuditLog.id))),
    }


def assert_refused(response, who: str, endpoint: str, method: str):
    where = f"{method} {endpoint} as {who}"
    assert response.status_code < 500, where
    if response.status_code == 302:
        assert "/auth/login" in response.headers["Location"], (where, response.headers["Location"])
    else:
        assert response.status_code in DENIED, (where, response.status_code)


def try_every_route(app, client, token_page: str, who: str, world, only_owned: bool):
    token = csrf_from(client.get(token_page).text)
    tried = 0
    for rule in protected_rules(app):
        if only_owned and not (OWNED_ARGS & set(rule.arguments) or rule.endpoint.startswith("admin.")):
            continue  # the dashboard, a new session, the quiz bank: open to every logged-in educator
        url = build(app, rule, world)
        if "GET" in rule.methods:
            assert_refused(client.get(url), who, rule.endpoint, "GET")
            tried += 1
        if "POST" in rule.methods:
            assert_refused(client.post(url, data=plausible_form(world, token)), who, rule.endpoint, "POST")
            assert_refused(
                client.post(url, json={"target": "closed"}, headers={"X-CSRFToken": token}),
                who,
                rule.endpoint,
                "POST json",
            )
            tried += 1
    return tried


def test_there_are_routes_to_try(app, world):
    endpoints = {r.endpoint for r in protected_rules(app)}
    assert {
        "educator.session_detail",
        "educator.change_phase",
        "educator.delete_session",
        "educator.delete_participant",
        "educator.audit_log",
        "admin.accounts",
        "admin.access",
        "auth.change_password",
    } <= endpoints


def test_the_owner_can_open_every_page_of_her_session(app, world):
    """The control experiment: the URLs built here are right, so a refusal below is a real refusal."""
    for rule in protected_rules(app):
        if "GET" not in rule.methods:
            continue
        response = world["owner"].client.get(build(app, rule, world))
        assert response.status_code < 500, rule.endpoint
        if OWNED_ARGS & set(rule.arguments) and rule.endpoint.startswith("educator."):
            assert response.status_code == 200, rule.endpoint


def test_every_route_refuses_another_educator(app, world):
    other = EducatorActions(app.test_client(), "bidan_b", "rahasia-456")
    other.login()
    before = snapshot()  # after the login, whose audit entry is expected
    assert try_every_route(app, other.client, "/educator/", "another educator", world, only_owned=True) >= 8
    assert snapshot() == before


def test_every_route_refuses_a_participant(app, world):
    before = snapshot()
    client = world["tablet"].client
    assert client.get("/me/code").status_code == 200  # she is a joined participant
    assert try_every_route(app, client, "/", "participant", world, only_owned=False) >= 10
    assert snapshot() == before


def test_every_route_refuses_a_visitor_who_is_not_logged_in(app, world):
    before = snapshot()
    assert try_every_route(app, app.test_client(), "/auth/login", "logged out", world, only_owned=False) >= 10
    assert snapshot() == before


def test_an_educator_is_not_an_admin(app, world):
    before = snapshot()
    token = csrf_from(world["owner"].client.get("/educator/").text)
    for rule in protected_rules(app):
        if not rule.endpoint.startswith("admin."):
            continue
        url = build(app, rule, world)
        if "GET" in rule.methods:
            assert world["owner"].client.get(url).status_code == 403, rule.endpoint
        if "POST" in rule.methods:
            assert world["owner"].client.post(url, data=plausible_form(world, token)).status_code == 403
    assert snapshot() == before


def test_a_lecturer_with_read_access_reads_but_cannot_change(app, world):
    lecturer = EducatorActions(app.test_client(), "dosen", "rahasia-789")
    lecturer.login()
    sid = world["sid"]
    assert lecturer.client.get(f"/educator/sessions/{sid}").status_code == 200
    assert lecturer.client.get(f"/educator/sessions/{sid}/live.json").status_code == 200
    assert "Edukasi Produksi ASI" in lecturer.client.get("/educator/").text
    before = snapshot()
    token = csrf_from(lecturer.client.get("/educator/").text)
    for path in (
        f"/educator/sessions/{sid}/phase",
        f"/educator/sessions/{sid}/delete",
        f"/educator/sessions/{sid}/participants/{world['participant_id']}/delete",
    ):
        assert lecturer.client.post(path, data=plausible_form(world, token)).status_code == 403, path
    for path in (
        f"/educator/sessions/{sid}/audit",
        f"/educator/sessions/{sid}/participants",
        f"/educator/sessions/{sid}/delete",
    ):
        assert lecturer.client.get(path).status_code == 403, path
    assert snapshot() == before


def test_a_lecturer_without_read_access_sees_nothing(app, world, make_educator):
    make_educator("dosen2", "rahasia-222", role="lecturer")
    lecturer = EducatorActions(app.test_client(), "dosen2", "rahasia-222")
    lecturer.login()
    assert lecturer.client.get(f"/educator/sessions/{world['sid']}").status_code == 403
    assert "Edukasi Produksi ASI" not in lecturer.client.get("/educator/").text


def test_an_admin_may_open_any_session(app, world):
    admin = EducatorActions(app.test_client(), "admin", "rahasia-000")
    admin.login()
    assert admin.client.get(f"/educator/sessions/{world['sid']}").status_code == 200
    assert admin.client.get(f"/educator/sessions/{world['sid']}/audit").status_code == 200


def test_a_participant_cannot_read_another_participants_answers(app, world):
    """Her cookie names only her; the result page of another tablet shows its own participant."""
    other = Tablet(app)
    other.register(world["join_code"], "Ibu Ketiga")
    page = other.client.get("/result")
    assert "Ibu Rahasia" not in page.text
    # A forged cookie value is refused: the session cookie is signed.
    forged = app.test_client()
    forged.set_cookie("session", "eyJwaWQiOjF9.forged.signature")
    assert forged.get("/result").status_code == 302
