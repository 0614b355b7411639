"""Every cohort route tried as every other role: outsiders, the other posyandu's cadre, another Puskesmas's officer.

The routes are read from app.url_map, so a route added later is tried too. A refusal is a
redirect to the login page, 401, 403 or 404; never 200 or a 500, and nothing may change.
"""

from __future__ import annotations

import io
from datetime import date, timedelta

import pytest
from flask import url_for
from openpyxl import load_workbook
from sqlalchemy import func, select

from app.extensions import db
from app.models import AuditLog
from app.models.cohort import CohortCertificate, CohortPair, CohortVisit, CoverageTarget, WhatsAppOpened
from app.services import cohort
from app.services.cohort import PairData, VisitData
from tests.conftest import EducatorActions, Tablet, csrf_from
from tests.security.test_access import assert_refused

PUBLIC = {"cohort.static", "cohort.verify"}
#: Arguments that name one pair, certificate or Puskesmas: another place must be refused there.
SCOPED_ARGS = {"pair_id", "puskesmas_id", "cert_id", "visit_id"}
#: The places and memberships: an admin's pages only.
ADMIN_ONLY = {
    "cohort.places",
    "cohort.add_puskesmas",
    "cohort.add_desa",
    "cohort.add_posyandu",
    "cohort.add_member",
    "cohort.remove_member",
}


@pytest.fixture
def world(places, make_educator):
    p = places
    birth = date.today() - timedelta(days=200)
    pair = cohort.create_pair(
        p.kader1,
        PairData(
            p.melati.id, "Ibu Rahasia", "P", birth, True, mother_phone="081234567890", consent_whatsapp=True
        ),
    )
    visit, _ = cohort.record_visit(
        p.kader1, pair, VisitData("world-visit-1", birth + timedelta(days=3), place="home")
    )
    other_tpg = make_educator("tpg2", "rahasia-t2", role="tpg", full_name="TPG Lain")
    other_pkm = db.session.get(type(p.puskesmas), p.other.desa.puskesmas_id)
    cohort.add_member(other_tpg, puskesmas=other_pkm)
    make_educator("dosen", "rahasia-do", role="lecturer")
    cert = CohortCertificate(
        pair_id=pair.id, code="ACDEFHJKMNPR", number=1, year=2026
    )  # as if it had completed
    db.session.add(cert)
    db.session.commit()
    return {"pair_id": pair.id, "puskesmas_id": p.puskesmas.id, "visit_id": visit.id, "cert_id": cert.id}


def cohort_rules(app):
    return sorted(
        (
            r
            for r in app.url_map.iter_rules()
            if r.endpoint.startswith("cohort.") and r.endpoint not in PUBLIC
        ),
        key=lambda r: r.endpoint,
    )


def build(app, rule, world) -> str:
    values = {}
    for arg in rule.arguments:
        values[arg] = world.get(arg, "xlsx" if arg == "fmt" else 1)
    with app.test_request_context():
        return url_for(rule.endpoint, **values)


def form(token: str, world) -> dict:
    """Everything a POST here could want, so a missing check shows up as a success."""
    return {
        "csrf_token": token,
        "confirm": "y",
        "duplicate": str(world["pair_id"]),
        "posyandu": "1",
        "mother_name": "Intruder",
        "baby_sex": "L",
        "birth_date": date.today().isoformat(),
        "consent_followup": "y",
        "cadre": "0",
        "client_key": "INTRUDER-KEY-1",
        "visit_date": date.today().isoformat(),
        "came": "yes",
        "place": "home",
        "breastfed_24h": "yes",
        "year": "2026",
        "percent": "1",
        "reason": "intruder",
    }


def snapshot() -> dict:
    db.session.expire_all()
    return {
        m.__tablename__: db.session.scalar(select(func.count(m.id)))
        for m in (CohortPair, CohortVisit, CoverageTarget, WhatsAppOpened, CohortCertificate, AuditLog)
    } | {"names": sorted(db.session.scalars(select(CohortPair.mother_name)))}


def try_routes(app, client, token_page, who, world, only_scoped=False) -> int:
    token = csrf_from(client.get(token_page).text)
    tried = 0
    for rule in cohort_rules(app):
        if only_scoped and not SCOPED_ARGS & set(rule.arguments):
            continue
        url = build(app, rule, world)
        if "GET" in rule.methods:
            assert_refused(client.get(url), who, rule.endpoint, "GET")
            tried += 1
        if "POST" in rule.methods:
            assert_refused(client.post(url, data=form(token, world)), who, rule.endpoint, "POST")
            body = {"client_key": "INTRUDER-KEY-2", "visit_date": date.today().isoformat(), "came": "no"}
            assert_refused(
                client.post(url, json=body, headers={"X-CSRFToken": token}), who, rule.endpoint, "POST json"
            )
            tried += 1
    return tried


def login(app, username, password):
    actions = EducatorActions(app.test_client(), username, password)
    actions.login()
    return actions.client


def test_the_cadre_can_open_every_page_of_her_pair(app, world):
    """The control: the URLs built here are right, so a refusal below is a real refusal."""
    client = login(app, "kader1", "rahasia-k1")
    opened = 0
    for rule in cohort_rules(app):
        if "GET" in rule.methods and rule.endpoint != "cohort.set_target" and rule.endpoint not in ADMIN_ONLY:
            response = client.get(build(app, rule, world))
            assert response.status_code == 200, rule.endpoint
            opened += 1
    assert opened >= 7


@pytest.mark.parametrize(
    ("username", "password"),
    [("bidan", "rahasia-123"), ("dosen", "rahasia-do")],
    ids=["educator", "lecturer"],
)
def test_educators_and_lecturers_are_refused_everywhere(app, world, username, password):
    client = login(app, username, password)  # a login writes its own audit entry: snapshot after it
    before = snapshot()
    assert try_routes(app, client, "/educator/", username, world) >= 10
    assert snapshot() == before


def test_logged_out_and_participants_are_refused_everywhere(app, world):
    before = snapshot()
    assert try_routes(app, app.test_client(), "/auth/login", "logged out", world) >= 10
    tablet = Tablet(app)
    assert try_routes(app, tablet.client, "/", "participant", world) >= 10
    assert snapshot() == before


@pytest.mark.parametrize(
    ("username", "password"),
    [("kader2", "rahasia-k2"), ("tpg2", "rahasia-t2")],
    ids=["other cadre", "other tpg"],
)
def test_another_place_cannot_reach_the_pair(app, world, username, password):
    client = login(app, username, password)  # a login writes its own audit entry: snapshot after it
    before = snapshot()
    assert try_routes(app, client, "/cohort/", username, world, only_scoped=True) >= 5
    for path in ("/cohort/", "/cohort/worklist", "/cohort/coverage", "/cohort/certificates"):
        page = client.get(path)
        assert page.status_code == 200 and "Ibu Rahasia" not in page.text, path
    assert snapshot() == before
    book = load_workbook(io.BytesIO(client.get("/cohort/report.xlsx?names=1").data))
    assert not [c for ws in book for row in ws.iter_rows(values_only=True) for c in row if c == "Ibu Rahasia"]


def test_a_cadre_cannot_set_the_target(app, world):
    client = login(app, "kader1", "rahasia-k1")  # a login writes its own audit entry: snapshot after it
    before = snapshot()
    token = csrf_from(client.get("/cohort/").text)
    response = client.post(f"/cohort/puskesmas/{world['puskesmas_id']}/target", data=form(token, world))
    assert response.status_code == 403
    assert snapshot() == before


@pytest.mark.parametrize(
    ("username", "password"),
    [("kader1", "rahasia-k1"), ("tpg", "rahasia-tp"), ("kader2", "rahasia-k2")],
    ids=["cadre", "tpg", "other cadre"],
)
def test_only_an_admin_sets_up_places_and_memberships(app, world, username, password):
    client = login(app, username, password)
    before = snapshot()
    token = csrf_from(client.get("/cohort/").text)
    tried = 0
    for rule in cohort_rules(app):
        if rule.endpoint not in ADMIN_ONLY:
            continue
        url = build(app, rule, world)
        if "GET" in rule.methods:
            assert client.get(url).status_code == 403, rule.endpoint
        if "POST" in rule.methods:
            data = form(token, world) | {
                "pkm-name": "Puskesmas Baru",
                "desa-name": "Desa Baru",
                "pos-name": "X",
            }
            assert client.post(url, data=data).status_code == 403, rule.endpoint
        tried += 1
    assert tried == len(ADMIN_ONLY)
    assert snapshot() == before
    admin = login(app, "admin", "rahasia-ad")
    assert admin.get("/cohort/places").status_code == 200
