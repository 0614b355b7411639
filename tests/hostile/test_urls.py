"""Hostile values in URLs and in the upload form's number: a 4xx with the usual message, never a 500.

Ids beyond the database's integer range (PostgreSQL refuses them with an error, SQLite with an
OverflowError), digits that str.isdigit() accepts and int() refuses ("²"), a `next=` with CR/LF
and Decimal's signalling NaN.
"""

from __future__ import annotations

import io

import pytest
from flask import url_for
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from app.extensions import db
from app.models import CounselingSession
from tests.conftest import csrf_from
from tests.hostile.strategies import hostile_text
from tests.security.helpers import login_redirect

BEYOND = [2**31, 2**63, 10**20, 99999999999999999999]
PREFIXES = ("educator.", "reports.", "admin.", "bank.")


def assert_usual_4xx(response, status: int = 404):
    assert response.status_code == status, (response.status_code, response.text[:300])
    assert 'class="error"' in response.text or 'class="lead"' in response.text, response.text[:500]


@pytest.mark.parametrize("big", BEYOND)
def test_every_route_with_an_id_beyond_the_database_range_is_a_404(app, educator_client, big):
    sid = educator_client.create_session()
    client = educator_client.client
    tried = 0
    for rule in app.url_map.iter_rules():
        if not rule.endpoint.startswith(PREFIXES) or "GET" not in rule.methods:
            continue
        ints = [a for a in rule.arguments if "Integer" in rule._converters[a].__class__.__name__]
        if not ints:
            continue
        for arg in ints:
            values = {a: sid if a in ints else "pre" if a == "kind" else "xlsx" for a in rule.arguments}
            with app.test_request_context():
                path = url_for(rule.endpoint, **{**values, arg: big})
            response = client.get(path)
            assert response.status_code == 404, (rule.endpoint, path, response.status_code)
            tried += 1
    assert tried >= 8
    assert_usual_4xx(client.get(f"/educator/sessions/{big}"))


@pytest.mark.parametrize(
    "value", ["²", "٣", "1²", str(2**31), "99999999999999999999", "-1", "0", "1e3", " 1"]
)
@pytest.mark.parametrize("path", ["/reports/programme", "/reports/programme/download/csv"])
def test_a_programme_session_that_cannot_be_an_id_is_a_404(app, educator_client, path, value):
    sid = educator_client.create_session()
    response = educator_client.client.get(path, query_string=[("s", str(sid)), ("s", value)])
    assert_usual_4xx(response)


def test_the_programme_page_still_pools_ticked_sessions(app, educator_client):
    sid = educator_client.create_session()
    page = educator_client.client.get("/reports/programme", query_string={"s": str(sid)})
    assert page.status_code == 200
    assert db.session.get(CounselingSession, sid).title in page.text


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(target=st.one_of(hostile_text, st.builds(lambda t: "/" + t, hostile_text)))
def test_the_login_next_is_a_redirect_on_this_site_whatever_it_holds(app, educator, target):
    client = app.test_client()
    page = client.get("/auth/login", query_string={"next": target})
    if "\x00" in target:  # the app refuses NUL anywhere in a request, before any view
        assert_usual_4xx(page, 400)
        return
    assert page.status_code == 200
    location = login_redirect(client, page, target)
    assert location.startswith("/") and not location.startswith("//") and "\\" not in location
    assert not any(ord(c) < 0x20 for c in location)


@pytest.mark.parametrize("max_score", ["sNaN", "-sNaN", "NaN", "nan", "Infinity", "-inf", "1e999999"])
def test_the_upload_form_refuses_a_highest_score_that_is_not_a_number(app, educator_client, max_score):
    client = educator_client.client
    page = client.get("/reports/upload")
    response = client.post(
        "/reports/upload",
        data={
            "csrf_token": csrf_from(page.text),
            "title": "Penyuluhan",
            "max_score": max_score,
            "lang": "id",
            "fmt": "pdf",
            "data_file": (io.BytesIO(b"participant,pre,post\nA,50,70\nB,40,80\n"), "data.csv"),
        },
        content_type="multipart/form-data",
    )
    assert_usual_4xx(response, 400)
