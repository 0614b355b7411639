"""The visit form on a phone-sized Chromium, offline included, and screenshots of the cohort screens."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from sqlalchemy import func, select

from app.extensions import db
from app.models.cohort import CohortPair, CohortVisit
from app.services import cohort
from app.services.cohort import PairData, VisitData
from tests.e2e.conftest import DEVICES

pytestmark = pytest.mark.browser


@pytest.fixture
def cohort_world(base_app, live):
    from app.services import accounts

    def create_user(username, full_name, password, role):
        return accounts.create_account(
            None, username=username, full_name=full_name, password=password, role=role
        )

    with base_app.app_context():
        pkm = cohort.add_puskesmas("Puskesmas Bojong Nangka", "dr. Dian", "Sri Gizi")
        desa = cohort.add_desa(pkm, "Bojong Nangka")
        melati = cohort.add_posyandu(desa, "Melati")
        kader = create_user("kader1", "Kader Siti", "rahasia-k1", "kader")
        tpg = create_user("tpg", "Sri Gizi", "rahasia-tp", "tpg")
        cohort.add_member(kader, posyandu=melati)
        cohort.add_member(tpg, puskesmas=pkm)
        cohort.set_target(tpg, pkm, date.today().year, 50)
        today = date.today()
        ids = []
        for i, (name, days) in enumerate([("Ibu Rina", 75), ("Ibu Wati", 20), ("Ibu Sari", 160)]):
            pair = cohort.create_pair(
                kader,
                PairData(
                    melati.id,
                    name,
                    "P",
                    today - timedelta(days=days),
                    True,
                    baby_name=f"Bayi {i}",
                    mother_phone="081234567890",
                    consent_whatsapp=i != 1,
                ),
            )
            ids.append(pair.id)
        first = db.session.get(CohortPair, ids[0])
        cohort.record_visit(
            kader,
            first,
            VisitData(
                "seed-visit-1",
                first.birth_date + timedelta(days=35),
                place="home",
                problems=["sore_nipples"],
                counseling="Posisi dan pelekatan menyusui",
            ),
        )
        db.session.commit()
    return ids


def login(page, url, username, password):
    page.goto(url + "/auth/login")
    page.fill("#username", username)
    page.fill("#password", password)
    page.click("form:not(.inline) button[type=submit]")


def visits(base_app) -> int:
    with base_app.app_context():
        return db.session.scalar(select(func.count(CohortVisit.id)))


def test_visit_form_on_a_phone_offline_then_online(browser, live, base_app, cohort_world, shot):
    context = browser.new_context(viewport=DEVICES["phone"])
    page = context.new_page()
    errors = []
    page.on("pageerror", lambda e: errors.append(str(e)))
    login(page, live.url, "kader1", "rahasia-k1")
    pair_id = cohort_world[0]
    page.goto(f"{live.url}/cohort/pairs/{pair_id}/visit")
    assert "Posisi dan pelekatan menyusui" in page.inner_text(".previous")  # the previous visit
    assert "Umur bayi pada kunjungan ini: 2 bulan." in page.inner_text("#age-line")
    shot(page, "cohort-visit-phone")
    # Large tap targets: every option row is at least 48 px high.
    heights = page.eval_on_selector_all(
        ".tap-grid .option", "els => els.map(e => e.getBoundingClientRect().height)"
    )
    assert heights and min(heights) >= 48
    context.set_offline(True)
    page.check("input[name=place][value=posyandu]")
    page.check("input[name=other_since_last][value=no]")
    page.check("input[name=recall_24h][value=water]")
    page.click("#visit-form button[type=submit]")
    assert not errors, errors
    page.wait_for_function(
        "document.getElementById('visit-status').textContent.includes('Tersimpan di HP ini')"
    )
    assert page.evaluate("JSON.parse(localStorage.getItem('eduasi:cohort:visits')).length") == 1
    assert visits(base_app) == 1  # only the seeded one: nothing reached the server
    shot(page, "cohort-visit-phone-offline")
    page.click("#visit-form button[type=submit]")  # tapped again while offline: still one in the queue
    assert page.evaluate("JSON.parse(localStorage.getItem('eduasi:cohort:visits')).length") == 1
    context.set_offline(False)
    page.evaluate("window.dispatchEvent(new Event('online'))")
    page.wait_for_url(f"{live.url}/cohort/pairs/{pair_id}")
    assert visits(base_app) == 2
    assert page.evaluate("JSON.parse(localStorage.getItem('eduasi:cohort:visits') || '[]').length") == 0
    with base_app.app_context():
        stored = db.session.scalars(select(CohortVisit).order_by(CohortVisit.id)).all()[-1]
        assert (stored.status, stored.other_since_last, stored.place) == ("predominan", False, "posyandu")
        key = stored.client_key
    # The same visit resent (a phone that lost the answer): stored once.
    result = page.evaluate(
        """async ([url, key]) => {
            const token = document.querySelector('input[name=csrf_token]').value;
            const r = await fetch(url, {method: 'POST', headers: {'Content-Type': 'application/json', 'X-CSRFToken': token},
              body: JSON.stringify({client_key: key, visit_date: new Date().toISOString().slice(0, 10), came: 'yes',
                                    place: 'home', breastfed_24h: 'yes'})});
            return [r.status, (await r.json()).created];
        }""",
        [f"{live.url}/cohort/pairs/{pair_id}/visits.json", key],
    )
    assert result == [200, False] and visits(base_app) == 2
    context.close()


@pytest.mark.parametrize("device", ["phone", "tablet"])
def test_cohort_screens(browser, live, cohort_world, shot, device):
    context = browser.new_context(viewport=DEVICES[device])
    page = context.new_page()
    login(page, live.url, "kader1", "rahasia-k1")
    for path, name in [
        ("/cohort/", "register"),
        ("/cohort/pairs/new", "new-pair"),
        (f"/cohort/pairs/{cohort_world[0]}", "pair"),
        ("/cohort/worklist", "worklist"),
        (f"/cohort/pairs/{cohort_world[0]}/visit", "visit"),
    ]:
        page.goto(live.url + path)
        shot(page, f"cohort-{name}-{device}")
        assert page.evaluate("document.documentElement.scrollWidth") <= DEVICES[device]["width"] + 1, name
    context.close()
    context = browser.new_context(viewport=DEVICES[device])
    page = context.new_page()
    login(page, live.url, "tpg", "rahasia-tp")
    page.goto(live.url + "/cohort/coverage")
    assert page.locator("svg.chart").count() == 1
    shot(page, f"cohort-coverage-{device}")
    context.close()
