"""A mother who rarely holds a tablet: few taps to question 1, read-aloud on every screen she reads,
and her name and code on every quiz page (issue 16, items 2, 9 and 10)."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect
from sqlalchemy import select

from app.extensions import db
from app.models import Participant
from tests.e2e.conftest import DEVICES
from tests.e2e.helpers import FAKE_SPEECH, VOICES, Tablet, quiz_from_file
from tests.e2e.test_screens import QUIZ, make_session, set_phase

pytestmark = pytest.mark.browser

#: Counts, across page loads, what the participant's finger does: every pointer press (a tap) and
#: every field typed into (the first keystroke in a field; its other keystrokes are not counted).
COUNT_TAPS = """(() => {
  const key = "__taps";
  const add = (what) => {
    const log = JSON.parse(sessionStorage.getItem(key) || "[]");
    log.push(what);
    sessionStorage.setItem(key, JSON.stringify(log));
  };
  let typing = null;
  document.addEventListener("pointerdown", (e) => {
    if (!e.isTrusted) return;
    typing = null;
    const el = e.target.closest("button, a, label, input") || e.target;
    add("tap " + (el.getAttribute("name") || el.getAttribute("href") || el.textContent.trim()).slice(0, 40));
  }, true);
  document.addEventListener("input", (e) => {
    if (!e.isTrusted || e.target === typing || !/^(text|number|tel|search)$/.test(e.target.type)) return;
    typing = e.target;
    add("type " + e.target.name);
  }, true);
})();"""


def participant_in_db(app, code: str) -> Participant:
    with app.app_context():
        return db.session.scalars(select(Participant).where(Participant.personal_code == code)).one()


@pytest.mark.parametrize("device", ["tablet", "phone"])
def test_at_most_ten_taps_from_the_session_code_to_question_1(
    browser, live, base_app, educator_account, device
):
    """From typing the session code on the first screen to question 1 of the pre-test, with the
    default six registration questions (age, education, occupation, children, pregnant or
    breastfeeding, the baby's age), for a breastfeeding mother who answers all six.

    What counts as one tap: a press of a button, link or tile; a − / + press; typing into a field
    (the join code, her name, a number), however many characters it takes. Not counted: the
    keyboard's own keys and closing it. The test makes the taps itself (`tap`, `type_in`) and the
    page counts independently every pointer press and every field typed into; both counts must
    agree, so no hidden click is left out.
    """
    _, join_code = make_session(base_app)
    context = browser.new_context(viewport=DEVICES[device], is_mobile=device == "phone", has_touch=True)
    context.add_init_script(COUNT_TAPS)
    page = context.new_page()
    page.set_default_timeout(15_000)
    taps: list[str] = []

    def tap(selector: str) -> None:
        taps.append("tap " + selector)
        page.click(selector)

    def type_in(selector: str, text: str) -> None:
        taps.append("type " + selector)
        page.locator(selector).press_sequentially(text)

    page.goto(live.url + "/")
    type_in("input[name=code]", join_code)
    tap("[data-join-new]")  # "I am new here"
    page.wait_for_url(re.compile(r"/consent$"))
    assert page.locator("main select").count() == 0  # no native dropdown left
    type_in("input[name=name]", "Ibu Sri")
    type_in("input[name=age]", "27")
    tap("fieldset:has(input[name=education]) label.tile:has(input[value=sma])")
    tap("fieldset:has(input[name=occupation]) label.tile:has(input[value=housewife])")
    tap("[data-stepper]:has(input[name=parity]) [data-step='1']")  # empty → 1
    expect(page.locator("input[name=parity]")).to_have_value("1")
    tap("fieldset:has(input[name=status]) label.tile:has(input[value=breastfeeding])")
    type_in("input[name=baby_age_months]", "2")
    tap("main form button[name=agree]")  # "I agree and start": consent and registration
    page.wait_for_url(re.compile(r"/quiz/pre/1$"))

    seen = page.evaluate("() => JSON.parse(sessionStorage.getItem('__taps') || '[]')")
    print(f"\ntaps from the session code to question 1 ({device}): {len(taps)}")
    for step in taps:
        print("  " + step)
    assert len(seen) == len(taps), (seen, taps)
    assert len(taps) <= 10

    # What she entered is what was stored, with her consent and a personal code shown to her.
    code = page.inner_text("[data-who] .who-code .code-inline").replace("-", "")
    stored = participant_in_db(base_app, code)
    assert stored.name == "Ibu Sri"
    assert stored.characteristics == {
        "age": 27,
        "education": "sma",
        "occupation": "housewife",
        "parity": 1,
        "status": "breastfeeding",
        "baby_age_months": 2,
    }
    assert stored.consent_at is not None and stored.consent_token
    expect(page.locator("main .flash")).to_contain_text(code[:3] + "-" + code[3:])
    context.close()


def test_tiles_and_steppers_are_big_and_the_server_still_checks(browser, live, base_app, educator_account):
    _, join_code = make_session(base_app)
    context = browser.new_context(viewport=DEVICES["phone"], is_mobile=True, has_touch=True)
    page = context.new_page()
    page.goto(f"{live.url}/j/{join_code}")
    page.click("a[href$='/consent']")
    for el in page.locator("main label.tile, main [data-step]").all():
        box = el.bounding_box()
        assert box["height"] >= 48 and box["width"] >= 48, el.inner_text()
    # "−" never goes below the lowest allowed number, "+" never above the highest.
    minus = page.locator("[data-stepper]:has(input[name=parity]) [data-step='-1']")
    minus.click()
    minus.click()
    expect(page.locator("input[name=parity]")).to_have_value("0")
    page.fill("input[name=baby_age_months]", "60")
    page.click("[data-stepper]:has(input[name=baby_age_months]) [data-step='1']")
    expect(page.locator("input[name=baby_age_months]")).to_have_value("60")
    # A number typed beyond the range is refused by the server, with the message beside the field.
    page.fill("input[name=name]", "Ibu Uji")
    page.fill("input[name=age]", "9")
    page.click("main form button[name=agree]")
    expect(page.locator(".number-field:has(input[name=age]) .error")).to_contain_text("10")
    expect(page.locator("input[name=age]")).to_have_attribute("aria-invalid", "true")
    expect(page.locator("input[name=parity]")).to_have_value("0")  # kept
    assert page.url.endswith("/consent")
    context.close()


def spoken_after(page, button) -> list[str]:
    page.evaluate("() => window.__spoken.splice(0)")
    button.click()
    page.wait_for_function("() => window.__spoken.length > 0")
    page.wait_for_timeout(100)
    return [s["text"] for s in page.evaluate("() => window.__spoken.splice(0)")]


def visible_texts(scope) -> list[str]:
    return [re.sub(r"\s+", " ", t).strip() for t in scope.locator("[data-speak]").all_inner_texts()]


def test_read_aloud_on_consent_question_wait_and_result(browser, live, base_app, educator_account):
    questions = quiz_from_file(QUIZ)
    sid, join_code = make_session(base_app)
    context = browser.new_context(viewport=DEVICES["tablet"])
    context.add_init_script(FAKE_SPEECH)
    context.add_init_script(VOICES)
    tablet = Tablet(context, live.url, "Ibu Sri")
    page = tablet.page

    # The consent statement, the most words she reads.
    page.goto(f"{live.url}/j/{join_code}")
    page.click("a[href$='/consent']")
    consent = page.locator("main [data-speak-scope]")
    paragraphs = [p.strip() for p in consent.locator(".consent p").all_inner_texts()]
    assert len(paragraphs) >= 2
    texts = spoken_after(page, consent.locator("[data-listen]"))
    assert texts == visible_texts(consent)
    assert texts[1 : 1 + len(paragraphs)] == paragraphs

    # The question: "Jawaban 1 …" is the option with the visible 1.
    tablet.fill_registration()
    page.click("main form button[name=agree]")
    page.wait_for_url(re.compile(r"/quiz/pre/1$"))
    tablet.code = page.inner_text("[data-who] .who-code .code-inline").replace("-", "")
    for _ in range(2):  # the page as drawn by the server, then as drawn by the script
        labels = page.locator("[data-options] label.option")
        numbers = [n.strip() for n in labels.locator(".option-number").all_inner_texts()]
        assert numbers == [str(i) for i in range(1, labels.count() + 1)]
        options = [t.strip() for t in labels.locator(".option-text").all_inner_texts()]
        texts = spoken_after(page, page.locator("[data-quiz] [data-listen]"))
        assert texts[0] == page.inner_text("#stem").strip()
        assert texts[1:] == [f"Jawaban {n}: {o}" for n, o in zip(numbers, options, strict=True)]
        tablet.next()

    # The waiting screen, with her score and her code spelled out.
    page.goto(live.url + "/quiz/pre/1")
    tablet.answer_all(questions, [q["correct"] for q in questions])
    tablet.submit()
    page.wait_for_url(re.compile(r"/wait$"))
    wait = page.locator("main [data-speak-scope]")
    texts = spoken_after(page, wait.locator("[data-listen]"))
    assert texts[0] == page.inner_text("main h1").strip()
    assert any("100" in t for t in texts)  # "Nilai Anda: 100"
    assert texts[-1] == "Kode pribadi Anda: " + " ".join(tablet.code)

    # The result and each explanation.
    set_phase(base_app, sid, "pre_closed")
    set_phase(base_app, sid, "post_open")
    page.wait_for_url(re.compile(r"/quiz/post/1$"), timeout=20_000)
    picks = [q["options"][0] if i == 0 else q["correct"] for i, q in enumerate(questions)]
    tablet.answer_all(questions, picks)
    tablet.submit()
    page.wait_for_url(re.compile(r"/result$"))
    top = page.locator("main [data-speak-scope]").first
    texts = spoken_after(page, top.locator("[data-listen]"))
    assert texts[0] == page.inner_text("main h1").strip()
    assert "Pre-test: 100" in texts and any(t.startswith("Post-test: ") for t in texts)
    items = page.locator(".answer-review li[data-speak-scope]")
    assert items.count() == len(questions)
    first = items.first  # answered wrongly (unless its first option is the right one)
    texts = spoken_after(page, first.locator("[data-listen]"))
    assert texts[0] == first.locator(".q-stem").inner_text().strip()
    assert texts[-1] == first.locator(".explanation").inner_text().strip()
    assert any(t.startswith("Jawaban Anda: ") for t in texts)
    context.close()


@pytest.mark.parametrize("device", ["tablet", "phone"])
def test_her_name_and_code_on_every_quiz_page_and_finish_at_the_top(
    browser, live, base_app, educator_account, device
):
    questions = quiz_from_file(QUIZ)
    sid, join_code = make_session(base_app)
    context = browser.new_context(viewport=DEVICES[device], is_mobile=device == "phone", has_touch=True)
    tablet = Tablet(context, live.url, "Ibu Sri Wahyuningsih")
    tablet.join(join_code)
    page = tablet.page
    shown = tablet.code[:3] + "-" + tablet.code[3:]
    assert participant_in_db(base_app, tablet.code).name == "Ibu Sri Wahyuningsih"

    def header_is_hers(screen: str) -> None:
        who = page.locator("header [data-who]")
        expect(who).to_be_visible()
        expect(who.locator(".who-name")).to_have_text("Ibu Sri Wahyuningsih")
        expect(who.locator(".who-code .code-inline")).to_have_text(shown)
        box = who.bounding_box()
        assert box["y"] < 200, (screen, box)  # at the top, without scrolling

    tablet.start()
    header_is_hers("question")
    tablet.next()  # drawn by the script
    header_is_hers("question 2")
    page.goto(live.url + "/quiz/pre/review")
    header_is_hers("review")
    page.goto(live.url + "/quiz/pre/1")
    tablet.answer_all(questions, [q["correct"] for q in questions])
    tablet.submit()
    page.wait_for_url(re.compile(r"/wait$"))
    header_is_hers("wait")
    set_phase(base_app, sid, "pre_closed")
    set_phase(base_app, sid, "post_open")
    page.wait_for_url(re.compile(r"/quiz/post/1$"), timeout=20_000)
    header_is_hers("post-test question")
    tablet.answer_all(questions, [q["correct"] for q in questions])
    tablet.submit()
    page.wait_for_url(re.compile(r"/result$"))
    header_is_hers("result")

    # The result page is long: "Selesai dan serahkan tablet" is at its top too, on the first screen.
    finish = page.locator("form[data-finish=top] button")
    box = finish.bounding_box()
    assert box["y"] + box["height"] <= DEVICES[device]["height"], box
    expect(page.locator("form[data-finish=bottom] button")).to_have_count(1)
    finish.click()
    page.wait_for_url(re.compile(rf"/s/{join_code}$"))
    expect(page.locator("header [data-who]")).to_have_count(0)
    page.goto(live.url + "/me")
    page.wait_for_url(re.compile(r"/$"))  # the tablet no longer knows her
    context.close()
