"""Participant text never runs: not in the educator's browser, not in the PDF, not as a spreadsheet formula."""

from __future__ import annotations

import csv
import io
import json

import pytest
from openpyxl import load_workbook

from app.extensions import db
from tests.conftest import EducatorActions, delete_test_data, new_educator
from tests.security.helpers import both_tests_taken

NAMES = [
    "<script>alert('x')</script>",
    '"><img src=x onerror=alert(1)>',
    '=HYPERLINK("http://evil.example","klik")',
    "+1+2",
    "-3+4",
    "@SUM(A1:A9)",
    "{{ config }}",
    "Ibu Siti",
]
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


@pytest.fixture(scope="module")
def hostile_session(base_app):
    """The session with the hostile names, built once per backend for this module: its tests only
    read it (pages and downloads), so each would otherwise spend ~370 requests building the same
    data. Deleted at the end of the module, as the `app` fixture deletes a test's data."""
    try:
        with base_app.app_context():
            new_educator()
            owner = EducatorActions(base_app.test_client())
            owner.login()
            sid, _code, _tablets = both_tests_taken(base_app, owner, NAMES)
            db.session.remove()
        yield sid
    finally:
        with base_app.app_context():
            delete_test_data()


@pytest.fixture
def app(base_app, hostile_session):
    """The app inside an app context, the module's session kept (deleted by `hostile_session`)."""
    with base_app.app_context():
        yield base_app
        db.session.rollback()
        db.session.remove()


@pytest.fixture
def educator_client(app):
    """The owner of the module's session, logged in on a browser of her own."""
    actions = EducatorActions(app.test_client())
    actions.login()
    return actions


def test_names_are_escaped_on_every_educator_page(app, educator_client, hostile_session):
    client = educator_client.client
    sid = hostile_session
    for path in (
        f"/educator/sessions/{sid}",
        f"/educator/sessions/{sid}/participants",
        f"/reports/sessions/{sid}",
        f"/educator/sessions/{sid}/audit",
    ):
        page = client.get(path)
        assert page.status_code == 200, path
        assert "<script>alert" not in page.text and "<img src=x" not in page.text, path
        assert "{{ config }}" not in page.text or "SECRET_KEY" not in page.text
    assert "&lt;script&gt;" in client.get(f"/educator/sessions/{sid}/participants").text
    live = client.get(f"/educator/sessions/{sid}/live.json")
    assert live.is_json and live.mimetype == "application/json"
    # JSON is data: the educator's page sets it with textContent, and the names arrive intact.
    assert any(r.get("name") == NAMES[0] for r in json.loads(live.text).get("rows", []))


def _download(client, sid, fmt):
    response = client.get(f"/reports/sessions/{sid}/download/{fmt}?names=1")
    assert response.status_code == 200, (fmt, response.status_code)
    return response.data


def test_no_name_becomes_a_formula_in_excel(app, educator_client, hostile_session):
    workbook = load_workbook(io.BytesIO(_download(educator_client.client, hostile_session, "xlsx")))
    seen = set()
    for ws in workbook.worksheets:
        for row in ws.iter_rows():
            for cell in row:
                assert cell.data_type != "f", (ws.title, cell.coordinate, cell.value)
                if isinstance(cell.value, str):
                    assert not cell.value.startswith(FORMULA_START), (ws.title, cell.coordinate, cell.value)
                    seen.add(cell.value)
    assert "<script>alert('x')</script>" in seen  # names are there, as plain text
    assert '\'=HYPERLINK("http://evil.example","klik")' in seen


@pytest.mark.parametrize("sep", ["", "&sep=semicolon"])
def test_no_name_becomes_a_formula_in_the_csv(app, educator_client, hostile_session, sep):
    response = educator_client.client.get(f"/reports/sessions/{hostile_session}/download/csv?names=1{sep}")
    assert response.status_code == 200
    text = response.data.decode("utf-8-sig")
    delimiter = ";" if sep else ","
    fields = [f for row in csv.reader(io.StringIO(text), delimiter=delimiter) for f in row]
    for value in fields:
        assert (
            not value.startswith(FORMULA_START)
            or value.lstrip("-").replace(",", "").replace(".", "").isdigit()
        ), value


def test_the_pdf_has_no_script_and_prints_names_as_text(app, educator_client, hostile_session):
    from pypdf import PdfReader

    data = _download(educator_client.client, hostile_session, "pdf")
    for marker in (b"/JavaScript", b"/JS ", b"/Launch", b"/OpenAction", b"/AA ", b"/URI (http://evil"):
        assert marker not in data, marker
    text = "\n".join(page.extract_text() or "" for page in PdfReader(io.BytesIO(data)).pages)
    assert "Ibu Siti" in text or "P0" in text


def test_certificates_pdf_has_no_script(app, educator_client, hostile_session):
    response = educator_client.client.get(f"/reports/sessions/{hostile_session}/certificates.pdf")
    assert response.status_code == 200
    for marker in (b"/JavaScript", b"/JS ", b"/Launch", b"/OpenAction"):
        assert marker not in response.data


@pytest.mark.parametrize("fmt", ["xlsx", "csv"])
def test_exports_are_pseudonymised_unless_names_are_asked_for(app, educator_client, hostile_session, fmt):
    response = educator_client.client.get(f"/reports/sessions/{hostile_session}/download/{fmt}")
    assert response.status_code == 200
    if fmt == "xlsx":
        wb = load_workbook(io.BytesIO(response.data))
        values = {
            str(c.value) for ws in wb.worksheets for row in ws.iter_rows() for c in row if c.value is not None
        }
        blob = "\n".join(values)
    else:
        blob = response.data.decode("utf-8-sig")
    assert "Ibu Siti" not in blob and "HYPERLINK" not in blob
