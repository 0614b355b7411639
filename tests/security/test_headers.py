"""Security headers, the Content-Security-Policy, cookies, sessions that expire, CSRF on every form."""

from __future__ import annotations

import re
import time
from pathlib import Path

import pytest
from werkzeug.routing import Rule

from app import create_app
from app.config import ProductionConfig
from app.security import CONTENT_SECURITY_POLICY
from tests.conftest import ROOT, EducatorActions, csrf_from

TEMPLATES = ROOT / "app" / "templates"
EXPECTED_CSP = (
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
    "object-src 'none'; frame-ancestors 'none'; base-uri 'self'; form-action 'self'"
)


@pytest.fixture
def headers_on(app):
    before = app.config.get("SECURITY_HEADERS")
    app.config["SECURITY_HEADERS"] = True
    yield app
    app.config["SECURITY_HEADERS"] = before


def test_the_policy_is_the_agreed_one():
    assert "; ".join(CONTENT_SECURITY_POLICY) == EXPECTED_CSP


@pytest.mark.parametrize("path", ["/", "/auth/login", "/static/css/app.css", "/no-such-page"])
def test_every_response_carries_the_security_headers(headers_on, client, path):
    response = client.get(path)
    response.close()  # a static file is streamed from an open file
    assert response.headers["Content-Security-Policy"] == EXPECTED_CSP
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert response.headers["X-Frame-Options"] == "DENY"
    assert response.headers["Referrer-Policy"] == "same-origin"


def test_pages_are_not_kept_in_a_shared_tablets_cache(headers_on, client):
    assert client.get("/").headers["Cache-Control"] == "no-store"
    static = client.get("/static/css/app.css")
    static.close()
    assert "no-store" not in static.headers.get("Cache-Control", "")


def test_headers_can_be_switched_off(app, client):
    before = app.config.get("SECURITY_HEADERS")
    app.config["SECURITY_HEADERS"] = False
    try:
        assert "Content-Security-Policy" not in client.get("/").headers
    finally:
        app.config["SECURITY_HEADERS"] = before


INLINE_PATTERNS = {
    # A <script type="application/json"> is data, which the policy does not run and does not block.
    "inline <script> without src": re.compile(
        r"<script(?![^>]*\bsrc=)(?![^>]*type=\"application/json\")[^>]*>", re.I
    ),
    "<style> element": re.compile(r"<style\b", re.I),
    "style= attribute": re.compile(r"\sstyle\s*=", re.I),
    "on...= event handler": re.compile(r"\son[a-z]+\s*=", re.I),
    "javascript: URL": re.compile(r"javascript:", re.I),
}


def test_no_template_has_inline_script_or_style_that_the_policy_would_block():
    offenders = []
    for path in sorted(TEMPLATES.rglob("*.html")):
        text = path.read_text(encoding="utf-8")
        for what, pattern in INLINE_PATTERNS.items():
            for match in pattern.finditer(text):
                line = text.count("\n", 0, match.start()) + 1
                offenders.append(f"{path.relative_to(ROOT)}:{line}: {what}")
    assert not offenders, "\n".join(offenders)


def test_rendered_pages_of_a_whole_session_have_no_inline_script_or_style(app, educator_client, tablet):
    """The templates as rendered, with participant text in them, on the pages people actually see."""
    from app.extensions import db
    from app.models import CounselingSession

    sid = educator_client.create_session()
    code = db.session.get(CounselingSession, sid).join_code
    educator_client.move(sid, "pre_open")
    t = tablet()
    t.register(code, "Ibu <b>Tebal</b>")
    pages = [t.client.get(p) for p in ("/", f"/s/{code}", "/me/code", "/quiz/pre/1", "/quiz/pre/review")]
    pages += [
        educator_client.client.get(p)
        for p in ("/educator/", f"/educator/sessions/{sid}", f"/educator/sessions/{sid}/projector")
    ]
    for response in pages:
        assert response.status_code == 200, response.request.path
        for what, pattern in INLINE_PATTERNS.items():
            assert not pattern.search(response.text), (response.request.path, what)
        assert "<b>Tebal</b>" not in response.text


# --- production configuration -------------------------------------------------------------------


def test_production_refuses_to_start_without_a_secret_key(monkeypatch):
    monkeypatch.delenv("SECRET_KEY", raising=False)
    with pytest.raises(RuntimeError, match="SECRET_KEY"):
        create_app("production")


@pytest.fixture
def production_app(monkeypatch, tmp_path):
    monkeypatch.setenv("SECRET_KEY", "a-long-production-secret-for-the-test")
    monkeypatch.setattr(
        ProductionConfig, "SQLALCHEMY_DATABASE_URI", "sqlite:///" + str(tmp_path / "p.sqlite3")
    )
    application = create_app("production")
    yield application
    with application.app_context():
        from app.extensions import dispose_engines

        dispose_engines()


def test_production_over_https_sets_secure_cookie_flags_and_headers(production_app, monkeypatch):
    """PUBLIC_BASE_URL https://...: every cookie Secure, and HSTS."""
    monkeypatch.setitem(production_app.config, "SESSION_COOKIE_SECURE", True)  # as PUBLIC_BASE_URL=https://
    assert production_app.config["SECURITY_HEADERS"] is True
    assert production_app.config["SECRET_KEY"] == "a-long-production-secret-for-the-test"
    response = production_app.test_client().get("/auth/login")
    assert response.status_code == 200
    cookie = response.headers["Set-Cookie"]
    assert "Secure" in cookie and "HttpOnly" in cookie and "SameSite=Lax" in cookie
    assert response.headers["Content-Security-Policy"] == EXPECTED_CSP
    assert response.headers["Strict-Transport-Security"].startswith("max-age=")
    assert production_app.config["REMEMBER_COOKIE_DURATION"].days <= 30


def test_an_https_public_base_url_makes_every_cookie_secure(monkeypatch):
    import importlib

    import app.config

    monkeypatch.setenv("PUBLIC_BASE_URL", "https://asi.example.ac.id")
    try:
        reloaded = importlib.reload(app.config)
        assert reloaded.ProductionConfig.SESSION_COOKIE_SECURE is True
        assert reloaded.ProductionConfig.REMEMBER_COOKIE_SECURE is True
        monkeypatch.setenv("PUBLIC_BASE_URL", "http://192.168.1.5:5000")
        reloaded = importlib.reload(app.config)
        assert reloaded.ProductionConfig.SESSION_COOKIE_SECURE is False
    finally:
        monkeypatch.delenv("PUBLIC_BASE_URL")
        importlib.reload(app.config)


def test_production_on_the_laptops_lan_lets_a_participant_join_over_plain_http(production_app):
    """http://<laptop address>: the cookies are not Secure, so the browser sends them back and the
    consent form passes its CSRF check (with Secure cookies every form failed: issue 15 item 9)."""
    from datetime import date

    from app.extensions import db
    from app.models import Phase, QuizVersion
    from app.schema import upgrade
    from app.services import accounts, quizbank, sessions

    with production_app.app_context():
        upgrade()
        quizbank.import_bank(production_app.config["QUIZ_DIR"])
        quiz = db.session.scalars(db.select(QuizVersion)).first()
        user = accounts.create_account(
            None, username="lanbidan", full_name="Bidan LAN", password="a-secret-password"
        )
        room = sessions.create_session(
            user, title="LAN", place="Posyandu", held_on=date(2026, 12, 1), quiz_version=quiz
        )
        sessions.move_phase(room, Phase.PRE_OPEN)
        code = room.join_code
        db.session.commit()
    client = production_app.test_client()
    base = "http://192.168.43.10:5000"
    page = client.get(f"/s/{code}/consent", base_url=base)
    assert page.status_code == 200
    cookie = page.headers["Set-Cookie"]
    assert "Secure" not in cookie and "HttpOnly" in cookie
    assert "Strict-Transport-Security" not in page.headers
    token = re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', page.text).group(1)
    # consent and registration are one form ("I agree and start"): the session's default questions
    answers = {"age": "27", "education": "sma", "occupation": "housewife", "parity": "1"}
    answers |= {"status": "breastfeeding", "baby_age_months": "2"}
    agreed = client.post(
        f"/s/{code}/consent",
        data={"agree": "y", "name": "Ibu LAN", "csrf_token": token, **answers},
        base_url=base,
    )
    assert agreed.status_code == 302, agreed.text[:500]
    assert agreed.headers["Location"].endswith("/me")  # registered: /me sends her to her first question


def test_production_marks_the_session_cookie_secure_on_a_request_over_https(production_app):
    """Behind an HTTPS proxy (PROXY_COUNT) or direct TLS: Secure, though PUBLIC_BASE_URL is unset."""
    response = production_app.test_client().get("/auth/login", base_url="https://asi.example.ac.id")
    assert "Secure" in response.headers["Set-Cookie"]


def test_production_hashes_passwords_with_scrypt(production_app):
    from app.schema import upgrade
    from app.services.accounts import create_account

    with production_app.app_context():
        upgrade()
        user = create_account(None, username="prodhash", full_name="Bidan Prod", password="a-secret-password")
        assert user.password_hash.startswith("scrypt:32768:8:1$")
        assert user.check_password("a-secret-password") and not user.check_password("A-secret-password")


# --- logins and sessions ------------------------------------------------------------------------


def test_passwords_are_stored_hashed(app, make_educator):
    user = make_educator("hashcheck", "a-secret-password")
    assert "a-secret-password" not in user.password_hash
    assert user.password_hash.startswith(("scrypt:", "pbkdf2:"))
    assert user.check_password("a-secret-password") and not user.check_password("A-secret-password")


def test_a_login_session_expires(app, educator):
    """A session cookie older than PERMANENT_SESSION_LIFETIME is no longer accepted."""
    from datetime import timedelta

    before = app.permanent_session_lifetime
    client = app.test_client()
    EducatorActions(client).login()
    assert client.get("/educator/").status_code == 200
    app.permanent_session_lifetime = timedelta(seconds=1)
    try:
        time.sleep(2.1)
        response = client.get("/educator/")
        assert response.status_code == 302 and "/auth/login" in response.headers["Location"]
    finally:
        app.permanent_session_lifetime = before


def test_a_deactivated_account_is_logged_out_at_once(app, educator):
    from app.extensions import db

    client = app.test_client()
    EducatorActions(client).login()
    educator.active = False
    db.session.commit()
    assert client.get("/educator/").status_code == 302


# --- CSRF on every form -------------------------------------------------------------------------


def _sample_url(app, rule: Rule) -> str:
    values = {}
    for arg in rule.arguments:
        converter = rule._converters[arg].__class__.__name__
        values[arg] = 1 if "Integer" in converter else ("pre" if arg == "kind" else "ABCDEF")
    with app.test_request_context():
        from flask import url_for

        return url_for(rule.endpoint, **values)


def post_rules(app) -> list[Rule]:
    return [r for r in app.url_map.iter_rules() if "POST" in (r.methods or ()) and r.endpoint != "static"]


def test_the_app_has_post_routes_to_check(app):
    endpoints = {r.endpoint for r in post_rules(app)}
    assert {
        "participant.join",
        "participant.api_answer",
        "participant.submit",
        "auth.login",
        "educator.change_phase",
        "educator.delete_session",
        "admin.new_account",
    } <= endpoints


def test_every_post_without_a_csrf_token_is_refused(app, educator_client):
    """Logged in as an educator (so login_required passes), no route accepts a POST without a token."""
    from app.csrf import csrf

    exempt = (
        {
            f if isinstance(f, str) else getattr(f, "__module__", "") + "." + getattr(f, "__name__", "")
            for f in csrf._exempt_views
        }
        if hasattr(csrf, "_exempt_views")
        else set()
    )
    # The one exemption: the laptops' push API, which no browser session can reach (no cookie is
    # read) and whose every request is signed by a registered laptop key (services/bundles).
    assert exempt <= {"app.bundles.views.api_import"}, f"views exempt from CSRF: {exempt}"
    for rule in post_rules(app):
        if rule.endpoint == "bundles.api_import":
            continue  # signed, not a browser's (above); tests/bundles checks its refusals
        url = _sample_url(app, rule)
        for body in ({"data": {"x": "1"}}, {"json": {"x": "1"}}):
            response = educator_client.client.post(url, headers={"Accept": "application/json"}, **body)
            assert response.status_code == 400, (rule.endpoint, response.status_code)
            assert response.json["error"] == "csrf", rule.endpoint


def test_a_token_from_another_browser_is_refused(app, client):
    other = app.test_client()
    token = csrf_from(other.get("/auth/login").text)
    client.get("/auth/login")
    response = client.post("/auth/login", data={"username": "x", "password": "y", "csrf_token": token})
    assert response.status_code == 400


def test_templates_exist_for_every_page_of_this_issue():
    for name in (
        "admin/accounts.html",
        "admin/new_account.html",
        "admin/access.html",
        "admin/audit.html",
        "educator/audit.html",
        "educator/manage_participants.html",
        "educator/manage_delete_participant.html",
        "educator/manage_delete_session.html",
    ):
        assert Path(TEMPLATES / name).is_file(), name
