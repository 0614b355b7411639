"""A cadre (kader) or a nutrition officer (TPG) is a cohort account: every page of the counseling
sessions (educator, reports, bank, admin) sends her to her cohort home on a GET and refuses her
otherwise, and nothing changes. The routes are read from app.url_map, as tests/security/test_access.py does."""

from __future__ import annotations

import pytest

from tests.conftest import EducatorActions, csrf_from
from tests.security.test_access import build, plausible_form, protected_rules, snapshot, world  # noqa: F401

SESSION_SIDE = ("educator.", "reports.", "bank.", "admin.")


def session_rules(app):
    return [r for r in protected_rules(app) if r.endpoint.startswith(SESSION_SIDE)]


def assert_sent_home_or_refused(response, who: str, where: str) -> None:
    assert response.status_code < 500, where
    if response.status_code == 302:
        assert response.headers["Location"].endswith("/cohort/"), (who, where, response.headers["Location"])
    else:
        assert response.status_code in (403, 404), (who, where, response.status_code)
        assert "Ibu Rahasia" not in response.get_data(as_text=True), where


@pytest.mark.parametrize("role", ["kader", "tpg"])
def test_a_cohort_account_opens_no_session_page(app, world, make_educator, role):  # noqa: F811
    make_educator(f"{role}9", "rahasia-999", role=role, full_name="Kohort")
    person = EducatorActions(app.test_client(), f"{role}9", "rahasia-999")
    person.login()
    client = person.client
    before = snapshot()  # after the login, whose audit entry is expected
    home = client.get("/educator/")
    assert home.status_code == 302 and home.headers["Location"].endswith("/cohort/")
    assert client.get("/cohort/").status_code == 200  # her own home opens
    token = csrf_from(client.get("/cohort/").text)
    tried = 0
    for rule in session_rules(app):
        url = build(app, rule, world)
        if "GET" in rule.methods:
            assert_sent_home_or_refused(client.get(url), role, f"GET {rule.endpoint}")
            tried += 1
        if "POST" in rule.methods:
            assert_sent_home_or_refused(
                client.post(url, data=plausible_form(world, token)), role, f"POST {rule.endpoint}"
            )
            response = client.post(url, json={"target": "closed"}, headers={"X-CSRFToken": token})
            assert_sent_home_or_refused(response, role, f"POST json {rule.endpoint}")
            tried += 1
    assert tried >= 30
    assert snapshot() == before


def test_a_cohort_account_still_changes_her_password_and_logs_out(app, make_educator):
    make_educator("kader9", "rahasia-999", role="kader", full_name="Kohort")
    person = EducatorActions(app.test_client(), "kader9", "rahasia-999")
    person.login()
    assert person.client.get("/auth/password").status_code == 200
    page = person.client.get("/auth/password").text
    assert person.client.post("/auth/logout", data={"csrf_token": csrf_from(page)}).status_code == 302
    assert person.client.get("/educator/").headers["Location"].startswith("/auth/login")


def test_a_certificate_check_stays_open_to_a_cohort_account(app, make_educator):
    make_educator("kader9", "rahasia-999", role="kader", full_name="Kohort")
    person = EducatorActions(app.test_client(), "kader9", "rahasia-999")
    person.login()
    assert person.client.get("/c/ACDEFHJKMNPR").status_code == 404  # the verification page, not a redirect


def _menu(page: str) -> set[str]:
    import re

    nav = re.search(r'<nav class="topnav">(.*?)</nav>', page, re.S)
    assert nav, "the page has its menu"
    return set(re.findall(r'<a href="(/[^"?]*)"', nav.group(1)))


@pytest.mark.parametrize("role", ["kader", "tpg"])
def test_a_cohort_accounts_password_page_shows_the_cohort_menu(app, make_educator, role):
    make_educator(f"{role}9", "rahasia-999", role=role, full_name="Kohort")
    person = EducatorActions(app.test_client(), f"{role}9", "rahasia-999")
    person.login()
    cohort_menu = _menu(person.client.get("/cohort/").text)
    assert "/cohort/worklist" in cohort_menu and not any(h.startswith("/educator") for h in cohort_menu)
    assert "/auth/password" in cohort_menu  # her menu leads to this page
    page = person.client.get("/auth/password")
    assert page.status_code == 200
    menu = _menu(page.text)
    assert cohort_menu <= menu, menu
    assert not any(h.startswith(("/educator", "/bank", "/reports", "/admin")) for h in menu), menu
    assert 'name="current"' in page.text  # still the password form
    # After the change she lands on her cohort home, told it worked.
    changed = person.client.post(
        "/auth/password",
        data={
            "csrf_token": csrf_from(page.text),
            "current": "rahasia-999",
            "new": "baru-rahasia-2468",
            "repeat": "baru-rahasia-2468",
        },
    )
    assert changed.status_code == 302 and changed.headers["Location"].endswith("/cohort/"), changed.headers


def test_an_educators_password_page_keeps_the_educator_menu(app, make_educator):
    make_educator("bidan9", "rahasia-999", full_name="Bidan")
    person = EducatorActions(app.test_client(), "bidan9", "rahasia-999")
    person.login()
    menu = _menu(person.client.get("/auth/password").text)
    assert {"/educator/", "/bank/", "/auth/password"} <= menu and "/cohort/worklist" not in menu, menu
