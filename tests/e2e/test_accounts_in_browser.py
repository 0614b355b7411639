"""In Chromium: "change my password" ends the other logins; a lecturer's live session page shows no codes."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect
from sqlalchemy import select

from app.extensions import db
from app.models import CounselingSession, Educator, Participant
from app.services import accounts
from app.services import sessions as session_svc
from tests.e2e.conftest import DEVICES
from tests.e2e.helpers import Educator as EducatorBrowser
from tests.e2e.helpers import Tablet
from tests.e2e.test_screens import Checker, make_session

pytestmark = pytest.mark.browser


@pytest.mark.parametrize("device", ["tablet", "phone"])
def test_she_changes_her_password_and_her_other_browser_is_logged_out(
    browser, live, base_app, educator_account, axe_source, shot, device
):
    username, password = educator_account
    laptop_context = browser.new_context(viewport=DEVICES[device], bypass_csp=True)
    laptop = EducatorBrowser(laptop_context.new_page(), live.url)
    laptop.login(username, password)
    phone_context = browser.new_context(viewport=DEVICES["phone"])
    phone = EducatorBrowser(phone_context.new_page(), live.url)
    phone.login(username, password)

    page = laptop.page
    page.click("text=Kata sandi saya")
    page.wait_for_url(re.compile(r"/auth/password$"))
    c = Checker(page, axe_source, shot, device)
    c.check("30-change-password")
    page.fill("input[name=current]", password)
    page.fill("input[name=new]", "pendek")
    page.fill("input[name=repeat]", "pendek")
    page.click("main form button[type=submit]")
    expect(page.locator(".error")).to_contain_text("10 sampai 200 karakter")
    c.check("31-change-password-refused")
    page.fill("input[name=current]", password)
    page.fill("input[name=new]", "sandi-baru-bidan")
    page.fill("input[name=repeat]", "sandi-baru-bidan")
    page.click("main form button[type=submit]")
    page.wait_for_url(re.compile(r"/educator/?$"))
    expect(page.locator("body")).to_contain_text("Kata sandi Anda sudah diganti.")
    assert not [p for p in c.problems if "axe" in p or "wider" in p], "\n".join(c.problems)

    phone.page.reload()
    phone.page.wait_for_url(re.compile(r"/auth/login"))
    phone.login(username, "sandi-baru-bidan")
    laptop_context.close()
    phone_context.close()


def test_a_lecturers_live_session_page_shows_pseudonyms_and_no_code(
    browser, live, base_app, educator_account, shot
):
    sid, join_code = make_session(base_app)
    with base_app.app_context():
        lecturer = accounts.create_account(
            None, username="dosen", full_name="Dr. Dosen", password="rahasia-789", role="lecturer"
        )
        session_svc.grant_read(db.session.get(CounselingSession, sid), lecturer)
        db.session.commit()
    mothers = [
        Tablet(browser.new_context(viewport=DEVICES["phone"]), live.url, n) for n in ("Ibu Ani", "Ibu Sri")
    ]
    for m in mothers:
        m.join(join_code)
    with base_app.app_context():
        codes = list(
            db.session.scalars(select(Participant.personal_code).where(Participant.session_id == sid))
        )
    assert len(codes) == 2
    context = browser.new_context(viewport=DEVICES["tablet"])
    reader = EducatorBrowser(context.new_page(), live.url)
    reader.login("dosen", "rahasia-789")
    reader.open_session(sid)
    page = reader.page
    rows = page.locator("[data-rows] tr")
    expect(rows).to_have_count(2)
    # The page refreshes itself from live.json: wait for one refresh, then read what is shown.
    expect(page.locator("[data-live-status]")).not_to_be_empty()
    shot(page, "32-lecturer-session")
    text = page.inner_text("main")
    assert "P01" in text and "P02" in text
    assert "Ibu Ani" not in text and "Ibu Sri" not in text
    for code in codes:
        assert code not in text and f"{code[:3]}-{code[3:]}" not in text
    header_cells = page.locator("[data-score-table] thead th").count()
    assert page.locator("[data-rows] tr").first.locator("td").count() == header_cells
    with base_app.app_context():
        assert db.session.scalar(select(Educator.role).where(Educator.username == "dosen")) == "lecturer"
    for m in mothers:
        m.context.close()
    context.close()
