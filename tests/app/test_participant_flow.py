"""Issue 16 items 4 to 8 at the request level: where a participant continues, the way back to the
review, the question before a submit with unanswered questions, a session that has ended, and a
test closed before she handed it in.
"""

from __future__ import annotations

import re

from app.extensions import db
from app.models import CounselingSession
from tests.app.test_autosave_paths import QUESTIONS
from tests.conftest import Tablet, csrf_from, one_tablet_in

TOTAL = len(QUESTIONS)


def answer_first(tab, count: int) -> None:
    for n in range(1, count + 1):
        tab.answer_form("pre", n, QUESTIONS[n - 1]["correct"])


def test_continuing_on_another_tablet_starts_at_the_first_unanswered_question(app, educator_client):
    _sid, join_code, tab = one_tablet_in(app, educator_client, "Rina")
    assert tab.client.get("/me").headers["Location"].endswith("/quiz/pre/1")  # nothing answered yet
    answer_first(tab, 3)
    tab.answer_form("pre", 5, QUESTIONS[4]["correct"])  # 4 skipped, 5 answered
    code = tab.personal_code()
    response = tab.resume(join_code, code)  # a fresh browser
    assert response.headers["Location"].endswith("/me")
    assert tab.client.get("/me").headers["Location"].endswith("/quiz/pre/4")
    for n in range(4, TOTAL + 1):
        tab.answer_form("pre", n, QUESTIONS[n - 1]["correct"])
    tab.resume(join_code, code)
    assert tab.client.get("/me").headers["Location"].endswith("/quiz/pre/review")  # all answered


def test_a_question_reached_from_the_review_offers_the_way_back(app, educator_client):
    _sid, _code, tab = one_tablet_in(app, educator_client, "Rina")
    plain = tab.question_page("pre", 2).text
    assert re.search(r"<button[^>]*data-back-to-review hidden", plain)
    review = tab.client.get("/quiz/pre/review").text
    assert 'href="/quiz/pre/2?from=review"' in review
    page = tab.client.get("/quiz/pre/2?from=review")
    assert re.search(r"<button[^>]*data-back-to-review>", page.text)
    assert 'action="/quiz/pre/2?from=review"' in page.text
    token = csrf_from(page.text)
    data = {"option": QUESTIONS[1]["correct"], "csrf_token": token, "client_key": "k" * 16}
    # Without JavaScript: "Next" keeps the way back, "Back to review" posts direction=review.
    response = tab.client.post("/quiz/pre/2?from=review", data={**data, "direction": "next"})
    assert response.headers["Location"].endswith("/quiz/pre/3?from=review")
    three = {**data, "option": QUESTIONS[2]["correct"], "client_key": "m" * 16}
    response = tab.client.post("/quiz/pre/3?from=review", data={**three, "direction": "back"})
    assert response.headers["Location"].endswith("/quiz/pre/2?from=review")
    response = tab.client.post(
        "/quiz/pre/2?from=review", data={**data, "direction": "review", "client_key": "n" * 16}
    )
    assert response.headers["Location"].endswith("/quiz/pre/review")


def test_the_review_asks_before_handing_in_with_unanswered_questions(app, educator_client):
    _sid, _code, tab = one_tablet_in(app, educator_client, "Rina")
    answer_first(tab, 1)
    page = tab.client.get("/quiz/pre/review").text
    assert page.count("data-ask-submit=") == 2  # at the top and under the list: they ask first
    assert "data-submit-top" not in page
    assert re.search(r"<dialog[^>]*data-confirm[^>]*aria-labelledby=\"confirm-title\">", page)  # closed
    assert (
        page.count(f"Masih ada {TOTAL - 1} pertanyaan yang belum dijawab.") == 2
    )  # the notice and the dialog
    # Without JavaScript the same question is drawn in the page.
    asked = tab.client.get("/quiz/pre/review?confirm=1").text
    assert re.search(r"<dialog[^>]*data-confirm[^>]* open>", asked)
    assert 'href="/quiz/pre/2?from=review" data-confirm-answer' in asked  # the main way: answer them
    assert re.search(r'<button class="button big secondary" type="submit" data-confirm-submit>', asked)
    for n in range(2, TOTAL + 1):
        tab.answer_form("pre", n, QUESTIONS[n - 1]["correct"])
    done = tab.client.get("/quiz/pre/review?confirm=1").text
    assert "<dialog" not in done and "data-ask-submit" not in done
    assert re.search(r'<button class="button big" type="submit" form="submit-form" data-submit-top>', done)


def test_a_session_that_has_ended_says_so(app, educator_client):
    sid, join_code, tab = one_tablet_in(app, educator_client, "Rina")
    for target in ("pre_closed", "post_open", "closed"):
        educator_client.move(sid, target)
    newcomer = Tablet(app)
    landing = newcomer.client.get(f"/s/{join_code}")
    assert landing.status_code == 200
    assert "data-session-ended" in landing.text and "Sesi ini sudah selesai" in landing.text
    assert "Silakan tunggu" not in landing.text and f"/s/{join_code}/consent" not in landing.text
    consent = newcomer.client.get(f"/s/{join_code}/consent")
    assert consent.status_code == 409 and "Sesi ini sudah selesai." in consent.text
    newcomer.client.get("/lang/en")
    consent = newcomer.client.get(f"/s/{join_code}/consent")
    assert consent.status_code == 409 and "This session has ended." in consent.text
    # She registered but handed nothing in: the result page says the session ended, and no score.
    result = tab.client.get(tab.client.get("/me").headers["Location"])
    assert "Sesi ini sudah selesai" in result.text and "Hasil Anda" not in result.text


def test_a_session_not_yet_open_still_says_wait(app, educator_client):
    sid = educator_client.create_session()
    join_code = db.session.get(CounselingSession, sid).join_code
    landing = Tablet(app).client.get(f"/s/{join_code}")
    assert "data-session-ended" not in landing.text and "Sesi ini sudah selesai" not in landing.text


def test_a_test_closed_before_she_handed_it_in_is_not_thanked_for(app, educator_client):
    sid, join_code, tab = one_tablet_in(app, educator_client, "Rina")
    answer_first(tab, 2)
    other = Tablet(app)
    other.register(join_code, "Sari")
    for n, q in enumerate(QUESTIONS, start=1):
        other.answer_form("pre", n, q["correct"])
    other.submit("pre")
    status = tab.client.get("/api/status").get_json()
    assert status["step"] == "pre" and status["handed_in"] == []
    assert other.client.get("/api/status").get_json()["handed_in"] == ["pre"]
    educator_client.move(sid, "pre_closed")
    assert tab.client.get("/quiz/pre/3").headers["Location"].endswith("/me")  # a reload
    assert tab.client.get("/me").headers["Location"].endswith("/wait")
    wait = tab.client.get("/wait").text
    assert "Terima kasih!" not in wait
    assert "Tes ini sudah ditutup" in wait
    assert f"Jawaban Anda (2 dari {TOTAL} soal) tersimpan, tetapi belum dikirim" in wait
    assert tab.client.get("/api/status").get_json()["step"] == "wait"
    thanked = other.client.get("/wait").text
    assert "Terima kasih!" in thanked and "data-not-handed-in" not in thanked
    # The post-test opens and closes without her: the result page says what was not handed in.
    educator_client.move(sid, "post_open")
    tab.answer_form("post", 1, QUESTIONS[0]["correct"])
    educator_client.move(sid, "closed")
    result = tab.client.get("/result").text
    assert result.count("data-not-handed-in") == 2
    assert f"(1 dari {TOTAL} soal)" in result and f"(2 dari {TOTAL} soal)" in result
