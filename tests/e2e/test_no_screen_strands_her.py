"""Issue 16 items 3 to 8 in Chromium: no screen strands a participant.

The language switch keeps her question; after jumping from the review to a question there is a
way straight back; continuing on another tablet starts at her first unanswered question; a session
that has ended says so; handing in with unanswered questions asks first, and the submit is on the
first screen of the review; a test closed under her says so at once, and no "Thank you!" follows
when nothing was handed in. The last test runs axe-core and takes screenshots of each new screen.
"""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from tests.e2e.conftest import DEVICES
from tests.e2e.helpers import Tablet, quiz_from_file
from tests.e2e.test_screens import QUIZ, Checker, make_session, set_phase
from tests.e2e.test_session_in_browser import answers_in_db, attempt_in_db

pytestmark = pytest.mark.browser
QUESTIONS = quiz_from_file(QUIZ)
TOTAL = len(QUESTIONS)


def tablet_for(browser, live, device: str, name: str, **extra) -> Tablet:
    context = browser.new_context(
        viewport=DEVICES[device], is_mobile=device == "phone", has_touch=True, **extra
    )
    return Tablet(context, live.url, name)


def joined(browser, live, base_app, device: str, name: str) -> tuple[int, str, Tablet]:
    """A new session with its pre-test open, and `name` who joined it on `device` (by the QR link):
    the session's id, its join code and her tablet."""
    sid, code = make_session(base_app)
    tablet = tablet_for(browser, live, device, name)
    tablet.join(code)
    return sid, code, tablet


def on_question(tablet: Tablet, n: int) -> None:
    expect(tablet.page.locator("[data-quiz]")).to_have_attribute("data-question", QUESTIONS[n - 1]["key"])
    assert re.search(rf"/quiz/pre/{n}(\?|$)", tablet.page.url), tablet.page.url


def in_first_screen(page, selector: str) -> bool:
    box = page.locator(selector).bounding_box()
    return box is not None and box["y"] >= 0 and box["y"] + box["height"] <= page.viewport_size["height"]


# --- item 3 -------------------------------------------------------------------------------------


def test_switching_the_language_keeps_her_question(browser, live, base_app, educator_account):
    _sid, _code, tablet = joined(browser, live, base_app, "tablet", "Ibu Sri")
    tablet.start()
    page = tablet.page
    tablet.answer(QUESTIONS[0]["key"], QUESTIONS[0]["correct"])
    tablet.next()
    tablet.answer(QUESTIONS[1]["key"], QUESTIONS[1]["correct"])
    tablet.next()
    on_question(tablet, 3)
    page.click("a[lang=en]")
    page.wait_for_load_state("load")
    assert page.get_attribute("html", "lang") == "en"
    on_question(tablet, 3)
    tablet.back()
    on_question(tablet, 2)
    page.click("a[lang=id]")
    page.wait_for_load_state("load")
    assert page.get_attribute("html", "lang") == "id"
    on_question(tablet, 2)
    expect(page.locator(f"input[name=option][value='{QUESTIONS[1]['correct']}']")).to_be_checked()
    tablet.context.close()


# --- item 4 -------------------------------------------------------------------------------------


def test_after_jumping_from_the_review_one_tap_goes_back_to_it(browser, live, base_app, educator_account):
    _sid, _code, tablet = joined(browser, live, base_app, "phone", "Ibu Ani")
    tablet.start()
    page = tablet.page
    back_to_review = page.locator("[data-quiz] [data-back-to-review]")
    for n in range(1, TOTAL + 1):
        if n != 4:  # question 4 is skipped
            tablet.answer(QUESTIONS[n - 1]["key"], QUESTIONS[n - 1]["correct"])
        if n < TOTAL:
            expect(back_to_review).to_be_hidden()  # on the way through: Next is the way on
            tablet.next()
    tablet.to_review()
    expect(page.locator("[data-review-list] li.unanswered")).to_have_count(1)
    page.click("[data-review-list] a[data-goto='4']")
    on_question(tablet, 4)
    expect(back_to_review).to_be_visible()
    tablet.answer(QUESTIONS[3]["key"], QUESTIONS[3]["correct"])
    back_to_review.click()  # one tap, not twelve times "Lanjut"
    expect(page.locator("[data-review]")).to_be_visible()
    expect(page.locator("[data-review-list] li.unanswered")).to_have_count(0)
    # After a reload on a question reached from the review, the way back is still there.
    page.click("[data-review-list] a[data-goto='2']")
    on_question(tablet, 2)
    page.reload()
    on_question(tablet, 2)
    expect(back_to_review).to_be_visible()
    tablet.next()
    on_question(tablet, 3)
    expect(back_to_review).to_be_visible()
    back_to_review.click()
    expect(page.locator("[data-review]")).to_be_visible()
    assert page.url.endswith("/quiz/pre/review")
    tablet.context.close()


# --- item 5 -------------------------------------------------------------------------------------


def test_continuing_on_another_tablet_starts_at_her_first_unanswered_question(
    browser, live, base_app, educator_account
):
    _sid, code, first = joined(browser, live, base_app, "tablet", "Ibu Citra")
    first.start()
    for n in (1, 2, 3):
        first.answer(QUESTIONS[n - 1]["key"], QUESTIONS[n - 1]["correct"])
        first.next()
    first.next()  # 4 left open
    first.answer(QUESTIONS[4]["key"], QUESTIONS[4]["correct"])
    first.context.close()

    other = tablet_for(browser, live, "tablet", "Ibu Citra")
    page = other.page
    page.goto(f"{live.url}/s/{code}")
    page.fill("input[name=personal_code]", first.code)
    page.click("form[action$='/resume'] button[type=submit]")
    page.wait_for_url(re.compile(r"/quiz/pre/\d+$"))
    on_question(other, 4)
    other.back()
    expect(page.locator(f"input[name=option][value='{QUESTIONS[2]['correct']}']")).to_be_checked()
    other.context.close()


# --- item 6 -------------------------------------------------------------------------------------


def test_a_session_that_has_ended_says_so_to_newcomers_and_after_handing_over(
    browser, live, base_app, educator_account
):
    sid, code, tablet = joined(browser, live, base_app, "tablet", "Ibu Dewi")
    set_phase(base_app, sid, "pre_closed")
    set_phase(base_app, sid, "post_open")
    tablet.page.goto(live.url + "/me")
    tablet.page.wait_for_url(re.compile(r"/quiz/post/1$"))
    tablet.answer_all(QUESTIONS, [q["correct"] for q in QUESTIONS])
    tablet.submit()
    tablet.page.wait_for_url(re.compile(r"/result$"))
    set_phase(base_app, sid, "closed")
    page = tablet.page
    page.click("form[action$='/me/leave'] button")  # "Selesai dan serahkan tablet"
    page.wait_for_url(re.compile(r"/s/[A-Z0-9]+$"))
    ended = page.locator("[data-session-ended]")
    expect(ended).to_be_visible()
    expect(ended.locator("h2")).to_have_text("Sesi ini sudah selesai")
    main = page.inner_text("main")
    assert "Tunggu sampai penyuluh membuka tes" not in main, main
    expect(page.locator("a[href$='/consent']")).to_have_count(0)
    tablet.context.close()

    late = tablet_for(browser, live, "phone", "Ibu Terlambat")
    late.page.goto(f"{live.url}/j/{code}")  # the QR, after the end
    expect(late.page.locator("[data-session-ended]")).to_be_visible()
    assert "Tunggu sampai penyuluh membuka tes" not in late.page.inner_text("main")
    late.page.goto(f"{live.url}/s/{code}/consent")  # the old link to the consent page
    assert "Sesi ini sudah selesai." in late.page.inner_text("main")
    late.context.close()


# --- item 7 -------------------------------------------------------------------------------------


@pytest.mark.parametrize("device", ["tablet", "phone"])
def test_handing_in_with_unanswered_questions_asks_first(browser, live, base_app, educator_account, device):
    _sid, _code, tablet = joined(browser, live, base_app, device, "Ibu Eka")
    tablet.start()
    page = tablet.page
    tablet.answer(QUESTIONS[0]["key"], QUESTIONS[0]["correct"])
    for _ in range(TOTAL - 1):
        tablet.next()
    tablet.to_review()
    # The review as the question page draws it: the submit is on the first screen.
    assert in_first_screen(page, "[data-review] [data-submit-top]"), page.locator(
        "[data-submit-top]"
    ).bounding_box()
    page.click("[data-review] [data-submit-top]")
    dialog = page.locator("[data-review] [data-confirm]")
    expect(dialog).to_be_visible()
    expect(dialog).to_contain_text(str(TOTAL - 1))
    expect(dialog.locator("[data-confirm-answer]")).to_be_focused()  # answering them is the main way
    assert not attempt_in_db(base_app, tablet.code, "pre").submitted
    dialog.locator("[data-confirm-answer]").click()
    on_question(tablet, 2)  # her first unanswered question, with the way back to the review
    tablet.answer(QUESTIONS[1]["key"], QUESTIONS[1]["correct"])
    page.click("[data-quiz] [data-back-to-review]")
    tablet.submit()  # the button under the list asks the same
    expect(dialog).to_contain_text(str(TOTAL - 2))
    page.keyboard.press("Escape")
    expect(dialog).to_be_hidden()
    assert not attempt_in_db(base_app, tablet.code, "pre").submitted

    # The review page drawn by the server (a reload): the same question, the submit on top too.
    page.goto(live.url + "/quiz/pre/review")
    assert in_first_screen(page, "[data-ask-submit=top]")
    page.click("[data-ask-submit=top]")
    dialog = page.locator("[data-review-page] [data-confirm]")
    expect(dialog).to_be_visible()
    expect(dialog).to_contain_text(str(TOTAL - 2))
    assert page.url.endswith("/quiz/pre/review")  # the script asked in place
    dialog.locator("[data-confirm-submit]").click()
    page.wait_for_url(re.compile(r"/wait$"))
    assert attempt_in_db(base_app, tablet.code, "pre").submitted
    assert len(answers_in_db(base_app, tablet.code, "pre")) == 2
    tablet.context.close()


# --- item 8 -------------------------------------------------------------------------------------


def test_a_test_closed_while_she_answers_says_so_at_once(browser, live, base_app, educator_account):
    sid, code = make_session(base_app)
    waiting, tapping = (tablet_for(browser, live, "tablet", n) for n in ("Ibu Fitri", "Ibu Gita"))
    for t in (waiting, tapping):
        t.join(code)
        t.start()
        for n in (1, 2):
            t.answer(QUESTIONS[n - 1]["key"], QUESTIONS[n - 1]["correct"])
            t.next()
        on_question(t, 3)
    set_phase(base_app, sid, "pre_closed")

    # She taps an answer: the refused autosave tells her at once, in place of the question.
    page = tapping.page
    page.locator(f"input[name=option][value='{QUESTIONS[2]['correct']}']").click()
    closed = page.locator("[data-closed]")
    expect(closed).to_be_visible(timeout=3000)
    expect(page.locator("[data-quiz]")).to_be_hidden()
    expect(closed.locator("h1")).to_have_text("Tes ini sudah ditutup")
    expect(closed).to_contain_text("belum dikirim")
    closed.locator("[data-closed-next]").click()
    page.wait_for_url(re.compile(r"/wait$"))
    expect(page.locator("h1")).to_have_text("Tes ini sudah ditutup")
    expect(page.locator("[data-not-handed-in]")).to_contain_text(f"2 dari {TOTAL} soal")

    # She only reads: the light poll tells her within seconds.
    page = waiting.page
    closed = page.locator("[data-closed]")
    expect(closed).to_be_visible(timeout=15_000)
    expect(page.locator("[data-quiz]")).to_be_hidden()
    page.reload()  # what a reload shows: not "Terima kasih!", but what is saved and not handed in
    page.wait_for_url(re.compile(r"/wait$"))
    main = page.inner_text("main")
    assert "Terima kasih!" not in main, main
    expect(page.locator("[data-not-handed-in]")).to_contain_text("tersimpan, tetapi belum dikirim")
    for t in (waiting, tapping):
        t.context.close()


# --- every new screen: axe-core, touch targets, width, screenshots --------------------------------


@pytest.mark.parametrize("lang", ["id", "en"])
@pytest.mark.parametrize("device", ["tablet", "phone"])
def test_the_new_screens_are_accessible(
    browser, live, base_app, educator_account, axe_source, shot, device, lang
):
    sid, code = make_session(base_app)
    tablet = tablet_for(browser, live, device, "Ibu Sri", bypass_csp=True)
    page = tablet.page
    c = Checker(page, axe_source, shot, f"{device}-{lang}")
    page.goto(f"{live.url}/lang/{lang}")
    tablet.join(code)
    tablet.start()
    tablet.answer(QUESTIONS[0]["key"], QUESTIONS[0]["correct"])
    for _ in range(TOTAL - 1):
        tablet.next()
    tablet.to_review()
    c.check("20-review-submit-on-top")
    page.click("[data-review] [data-submit-top]")
    expect(page.locator("[data-review] [data-confirm]")).to_be_visible()
    c.check("21-review-asks-first")
    page.click("[data-review] [data-confirm-answer]")
    on_question(tablet, 2)
    c.check("22-question-back-to-review")
    page.goto(live.url + "/quiz/pre/review")
    c.check("23-review-page")
    page.click("[data-ask-submit=top]")
    expect(page.locator("[data-confirm]")).to_be_visible()
    c.check("24-review-page-asks-first")
    page.goto(live.url + "/quiz/pre/review?confirm=1")
    c.check("25-review-page-asks-first-in-page")
    page.goto(live.url + "/quiz/pre/3")
    set_phase(base_app, sid, "pre_closed")
    page.locator(f"input[name=option][value='{QUESTIONS[2]['correct']}']").click()
    expect(page.locator("[data-closed]")).to_be_visible()
    c.check("26-question-test-closed")
    page.click("[data-closed-next]")
    page.wait_for_url(re.compile(r"/wait$"))
    c.check("27-wait-not-handed-in")
    set_phase(base_app, sid, "post_open")
    set_phase(base_app, sid, "closed")
    page.goto(live.url + "/me")
    page.wait_for_url(re.compile(r"/result$"))
    c.check("28-result-session-ended")
    page.click("form[action$='/me/leave'] button")
    page.wait_for_url(re.compile(r"/s/[A-Z0-9]+$"))
    expect(page.locator("[data-session-ended]")).to_be_visible()
    c.check("29-landing-session-ended")
    assert not c.problems, "\n".join(c.problems)
    assert len(c.screens) == 10
    tablet.context.close()
