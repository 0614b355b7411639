"""Participant requests under hostile input, double taps and shared laptops.

Issue 15 items 5, 6 (the answer path's part) and 11; issue 14's "participant requests load no
educator" and "GET changes no domain state".
"""

from __future__ import annotations

import json
import re
import threading

import pytest
from sqlalchemy import event, func, select

from app.extensions import db
from app.models import Answer, Attempt, CounselingSession, Participant
from app.urls import safe_next
from tests.app.test_autosave_paths import QUESTIONS, joined
from tests.conftest import EducatorActions, Tablet, csrf_from


def json_post(tab, url: str, raw: str, csrf: str):
    return tab.client.post(url, data=raw, content_type="application/json", headers={"X-CSRFToken": csrf})


def assert_clear_4xx(response, status: int = 400):
    assert response.status_code == status, response.text[:300]
    assert response.get_json()["message"]


# --- item 6: hostile input on the answer path is a 4xx with the usual message ----------------


@pytest.mark.parametrize("field", ["question", "option", "key", "kind"])
def test_a_lone_surrogate_in_an_autosave_is_bad_json(app, educator_client, field):
    _sid, tab, csrf, _p = joined(app, educator_client)
    q = QUESTIONS[0]
    body = {"kind": "pre", "question": q["key"], "option": q["correct"], "key": "k" * 16}
    raw = json.dumps(body).replace(json.dumps(body[field]), '"\\ud800x"', 1)
    assert_clear_4xx(json_post(tab, "/api/answer", raw, csrf))
    assert db.session.scalar(select(func.count(Answer.id))) == 0


@pytest.mark.parametrize(
    "chosen_at",
    ["9999-12-31T23:59:59-14:00", "0001-01-01T00:00:00+14:00", "99999999999999999999", "yesterday", 12, []],
)
def test_a_device_time_beyond_the_datetime_range_is_bad_json(app, educator_client, chosen_at):
    _sid, tab, csrf, _p = joined(app, educator_client)
    q = QUESTIONS[0]
    body = {
        "kind": "pre",
        "question": q["key"],
        "option": q["correct"],
        "key": "k" * 16,
        "chosen_at": chosen_at,
    }
    assert_clear_4xx(json_post(tab, "/api/answer", json.dumps(body), csrf))
    assert db.session.scalar(select(func.count(Answer.id))) == 0


@pytest.mark.parametrize("seq", [2**31, -1, 1.5, True, "3", 10**30])
def test_a_sequence_number_out_of_range_is_bad_json(app, educator_client, seq):
    _sid, tab, csrf, _p = joined(app, educator_client)
    q = QUESTIONS[0]
    body = {"kind": "pre", "question": q["key"], "option": q["correct"], "key": "k" * 16, "seq": seq}
    assert_clear_4xx(json_post(tab, "/api/answer", json.dumps(body), csrf))


@pytest.mark.parametrize("submit_key", [12345678901, {"k": 1}, None, True, '"\\ud800abcdefgh"'])
def test_a_submit_key_that_is_not_a_string_is_refused(app, educator_client, submit_key):
    _sid, tab, csrf, _p = joined(app, educator_client)
    raw = json.dumps({"submit_key": submit_key})
    if isinstance(submit_key, str):
        raw = '{"submit_key": ' + submit_key + "}"
    assert_clear_4xx(json_post(tab, "/quiz/pre/submit", raw, csrf))
    assert db.session.scalar(select(func.count(Attempt.id)).where(Attempt.submitted_at.is_not(None))) == 0


def test_a_form_sequence_number_beyond_the_integer_range_is_refused(app, educator_client):
    _sid, tab, _csrf, _p = joined(app, educator_client)
    page = tab.question_page("pre", 1)
    response = tab.client.post(
        "/quiz/pre/1",
        data={"option": QUESTIONS[0]["correct"], "seq": str(2**63), "csrf_token": csrf_from(page.text)},
    )
    assert response.status_code == 400
    assert db.session.scalar(select(func.count(Answer.id))) == 0


def test_a_question_number_beyond_any_integer_is_404(app, educator_client):
    _sid, tab, _csrf, _p = joined(app, educator_client)
    assert tab.client.get(f"/quiz/pre/{10**30}").status_code == 404


# --- item 5: next= as the browser reads it ---------------------------------------------------


@pytest.mark.parametrize(
    "target",
    [
        "/%09/evil.example",
        "/%0d/evil.example",
        "/%0a/evil.example",
        "%09//evil.example",
        "/\\evil.example",
        "//evil.example",
        "https://evil.example/",
        "%20//evil.example",
        "/%0d%0aSet-Cookie:%20x=1",
    ],
)
def test_the_language_switch_never_sends_the_browser_elsewhere(client, target):
    response = client.get(f"/lang/en?next={target}")
    assert response.status_code == 302
    location = response.headers["Location"]
    assert location.startswith("/") and not location.startswith("//") and "\\" not in location
    assert "\r" not in location and "\n" not in location and "\t" not in location
    assert "Set-Cookie" not in response.headers or "x=1" not in response.headers["Set-Cookie"]


def test_the_language_switch_keeps_a_local_page(client):
    assert client.get("/lang/en?next=/s/ABC123%3Fx%3D1").headers["Location"] == "/s/ABC123?x=1"


@pytest.mark.parametrize(
    ("target", "expected"),
    [
        ("/a/b?c=d", "/a/b?c=d"),
        ("/\t/evil.example", "/"),
        # A control character refuses the target (the browser would drop it after our check).
        ("\n/ok", "/"),
        ("/o\tk", "/"),
        ("/\\evil.example", "/"),
        ("/\x00x", "/"),
        ("javascript:alert(1)", "/"),
        ("", "/"),
        (None, "/"),
    ],
)
def test_safe_next(target, expected):
    assert safe_next(target, "/") == expected


# --- item 11: a double tap on "register" adds one participant -------------------------------


def registration(app, educator_client):
    sid = educator_client.create_session(characteristics=())
    code = db.session.get(CounselingSession, sid).join_code
    educator_client.move(sid, "pre_open")
    tab = Tablet(app)
    page = tab.client.get(f"/s/{code}/consent")  # consent and registration: one screen, one token
    return tab, code, {"agree": "y", "name": "Ibu Tap", "csrf_token": csrf_from(page.text)}


def test_the_same_registration_sent_twice_adds_one_participant(app, educator_client):
    tab, code, form = registration(app, educator_client)
    cookies = dict(tab.client._cookies)
    first = tab.client.post(f"/s/{code}/consent", data=form)
    tab.client._cookies = dict(cookies)  # the second tap left with the cookie of the first
    second = tab.client.post(f"/s/{code}/consent", data=form)
    assert (first.status_code, second.status_code) == (302, 302)
    assert db.session.scalar(select(func.count(Participant.id))) == 1


def test_two_registrations_racing_add_one_participant(app, educator_client):
    tab, code, form = registration(app, educator_client)
    statuses = []

    def tap():
        twin = Tablet(app)
        twin.client._cookies = dict(tab.client._cookies)
        with app.app_context():
            statuses.append(twin.client.post(f"/s/{code}/consent", data=form).status_code)

    taps = [threading.Thread(target=tap) for _ in range(4)]
    for t in taps:
        t.start()
    for t in taps:
        t.join(timeout=60)
    assert statuses == [302] * 4
    assert db.session.scalar(select(func.count(Participant.id))) == 1


def test_a_new_consent_registers_a_new_participant(app, educator_client):
    """The token is per consent step: the next mother on the same tablet agrees again and is new."""
    tab, code, form = registration(app, educator_client)
    assert tab.client.post(f"/s/{code}/consent", data=form).status_code == 302
    page = tab.client.get(f"/s/{code}/consent")
    again = tab.client.post(
        f"/s/{code}/consent", data={"agree": "y", "name": "Ibu Dua", "csrf_token": csrf_from(page.text)}
    )
    assert again.status_code == 302
    assert db.session.scalar(select(func.count(Participant.id))) == 2


def test_a_registration_resent_after_it_was_stored_leads_to_her_quiz(app, educator_client):
    """The second tap arrives with the first's cookie (token used, her id set): no second participant."""
    tab, code, form = registration(app, educator_client)
    assert tab.client.post(f"/s/{code}/consent", data=form).status_code == 302
    again = tab.client.post(f"/s/{code}/consent", data=form)
    assert again.status_code == 302 and again.headers["Location"].endswith("/me")
    assert db.session.scalar(select(func.count(Participant.id))) == 1


# --- issue 16 item 2: few taps, only the questions the educator chose -------------------------


def test_the_join_page_sends_a_new_participant_straight_to_consent(app, educator_client):
    sid = educator_client.create_session()
    code = db.session.get(CounselingSession, sid).join_code
    client = app.test_client()

    def join(then: str | None):
        token = csrf_from(client.get("/").text)
        data = {"code": code.lower(), "csrf_token": token} | ({"then": then} if then else {})
        return client.post("/", data=data)

    assert join("new").headers["Location"].endswith(f"/s/{code}")  # a draft: not open for joining
    educator_client.move(sid, "pre_open")
    assert join("new").headers["Location"].endswith(f"/s/{code}/consent")
    assert join("code").headers["Location"].endswith(f"/s/{code}")
    assert join(None).headers["Location"].endswith(f"/s/{code}")  # Enter without a button
    assert join("other").status_code == 400
    assert db.session.scalar(select(func.count(Participant.id))) == 0


def test_registration_asks_only_what_the_educator_chose_with_tiles_and_no_dropdown(app, educator_client):
    sid = educator_client.create_session(characteristics=("parity", "relation"))
    code = db.session.get(CounselingSession, sid).join_code
    educator_client.move(sid, "pre_open")
    page = Tablet(app).client.get(f"/s/{code}/consent").text
    names = set(re.findall(r'<(?:input|select|textarea|button)[^>]* name="([a-z_]+)"', page))
    assert names == {"csrf_token", "name", "parity", "relation", "agree"}
    assert "<select" not in page
    assert len(re.findall(r'<input[^>]*name="relation"[^>]*type="radio"', page)) == 6
    assert re.search(r'<input[^>]*inputmode="numeric"[^>]*name="parity"[^>]*type="number"', page)


# --- issue 14: participant requests load no educator; GET changes nothing ---------------------


def test_participant_pages_in_an_educators_browser_load_no_educator(app, educator_client, educator):
    """On the educator's laptop a participant page (and the autosave) runs no query for the account."""
    sid = educator_client.create_session()
    code = db.session.get(CounselingSession, sid).join_code
    educator_client.move(sid, "pre_open")
    tab = Tablet(app)
    tab.client = educator_client.client  # the same browser as the logged-in educator
    EducatorActions(tab.client)  # (already logged in)
    tab.register(code, "Ibu Laptop")
    csrf = tab.csrf_token("pre")
    seen: list[str] = []

    def count(conn, cursor, statement, parameters, context, executemany):
        seen.append(statement)

    event.listen(db.engine, "before_cursor_execute", count)
    try:
        q = QUESTIONS[0]
        assert tab.answer_json("pre", q["key"], q["correct"], csrf=csrf).status_code == 200
        assert tab.question_page("pre", 2).status_code == 200
        assert tab.client.get("/quiz/pre/review").status_code == 200
    finally:
        event.remove(db.engine, "before_cursor_execute", count)
    assert seen
    assert not [s for s in seen if "FROM educator" in s]


def test_switching_language_on_a_get_changes_only_the_browser(app, educator_client):
    _sid, tab, _csrf, participant = joined(app, educator_client)
    assert tab.client.get("/lang/en?next=/me").status_code == 302
    db.session.expire_all()
    assert db.session.get(Participant, participant.id).lang == "id"
    assert "Question 1 of" in tab.question_page("pre", 1).text
