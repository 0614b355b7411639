"""Every participant screen, on a tablet and a phone, in Bahasa Indonesia and English:
no serious or critical axe-core violation, touch targets of at least 48 px, nothing wider than
the screen. Screenshots of each screen (and of the educator's pages) go to E2E_SCREENSHOTS when set.
"""

from __future__ import annotations

import re
from datetime import date

import pytest
from playwright.sync_api import expect
from sqlalchemy import func, select

from app.extensions import db
from app.models import CounselingSession, Educator, Phase, QuizVersion
from app.services import sessions as session_svc
from tests.e2e.conftest import DEVICES
from tests.e2e.helpers import FAKE_SPEECH, VOICES, Tablet, quiz_from_file
from tests.e2e.helpers import Educator as EducatorBrowser

pytestmark = pytest.mark.browser
QUIZ = "masalah-menyusui"

AXE_RUN = """async () => {
  const result = await axe.run(document, { resultTypes: ["violations"] });
  return result.violations.map(v => ({ id: v.id, impact: v.impact, help: v.help,
    nodes: v.nodes.slice(0, 3).map(n => n.target.join(" ")) }));
}"""

#: Visible controls a finger must hit: each at least 48 x 48 CSS pixels.
SMALL_TARGETS = """() => Array.from(document.querySelectorAll(
    "main a.button, main button, main label.option, main input[type=text], main input:not([type]), main select, "
    + ".lang-switch a, main input[type=number], main label.tile, header .who-code"))
  .filter(el => el.offsetParent !== null)
  .map(el => ({ el: el.outerHTML.slice(0, 80), w: el.getBoundingClientRect().width, h: el.getBoundingClientRect().height }))
  .filter(r => r.w < 47.5 || r.h < 47.5)"""

OVERFLOW = "() => document.documentElement.scrollWidth - document.documentElement.clientWidth"


def set_phase(app, sid: int, phase: str) -> None:
    with app.app_context():
        session_svc.move_phase(db.session.get(CounselingSession, sid), Phase(phase))
        db.session.commit()


def make_session(app) -> tuple[int, str]:
    with app.app_context():
        educator = db.session.scalar(select(Educator).where(Educator.username == "bidan"))
        quiz = db.session.get(
            QuizVersion,
            db.session.scalar(select(func.max(QuizVersion.id)).where(QuizVersion.quiz_key == QUIZ)),
        )
        created = session_svc.create_session(
            educator,
            title="Edukasi Masalah Menyusui",
            place="Posyandu Melati, RW 05 Kelurahan Sukamaju",
            held_on=date(2026, 11, 20),
            quiz_version=quiz,
            characteristics=["age", "education", "occupation", "parity", "status", "baby_age_months"],
        )
        session_svc.move_phase(created, Phase.PRE_OPEN)
        db.session.commit()
        return created.id, created.join_code


class Checker:
    def __init__(self, page, axe_source, shot, label):
        self.page = page
        self.axe_source = axe_source
        self.shot = shot
        self.label = label
        self.problems: list[str] = []
        self.screens: list[str] = []

    def check(self, screen: str) -> None:
        page = self.page
        page.wait_for_load_state("load")
        self.shot(page, f"{screen}-{self.label}")
        self.screens.append(screen)
        if not page.evaluate("() => typeof window.axe !== 'undefined'"):
            page.add_script_tag(path=str(self.axe_source))
        for v in page.evaluate(AXE_RUN):
            if v["impact"] in ("serious", "critical"):
                self.problems.append(f"{screen}: axe {v['id']} ({v['impact']}): {v['help']} {v['nodes']}")
        for small in page.evaluate(SMALL_TARGETS):
            self.problems.append(
                f"{screen}: touch target {small['w']:.0f}x{small['h']:.0f} px: {small['el']}"
            )
        overflow = page.evaluate(OVERFLOW)
        if overflow > 0:
            self.problems.append(f"{screen}: page is {overflow}px wider than the screen")


@pytest.mark.parametrize("lang", ["id", "en"])
@pytest.mark.parametrize("device", ["tablet", "phone"])
def test_every_participant_screen_is_accessible(
    browser, live, base_app, educator_account, axe_source, shot, device, lang
):
    questions = quiz_from_file(QUIZ)
    sid, join_code = make_session(base_app)
    context = browser.new_context(
        viewport=DEVICES[device], is_mobile=device == "phone", has_touch=True, bypass_csp=True
    )  # only to inject axe-core; the app runs under its CSP elsewhere
    context.add_init_script(FAKE_SPEECH)  # a device with voices: the "Dengarkan" buttons are shown
    context.add_init_script(VOICES)
    tablet = Tablet(context, live.url, "Ibu Sri Wahyuningsih")
    page = tablet.page
    c = Checker(page, axe_source, shot, f"{device}-{lang}")

    page.goto(live.url + "/")
    if lang == "en":
        page.click("a[lang=en]")
    assert page.get_attribute("html", "lang") == lang
    c.check("01-join")
    page.fill("input[name=code]", "XXXXXX")
    page.click("main form button[type=submit]")
    c.check("02-join-wrong-code")
    page.fill("input[name=code]", join_code)
    page.click("[data-join-code]")  # "I have a personal code": the session's start page
    page.wait_for_url(re.compile(r"/s/\w+$"))
    c.check("03-landing")
    page.click("a[href$='/consent']")
    c.check("04-consent")
    page.click("main form button[name=agree]")  # nothing filled in: the messages
    c.check("05-register-errors")
    tablet.fill_registration()
    page.click("main form button[name=agree]")
    page.wait_for_url(re.compile(r"/quiz/pre/1$"))
    c.check("06-question-with-personal-code")
    page.click("header .who-code")
    page.wait_for_url(re.compile(r"/me/code$"))
    c.check("06-personal-code")
    tablet.start()
    c.check("07-question")
    portrait = page.viewport_size
    page.set_viewport_size({"width": portrait["height"], "height": portrait["width"]})
    c.check("07-question-landscape")
    page.set_viewport_size(portrait)
    tablet.answer(questions[0]["key"], questions[0]["options"][1])
    c.check("08-question-saved")
    tablet.context.set_offline(True)
    tablet.next()
    tablet.answer(questions[1]["key"], questions[1]["options"][0], wait_saved=False)
    expect(page.locator("[data-quiz] [data-save-status]")).to_have_class(re.compile("waiting"))
    c.check("09-question-offline")
    tablet.context.set_offline(False)
    expect(page.locator("[data-quiz] [data-save-status]")).to_have_class(re.compile(r"\bsaved\b"))
    for i in range(2, len(questions) - 2):  # the last two stay unanswered
        tablet.next()
        tablet.answer(questions[i]["key"], questions[i]["correct"])
    tablet.next()
    tablet.next()
    c.check("10-question-last")
    tablet.to_review()
    c.check("11-review-with-unanswered")
    page.goto(live.url + "/quiz/pre/review")
    c.check("12-review-page")
    page.click("[data-ask-submit=top]")  # two questions unanswered: it asks first
    page.click("[data-confirm] [data-confirm-submit]")
    page.wait_for_url(re.compile(r"/wait$"))
    c.check("13-wait")
    set_phase(base_app, sid, "pre_closed")
    set_phase(base_app, sid, "post_open")
    page.wait_for_url(re.compile(r"/quiz/post/1$"), timeout=20_000)
    tablet.answer_all(
        questions, [q["correct"] if i % 3 else q["options"][0] for i, q in enumerate(questions)]
    )
    tablet.submit()
    page.wait_for_url(re.compile(r"/result$"))
    c.check("14-result")
    page.goto(live.url + "/s/NOCODE")
    c.check("15-error")

    assert not c.problems, "\n".join(c.problems)
    assert len(c.screens) == 17
    context.close()


@pytest.mark.parametrize("lang", ["id", "en"])
@pytest.mark.parametrize("device", ["tablet", "phone"])
def test_educator_pages_fit(browser, live, base_app, educator_account, axe_source, shot, device, lang):
    """The session page and the projector view: screenshots, no serious axe violation, nothing cut off."""
    sid, join_code = make_session(base_app)
    viewport = {"tablet": {"width": 1280, "height": 800}, "phone": DEVICES["phone"]}[device]
    context = browser.new_context(viewport=viewport, bypass_csp=True)
    educator = EducatorBrowser(context.new_page(), live.url)
    if lang == "en":
        educator.page.goto(live.url + "/lang/en")
    educator.login(*educator_account)
    people = [
        Tablet(context.browser.new_context(viewport=DEVICES["phone"]), live.url, n)
        for n in ("Ibu Ani", "Ibu Sri Wahyuningsih")
    ]
    questions = quiz_from_file(QUIZ)
    for p in people:
        p.join(join_code)
    people[0].start()
    people[0].answer_all(questions, [q["correct"] for q in questions])
    people[0].submit()
    people[0].page.wait_for_url(re.compile(r"/wait$"))
    page = educator.page
    c = Checker(page, axe_source, shot, f"{device}-{lang}")
    educator.open_session(sid)
    expect(page.locator("[data-rows] tr")).to_have_count(2)
    c.check("20-educator-session")
    page.goto(f"{live.url}/educator/sessions/{sid}/projector")
    c.check("21-projector")
    assert not [p for p in c.problems if "axe" in p or "wider" in p], "\n".join(c.problems)
    for p in people:
        p.context.close()
    context.close()
