"""Issue 15 item 1 in Chromium: the tablet is never told "saved" for a choice the server did not keep.

A second tablet (the same participant, resumed there) chose later for question 1, with a higher
sequence number. When the first tablet, whose page is older and whose clock is hours behind,
changes question 1, the server keeps the later choice: the first tablet must show that choice
and say so, not "Jawaban Anda tersimpan".
"""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect
from sqlalchemy import select

from app.extensions import db
from app.models import Answer, Attempt, Participant
from app.services import participants as psvc
from tests.e2e.conftest import DEVICES
from tests.e2e.helpers import Tablet, quiz_from_file
from tests.e2e.test_screens import QUIZ, make_session

pytestmark = pytest.mark.browser


def test_a_choice_the_server_did_not_keep_is_not_shown_as_saved(
    browser, live, base_app, educator_account, shot
):
    questions = quiz_from_file(QUIZ)
    q = questions[0]
    first, other = q["options"][0], q["options"][1]
    _sid, code = make_session(base_app)
    context = browser.new_context(viewport=DEVICES["tablet"], has_touch=True)
    context.clock.install(time=0)  # this tablet's clock says 1970
    tablet = Tablet(context, live.url, "Ibu Jam")
    tablet.join(code)
    tablet.start()
    with base_app.app_context():
        pid = db.session.scalar(select(Participant.id).where(Participant.personal_code == tablet.code))
        # The other tablet's choice, numbered after anything this page knows of.
        psvc.record_answer(pid, "pre", q["key"], other, "other-tablet", seq=50)
        db.session.commit()
    page = tablet.page
    with page.expect_response(lambda r: r.url.endswith("/api/answer")) as info:
        # click, not check(): the page puts the stored choice back, possibly before check() looks
        page.locator(f"input[name=option][value='{first}']").click()
    assert info.value.json()["status"] == "superseded"
    status = page.locator("[data-quiz] [data-save-status]")
    expect(status).to_have_class(re.compile("error"))
    expect(status).not_to_have_text(re.compile("tersimpan\\.$"))
    expect(page.locator(f"input[name=option][value='{other}']")).to_be_checked()
    shot(page, "superseded-tablet")
    # Her next choice, made seeing the stored one, is numbered after it: stored, and "saved".
    with page.expect_response(lambda r: r.url.endswith("/api/answer")) as info:
        page.locator(f"input[name=option][value='{first}']").check()
    assert info.value.json()["status"] == "stored"
    expect(status).to_have_class(re.compile("saved"))
    with base_app.app_context():
        stored = db.session.scalars(select(Answer).join(Attempt).where(Attempt.participant_id == pid)).one()
        assert (stored.option.key, stored.seq) == (first, 51)
    context.close()
