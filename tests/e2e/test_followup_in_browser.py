"""A follow-up test in real headless Chromium: the educator reopens a closed session for it (choosing the
parallel form), a participant continues on another device with her personal code and takes it, and the
educator's page counts it and shows the third score without being reloaded."""

from __future__ import annotations

import random
import re
import uuid
from datetime import UTC, date, datetime

import pytest
from playwright.sync_api import expect
from sqlalchemy import func, select

from app.extensions import db
from app.models import (
    Answer,
    Attempt,
    CounselingSession,
    Participant,
    Phase,
    QuizVersion,
)
from app.models import (
    Educator as EducatorAccount,
)
from app.services import participants as psvc
from app.services import sessions as ssvc
from tests.e2e.conftest import DEVICES
from tests.e2e.helpers import Educator, Tablet, quiz_from_file
from tests.e2e.test_screens import Checker

pytestmark = pytest.mark.browser


def _latest(quiz_key: str) -> QuizVersion:
    return db.session.scalar(
        select(QuizVersion).where(QuizVersion.quiz_key == quiz_key).order_by(QuizVersion.id.desc())
    )


def closed_session(base_app, username: str, n: int = 2) -> tuple[int, str, list[str]]:
    """A session whose pre- and post-test are over (through the services): id, join code, personal codes."""
    rng = random.Random(4)
    with base_app.app_context():
        owner = db.session.scalar(select(EducatorAccount).where(EducatorAccount.username == username))
        quiz = _latest("produksi-asi")
        session = ssvc.create_session(
            owner,
            title="Edukasi Produksi ASI",
            place="Posyandu Melati",
            held_on=date(2026, 11, 10),
            quiz_version=quiz,
        )
        ssvc.move_phase(session, Phase.PRE_OPEN)
        people = [
            psvc.register(session, name=f"Ibu {i}", characteristics={}, consent_at=datetime.now(UTC))
            for i in range(n)
        ]
        for kind, phase in (("pre", Phase.PRE_CLOSED), ("post", Phase.POST_OPEN)):
            if kind == "post":
                ssvc.move_phase(session, Phase.POST_OPEN)
            for p in people:
                attempt = psvc.get_or_start_attempt(p, kind)
                for q in quiz.knowledge_questions:
                    option = rng.choice(q.options)
                    db.session.add(
                        Answer(attempt_id=attempt.id, question_id=q.id, option_id=option.id,
                               client_key=uuid.uuid4().hex, chosen_at=datetime.now(UTC))
                    )  # fmt: skip
                db.session.flush()
                psvc.submit_attempt(attempt, uuid.uuid4().hex)
            if kind == "pre":
                ssvc.move_phase(session, phase)
        ssvc.move_phase(session, Phase.CLOSED)
        db.session.commit()
        return session.id, session.join_code, [p.personal_code for p in people]


@pytest.mark.parametrize("device", ["tablet", "phone"])
def test_educator_reopens_for_a_followup_and_a_participant_takes_it(
    browser, live, base_app, educator_account, device, shot, axe_source
):
    sid, join_code, personal = closed_session(base_app, educator_account[0])
    questions = quiz_from_file("produksi-asi-b")
    with base_app.app_context():
        form_b = db.session.scalar(
            select(func.max(QuizVersion.id)).where(QuizVersion.quiz_key == "produksi-asi-b")
        )

    laptop = browser.new_context(
        viewport=DEVICES[device], is_mobile=device == "phone", has_touch=True, bypass_csp=True
    )
    educator = Educator(laptop.new_page(), live.url)
    educator.login(*educator_account)
    educator.open_session(sid)
    form = educator.page.locator("form[data-phase-form]:has(input[name=target][value=followup_open])")
    expect(form.locator("button")).to_have_text("Buka tes follow-up")
    form.locator("select[name=followup_quiz]").select_option(str(form_b))
    screens = Checker(educator.page, axe_source, shot, device)
    screens.check("followup-educator-closed")
    educator.move("followup_open")
    expect(educator.page.locator("[data-phase-label]")).to_have_text("Tes follow-up dibuka")
    with base_app.app_context():
        target = db.session.get(CounselingSession, sid)
        assert target.phase == Phase.FOLLOWUP_OPEN and target.followup_quiz_version_id == form_b

    # Weeks later, on another device: she types her personal code on the session's page.
    phone = browser.new_context(
        viewport=DEVICES[device], is_mobile=device == "phone", has_touch=True, bypass_csp=True
    )
    mother = Tablet(phone, live.url, "Ibu 0")
    mother.page.goto(f"{live.url}/j/{join_code}")
    expect(mother.page.locator(".notice")).to_contain_text("follow-up")
    mother.page.fill("input[name=personal_code]", personal[0])
    mother.page.click("form[action$='/resume'] button[type=submit]")
    mother.page.wait_for_url(re.compile(r"/quiz/followup/1$"))
    expect(mother.page.locator(".test-name")).to_have_text("Tes follow-up")
    mother_screens = Checker(mother.page, axe_source, shot, device)
    mother_screens.check("followup-question")
    picks = [q["correct"] for q in questions]
    mother.answer_all(questions, picks)
    mother.submit()
    mother.page.wait_for_url(re.compile(r"/result$"))
    expect(mother.page.locator(".score-box")).to_have_count(3)
    expect(mother.page.locator(".score-box").nth(2)).to_contain_text("100")

    # The educator's page counts her and shows the third score by itself.
    educator.wait_count("followup_done", 1)
    expect(educator.page.locator("[data-rows] tr").first.locator("td").last).to_have_text("100,0")
    screens.check("followup-educator-open")
    # No serious axe-core violation, touch targets of 48 px, nothing wider than the screen.
    assert screens.problems == [] and mother_screens.problems == [], (
        screens.problems + mother_screens.problems
    )
    with base_app.app_context():
        attempt = db.session.scalar(
            select(Attempt)
            .join(Participant)
            .where(Participant.personal_code == personal[0], Attempt.kind == "followup")
        )
        assert attempt.submitted and attempt.score == 100.0 and attempt.quiz_version_id == form_b
    educator.move("followup_closed", dialog="accept")  # one participant has not come: asked first
    expect(educator.page.locator("[data-phase-label]")).to_have_text("Tes follow-up ditutup")
