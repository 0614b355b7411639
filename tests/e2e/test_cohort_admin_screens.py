"""The cohort screens added for issue 19: the admin's places page and a pair's page with a referral
to follow up and her session record to link. Screenshots at 800x1280 and 390x844, no serious or
critical axe-core violation, nothing wider than the screen, and the forms work in the browser."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from playwright.sync_api import expect

from app.extensions import db
from app.models.cohort import CohortVisit
from app.services import accounts, cohort
from app.services.cohort import PairData, VisitData
from tests.e2e.conftest import DEVICES
from tests.e2e.test_screens import Checker

pytestmark = pytest.mark.browser


@pytest.fixture
def referral_world(base_app, live):
    with base_app.app_context():
        pkm = cohort.add_puskesmas("Puskesmas Bojong Nangka", "dr. Dian", "Sri Gizi")
        melati = cohort.add_posyandu(cohort.add_desa(pkm, "Bojong Nangka"), "Melati")
        kader = accounts.create_account(
            None, username="kader1", full_name="Kader Siti", password="rahasia-k1", role="kader"
        )
        accounts.create_account(
            None, username="admin", full_name="Admin", password="rahasia-ad", role="admin"
        )
        cohort.add_member(kader, posyandu=melati)
        pair = cohort.create_pair(
            kader,
            PairData(melati.id, "Ibu Rina", "P", date.today() - timedelta(days=80), True, baby_name="Bayi"),
        )
        visit, _ = cohort.record_visit(
            kader,
            pair,
            VisitData(
                "referral-e2e-1", date.today() - timedelta(days=2), place="home", referral_to="Bidan desa"
            ),
        )
        db.session.commit()
        return pair.id, visit.id


def login(page, url, username, password, lands_on):
    page.goto(url + "/auth/login")
    page.fill("#username", username)
    page.fill("#password", password)
    page.click("form:not(.inline) button[type=submit]")
    page.wait_for_url(url + lands_on)


@pytest.mark.parametrize("device", ["tablet", "phone"])
def test_places_and_the_referral_outcome_in_the_browser(
    browser, live, base_app, referral_world, axe_source, shot, device
):
    pair_id, visit_id = referral_world
    context = browser.new_context(viewport=DEVICES[device], bypass_csp=True)  # only to inject axe-core
    page = context.new_page()
    c = Checker(page, axe_source, shot, device)

    login(page, live.url, "kader1", "rahasia-k1", "/cohort/")  # a cadre lands in her cohort, not the sessions
    page.goto(f"{live.url}/educator/")
    assert page.url == f"{live.url}/cohort/"
    page.goto(f"{live.url}/cohort/pairs/{pair_id}")
    c.check("30-cohort-pair-referral")
    page.fill(f"#outcome-{visit_id}", "Diperiksa bidan, pelekatan diperbaiki")
    page.click(f"[data-referral='{visit_id}'] button[type=submit]")
    expect(page.locator("[data-referral-outcome]")).to_have_text("Diperiksa bidan, pelekatan diperbaiki")
    with base_app.app_context():
        assert (
            db.session.get(CohortVisit, visit_id).referral_outcome == "Diperiksa bidan, pelekatan diperbaiki"
        )
    page.fill("#personal_code", "ZZZ-ZZZ")
    page.click("[data-participant-link] button[type=submit]")
    expect(page.locator("main")).to_contain_text("Tidak ada peserta dengan kode pribadi ini")
    context.clear_cookies()

    login(page, live.url, "admin", "rahasia-ad", "/educator/")
    page.goto(f"{live.url}/cohort/places")
    c.check("31-cohort-places")
    page.fill("#desa-name", "bojong nangka")  # taken, in another case
    page.click("form[action$='/places/desa'] button[type=submit]")
    expect(page.locator("form[action$='/places/desa'] .error")).to_contain_text("sudah ada")
    c.check("32-cohort-places-refused")
    page.fill("#pos-name", "Mawar")
    page.click("form[action$='/places/posyandu'] button[type=submit]")
    expect(page.locator("[data-places]")).to_contain_text("Mawar")
    assert not [p for p in c.problems if "axe" in p or "wider" in p], "\n".join(c.problems)
    context.close()
