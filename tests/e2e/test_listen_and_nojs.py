"""The "Dengarkan" button, and the quiz in a browser without JavaScript."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from tests.e2e.conftest import DEVICES
from tests.e2e.helpers import FAKE_SPEECH, Tablet, quiz_from_file
from tests.e2e.test_screens import QUIZ, make_session
from tests.e2e.test_session_in_browser import answers_in_db, attempt_in_db, expected_score

pytestmark = pytest.mark.browser

NO_SPEECH = """Object.defineProperty(window, "speechSynthesis", { configurable: true, value: undefined });"""


def at_the_first_question(browser, live, base_app, device: str, speech: str) -> Tablet:
    """A new session, and Ibu Sri at its first question on `device`, with `speech` (a script run
    before every page) standing in for the device's speech synthesis."""
    _, join_code = make_session(base_app)
    context = browser.new_context(viewport=DEVICES[device])
    context.add_init_script(speech)
    tablet = Tablet(context, live.url, "Ibu Sri")
    tablet.join(join_code)
    tablet.start()
    return tablet


def test_listen_reads_question_and_options_with_an_indonesian_voice(
    browser, live, base_app, educator_account
):
    tablet = at_the_first_question(browser, live, base_app, "tablet", FAKE_SPEECH)
    page = tablet.page
    button = page.locator("[data-listen]")
    expect(button).to_be_hidden()  # no voice yet
    page.evaluate("() => __setVoices([{ lang: 'en-US', name: 'English' }])")
    expect(button).to_be_hidden()  # no Indonesian voice
    page.evaluate(
        "() => __setVoices([{ lang: 'en-US', name: 'English' }, { lang: 'id-ID', name: 'Damayanti' }])"
    )
    expect(button).to_be_visible()
    box = button.bounding_box()
    assert box["height"] >= 48 and box["width"] >= 48

    def heard():
        stem = page.inner_text("#stem")
        options = page.locator(".option-text").all_inner_texts()
        button.click()
        page.wait_for_function("() => window.__spoken.length > 0")
        spoken = page.evaluate("() => window.__spoken.splice(0)")
        assert {s["voice"] for s in spoken} == {"Damayanti"} and {s["lang"] for s in spoken} == {"id-ID"}
        return stem, options, [s["text"] for s in spoken]

    stem, options, texts = heard()
    assert texts == [stem] + [f"Jawaban {i}: {o}" for i, o in enumerate(options, start=1)]
    tablet.next()  # the next question, drawn by the script, is read too
    stem2, options2, texts2 = heard()
    assert stem2 != stem and texts2[0] == stem2 and len(texts2) == 1 + len(options2)
    tablet.context.close()


def test_listen_is_hidden_without_speech_synthesis(browser, live, base_app, educator_account):
    tablet = at_the_first_question(browser, live, base_app, "phone", NO_SPEECH)
    expect(tablet.page.locator("[data-listen]")).to_be_hidden()
    tablet.context.close()


@pytest.mark.parametrize("device", ["tablet", "phone"])
def test_quiz_without_javascript_uses_plain_form_posts(browser, live, base_app, educator_account, device):
    questions = quiz_from_file(QUIZ)
    _, join_code = make_session(base_app)
    context = browser.new_context(viewport=DEVICES[device], java_script_enabled=False)
    tablet = Tablet(context, live.url, "Ibu Tanpa Skrip")
    tablet.join(join_code, via_qr=False)
    page = tablet.page
    tablet.start()
    picks = [q["correct"] if i % 2 else q["options"][-1] for i, q in enumerate(questions)]
    for n, (_q, pick) in enumerate(zip(questions, picks, strict=False), start=1):
        assert page.url.endswith(f"/quiz/pre/{n}")
        page.locator(f"label.option:has(input[value='{pick}'])").click()
        if n == 3:  # go back one page and come forward again: the choice is kept
            page.click("[data-back]")
            page.wait_for_url(re.compile(r"/quiz/pre/2$"))
            expect(page.locator(f"input[value='{picks[1]}']")).to_be_checked()
            page.click("[data-next]")
            page.wait_for_url(re.compile(r"/quiz/pre/3$"))
            expect(page.locator(f"input[value='{pick}']")).to_be_checked()
        page.click("[data-to-review]" if n == len(questions) else "[data-next]")
    page.wait_for_url(re.compile(r"/quiz/pre/review$"))
    expect(page.locator(".review-list li.unanswered")).to_have_count(0)
    page.click("[data-submit-form] button[type=submit]")
    page.wait_for_url(re.compile(r"/wait$"))
    expect(page.locator("main a.button[href$='/me']")).to_be_visible()  # "check again" instead of a script
    assert answers_in_db(base_app, tablet.code, "pre") == {
        q["key"]: p for q, p in zip(questions, picks, strict=False)
    }
    attempt = attempt_in_db(base_app, tablet.code, "pre")
    assert attempt.submitted and attempt.score == pytest.approx(expected_score(questions, picks))
    context.close()
