"""What issue 19 still lacked: a referral's later outcome, linking a mother to her session record,
and the admin's pages for places and memberships. Bad input is refused with a message and writes nothing."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from sqlalchemy import func, select

from app.extensions import db
from app.models import AuditLog, Participant
from app.models.cohort import CohortMembership, CohortPair, CohortVisit, Desa, Posyandu, Puskesmas
from app.services import cohort
from app.services.cohort import PairData, VisitData
from tests.conftest import EducatorActions, csrf_from, one_tablet_in


def login(app, username, password):
    actions = EducatorActions(app.test_client(), username, password)
    actions.login()
    return actions.client


@pytest.fixture
def pair(places):
    birth = date.today() - timedelta(days=100)
    created = cohort.create_pair(places.kader1, PairData(places.melati.id, "Ibu Wulan", "P", birth, True))
    db.session.commit()
    return created


def visit_with(pair, places, key: str, referral_to: str = "") -> CohortVisit:
    stored, _ = cohort.record_visit(
        places.kader1,
        pair,
        VisitData(
            key,
            date.today() - timedelta(days=1),
            place="home",
            problems=["sore_nipples"],
            referral_to=referral_to,
        ),
    )
    db.session.commit()
    return stored


def counts() -> dict:
    db.session.expire_all()
    return {
        "audit": db.session.scalar(select(func.count(AuditLog.id))),
        "outcomes": sorted(db.session.scalars(select(CohortVisit.referral_outcome))),
        "links": sorted(db.session.execute(select(CohortPair.id, CohortPair.participant_id)).all()),
        "places": [db.session.scalar(select(func.count(m.id))) for m in (Puskesmas, Desa, Posyandu)],
        "members": db.session.scalar(select(func.count(CohortMembership.id))),
    }


def refused_to_kader1(app, pair, path: str, data: dict, status: int, message: str) -> None:
    """kader1 sends `data` to `path` from her pair's page: refused with `status` and `message`, and
    nothing is written."""
    client = login(app, "kader1", "rahasia-k1")
    token = csrf_from(client.get(f"/cohort/pairs/{pair.id}").text)
    before = counts()
    response = client.post(path, data={"csrf_token": token, **data})
    assert response.status_code == status
    assert message in response.text
    assert counts() == before


# ---------------------------------------------------------------- referral outcome


def test_a_cadre_records_what_came_of_a_referral(app, places, pair):
    visit = visit_with(pair, places, "referral-visit-1", referral_to="Bidan desa")
    client = login(app, "kader1", "rahasia-k1")
    page = client.get(f"/cohort/pairs/{pair.id}")
    assert f'action="/cohort/visits/{visit.id}/referral"' in page.text
    response = client.post(
        f"/cohort/visits/{visit.id}/referral",
        data={"csrf_token": csrf_from(page.text), "outcome": "  Diperiksa bidan,   pelekatan diperbaiki "},
    )
    assert response.status_code == 302
    db.session.expire_all()
    assert db.session.get(CohortVisit, visit.id).referral_outcome == "Diperiksa bidan, pelekatan diperbaiki"
    assert "Diperiksa bidan, pelekatan diperbaiki" in client.get(f"/cohort/pairs/{pair.id}").text


@pytest.mark.parametrize(
    ("outcome", "status", "message"),
    [
        ("", 422, "wajib diisi"),
        ("   ", 422, "wajib diisi"),
        ("x" * 301, 422, "paling banyak 300 karakter"),
        ("bad\x07bell", 422, "huruf"),
    ],
    ids=["empty", "blank", "too long", "control character"],
)
def test_a_bad_outcome_is_refused_and_nothing_is_written(app, places, pair, outcome, status, message):
    visit = visit_with(pair, places, "referral-visit-2", referral_to="Puskesmas")
    refused_to_kader1(app, pair, f"/cohort/visits/{visit.id}/referral", {"outcome": outcome}, status, message)


def test_a_visit_without_referral_takes_no_outcome(app, places, pair):
    visit = visit_with(pair, places, "no-referral-visit")
    refused_to_kader1(
        app, pair, f"/cohort/visits/{visit.id}/referral", {"outcome": "ok"}, 409, "tidak memiliki rujukan"
    )


def test_a_deleted_pairs_visit_is_not_found(app, places, pair):
    visit = visit_with(pair, places, "deleted-pair-visit", referral_to="Bidan")
    client = login(app, "kader1", "rahasia-k1")
    token = csrf_from(client.get("/cohort/").text)
    cohort.delete_pair(places.kader1, db.session.get(CohortPair, pair.id))
    db.session.commit()
    response = client.post(f"/cohort/visits/{visit.id}/referral", data={"csrf_token": token, "outcome": "x"})
    assert response.status_code == 404


# ---------------------------------------------------------------- link to a session record


@pytest.fixture
def participant_code(app, places):
    owner = EducatorActions(app.test_client(), "bidan", "rahasia-123")
    owner.login()
    _sid, _code, tablet = one_tablet_in(app, owner, "Wulan", title="Kelas Ibu Menyusui")
    return tablet.personal_code()


def test_a_mother_is_linked_to_her_session_record_by_her_personal_code(app, places, pair, participant_code):
    client = login(app, "kader1", "rahasia-k1")
    page = client.get(f"/cohort/pairs/{pair.id}")
    assert 'autocapitalize="characters"' in page.text
    typed = participant_code.lower()  # as typed on a phone, with the dash
    response = client.post(
        f"/cohort/pairs/{pair.id}/participant",
        data={"csrf_token": csrf_from(page.text), "personal_code": typed},
    )
    assert response.status_code == 302
    db.session.expire_all()
    linked = db.session.get(CohortPair, pair.id).participant_id
    participant = db.session.scalar(
        select(Participant).where(Participant.personal_code == participant_code.replace("-", ""))
    )
    assert linked == participant.id
    assert "Kelas Ibu Menyusui" in client.get(f"/cohort/pairs/{pair.id}").text
    entry = db.session.scalar(select(AuditLog).where(AuditLog.action == "cohort.link_participant"))
    assert entry.detail == {"pair_id": pair.id, "participant_id": participant.id}

    # The same record cannot be linked to a second mother.
    other = cohort.create_pair(
        places.kader1, PairData(places.mawar.id, "Ibu Lain", "L", date.today() - timedelta(days=30), True)
    )
    db.session.commit()
    token = csrf_from(client.get(f"/cohort/pairs/{other.id}").text)
    before = counts()
    response = client.post(
        f"/cohort/pairs/{other.id}/participant", data={"csrf_token": token, "personal_code": typed}
    )
    assert response.status_code == 409 and "sudah ditautkan" in response.text
    assert counts() == before

    # Removing the link keeps the record.
    response = client.post(f"/cohort/pairs/{pair.id}/participant/unlink", data={"csrf_token": token})
    assert response.status_code == 302
    db.session.expire_all()
    assert db.session.get(CohortPair, pair.id).participant_id is None
    assert db.session.get(Participant, participant.id) is not None


@pytest.mark.parametrize(
    ("code", "status", "message"),
    [
        ("", 422, "wajib diisi"),
        ("ZZZ-ZZZ", 404, "Tidak ada peserta"),
        ("A" * 21, 422, "Kode terlalu panjang"),
    ],
    ids=["empty", "unknown", "too long"],
)
def test_a_bad_personal_code_links_nothing(app, places, pair, code, status, message):
    refused_to_kader1(
        app, pair, f"/cohort/pairs/{pair.id}/participant", {"personal_code": code}, status, message
    )


# ---------------------------------------------------------------- places and memberships


def test_the_admin_sets_up_places_and_places_the_cadres(app, places, make_educator):
    client = login(app, "admin", "rahasia-ad")
    page = client.get("/cohort/places")
    assert page.status_code == 200 and "Bojong Nangka" in page.text and "Kader Siti" in page.text
    token = csrf_from(page.text)

    def done(path: str, data: dict) -> None:
        response = client.post(path, data={"csrf_token": token, **data})
        assert response.status_code == 302, (path, response.text)

    done("/cohort/places/puskesmas", {"pkm-name": "Puskesmas Sukamaju", "pkm-head_name": "dr. Ani"})
    pkm = db.session.scalar(select(Puskesmas).where(Puskesmas.name == "Puskesmas Sukamaju"))
    assert pkm.head_name == "dr. Ani"
    done("/cohort/places/desa", {"desa-puskesmas": str(pkm.id), "desa-name": "Sukamaju"})
    desa = db.session.scalar(select(Desa).where(Desa.puskesmas_id == pkm.id))
    done("/cohort/places/posyandu", {"pos-desa": str(desa.id), "pos-name": "Dahlia"})
    posyandu = db.session.scalar(select(Posyandu).where(Posyandu.desa_id == desa.id))
    assert posyandu.name == "Dahlia"
    new_cadre = make_educator("kader3", "rahasia-k3", role="kader", full_name="Kader Baru")
    done("/cohort/members", {"m-account": str(new_cadre.id), "m-place": f"posyandu:{posyandu.id}"})
    assert cohort.visible_posyandu_ids(new_cadre) == {posyandu.id}
    membership = db.session.scalar(
        select(CohortMembership).where(CohortMembership.educator_id == new_cadre.id)
    )
    done(f"/cohort/members/{membership.id}/remove", {})
    db.session.expire_all()
    assert cohort.visible_posyandu_ids(new_cadre) == set()
    assert db.session.scalar(select(AuditLog).where(AuditLog.action == "cohort.remove_member")) is not None


@pytest.mark.parametrize(
    ("path", "data", "status", "message"),
    [
        ("/cohort/places/puskesmas", {"pkm-name": ""}, 422, "wajib diisi"),
        ("/cohort/places/puskesmas", {"pkm-name": "puskesmas bojong nangka"}, 409, "sudah ada"),
        ("/cohort/places/puskesmas", {"pkm-name": "P" * 121}, 422, "paling banyak 120 karakter"),
        ("/cohort/places/desa", {"desa-puskesmas": "{pkm}", "desa-name": "CIKEAS"}, 409, "sudah ada"),
        ("/cohort/places/desa", {"desa-puskesmas": "999999", "desa-name": "X"}, 422, "Pilih dari daftar"),
        ("/cohort/places/posyandu", {"pos-desa": "{desa}", "pos-name": "Melati"}, 409, "sudah ada"),
        ("/cohort/members", {"m-account": "{kader1}", "m-place": "posyandu:{melati}"}, 409, "sudah ditempatkan"),
        ("/cohort/members", {"m-account": "{kader1}", "m-place": "puskesmas:{pkm}"}, 422, "tidak dapat ditempatkan"),
        ("/cohort/members", {"m-account": "{kader1}", "m-place": "posyandu:999999"}, 422, "Pilih dari daftar"),
    ],
    ids=["no name", "taken (any case)", "too long", "desa taken", "unknown puskesmas", "posyandu taken",
         "already placed", "kader at a puskesmas", "unknown posyandu"],
)  # fmt: skip
def test_bad_places_and_placements_are_refused_and_nothing_is_written(
    app, places, path, data, status, message
):
    ids = {
        "pkm": places.puskesmas.id,
        "desa": places.melati.desa_id,
        "melati": places.melati.id,
        "kader1": places.kader1.id,
    }
    client = login(app, "admin", "rahasia-ad")
    token = csrf_from(client.get("/cohort/places").text)
    before = counts()
    response = client.post(path, data={"csrf_token": token} | {k: v.format(**ids) for k, v in data.items()})
    assert response.status_code == status, response.text
    assert message in response.text
    assert counts() == before
