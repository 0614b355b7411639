"""People in the browser: the educator on her laptop and participants on tablets or phones.

Selectors use URLs, names and data attributes, never the visible text, so the same steps work in
Bahasa Indonesia and in English.
"""

from __future__ import annotations

import json
import re
from pathlib import Path

import yaml
from playwright.sync_api import Page, expect

ROOT = Path(__file__).resolve().parents[2]
TIMEOUT = 15_000


def quiz_from_file(quiz_id: str) -> list[dict]:
    """The knowledge questions as written in the YAML file: key, option keys, correct key."""
    data = yaml.safe_load((ROOT / "quizzes" / f"{quiz_id}.yaml").read_text(encoding="utf-8"))
    out = []
    for q in data["questions"]:
        if q["type"] == "single_choice":
            out.append({"key": q["key"], "options": [o["key"] for o in q["options"]], "correct": q["answer"]})
        elif q["type"] == "true_false":
            out.append(
                {"key": q["key"], "options": ["true", "false"], "correct": "true" if q["answer"] else "false"}
            )
    return out


#: Speech synthesis as a device with voices offers it; voices are added later, as Chrome does.
FAKE_SPEECH = """(() => {
  const spoken = [];
  const listeners = [];
  let voices = [];
  window.__spoken = spoken;
  window.__setVoices = (vs) => { voices = vs; listeners.forEach(f => f()); };
  window.SpeechSynthesisUtterance = class { constructor(text) { this.text = text; } };
  Object.defineProperty(window, "speechSynthesis", { configurable: true, value: {
    getVoices: () => voices,
    speak: (u) => { spoken.push({ text: u.text, lang: u.lang, voice: u.voice && u.voice.name });
                    setTimeout(() => u.onend && u.onend(), 0); },
    cancel: () => {},
    addEventListener: (type, fn) => { if (type === "voiceschanged") listeners.push(fn); },
  }});
})();"""

#: Voices as an Android tablet with Indonesian and English speech offers them, from the start
#: (after FAKE_SPEECH): the "Dengarkan" buttons are shown.
VOICES = (
    """window.__setVoices([{ lang: "id-ID", name: "Damayanti" }, { lang: "en-US", name: "Samantha" }]);"""
)


class Educator:
    def __init__(self, page: Page, base: str):
        self.page = page
        self.base = base
        page.set_default_timeout(TIMEOUT)

    def login(self, username: str, password: str) -> None:
        self.page.goto(self.base + "/auth/login")
        self.page.fill("input[name=username]", username)
        self.page.fill("input[name=password]", password)
        self.page.click("main form button[type=submit]")
        self.page.wait_for_url(re.compile(r"/educator/?$"))

    def create_session(self, quiz_version_id: int, title: str = "Edukasi Masalah Menyusui") -> int:
        page = self.page
        page.goto(self.base + "/educator/sessions/new")
        page.fill("input[name=title]", title)
        page.fill("input[name=place]", "Posyandu Melati")
        page.select_option("select[name=quiz]", str(quiz_version_id))
        page.click("main form button[type=submit]")
        page.wait_for_url(re.compile(r"/educator/sessions/\d+$"))
        return int(page.url.rstrip("/").split("/")[-1])

    def open_session(self, sid: int) -> None:
        self.page.goto(f"{self.base}/educator/sessions/{sid}")

    def join_code(self) -> str:
        return self.page.inner_text(".join-code").replace("-", "").strip()

    def move(self, target: str, dialog: str | None = None) -> None:
        """Press a phase button; `dialog` = "accept" or "dismiss" expects a confirmation, None expects none."""
        page = self.page
        seen = []

        def on_dialog(d):
            seen.append(d.message)
            d.accept() if dialog == "accept" else d.dismiss()

        page.on("dialog", on_dialog)
        try:
            button = page.locator(f"form[data-phase-form]:has(input[name=target][value={target}]) button")
            if dialog == "dismiss":
                button.click()
                page.wait_for_timeout(300)
            else:
                with page.expect_navigation():
                    button.click()
        finally:
            page.remove_listener("dialog", on_dialog)
        assert bool(seen) == (dialog is not None), seen
        return seen[0] if seen else None

    def count(self, name: str) -> str:
        return self.page.inner_text(f"[data-count={name}]").strip()

    def wait_count(self, name: str, value: int) -> None:
        expect(self.page.locator(f"dd[data-count={name}]").first).to_have_text(str(value), timeout=TIMEOUT)


class Tablet:
    """One participant's browser: a Playwright context with one page."""

    def __init__(self, context, base: str, name: str):
        self.context = context
        self.page = context.new_page()
        self.page.set_default_timeout(TIMEOUT)
        self.base = base
        self.name = name
        self.code: str | None = None

    def join(self, join_code: str, via_qr: bool = True) -> None:
        """Register as a new participant: by the QR link (the session's start page, "I am new") or
        by typing the code ("I am new here"); consent and registration are one screen."""
        page = self.page
        if via_qr:
            page.goto(f"{self.base}/j/{join_code}")
            page.click("a[href$='/consent']")
        else:
            page.goto(self.base + "/")
            page.fill("input[name=code]", join_code)
            page.click("[data-join-new]")
        page.wait_for_url(re.compile(r"/consent$"))
        self.fill_registration()
        page.click("main form button[name=agree]")
        page.wait_for_url(re.compile(r"/(quiz/(pre|post)/\d+|wait|result)$"))
        self.code = page.inner_text("[data-who] .who-code .code-inline").replace("-", "").strip()

    def fill_registration(self) -> None:
        page = self.page
        page.fill("input[name=name]", self.name)
        numbers = {"age": "27", "parity": "1", "baby_age_months": "2"}
        for name, value in numbers.items():
            if page.locator(f"input[name={name}]").count():
                page.fill(f"input[name={name}]", value)
        for group in page.locator("main form fieldset.tiles-field").all():
            tiles = group.locator("label.tile")
            tiles.nth(min(2, tiles.count() - 1)).click()

    def start(self) -> None:
        """On question 1 of the open test (where registering leads)."""
        if not re.search(r"/quiz/(pre|post)/1$", self.page.url):
            self.page.goto(self.base + "/me")
        self.page.wait_for_url(re.compile(r"/quiz/(pre|post)/1$"))

    # ----- the quiz, with JavaScript -----
    def current_question(self) -> str:
        return self.page.get_attribute("[data-quiz]", "data-question")

    def answer(self, question: str, option: str, wait_saved: bool = True) -> None:
        page = self.page
        expect(page.locator("[data-quiz]")).to_have_attribute("data-question", question)
        radio = page.locator(f"input[name=option][value='{option}']")
        if wait_saved:
            with page.expect_response(
                lambda r: r.url.endswith("/api/answer") and r.request.method == "POST"
            ) as info:
                radio.check()
            assert info.value.status == 200, info.value.text()
            body = info.value.json()
            assert body["ok"] and body["question"] == question, body
        else:
            radio.check()

    def next(self) -> None:
        self.page.click("[data-next]")

    def back(self) -> None:
        self.page.click("[data-back]")

    def to_review(self) -> None:
        self.page.click("[data-to-review]")
        expect(self.page.locator("[data-review]")).to_be_visible()

    def answer_all(self, questions: list[dict], picks: list[str], start: int = 1) -> None:
        for i in range(start - 1, len(questions)):
            self.answer(questions[i]["key"], picks[i])
            if i < len(questions) - 1:
                self.next()
        self.to_review()

    def queue(self) -> list[dict]:
        raw = self.page.evaluate(
            "() => Object.keys(localStorage).filter(k => k.startsWith('eduasi:'))"
            ".map(k => JSON.parse(localStorage.getItem(k)))"
        )
        return [item for state in raw for item in state.get("queue", [])]

    def local_keys(self) -> list[str]:
        return self.page.evaluate("() => Object.keys(localStorage).filter(k => k.startsWith('eduasi:'))")

    def submit(self) -> None:
        self.page.click("[data-review] [data-submit]")

    def save_status(self) -> tuple[str, str]:
        el = self.page.locator("[data-quiz] [data-save-status]")
        return el.get_attribute("class"), el.inner_text()


def dump(obj) -> str:
    return json.dumps(obj, indent=1, ensure_ascii=False)
