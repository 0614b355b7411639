"""The cohort pages through the test client: forms, the phone's JSON visits, the worklist, the coverage."""

from __future__ import annotations

from datetime import date, timedelta

from sqlalchemy import func, select

from app.extensions import db
from app.models import AuditLog
from app.models.cohort import CohortPair, CohortVisit, WhatsAppOpened
from tests.cohort import visit_body
from tests.conftest import EducatorActions, csrf_from


def login(app, username, password):
    actions = EducatorActions(app.test_client(), username, password)
    actions.login()
    return actions.client


def new_pair_form(client, posyandu_id, **extra):
    page = client.get("/cohort/pairs/new")
    assert page.status_code == 200
    data = {
        "csrf_token": csrf_from(page.text),
        "posyandu": str(posyandu_id),
        "mother_name": "Ibu Rina <script>",
        "mother_phone": "0812 3456 7890",
        "baby_sex": "P",
        "birth_date": (date.today() - timedelta(days=40)).isoformat(),
        "cadre": "0",
        "consent_followup": "y",
        "consent_whatsapp": "y",
    }
    data.update(extra)
    return client.post("/cohort/pairs/new", data=data)


def count(model):
    db.session.expire_all()
    return db.session.scalar(select(func.count(model.id)))


def test_a_cadre_registers_a_pair_and_sees_it_escaped(app, places):
    client = login(app, "kader1", "rahasia-k1")
    response = new_pair_form(client, places.melati.id)
    assert response.status_code == 302
    pair = db.session.scalar(select(CohortPair))
    assert pair.cadre_id == places.kader1.id and pair.consent_whatsapp_at is not None
    page = client.get("/cohort/")
    assert (
        "Ibu Rina &lt;script&gt;" in page.text
        and "<script>" not in page.text.split("</header>")[1].split("<script src")[0]
    )
    assert client.get(f"/cohort/pairs/{pair.id}").status_code == 200
    # The other cadre does not see it.
    other = login(app, "kader2", "rahasia-k2")
    assert "Ibu Rina" not in other.get("/cohort/").text
    assert other.get(f"/cohort/pairs/{pair.id}").status_code == 404


def test_bad_pairs_get_a_message_in_indonesian_and_write_nothing(app, places):
    client = login(app, "kader1", "rahasia-k1")
    future = new_pair_form(
        client, places.melati.id, birth_date=(date.today() + timedelta(days=3)).isoformat()
    )
    assert future.status_code == 400 and "Tanggal lahir tidak boleh di masa depan" in future.text
    other = new_pair_form(client, places.anggrek.id)
    assert other.status_code == 422  # not a choice she has
    assert count(CohortPair) == 0


def test_a_likely_duplicate_is_shown_then_registered_on_purpose_and_merged(app, places):
    client = login(app, "kader1", "rahasia-k1")
    assert new_pair_form(client, places.melati.id, mother_name="Rina Marlina").status_code == 302
    again = new_pair_form(client, places.mawar.id, mother_name="Ny. Rina Marlinah")
    assert again.status_code == 409 and "Rina Marlina" in again.text
    assert count(CohortPair) == 1
    anyway = new_pair_form(client, places.mawar.id, mother_name="Ny. Rina Marlinah", confirm_new="y")
    assert anyway.status_code == 302
    first, second = db.session.scalars(select(CohortPair.id).order_by(CohortPair.id)).all()
    page = client.get(f"/cohort/pairs/{first}")
    assert "Ny. Rina Marlinah" in page.text  # offered for merging
    merged = client.post(
        f"/cohort/pairs/{first}/merge",
        data={"csrf_token": csrf_from(page.text), "duplicate": str(second)},
    )
    assert merged.status_code == 302
    assert count(CohortPair) == 1
    assert (
        db.session.scalar(select(AuditLog.detail).where(AuditLog.action == "cohort.pair_merge"))["merged_id"]
        == second
    )


def test_json_visits_are_stored_once_and_bad_ones_refused(app, places):
    client = login(app, "kader1", "rahasia-k1")
    new_pair_form(client, places.melati.id)
    pair = db.session.scalar(select(CohortPair))
    token = csrf_from(client.get(f"/cohort/pairs/{pair.id}/visit").text)
    url = f"/cohort/pairs/{pair.id}/visits.json"
    headers = {"X-CSRFToken": token}
    body = visit_body("OFFLINE-KEY-1", date.today(), recall_24h=["water"], problems=["sore_nipples"])
    first = client.post(url, json=body, headers=headers)
    again = client.post(url, json=body, headers=headers)
    assert first.status_code == again.status_code == 200
    assert (first.json["created"], again.json["created"], first.json["status"]) == (True, False, "predominan")
    assert count(CohortVisit) == 1
    before = client.post(
        url, json=visit_body("OFFLINE-KEY-2", pair.birth_date - timedelta(days=1)), headers=headers
    )
    assert before.status_code == 400 and before.json["error"] == "visit_before_birth"
    assert "sebelum tanggal lahir" in before.json["message"]
    bad = client.post(
        url, json=visit_body("OFFLINE-KEY-3", date.today(), recall_24h=["juice"]), headers=headers
    )
    assert bad.status_code == 422 and "recall_24h" in bad.json["fields"]
    absent = client.post(
        url,
        json={"client_key": "OFFLINE-KEY-4", "visit_date": date.today().isoformat(), "came": "no"},
        headers=headers,
    )
    assert absent.status_code == 200 and absent.json["status"] == "tidak_datang"
    assert count(CohortVisit) == 2
    # Another posyandu's cadre, and a deleted pair: refused, nothing written.
    other = login(app, "kader2", "rahasia-k2")
    other_token = csrf_from(other.get("/cohort/").text)
    refused = other.post(
        url, json=visit_body("OFFLINE-KEY-5", date.today()), headers={"X-CSRFToken": other_token}
    )
    assert refused.status_code == 404
    page = client.get(f"/cohort/pairs/{pair.id}/delete")
    assert (
        client.post(
            f"/cohort/pairs/{pair.id}/delete", data={"csrf_token": csrf_from(page.text), "confirm": "y"}
        ).status_code
        == 302
    )
    gone = client.post(url, json=visit_body("OFFLINE-KEY-6", date.today()), headers=headers)
    assert gone.status_code == 404 and gone.json["error"] == "pair_not_found"
    assert count(CohortVisit) == 0 and count(CohortPair) == 0


def test_the_visit_form_without_javascript(app, places):
    client = login(app, "kader1", "rahasia-k1")
    new_pair_form(client, places.melati.id)
    pair = db.session.scalar(select(CohortPair))
    page = client.get(f"/cohort/pairs/{pair.id}/visit")
    data = {
        "csrf_token": csrf_from(page.text),
        "client_key": "FORMKEY-123",
        "visit_date": date.today().isoformat(),
        "came": "yes",
        "place": "posyandu",
        "other_since_last": "no",
        "breastfed_24h": "yes",
        "counseling": "Posisi dan pelekatan",
    }
    assert client.post(f"/cohort/pairs/{pair.id}/visit", data=data).status_code == 302
    assert client.post(f"/cohort/pairs/{pair.id}/visit", data=data).status_code == 302  # resent: stored once
    assert count(CohortVisit) == 1
    page = client.get(f"/cohort/pairs/{pair.id}/visit")
    assert "Posisi dan pelekatan" in page.text  # the previous visit's answers
    no_place = dict(data, client_key="FORMKEY-456", place="")
    refused = client.post(f"/cohort/pairs/{pair.id}/visit", data=no_place)
    assert refused.status_code == 400 and "Pilih tempat kunjungan" in refused.text
    assert count(CohortVisit) == 1


def test_worklist_and_whatsapp_opened(app, places):
    client = login(app, "kader1", "rahasia-k1")
    new_pair_form(client, places.melati.id)
    pair = db.session.scalar(select(CohortPair))
    page = client.get("/cohort/worklist")
    assert "Ibu Rina" in page.text and "WhatsApp" in page.text
    response = client.post(f"/cohort/pairs/{pair.id}/whatsapp", data={"csrf_token": csrf_from(page.text)})
    assert response.status_code == 303
    assert response.headers["Location"].startswith("https://wa.me/6281234567890?text=Assalamualaikum")
    assert count(WhatsAppOpened) == 1
    assert "WhatsApp dibuka" in client.get("/cohort/worklist").text


def test_coverage_page_and_target(app, places):
    client = login(app, "tpg", "rahasia-tp")
    page = client.get("/cohort/coverage?period=2026-08")
    assert page.status_code == 200 and "<svg" in page.text
    response = client.post(
        f"/cohort/puskesmas/{places.puskesmas.id}/target",
        data={"csrf_token": csrf_from(page.text), "year": "2026", "percent": "50"},
    )
    assert response.status_code == 302
    page = client.get("/cohort/coverage?period=2026-08")
    assert "target 50" in page.text
    kader = login(app, "kader1", "rahasia-k1")
    token = csrf_from(kader.get("/cohort/").text)
    denied = kader.post(
        f"/cohort/puskesmas/{places.puskesmas.id}/target",
        data={"csrf_token": token, "year": "2026", "percent": "10"},
    )
    assert denied.status_code == 403
    assert client.get("/cohort/coverage?period=2026-07&semester=1").status_code == 302  # not Feb/Aug
