"""The educator's live view: who is stuck, per-question results, and the page updating itself."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
from playwright.sync_api import expect
from sqlalchemy import event

from app.extensions import db
from app.models import CounselingSession, Phase
from app.models._time import utcnow
from app.services import live as live_svc
from app.services import participants as psvc
from app.services import sessions as session_svc
from tests.e2e.conftest import DEVICES
from tests.e2e.helpers import Educator, Tablet, quiz_from_file
from tests.e2e.test_screens import QUIZ, make_session

pytestmark = pytest.mark.postgres_too


def add_people(session: CounselingSession, answers: list[list[str] | None], kind: str = "pre", submit=()):
    """Register one participant per entry; answer the given option keys in order; submit those in `submit`."""
    people = []
    for i, picks in enumerate(answers):
        p = psvc.register(session, name=f"P{i}", characteristics={}, consent_at=utcnow())
        if picks is not None:
            attempt = psvc.get_or_start_attempt(p, kind)
            for q, option in zip(attempt.quiz_version.questions, picks, strict=False):
                psvc.record_answer(p.id, kind, q.key, option, f"k{i}-{q.key}")
            if i in submit:
                psvc.submit_attempt(attempt, f"s{i}")
        people.append(p)
    db.session.commit()
    return people


def test_stuck_means_open_test_not_handed_in_and_quiet(base_app, live, educator_account):
    questions = quiz_from_file(QUIZ)
    sid, _ = make_session(base_app)
    with base_app.app_context():
        session = db.session.get(CounselingSession, sid)
        joined, answering, done = add_people(
            session,
            [None, [q["correct"] for q in questions[:3]], [q["correct"] for q in questions]],
            submit=(2,),
        )
        now = utcnow()
        fresh = live_svc.progress(session, now=now)
        assert not any(p.stuck for p in fresh.values())
        assert fresh[joined.id].state == "joined" and fresh[answering.id].state == "pre_answering"
        assert (fresh[answering.id].answered, fresh[answering.id].total) == (3, len(questions))
        later = live_svc.progress(session, now=now + timedelta(minutes=5))
        assert later[joined.id].stuck and later[answering.id].stuck and not later[done.id].stuck
        assert later[answering.id].idle_minutes == 5
        # With no test open, nobody is waited for.
        session_svc.move_phase(session, Phase.PRE_CLOSED)
        db.session.commit()
        closed = live_svc.progress(session, now=now + timedelta(minutes=30))
        assert not any(p.stuck for p in closed.values())


def test_item_results_percent_correct_and_most_chosen_wrong_in_constant_queries(
    base_app, live, educator_account
):
    questions = quiz_from_file(QUIZ)
    sid, _ = make_session(base_app)
    with base_app.app_context():
        session = db.session.get(CounselingSession, sid)
        q0 = questions[0]
        wrong = [o for o in q0["options"] if o != q0["correct"]]
        # Pre-test: 1 of 4 correct on question 1; the first wrong option chosen twice. One leaves it blank.
        add_people(session, [[q0["correct"]], [wrong[0]], [wrong[0]], [wrong[1]], []], submit=(0, 1, 2, 3, 4))
        statements = []

        def count(*args):
            statements.append(args[2])

        event.listen(db.engine, "before_cursor_execute", count)
        try:
            db.session.expire_all()
            results = live_svc.item_results(session)
        finally:
            event.remove(db.engine, "before_cursor_execute", count)
        assert len(statements) <= 5, statements
        first = results.items[0]
        assert results.n_pre == 5 and results.n_post == 0
        assert first.pre_percent == pytest.approx(20.0)  # 1 of 5 handed in; a blank is not correct
        assert first.post_percent is None
        assert first.wrong_option_key == wrong[0] and first.wrong_count == 2
        assert len(results.items) == len(questions)


@pytest.mark.browser
def test_live_view_updates_itself_and_flags_who_is_stuck(
    browser, live, base_app, educator_account, monkeypatch
):
    monkeypatch.setattr(live_svc, "STUCK_AFTER", timedelta(seconds=0))
    questions = quiz_from_file(QUIZ)
    sid, join_code = make_session(base_app)
    laptop = browser.new_context(viewport={"width": 1280, "height": 800})
    educator = Educator(laptop.new_page(), live.url)
    educator.login(*educator_account)
    educator.open_session(sid)
    educator.wait_count("joined", 0)

    tablet = Tablet(browser.new_context(viewport=DEVICES["phone"]), live.url, "Ibu Dewi")
    tablet.join(join_code)
    educator.wait_count("joined", 1)
    educator.wait_count("stuck", 1)  # joined, not started, and the open test waits for her
    row = educator.page.locator("[data-rows] tr").first
    expect(row).to_have_class(re.compile("stuck"))
    tablet.start()
    tablet.answer(questions[0]["key"], questions[0]["correct"])
    expect(row.locator("td").nth(3)).to_contain_text("1")
    tablet.next()
    tablet.answer_all(questions, [q["correct"] for q in questions], start=2)
    tablet.submit()
    tablet.page.wait_for_url(re.compile(r"/wait$"))
    educator.wait_count("stuck", 0)
    educator.wait_count("pre_done", 1)
    expect(educator.page.locator("[data-items]")).to_be_visible()
    expect(educator.page.locator("[data-item-rows] tr").first.locator("td").nth(2)).to_have_text(
        re.compile(r"^100")
    )
    # The projector counts by itself too.
    educator.page.goto(f"{live.url}/educator/sessions/{sid}/projector")
    expect(educator.page.locator("[data-count=pre_done]")).to_have_text("1")
    assert educator.page.locator("img.projector-qr").evaluate("i => i.naturalWidth") > 0
    svg = educator.page.request.get(f"{live.url}/educator/sessions/{sid}/qr.svg")
    assert svg.ok and svg.headers["content-type"].startswith("image/svg+xml")
    tablet.context.close()
    laptop.close()
