"""A whole counseling session in real headless Chromium, at tablet and at phone size.

The educator runs the session from her laptop while three participants join on their own
devices, answer, reload mid-quiz, and one loses the wifi for several answers and for the submit.
Afterwards the stored answers and scores are read back from the database.
"""

from __future__ import annotations

import random
import re

import pytest
from playwright.sync_api import expect
from sqlalchemy import func, select

from app.extensions import db
from app.models import Answer, Attempt, CounselingSession, Participant, QuizVersion
from tests.e2e.conftest import DEVICES
from tests.e2e.helpers import Educator, Tablet, quiz_from_file

pytestmark = pytest.mark.browser
QUIZ = "masalah-menyusui"


def picks_for(questions, rng, p_correct):
    out = []
    for q in questions:
        wrong = [o for o in q["options"] if o != q["correct"]]
        out.append(q["correct"] if rng.random() < p_correct else rng.choice(wrong))
    return out


def expected_score(questions, picks):
    return 100.0 * sum(p == q["correct"] for p, q in zip(picks, questions, strict=False)) / len(questions)


def answers_in_db(app, code: str, kind: str) -> dict[str, str]:
    with app.app_context():
        rows = (
            db.session.execute(
                select(Answer)
                .join(Attempt)
                .join(Participant)
                .where(Participant.personal_code == code, Attempt.kind == kind)
            )
            .scalars()
            .all()
        )
        return {a.question.key: a.option.key for a in rows}


def attempt_in_db(app, code: str, kind: str) -> Attempt | None:
    with app.app_context():
        attempt = db.session.scalar(
            select(Attempt).join(Participant).where(Participant.personal_code == code, Attempt.kind == kind)
        )
        if attempt is not None:
            db.session.expunge(attempt)
        return attempt


@pytest.mark.parametrize("device", [pytest.param("tablet", marks=pytest.mark.postgres_too), "phone"])
def test_whole_session_three_participants_one_offline(browser, live, base_app, educator_account, device):
    rng = random.Random(5)
    questions = quiz_from_file(QUIZ)
    total = len(questions)
    with base_app.app_context():
        quiz_id = db.session.scalar(select(func.max(QuizVersion.id)).where(QuizVersion.quiz_key == QUIZ))

    laptop = browser.new_context(viewport={"width": 1280, "height": 800})
    educator = Educator(laptop.new_page(), live.url)
    educator.login(*educator_account)
    sid = educator.create_session(quiz_id)
    educator.move("pre_open")
    join_code = educator.join_code()

    contexts = [
        browser.new_context(viewport=DEVICES[device], is_mobile=device == "phone", has_touch=True)
        for _ in range(3)
    ]
    ani, budi, citra = (
        Tablet(c, live.url, n) for c, n in zip(contexts, ("Ibu Ani", "Pak Budi", "Ibu Citra"), strict=False)
    )

    # Joining: by the QR link, by typing the code (in English), by the QR link.
    ani.join(join_code)
    budi.page.goto(live.url + "/")
    budi.page.click("a[lang=en]")
    budi.join(join_code, via_qr=False)
    assert budi.page.locator("html").get_attribute("lang") == "en"
    citra.join(join_code)
    # The educator's page counts them without being reloaded.
    educator.wait_count("joined", 3)

    pre = {t.name: picks_for(questions, rng, 0.4) for t in (ani, budi, citra)}

    # Ani answers everything in one go.
    ani.start()
    ani.answer_all(questions, pre[ani.name])
    ani.submit()
    ani.page.wait_for_url(re.compile(r"/wait$"))

    # Budi reloads the page in the middle, goes back, and changes an earlier answer from the review.
    budi.start()
    for i in range(4):
        budi.answer(questions[i]["key"], pre[budi.name][i])
        budi.next()
    assert budi.page.url.endswith("/quiz/pre/5")
    budi.page.reload()
    assert budi.current_question() == questions[4]["key"]
    budi.back()
    expect(budi.page.locator(f"input[name=option][value='{pre[budi.name][3]}']")).to_be_checked()
    budi.next()
    budi.answer_all(questions, pre[budi.name], start=5)
    budi.page.click("[data-review-list] a[data-goto='2']")
    changed = next(o for o in questions[1]["options"] if o != pre[budi.name][1])
    budi.answer(questions[1]["key"], changed)
    pre[budi.name][1] = changed
    budi.page.go_back()  # the browser's back button returns to the review
    expect(budi.page.locator("[data-review]")).to_be_visible()
    budi.submit()
    budi.page.wait_for_url(re.compile(r"/wait$"))

    # Citra loses the wifi after three answers, keeps answering, then the connection returns.
    citra.start()
    for i in range(3):
        citra.answer(questions[i]["key"], pre[citra.name][i])
        citra.next()
    citra.context.set_offline(True)
    first_choice = next(o for o in questions[4]["options"] if o != pre[citra.name][4])
    for i in range(3, 9):
        if i == 4:  # she changes her mind on question 5 while offline
            citra.answer(questions[i]["key"], first_choice, wait_saved=False)
        citra.answer(questions[i]["key"], pre[citra.name][i], wait_saved=False)
        status_class, status_text = citra.save_status()
        assert "waiting" in status_class and status_text, (status_class, status_text)
        citra.next()
    queued = citra.queue()
    assert [q["question"] for q in queued] == [q["key"] for q in questions[3:9]]  # the changed mind replaced
    assert len({q["key"] for q in queued}) == 6 and all(q["chosen_at"] for q in queued)
    assert len(answers_in_db(base_app, citra.code, "pre")) == 3
    citra.context.set_offline(False)
    expect(citra.page.locator("[data-quiz] [data-save-status]")).to_have_class(re.compile(r"\bsaved\b"))
    assert citra.queue() == []
    stored = answers_in_db(base_app, citra.code, "pre")
    assert stored == {q["key"]: p for q, p in zip(questions[:9], pre[citra.name][:9], strict=False)}
    citra.answer_all(questions, pre[citra.name], start=10)
    # The submit is retried the same way.
    citra.context.set_offline(True)
    citra.submit()
    expect(citra.page.locator("[data-review] [data-submit-status]")).to_have_class(re.compile(r"\bwaiting\b"))
    expect(citra.page.locator("[data-review] [data-submit]")).to_be_disabled()
    assert not attempt_in_db(base_app, citra.code, "pre").submitted
    citra.context.set_offline(False)
    citra.page.wait_for_url(re.compile(r"/wait$"), timeout=20_000)
    assert citra.local_keys() == []  # a shared tablet keeps nothing once the test is handed in

    educator.wait_count("pre_done", 3)
    assert educator.move("pre_closed") is None  # everyone has handed in: no question asked
    educator.move("post_open")

    # The waiting screens move on to the post-test by themselves.
    post = {t.name: picks_for(questions, rng, 0.85) for t in (ani, budi, citra)}
    for t in (ani, budi, citra):
        t.page.wait_for_url(re.compile(r"/quiz/post/1$"), timeout=20_000)
    for t in (ani, budi):
        t.answer_all(questions, post[t.name])
        t.submit()
        t.page.wait_for_url(re.compile(r"/result$"))
    half = total // 2
    for i in range(half):
        citra.answer(questions[i]["key"], post[citra.name][i])
        citra.next()
    educator.wait_count("post_done", 2)
    message = educator.move("closed", dialog="dismiss")  # closing early asks first; she says no
    assert "1" in message
    expect(educator.page.locator("[data-phase-label]")).to_have_text(re.compile("."))
    with base_app.app_context():
        assert db.session.get(CounselingSession, sid).phase.value == "post_open"
    citra.answer_all(questions, post[citra.name], start=half + 1)
    citra.submit()
    citra.page.wait_for_url(re.compile(r"/result$"))
    educator.wait_count("post_done", 3)
    educator.move("closed")

    # Per-question results for the discussion.
    items = educator.page.locator("[data-item-rows] tr")
    expect(items).to_have_count(total)
    first_pre = 100 * sum(pre[n][0] == questions[0]["correct"] for n in pre) / 3
    first_post = 100 * sum(post[n][0] == questions[0]["correct"] for n in post) / 3
    cells = items.first.locator("td").all_inner_texts()
    assert cells[2].startswith(str(round(first_pre))) and cells[3].startswith(str(round(first_post))), cells

    # The database holds exactly what each person chose last on her device, and the scores.
    for t in (ani, budi, citra):
        for kind, picks in (("pre", pre[t.name]), ("post", post[t.name])):
            assert answers_in_db(base_app, t.code, kind) == {
                q["key"]: p for q, p in zip(questions, picks, strict=False)
            }
            attempt = attempt_in_db(base_app, t.code, kind)
            assert attempt.submitted and attempt.n_scored == total
            assert attempt.score == pytest.approx(expected_score(questions, picks))

    # The result screen, then the tablet is handed over with nothing of hers left on it.
    expect(ani.page.locator(".score-box strong")).to_have_count(2)
    ani.page.click("form[action$='/me/leave'] button")
    ani.page.wait_for_url(re.compile(r"/s/[A-Z0-9]+$"))
    assert ani.local_keys() == []
    for c in [*contexts, laptop]:
        c.close()
