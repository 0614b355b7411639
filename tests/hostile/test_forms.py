"""Every form endpoint under hostile and broken input: a clear 4xx or success, never a 500, nothing half-stored.

Each example counts the rows before and after: a refused request stores nothing, an accepted one
stores exactly what it should. Names and texts that are accepted come back byte for byte and are
never rendered as markup.
"""

from __future__ import annotations

import uuid

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import func, select

from app.extensions import db
from app.models import Answer, Attempt, CounselingSession, Participant
from tests.conftest import csrf_from, one_tablet_in
from tests.hostile.strategies import broken_bytes, hostile_text, percent, wrong_json

SETTINGS = settings(
    max_examples=40,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
CLIENT_ERRORS = {400, 401, 403, 404, 405, 409, 413, 415, 422, 429}


def rows() -> dict:
    db.session.expire_all()
    return {
        m.__tablename__: db.session.scalar(select(func.count()).select_from(m))
        for m in (CounselingSession, Participant, Attempt, Answer)
    }


def check_clear(response, ok: set[int]):
    """Success, or a 4xx that says what went wrong; never a server error."""
    assert response.status_code < 500, response.text[:500]
    assert response.status_code in ok | CLIENT_ERRORS, response.status_code
    if response.status_code in CLIENT_ERRORS:
        if response.is_json:
            assert response.json["message"]
        else:
            assert 'class="error"' in response.text or 'class="lead"' in response.text, response.text[:800]


def created_or_nothing(response, before: dict, model):
    """A 302 stored exactly one more `model` row, returned; any other answer (clear, never a server
    error) changed no row at all, and gives None."""
    check_clear(response, {302})
    after = rows()
    if response.status_code == 302:
        assert after[model.__tablename__] == before[model.__tablename__] + 1
        return db.session.scalar(select(model).order_by(model.id.desc()))
    assert after == before
    return None


@pytest.fixture
def room(app, educator_client):
    """An open pre-test and one registered tablet."""
    sid, code, tablet = one_tablet_in(app, educator_client, "Ibu Uji")
    return {
        "sid": sid,
        "code": code,
        "tablet": tablet,
        "educator": educator_client,
        "token": tablet.csrf_token("pre"),
    }


def test_join(app, room):
    client = app.test_client()
    token = csrf_from(client.get("/").text)

    @SETTINGS
    @given(code=hostile_text)
    def run(code):
        before = rows()
        check_clear(client.post("/", data={"code": code, "csrf_token": token}), {302})
        assert rows() == before

    run()


def test_join_with_broken_encoding(app, room):
    client = app.test_client()
    token = csrf_from(client.get("/").text)

    @SETTINGS
    @given(raw=broken_bytes)
    def run(raw):
        body = f"csrf_token={token}&code={percent(raw)}"
        check_clear(client.post("/", data=body, content_type="application/x-www-form-urlencoded"), {302})

    run()


def test_resume(app, room):
    client = app.test_client()
    token = csrf_from(client.get(f"/s/{room['code']}").text)

    @SETTINGS
    @given(
        personal=hostile_text,
        code=st.one_of(st.just(room["code"]), hostile_text.filter(lambda s: "/" not in s)),
    )
    def run(personal, code):
        before = rows()
        from urllib.parse import quote

        response = client.post(
            f"/s/{quote(code, safe='')}/resume", data={"personal_code": personal, "csrf_token": token}
        )
        check_clear(response, {302})
        assert rows() == before

    run()


def test_consent(app, room):
    """Consent is the "I agree and start" button's agree=y: any other value registers no one."""

    @SETTINGS
    @given(agree=st.one_of(hostile_text, st.just(""), st.just("false")))
    def run(agree):
        client = app.test_client()
        page = client.get(f"/s/{room['code']}/consent")
        before = rows()
        response = client.post(
            f"/s/{room['code']}/consent",
            data={
                "agree": agree,
                "name": "Ibu Setuju",
                "age": "27",
                "education": "sma",
                "occupation": "housewife",
                "parity": "1",
                "status": "breastfeeding",
                "csrf_token": csrf_from(page.text),
            },
        )
        stored = created_or_nothing(response, before, Participant)
        if agree in ("", "false"):
            assert response.status_code == 400  # and nothing stored
        elif stored is not None:
            assert stored.consent_at is not None and stored.consent_token

    run()


def test_register(app, room):
    """A name is stored exactly as typed or refused with a message; characteristics of the wrong type are refused."""
    seen = []

    @SETTINGS
    @given(
        name=hostile_text,
        age=st.one_of(hostile_text, st.integers(-(10**6), 10**6).map(str)),
        education=st.one_of(hostile_text, st.sampled_from(["sd", "smp", "sma", "higher"])),
    )
    def run(name, age, education):
        client = app.test_client()
        page = client.get(f"/s/{room['code']}/consent")
        before = rows()
        response = client.post(
            f"/s/{room['code']}/consent",
            data={
                "agree": "y",
                "csrf_token": csrf_from(page.text),
                "name": name,
                "age": age,
                "education": education,
                "occupation": "housewife",
                "parity": "1",
                "status": "breastfeeding",
            },
        )
        stored = created_or_nothing(response, before, Participant)
        if stored is not None:
            assert stored.name == name.strip()
            assert stored.characteristics["age"] == int(age)
        seen.append(response.status_code)

    run()
    assert len(seen) >= 20 and 400 in seen


def test_answer_json(app, room):
    tablet, token = room["tablet"], room["token"]
    quiz = db.session.get(CounselingSession, room["sid"]).quiz_for("pre")
    q = quiz.questions[0]
    good = {"kind": "pre", "question": q.key, "option": q.options[0].key}

    @SETTINGS
    @given(
        body=st.one_of(
            wrong_json,
            st.fixed_dictionaries(
                {
                    "kind": st.one_of(st.just("pre"), wrong_json),
                    "question": st.one_of(st.just(q.key), wrong_json),
                    "option": st.one_of(st.just(q.options[0].key), wrong_json),
                    "key": st.one_of(st.uuids().map(lambda u: u.hex), wrong_json),
                    "chosen_at": wrong_json,
                }
            ),
        )
    )
    def run(body):
        before = rows()
        response = tablet.client.post("/api/answer", json=body, headers={"X-CSRFToken": token})
        check_clear(response, {200})
        after = rows()
        if response.status_code == 200:
            assert after["answer"] - before["answer"] in (0, 1)
        else:
            assert after["answer"] == before["answer"]

    run()
    # And a well-formed answer is still stored after all that.
    response = tablet.client.post(
        "/api/answer", json=good | {"key": uuid.uuid4().hex}, headers={"X-CSRFToken": token}
    )
    assert response.status_code == 200


def test_answer_json_that_is_not_json(app, room):
    tablet, token = room["tablet"], room["token"]

    @SETTINGS
    @given(
        raw=st.one_of(
            st.binary(max_size=300), hostile_text.map(lambda s: s.encode("utf-8", "surrogatepass"))
        ),
        ctype=st.sampled_from(
            [
                "application/json",
                "text/plain",
                "application/x-www-form-urlencoded",
                "multipart/form-data",
                "application/json; charset=latin-1",
            ]
        ),
    )
    def run(raw, ctype):
        before = rows()
        response = tablet.client.post(
            "/api/answer",
            data=raw,
            content_type=ctype,
            headers={"X-CSRFToken": token, "Accept": "application/json"},
        )
        check_clear(response, {200})
        assert rows()["answer"] == before["answer"]

    run()


def test_question_form(app, room):
    tablet = room["tablet"]
    token = csrf_from(tablet.client.get("/quiz/pre/1").text)

    @SETTINGS
    @given(
        option=hostile_text,
        client_key=hostile_text,
        chosen_at=hostile_text,
        direction=hostile_text,
        n=st.integers(-3, 40),
    )
    def run(option, client_key, chosen_at, direction, n):
        before = rows()
        response = tablet.client.post(
            f"/quiz/pre/{n}",
            data={
                "option": option,
                "client_key": client_key,
                "chosen_at": chosen_at,
                "direction": direction,
                "csrf_token": token,
            },
        )
        check_clear(response, {302})
        assert rows()["answer"] == before["answer"]  # none of these options exists

    run()


def test_submit(app, room):
    """Hostile submit keys are refused or accepted once; a second different key after that is a 409."""
    tablet = room["tablet"]
    token = csrf_from(tablet.client.get("/quiz/pre/review").text)

    @SETTINGS
    @given(key=hostile_text)
    def run(key):
        response = tablet.client.post("/quiz/pre/submit", data={"submit_key": key, "csrf_token": token})
        check_clear(response, {200, 302})
        attempt = db.session.scalar(select(Attempt))
        if response.status_code == 302 and attempt.submit_key == key:
            assert 8 <= len(key) <= 64

    run()


def test_login(app, educator):
    client = app.test_client()
    token = csrf_from(client.get("/auth/login").text)

    @SETTINGS
    @given(username=hostile_text, password=hostile_text, remember=hostile_text)
    def run(username, password, remember):
        response = client.post(
            "/auth/login",
            data={"username": username, "password": password, "remember": remember, "csrf_token": token},
        )
        check_clear(response, set())

    run()


def test_session_form(app, educator_client):
    client = educator_client.client
    token = csrf_from(client.get("/educator/sessions/new").text)
    from app.models import QuizVersion

    quiz_id = db.session.scalar(select(QuizVersion.id))
    seen = []

    @SETTINGS
    @given(
        title=hostile_text,
        place=hostile_text,
        team=hostile_text,
        consent=hostile_text,
        held_on=st.one_of(st.just("2026-11-20"), hostile_text, st.dates().map(str)),
        quiz=st.one_of(st.just(str(quiz_id)), hostile_text, st.integers().map(str)),
        characteristics=st.lists(st.one_of(st.sampled_from(["age", "education"]), hostile_text), max_size=3),
    )
    def run(title, place, team, consent, held_on, quiz, characteristics):
        before = rows()
        response = client.post(
            "/educator/sessions/new",
            data={
                "csrf_token": token,
                "title": title,
                "place": place,
                "team": team,
                "held_on": held_on,
                "quiz": quiz,
                "post_quiz": "0",
                "characteristics": characteristics,
                "consent_text_id": consent,
            },
        )
        created = created_or_nothing(response, before, CounselingSession)
        if created is not None:
            assert created.title == title.strip() and created.place == place.strip()
        seen.append(response.status_code)

    run()
    assert len(seen) >= 20 and 400 in seen


def test_a_nul_character_is_refused_everywhere(app, room):
    """PostgreSQL cannot store NUL in text: it must be a 400 before any query, on every backend."""
    tablet, token = room["tablet"], room["token"]
    fresh = app.test_client()
    login_token = csrf_from(fresh.get("/auth/login").text)
    q = db.session.get(CounselingSession, room["sid"]).quiz_for("pre").questions[0]
    before = rows()
    checks = [
        fresh.post("/auth/login", data={"username": "bi\x00dan", "password": "x", "csrf_token": login_token}),
        fresh.get("/s/AB\x00CD"),
        fresh.get("/bank/produksi\x00asi"),
        fresh.get("/?code=\x00"),
        tablet.client.post(
            "/api/answer",
            json={"kind": "pre", "question": q.key + "\x00", "option": "a", "key": uuid.uuid4().hex},
            headers={"X-CSRFToken": token},
        ),
        tablet.client.post(
            "/api/answer",
            data=b'{"kind": "pre", "question": "\\u0000", "option": "a", "key": "k"}',
            content_type="application/json",
            headers={"X-CSRFToken": token},
        ),
        room["educator"].client.post(
            "/educator/sessions/new",
            data={
                "title": "\x00",
                "csrf_token": csrf_from(room["educator"].client.get("/educator/sessions/new").text),
            },
        ),
    ]
    for response in checks:
        assert response.status_code == 400, (response.request.path, response.status_code)
    assert rows() == before
