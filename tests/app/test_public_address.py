"""The public address (app/urls.py public_base) and the small items of issue 16 point 11 that a
request can check: the quiz picker, the download help, code fields, the audit log's zone, the
standard consent text on the new-session form."""

from __future__ import annotations

import re

import pytest

from app import urls
from app.extensions import db
from app.models import CounselingSession
from tests.conftest import csrf_from

LAN = ["192.168.43.10", "fd00::5"]


def base_for(app, url: str, monkeypatch, addresses=LAN, public: str = "") -> urls.PublicBase:
    monkeypatch.setattr(urls, "lan_addresses", lambda: list(addresses))
    monkeypatch.setitem(app.config, "PUBLIC_BASE_URL", public)
    with app.test_request_context("/educator/", base_url=url):
        return urls.public_base()


@pytest.mark.parametrize(
    "opened", ["http://127.0.0.1:5000", "http://localhost:5000", "http://[::1]:5000", "http://127.0.1.1:5000"]
)
def test_loopback_in_the_educators_browser_gives_the_lan_address_with_the_same_port(app, monkeypatch, opened):
    base = base_for(app, opened, monkeypatch)
    assert base == urls.PublicBase("http://192.168.43.10:5000/", True, 5000)


def test_an_ipv6_only_lan_address_is_written_in_brackets(app, monkeypatch):
    base = base_for(app, "http://127.0.0.1:5001", monkeypatch, addresses=["fd00::5"])
    assert base.url == "http://[fd00::5]:5001/"
    assert base.join("/j/ABC") == "http://[fd00::5]:5001/j/ABC"


def test_an_address_others_can_open_is_kept(app, monkeypatch):
    assert base_for(app, "http://10.0.0.7:5000", monkeypatch).url == "http://10.0.0.7:5000/"
    assert base_for(app, "http://laptop.local:5000", monkeypatch).url == "http://laptop.local:5000/"


def test_public_base_url_wins_over_everything(app, monkeypatch):
    base = base_for(app, "http://127.0.0.1:5000", monkeypatch, public="https://asi.example.ac.id/")
    assert base == urls.PublicBase("https://asi.example.ac.id/", True, 443)


def test_only_loopback_known_is_said(app, monkeypatch):
    base = base_for(app, "http://127.0.0.1:5000", monkeypatch, addresses=[])
    assert base == urls.PublicBase("http://127.0.0.1:5000/", False, 5000)


def test_outside_a_request_the_lan_address_on_port_5000(app, monkeypatch):
    monkeypatch.setattr(urls, "lan_addresses", lambda: list(LAN))
    monkeypatch.setitem(app.config, "PUBLIC_BASE_URL", "")
    with app.app_context():
        assert urls.public_url("/c/X") == "http://192.168.43.10:5000/c/X"
    monkeypatch.setattr(urls, "lan_addresses", lambda: [])
    with app.app_context():
        assert urls.public_base() == urls.PublicBase("http://127.0.0.1:5000/", False, 5000)


UNSPECIFIED = "0.0.0.0"  # noqa: S104 - an address to classify, nothing binds to it


@pytest.mark.parametrize(
    ("host", "loopback"),
    [
        ("localhost", True),
        ("LOCALHOST.", True),
        ("a.localhost", True),
        ("127.9.9.9", True),
        ("::1", True),
        ("::ffff:127.0.0.1", True),
        (UNSPECIFIED, True),
        ("192.168.1.2", False),
        ("fd00::5", False),
        ("laptop", False),
    ],
)
def test_loopback_hosts(host, loopback):
    assert urls.is_loopback_host(host) is loopback


def test_the_machines_own_lan_addresses_are_never_loopback_or_link_local():
    for address in urls.lan_addresses():
        assert not urls.is_loopback_host(address)
        assert not address.startswith(("169.254.", "fe80:"))


def test_session_page_and_qr_use_the_lan_address_when_opened_at_localhost(app, educator_client, monkeypatch):
    monkeypatch.setattr(urls, "lan_addresses", lambda: list(LAN))
    sid = educator_client.create_session()
    code = db.session.get(CounselingSession, sid).join_code
    page = educator_client.client.get(f"/educator/sessions/{sid}")  # the test client is http://localhost/
    assert f"http://192.168.43.10:80/j/{code}" in page.text
    assert "data-unreachable" not in page.text
    assert 'target="_blank" rel="noopener"' in page.text


def test_no_network_address_warns_on_the_session_page_and_projector(app, educator_client, monkeypatch):
    monkeypatch.setattr(urls, "lan_addresses", lambda: [])
    sid = educator_client.create_session()
    for path in (f"/educator/sessions/{sid}", f"/educator/sessions/{sid}/projector"):
        page = educator_client.client.get(path)
        assert "data-unreachable" in page.text
        assert "Tablet tidak dapat membuka alamat ini." in page.text


def test_the_quiz_picker_names_the_form_once_in_the_pages_language(app, educator_client):
    page = educator_client.client.get("/educator/sessions/new").text
    options = re.findall(r"<option[^>]*>([^<]*)</option>", page)
    b_forms = [o for o in options if "Produksi ASI (bentuk B)" in o]
    assert b_forms and all("form B" not in o and o.count("bentuk B") == 1 for o in b_forms)
    assert any(o.startswith("Produksi ASI (bentuk A)") for o in options)
    educator_client.client.get("/lang/en")
    page = educator_client.client.get("/educator/sessions/new").text
    options = re.findall(r"<option[^>]*>([^<]*)</option>", page)
    assert any(o.startswith("Breast-milk production (form B) · v") for o in options)
    assert not any("(form B) (form B)" in o or "bentuk" in o for o in options)


def test_the_programme_reports_help_mentions_no_checkbox_it_lacks(app, educator_client):
    sid = educator_client.create_session()
    programme = educator_client.client.get(f"/reports/programme?s={sid}").text
    assert 'name="names"' not in programme
    assert "Dengan nama" not in programme
    session = educator_client.client.get(f"/reports/sessions/{sid}").text
    assert 'name="names"' in session and "Dengan nama" in session


CODE_ATTRIBUTES = (
    'autocomplete="off"',
    'autocorrect="off"',
    'autocapitalize="characters"',
    'spellcheck="false"',
    'inputmode="text"',
)


def test_code_fields_are_not_corrected_by_the_keyboard(app, educator_client):
    sid = educator_client.create_session()
    code = db.session.get(CounselingSession, sid).join_code
    educator_client.move(sid, "pre_open")
    pages = [
        app.test_client().get("/").text,
        app.test_client().get(f"/s/{code}").text,
        educator_client.client.get(f"/educator/sessions/{sid}/delete").text,
    ]
    for page, name in zip(pages, ("code", "personal_code", "join_code"), strict=True):
        tag = re.search(rf'<input[^>]*name="{name}"[^>]*>', page)
        assert tag, name
        for attribute in CODE_ATTRIBUTES:
            assert attribute in tag.group(0), (name, attribute)


def test_the_audit_log_and_the_live_view_state_one_zone(app, educator_client):
    sid = educator_client.create_session()
    educator_client.move(sid, "pre_open")
    audit = educator_client.client.get(f"/educator/sessions/{sid}/audit").text
    assert re.search(r"\d\d[.:]\d\d WIB</td>", audit)
    live = educator_client.client.get(f"/educator/sessions/{sid}/live.json").get_json()
    assert re.fullmatch(r"\d\d:\d\d:\d\d WIB", live["updated_text"])


def test_the_new_session_form_shows_the_standard_consent_text(app, educator_client):
    page = educator_client.client.get("/educator/sessions/new").text
    assert "Anda diajak menjawab kuis singkat" in page  # Indonesian, as participants read it
    assert "You are invited to answer a short quiz" in page  # and English
    assert csrf_from(page)
