"""The cohort's mother-baby pairs and their visits travel in bundles exactly as sessions do.

A laptop (SQLite) with a few pairs and visits exports them; the server (the `app` fixture,
PostgreSQL when TEST_DATABASE_URL is set) imports them once, matches their places by name,
adds only what is new the next time, reports a conflicting edit of a pair and applies nothing
of it. Mothers are pseudonymised unless an account that may see them asks for names; a visit
pointing at a missing pair refuses the bundle whole.
"""

from __future__ import annotations

import io
import uuid
import zipfile
from datetime import date, timedelta

import pytest
from sqlalchemy import func, select, update

from app.extensions import db
from app.models import BundleImport, SyncedRecord
from app.models.cohort import CohortMembership, CohortPair, CohortVisit, Desa, Posyandu, Puskesmas
from app.services import bundles
from app.services import cohort as cohort_service
from app.services.accounts import create_account, find
from tests.bundles.test_hostile_bundles import parts, refused, resign
from tests.bundles.test_two_instances import import_file, register

TODAY = date.today()
MOTHERS = [("Siti Aminah", "081234567801"), ("Dewi Lestari", "081234567802"), ("Rina Wati", "081234567803")]
COHORT_MODELS = (Puskesmas, Desa, Posyandu, CohortPair, CohortVisit)


def counts() -> dict[str, int]:
    return {
        m.__tablename__: db.session.scalar(select(func.count()).select_from(m)) or 0
        for m in (*COHORT_MODELS, CohortMembership)
    }


def written() -> tuple[int, ...]:
    return tuple(
        db.session.scalar(select(func.count()).select_from(m)) or 0
        for m in (*COHORT_MODELS, BundleImport, SyncedRecord)
    )


def uuids(model) -> list[str]:
    return sorted(db.session.scalars(select(model.uuid)))


def visit(cadre, pair: CohortPair, key: str, days_ago: int) -> None:
    cohort_service.record_visit(
        cadre,
        pair,
        cohort_service.VisitData(
            client_key=key,
            visit_date=TODAY - timedelta(days=days_ago),
            place="home",
            breastfed_24h=True,
            problems=["sore_nipples"],
            counseling="Posisi dan pelekatan",
        ),
    )


def export(laptop, path, *args) -> object:
    with laptop.app_context():
        return laptop.test_cli_runner().invoke(args=["bundle", "export", *args, "-o", str(path)])


@pytest.fixture
def cohort_laptop(laptop, app, make_educator):
    """A laptop with two Puskesmas: Sukamaju (posyandu Melati 1 and Melati 2, three pairs, four
    visits, a cadre at Melati 1) and Sukajadi (one pair). The server's account "bidan" owns it."""
    make_educator()
    with laptop.app_context():
        create_account(
            None, username="bidan", full_name="Bidan Sari", password="rahasia-123", role="educator"
        )
        cadre = create_account(
            None, username="kader1", full_name="Kader Satu", password="rahasia-123", role="kader"
        )
        admin = create_account(
            None, username="admin1", full_name="Admin", password="rahasia-123", role="admin"
        )
        sukamaju = cohort_service.add_puskesmas("Puskesmas Sukamaju")
        desa = cohort_service.add_desa(sukamaju, "Sukamaju")
        melati1 = cohort_service.add_posyandu(desa, "Melati 1")
        melati2 = cohort_service.add_posyandu(desa, "Melati 2")
        other = cohort_service.add_posyandu(
            cohort_service.add_desa(cohort_service.add_puskesmas("Puskesmas Sukajadi"), "Sukajadi"), "Mawar"
        )
        cohort_service.add_member(cadre, posyandu=melati1)
        pairs = []
        for i, ((name, phone), posyandu) in enumerate(zip(MOTHERS, (melati1, melati1, melati2), strict=True)):
            pairs.append(
                cohort_service.create_pair(
                    admin,
                    cohort_service.PairData(
                        posyandu_id=posyandu.id,
                        mother_name=name,
                        mother_phone=phone,
                        rt_rw="003/005",
                        baby_name=f"Bayi {name.split()[0]}",
                        baby_sex="P",
                        birth_date=TODAY - timedelta(days=70 + i),
                        birth_weight_g=3100,
                        consent_followup=True,
                        consent_whatsapp=True,
                    ),
                )
            )
        cohort_service.create_pair(
            admin,
            cohort_service.PairData(
                posyandu_id=other.id,
                mother_name="Ani Sukajadi",
                baby_sex="L",
                birth_date=TODAY - timedelta(days=40),
                consent_followup=True,
            ),
        )
        visit(admin, pairs[0], "visit-a-0001", 40)
        visit(admin, pairs[0], "visit-a-0002", 10)
        visit(admin, pairs[1], "visit-b-0001", 30)
        visit(admin, pairs[2], "visit-c-0001", 20)
        db.session.commit()
        ids = {"sukamaju": sukamaju.id, "pairs": [p.id for p in pairs]}
    register(app, laptop)
    return ids


def test_pairs_and_visits_travel_exactly_once(app, laptop, cohort_laptop, tmp_path):
    # The server knows the Puskesmas and its desa already, spelled otherwise: matched, not duplicated.
    p = cohort_service.add_puskesmas("PUSKESMAS  sukamaju")
    cohort_service.add_desa(p, "sukamaju")
    db.session.commit()

    first = tmp_path / "first.zip"
    result = export(laptop, first, "--cohort", str(cohort_laptop["sukamaju"]))
    assert result.exit_code == 0, result.output
    assert "0 session(s), 3 cohort pair(s)" in result.output
    manifest, rows = parts(first.read_bytes())
    assert manifest["counts"]["pair"] == 3 and manifest["counts"]["visit"] == 4
    assert manifest["counts"]["session"] == 0 and manifest["identified"] is False
    # Pseudonymised by default: no mother's or baby's name, phone or RT/RW anywhere in the file.
    with zipfile.ZipFile(io.BytesIO(first.read_bytes())) as zf:
        raw = b"".join(zf.read(n) for n in zf.namelist()).decode()
    for name, phone in MOTHERS:
        assert name not in raw and name.split()[0] not in raw and phone not in raw and phone[1:] not in raw
    assert "003/005" not in raw and "Bayi" not in raw and "Sukajadi" not in raw
    assert {r["mother_name"][:2] for r in rows if r["kind"] == "pair"} == {"M-"}

    result = import_file(app, first)
    assert result.exit_code == 0, result.output
    assert "pair         3 new" in result.output and "visit        4 new" in result.output, result.output
    after_first = counts()
    assert after_first == {
        "puskesmas": 1,
        "desa": 1,
        "posyandu": 2,
        "cohort_pair": 3,
        "cohort_visit": 4,
        "cohort_membership": 0,  # cadres' memberships do not travel
    }
    with laptop.app_context():
        laptop_pairs = uuids(CohortPair)
        sukamaju_pairs = sorted(
            db.session.scalars(select(CohortPair.uuid).where(CohortPair.id.in_(cohort_laptop["pairs"])))
        )
        laptop_visits = uuids(CohortVisit)
    assert uuids(CohortPair) == sukamaju_pairs and len(laptop_pairs) == 4
    assert uuids(CohortVisit) == laptop_visits
    pairs = db.session.scalars(select(CohortPair)).all()
    assert {p.posyandu.name for p in pairs} == {"Melati 1", "Melati 2"}
    assert all(p.cadre_id is None and p.mother_phone == "" and p.mother_name.startswith("M-") for p in pairs)
    assert {p.posyandu.desa.puskesmas.name for p in pairs} == {"PUSKESMAS sukamaju"}
    visits = db.session.scalars(select(CohortVisit)).all()
    assert {v.status for v in visits} == {"eksklusif"} and all(v.recorded_by_id is None for v in visits)

    # The same file again: nothing changes, and it says so.
    result = import_file(app, first)
    assert result.exit_code == 0 and "nothing changed" in result.output, result.output
    assert counts() == after_first

    # Two more visits on the laptop, exported again: only they are added.
    with laptop.app_context():
        admin = find("admin1")
        laptop_pairs_by_id = {p.id: p for p in db.session.scalars(select(CohortPair))}
        visit(admin, laptop_pairs_by_id[cohort_laptop["pairs"][1]], "visit-b-0002", 5)
        visit(admin, laptop_pairs_by_id[cohort_laptop["pairs"][2]], "visit-c-0002", 3)
        db.session.commit()
        laptop_visits = uuids(CohortVisit)
    second = tmp_path / "second.zip"
    assert export(laptop, second, "--cohort", "all").exit_code == 0
    result = import_file(app, second)
    assert result.exit_code == 0, result.output
    lines = {line.split()[0]: line for line in result.output.splitlines()}
    assert lines["visit"].startswith("visit        2 new, 4 unchanged"), result.output
    assert lines["pair"].startswith("pair         1 new, 3 unchanged"), result.output  # Sukajadi's pair
    assert "updated" not in result.output
    assert uuids(CohortVisit) == laptop_visits and uuids(CohortPair) == laptop_pairs
    assert counts() == {
        "puskesmas": 2,
        "desa": 2,
        "posyandu": 3,
        "cohort_pair": 4,
        "cohort_visit": 6,
        "cohort_membership": 0,
    }

    # A conflicting edit: the same pair changed on the laptop and on the server.
    target = sukamaju_pairs[0]
    with laptop.app_context():
        db.session.execute(update(CohortPair).where(CohortPair.uuid == target).values(birth_weight_g=2900))
        db.session.commit()
    db.session.execute(update(CohortPair).where(CohortPair.uuid == target).values(rooming_in=True))
    db.session.commit()
    third = tmp_path / "third.zip"
    assert export(laptop, third, "--cohort", "all").exit_code == 0
    result = import_file(app, third)
    assert result.exit_code == 0 and "1 conflict" in result.output, result.output
    here = db.session.scalar(select(CohortPair).where(CohortPair.uuid == target))
    assert here.rooming_in is True and here.birth_weight_g == 3100  # nothing of it applied
    posyandu_id = here.posyandu_id
    conflicts = bundles.open_conflicts()
    assert [(c.kind, c.uuid) for c in conflicts] == [("pair", target)]
    bundles.resolve(conflicts[0], "theirs", actor_id=None)  # the admin takes the laptop's version
    db.session.commit()
    here = db.session.scalar(select(CohortPair).where(CohortPair.uuid == target))
    assert here.birth_weight_g == 2900 and not here.rooming_in and here.posyandu_id == posyandu_id

    # A pair deleted here on the mother's request is not added again, nor are its visits.
    deleted = db.session.scalar(select(CohortPair).where(CohortPair.uuid == sukamaju_pairs[1]))
    n_visits = len(deleted.visits)
    server_admin = create_account(None, username="adm", full_name="Adm", password="rahasia-123", role="admin")
    cohort_service.delete_pair(server_admin, deleted)
    db.session.commit()
    with laptop.app_context():
        db.session.execute(
            update(CohortVisit)
            .where(CohortVisit.client_key == "visit-b-0001")
            .values(counseling="Pijat oksitosin")
        )
        db.session.commit()
    fourth = tmp_path / "fourth.zip"
    assert export(laptop, fourth, "--cohort", "all").exit_code == 0
    before = counts()
    result = import_file(app, fourth)
    assert result.exit_code == 0, result.output
    lines = {line.split()[0]: line for line in result.output.splitlines()}
    assert "1 deleted_here" in lines["pair"] and f"{n_visits} deleted_here" in lines["visit"], result.output
    assert counts() == before


def test_names_only_when_asked_and_allowed(app, laptop, cohort_laptop, tmp_path):
    path = tmp_path / "names.zip"
    result = export(laptop, path, "--cohort", "all", "--names")
    assert result.exit_code == 1 and "--as" in result.output and not path.exists()
    # A cadre asks for names: only the pairs of her posyandu go in, with names and phone.
    result = export(laptop, path, "--cohort", str(cohort_laptop["sukamaju"]), "--as", "kader1", "--names")
    assert result.exit_code == 0, result.output
    manifest, rows = parts(path.read_bytes())
    assert manifest["identified"] is True
    pairs = [r for r in rows if r["kind"] == "pair"]
    assert sorted((r["mother_name"], r["mother_phone"]) for r in pairs) == [
        ("Dewi Lestari", "6281234567802"),
        ("Siti Aminah", "6281234567801"),
    ]
    assert {r["posyandu"] for r in pairs} == {"Melati 1"}
    assert len([r for r in rows if r["kind"] == "visit"]) == 3
    # An account outside the cohort sees no pairs: nothing to export.
    result = export(laptop, path, "--cohort", "all", "--as", "bidan", "--names")
    assert result.exit_code == 1 and "No cohort pair" in result.output
    result = import_file(app, tmp_path / "names.zip")
    assert result.exit_code == 0, result.output
    assert sorted(db.session.scalars(select(CohortPair.mother_name))) == ["Dewi Lestari", "Siti Aminah"]


@pytest.fixture
def good(laptop, cohort_laptop, tmp_path) -> bytes:
    assert export(laptop, tmp_path / "good.zip", "--cohort", "all").exit_code == 0
    return (tmp_path / "good.zip").read_bytes()


def test_a_visit_pointing_at_a_missing_pair_refuses_the_bundle(app, laptop, good):
    manifest, rows = parts(good)
    next(r for r in rows if r["kind"] == "visit")["pair"] = str(uuid.uuid4())
    before = written()
    refused(resign(laptop, manifest, rows), "dangling")
    assert written() == before == (0,) * len(before)
    # A pair without its places, or with a date that is not one, is malformed: refused whole too.
    manifest, rows = parts(good)
    next(r for r in rows if r["kind"] == "pair")["posyandu"] = " "
    refused(resign(laptop, manifest, rows), "malformed")
    manifest, rows = parts(good)
    next(r for r in rows if r["kind"] == "pair")["mother_name"] = ""
    refused(resign(laptop, manifest, rows), "malformed")
    manifest, rows = parts(good)
    next(r for r in rows if r["kind"] == "visit")["visit_date"] = "kemarin"
    refused(resign(laptop, manifest, rows), "malformed")
    assert written() == before
    # The good bundle goes in; a later bundle of visits only, whose pair is here, goes in too.
    assert bundles.import_bundle(good).total("new") == len(rows)
    db.session.commit()
    manifest, rows = parts(good)
    late = {
        **next(r for r in rows if r["kind"] == "visit"),
        "uuid": str(uuid.uuid4()),
        "client_key": "late-0001",
    }
    report = bundles.import_bundle(resign(laptop, manifest, [late]))
    assert report.counts == {"visit": {"new": 1}}
    db.session.commit()
    assert db.session.scalar(select(func.count()).select_from(CohortVisit)) == 5
