"""Bad input gets a clear message in the participant's language, the right status, and nothing half-written."""

from __future__ import annotations

from sqlalchemy import func, select

from app.extensions import db
from app.models import Answer, Attempt, CounselingSession, Participant
from app.models._time import utcnow
from tests.app.test_session_flow import quiz_from_file
from tests.conftest import Tablet, csrf_from


def count(model) -> int:
    return db.session.scalar(select(func.count()).select_from(model))


def open_session(educator_client, phase="pre_open", **kwargs) -> CounselingSession:
    sid = educator_client.create_session(**kwargs)
    if phase in ("pre_open", "pre_closed", "post_open"):
        educator_client.move(sid, "pre_open")
    if phase in ("pre_closed", "post_open"):
        educator_client.move(sid, "pre_closed")
    if phase == "post_open":
        educator_client.move(sid, "post_open")
    return db.session.get(CounselingSession, sid)


def registered(app, educator_client, name: str) -> tuple[CounselingSession, Tablet]:
    """A session with its pre-test open and one tablet registered in it as `name`."""
    session = open_session(educator_client)
    tab = Tablet(app)
    tab.register(session.join_code, name)
    return session, tab


def test_unknown_join_code_is_404_with_a_message(client):
    page = client.get("/")
    response = client.post("/", data={"code": "ZZZZZZ", "csrf_token": csrf_from(page.text)})
    assert response.status_code == 404
    assert "Sesi dengan kode ini tidak ditemukan" in response.text
    assert client.get("/j/ZZZZZZ").status_code == 404


def test_unknown_join_code_in_english(client):
    client.get("/lang/en")
    page = client.get("/")
    response = client.post("/", data={"code": "ZZZZZZ", "csrf_token": csrf_from(page.text)})
    assert response.status_code == 404
    assert "We could not find a session with this code" in response.text


def test_join_code_typed_loosely_is_accepted(app, educator_client):
    session = open_session(educator_client)
    client = app.test_client()
    page = client.get("/")
    loose = session.join_code[:3].lower() + " - " + session.join_code[3:].lower()
    response = client.post("/", data={"code": loose, "csrf_token": csrf_from(page.text)})
    assert response.status_code == 302
    assert response.headers["Location"].endswith(f"/s/{session.join_code}")


def test_closed_or_draft_session_cannot_be_joined(app, educator_client):
    sid = educator_client.create_session()
    session = db.session.get(CounselingSession, sid)
    client = app.test_client()
    response = client.get(f"/s/{session.join_code}/consent")
    assert response.status_code == 409
    assert "belum dibuka" in response.text
    assert count(Participant) == 0


def test_missing_and_overlong_registration_fields(app, educator_client):
    session = open_session(educator_client)
    tab = Tablet(app)
    page = tab.client.get(f"/s/{session.join_code}/consent")
    token = csrf_from(page.text)
    missing = tab.client.post(
        f"/s/{session.join_code}/consent", data={"csrf_token": token, "agree": "y", "name": ""}
    )
    assert missing.status_code == 400
    assert "Tulis nama atau inisial Anda." in missing.text
    assert "Isian ini wajib diisi." in missing.text  # age
    assert "Pilih salah satu." in missing.text  # education, occupation, status: tiles left untapped
    overlong = tab.client.post(
        f"/s/{session.join_code}/consent",
        data={
            "csrf_token": token,
            "agree": "y",
            "name": "A" * 81,
            "age": "300",
            "education": "phd",
            "occupation": "housewife",
            "parity": "1",
            "status": "pregnant",
        },
    )
    assert overlong.status_code == 400
    assert "paling banyak 80 huruf" in overlong.text
    assert "dari 10 sampai 90" in overlong.text
    assert count(Participant) == 0


def test_consent_is_required_and_recorded(app, educator_client):
    session = open_session(educator_client)
    client = app.test_client()
    page = client.get(f"/s/{session.join_code}/consent")
    answers = {
        "name": "Siti",
        "age": "27",
        "education": "sma",
        "occupation": "housewife",
        "parity": "1",
        "status": "breastfeeding",
    }
    # Everything filled in but sent without the "I agree and start" button's agree=y: refused.
    refused = client.post(
        f"/s/{session.join_code}/consent", data={"csrf_token": csrf_from(page.text), **answers}
    )
    assert refused.status_code == 400
    assert "Ketuk “Saya setuju dan mulai”" in refused.text
    assert count(Participant) == 0
    before = utcnow()
    Tablet(app).register(session.join_code, "Siti")
    participant = db.session.scalars(select(Participant)).one()
    assert participant.consent_at is not None and participant.consent_at >= before
    assert participant.consent_token and len(participant.consent_token) == 32


def test_personal_code_from_another_session(app, educator_client):
    first = open_session(educator_client)
    second = open_session(educator_client, title="Sesi kedua")
    tab = Tablet(app)
    tab.register(first.join_code, "Ani")
    code = tab.personal_code()
    response = tab.resume(second.join_code, code, expect=403)
    assert "milik sesi lain" in response.text
    unknown = tab.resume(second.join_code, "AAAAAA", expect=404)
    assert "tidak dikenal" in unknown.text


def test_missing_or_wrong_csrf_token_is_refused(app, educator_client):
    session = open_session(educator_client)
    client = app.test_client()
    client.get(f"/s/{session.join_code}/consent")
    no_token = client.post(f"/s/{session.join_code}/consent", data={"agree": "y"})
    assert no_token.status_code == 400
    assert "Muat ulang halaman" in no_token.text
    wrong = client.post(f"/s/{session.join_code}/consent", data={"agree": "y", "csrf_token": "forged"})
    assert wrong.status_code == 400
    tab = Tablet(app)
    tab.register(session.join_code, "Rina")
    q = quiz_from_file("produksi-asi")[0]
    response = tab.client.post(
        "/api/answer", json={"kind": "pre", "question": q["key"], "option": q["correct"], "key": "x" * 16}
    )
    assert response.status_code == 400
    assert response.get_json()["error"] == "csrf"
    forged = tab.client.post(
        "/api/answer",
        json={"kind": "pre", "question": q["key"], "option": q["correct"], "key": "y" * 16},
        headers={"X-CSRFToken": "forged"},
    )
    assert forged.status_code == 400
    assert forged.get_json()["error"] == "csrf"
    assert count(Answer) == 0


def test_json_nested_too_deeply_is_bad_json_not_a_crash(app, educator_client):
    """Python's parser raises RecursionError near 1,000 levels; it was a 500 before the app's JSON provider."""
    _session, tab = registered(app, educator_client, "Lina")
    token = tab.csrf_token("pre")
    for depth in (1000, 5000):
        for opening, closing in ((b"[", b"]"), (b'{"a":', b"}")):
            body = opening * depth + b"1" + closing * depth
            response = tab.client.post(
                "/api/answer", data=body, content_type="application/json", headers={"X-CSRFToken": token}
            )
            assert response.status_code == 400, (depth, opening, response.status_code)
            assert response.get_json()["error"] == "bad_json"
            assert response.get_json()["message"] == "Jawaban tidak terbaca."
    assert count(Answer) == 0


def test_answer_to_a_question_not_in_the_quiz(app, educator_client):
    _session, tab = registered(app, educator_client, "Yuni")
    unknown_question = tab.answer_json("pre", "no-such-question", "a")
    assert unknown_question.status_code == 422
    assert "bukan bagian dari kuis" in unknown_question.get_json()["message"]
    q = quiz_from_file("produksi-asi")[0]
    unknown_option = tab.answer_json("pre", q["key"], "zz")
    assert unknown_option.status_code == 422
    bad_kind = tab.answer_json("middle", q["key"], q["correct"])
    assert bad_kind.status_code == 404
    assert count(Answer) == 0


def test_test_phase_that_is_not_open(app, educator_client):
    session, tab = registered(app, educator_client, "Tini")
    q = quiz_from_file("produksi-asi")[0]
    csrf = tab.csrf_token("pre")
    educator_client.move(session.id, "pre_closed")
    late = tab.answer_json("pre", q["key"], q["correct"], csrf=csrf)
    assert late.status_code == 409
    assert "sedang tidak dibuka" in late.get_json()["message"]
    early_post = tab.answer_json("post", q["key"], q["correct"], csrf=csrf)
    assert early_post.status_code == 409
    assert count(Answer) == 0
    # The participant is sent to the waiting screen rather than shown an error page.
    assert tab.client.get("/quiz/pre/1").headers["Location"].endswith("/me")


def test_second_submit_and_answers_after_submit(app, educator_client):
    _session, tab = registered(app, educator_client, "Wati")
    questions = quiz_from_file("produksi-asi")
    csrf = tab.csrf_token("pre")
    tab.answer_json("pre", questions[0]["key"], questions[0]["correct"], csrf=csrf)
    _, _key, token = tab.submit("pre")
    after = tab.answer_json("pre", questions[1]["key"], questions[1]["correct"], csrf=csrf)
    assert after.status_code == 409
    assert "sudah mengirim" in after.get_json()["message"]
    second = tab.client.post(
        "/quiz/pre/submit", data={"submit_key": "different-key-123", "csrf_token": token}
    )
    assert second.status_code == 409
    assert count(Answer) == 1
    attempt = db.session.scalars(select(Attempt)).one()
    assert attempt.score == 100.0 / len(questions)


def test_participant_pages_need_a_participant(client):
    assert client.get("/me").headers["Location"].endswith("/")
    response = client.get("/api/status")
    assert response.status_code == 401
    assert response.get_json()["error"] == "not_joined"


def test_invalid_phase_move_is_409_with_a_message(app, educator_client):
    sid = educator_client.create_session()
    response = educator_client.move(sid, "post_open", expect=409)
    assert "tidak bisa dilakukan" in response.text
    response = educator_client.move(sid, "nonsense", expect=409)
    assert db.session.get(CounselingSession, sid).phase.value == "draft"


def test_submit_resent_after_the_test_closed_is_still_acknowledged(app, educator_client):
    session, tab = registered(app, educator_client, "Nur")
    _, key, token = tab.submit("pre")
    educator_client.move(session.id, "pre_closed")
    replay = tab.client.post("/quiz/pre/submit", data={"submit_key": key, "csrf_token": token})
    assert replay.status_code == 302
    assert db.session.scalar(select(func.count(Attempt.id)).where(Attempt.submitted_at.is_not(None))) == 1
