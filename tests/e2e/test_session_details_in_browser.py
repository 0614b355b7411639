"""The report details page on a tablet and a phone: fits the screen, passes axe, refuses a bad NIP, saves."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from app.extensions import db
from app.models import CounselingSession
from tests.e2e.conftest import DEVICES
from tests.e2e.helpers import Educator as EducatorBrowser
from tests.e2e.test_screens import Checker, make_session

pytestmark = pytest.mark.browser


@pytest.mark.parametrize(("device", "lang"), [("tablet", "id"), ("phone", "en")])
def test_the_details_page_fits_refuses_a_bad_number_and_saves(
    browser, live, base_app, educator_account, axe_source, shot, device, lang
):
    sid, _code = make_session(base_app)
    context = browser.new_context(viewport=DEVICES[device], bypass_csp=True)
    educator = EducatorBrowser(context.new_page(), live.url)
    if lang == "en":
        educator.page.goto(live.url + "/lang/en")
    educator.login(*educator_account)
    page = educator.page
    c = Checker(page, axe_source, shot, f"{device}-{lang}")
    educator.open_session(sid)
    page.click(f"a[href$='/educator/sessions/{sid}/details']")
    page.wait_for_url(re.compile(r"/details$"))
    c.check("30-session-details")
    page.check("input[name=methods][value=ceramah]")
    page.check("input[name=methods][value=diskusi]")
    page.check("input[name=media][value=leaflet]")
    page.fill("input[name=duration_minutes]", "60")
    page.fill("input[name=leader-name]", "Dr. Rina Marlina")
    page.select_option("select[name=leader-id_kind]", "NIDN")
    page.fill("input[name=leader-id_number]", "00120381O1")  # a letter O among the digits
    page.fill("input[name=signatories-0-role]", "Kepala Puskesmas")
    page.fill("input[name=signatories-0-name]", "dr. Hendra")
    page.click("main form button[type=submit]")
    error = page.locator("#leader-id_number-err")
    expect(error).to_have_text(
        "Gunakan angka saja (boleh dengan spasi), misalnya 19800101 200501 2 001."
        if lang == "id"
        else "Use digits only (spaces allowed), e.g. 19800101 200501 2 001."
    )
    c.check("31-session-details-error")
    page.fill("input[name=leader-id_number]", "0012038101")
    page.click("main form button[type=submit]")
    page.wait_for_url(re.compile(rf"/educator/sessions/{sid}$"))
    with base_app.app_context():
        details = db.session.get(CounselingSession, sid).report_details
    assert details["leader"] == {"name": "Dr. Rina Marlina", "id_kind": "NIDN", "id_number": "0012038101"}
    assert details["methods"] == ["ceramah", "diskusi"] and details["duration_minutes"] == 60
    assert not c.problems, "\n".join(c.problems)
    context.close()
