"""app.services.cohort: who sees what, pairs and duplicates, visits stored once, bad input refused."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from sqlalchemy import func, select

from app.extensions import db
from app.models import AuditLog
from app.models.cohort import CohortPair, CohortVisit
from app.services import cohort
from app.services.cohort import CohortError, PairData, VisitData

TODAY = date(2026, 11, 20)


def pair_data(posyandu, name="Ibu Rina", birth=date(2026, 9, 1), **kw):
    return PairData(
        posyandu_id=posyandu.id, mother_name=name, baby_sex="P", birth_date=birth, consent_followup=True, **kw
    )


def counts():
    db.session.expire_all()
    return (
        db.session.scalar(select(func.count(CohortPair.id))),
        db.session.scalar(select(func.count(CohortVisit.id))),
    )


def test_each_role_sees_its_own_posyandu(places):
    p = places
    ids = {
        name: cohort.visible_posyandu_ids(getattr(p, name))
        for name in ("kader1", "kader2", "tpg", "admin", "educator")
    }
    assert ids["kader1"] == {p.melati.id, p.mawar.id}
    assert ids["kader2"] == {p.anggrek.id}
    assert ids["tpg"] == {p.melati.id, p.mawar.id, p.anggrek.id}
    assert ids["admin"] is None and ids["educator"] == set()
    a = cohort.create_pair(p.kader1, pair_data(p.melati), TODAY)
    b = cohort.create_pair(p.kader2, pair_data(p.anggrek, "Ibu Wati"), TODAY)
    assert [x.id for x in cohort.pairs_for(p.kader1)] == [a.id]
    assert [x.id for x in cohort.pairs_for(p.kader2)] == [b.id]
    assert {x.id for x in cohort.pairs_for(p.tpg)} == {a.id, b.id}
    assert cohort.get_pair(p.kader2, a.id) is None
    assert a.cadre_id == p.kader1.id  # a cadre's new pair is hers


def test_a_pair_of_another_posyandu_is_refused(places):
    with pytest.raises(CohortError) as err:
        cohort.create_pair(places.kader2, pair_data(places.melati), TODAY)
    assert (err.value.code, err.value.status) == ("posyandu_not_yours", 403)
    with pytest.raises(CohortError, match="posyandu_not_yours"):
        cohort.create_pair(places.tpg, pair_data(places.other), TODAY)
    assert counts() == (0, 0)


@pytest.mark.parametrize(
    ("change", "code"),
    [
        (dict(birth=TODAY + timedelta(days=1)), "birth_in_future"),
        (dict(name="  "), "mother_name_required"),
        (dict(consent_followup=False), "consent_required"),
        (dict(consent_whatsapp=True), "whatsapp_needs_phone"),
        (dict(mother_phone="12"), "bad_phone"),
        (dict(birth_weight_g=90), "bad_birth_weight"),
    ],
)
def test_bad_pairs_write_nothing(places, change, code):
    kw = dict(change)
    data = pair_data(places.melati, kw.pop("name", "Ibu Rina"), kw.pop("birth", date(2026, 9, 1)))
    for k, v in kw.items():
        setattr(data, k, v)
    with pytest.raises(CohortError) as err:
        cohort.create_pair(places.kader1, data, TODAY)
    assert err.value.code == code
    assert counts() == (0, 0)


def test_likely_duplicates_then_merge_with_an_audit_entry(places):
    p = places
    first = cohort.create_pair(
        p.kader1, pair_data(p.melati, "Rina Marlina", mother_phone="0812-3456-7890"), TODAY
    )
    cohort.record_visit(p.kader1, first, VisitData("key-first-1", date(2026, 9, 10), place="home"), TODAY)
    # Same desa (Mawar is in Bojong Nangka too), same birth date, a similar name: caught.
    assert [d.id for d in cohort.find_duplicates(p.mawar, "Ibu Rina Marlinah", date(2026, 9, 1))] == [
        first.id
    ]
    assert cohort.find_duplicates(p.mawar, "Ibu Rina Marlinah", date(2026, 9, 2)) == []
    assert cohort.find_duplicates(p.anggrek, "Rina Marlina", date(2026, 9, 1)) == []  # another desa
    assert cohort.find_duplicates(p.mawar, "Siti Aminah", date(2026, 9, 1)) == []
    with pytest.raises(CohortError, match="likely_duplicate"):
        cohort.create_pair(p.kader1, pair_data(p.mawar, "Ibu Rina Marlinah"), TODAY)
    second = cohort.create_pair(
        p.kader1, pair_data(p.mawar, "Ibu Rina Marlinah", rt_rw="002/004"), TODAY, allow_duplicate=True
    )
    cohort.record_visit(
        p.kader1, second, VisitData("key-second-1", date(2026, 10, 12), place="posyandu"), TODAY
    )
    kept = cohort.merge_pairs(p.kader1, first, second)
    db.session.commit()
    assert counts() == (1, 2)
    assert [v.client_key for v in kept.visits] == ["key-first-1", "key-second-1"]
    assert kept.rt_rw == "002/004" and kept.mother_phone == "6281234567890"
    entry = db.session.scalar(select(AuditLog).where(AuditLog.action == "cohort.pair_merge"))
    assert entry.detail == {"kept_id": first.id, "merged_id": second.id, "visits_moved": 1}
    assert "Rina" not in str(entry.detail)


def test_a_visit_resent_is_stored_once_and_derives_its_status(places):
    p = places
    pair = cohort.create_pair(p.kader1, pair_data(p.melati), TODAY)
    data = VisitData(
        "abcdefgh-1", date(2026, 10, 2), place="home", recall_24h=["water", "tea"], other_since_last=True
    )
    v1, created1 = cohort.record_visit(p.kader1, pair, data, TODAY)
    v2, created2 = cohort.record_visit(p.kader1, pair, data, TODAY)
    assert (created1, created2) == (True, False) and v1.id == v2.id
    assert v1.status == "predominan" and v1.age_months == 1
    assert counts() == (1, 1)
    absent, _ = cohort.record_visit(
        p.kader1, pair, VisitData("abcdefgh-2", date(2026, 11, 3), came=False), TODAY
    )
    assert absent.status == "tidak_datang" and absent.place == ""
    assert cohort.register_row(pair) == ["", "X", "A", "", "", ""]
    # The same key for another pair is a conflict, not a silent success.
    other = cohort.create_pair(p.kader1, pair_data(p.melati, "Ibu Wati"), TODAY)
    with pytest.raises(CohortError, match="client_key_used"):
        cohort.record_visit(p.kader1, other, data, TODAY)


@pytest.mark.parametrize(
    ("change", "code"),
    [
        (dict(visit_date=date(2026, 8, 31)), "visit_before_birth"),
        (dict(visit_date=TODAY + timedelta(days=5)), "visit_in_future"),
        (dict(recall_24h=["juice"]), "bad_recall_item"),
        (dict(place="market"), "bad_place"),
        (dict(problems=["tired"]), "bad_problem"),
        (dict(client_key="x"), "bad_client_key"),
        (dict(next_visit_on=date(2026, 9, 1)), "next_before_visit"),
    ],
)
def test_bad_visits_write_nothing(places, change, code):
    pair = cohort.create_pair(places.kader1, pair_data(places.melati), TODAY)
    data = VisitData("goodkey-123", date(2026, 10, 2), place="home")
    for k, v in change.items():
        setattr(data, k, v)
    with pytest.raises(CohortError) as err:
        cohort.record_visit(places.kader1, pair, data, TODAY)
    assert err.value.code == code
    assert counts() == (1, 0)


def test_a_visit_for_another_posyandu_pair_is_refused(places):
    pair = cohort.create_pair(places.kader1, pair_data(places.melati), TODAY)
    with pytest.raises(CohortError, match="pair_not_yours"):
        cohort.record_visit(
            places.kader2, pair, VisitData("goodkey-123", date(2026, 10, 2), place="home"), TODAY
        )
    assert counts() == (1, 0)


def test_deletion_on_request_removes_the_visits_and_keeps_an_audit_without_names(places):
    pair = cohort.create_pair(places.kader1, pair_data(places.melati), TODAY)
    cohort.record_visit(places.kader1, pair, VisitData("goodkey-123", date(2026, 10, 2), place="home"), TODAY)
    pair_id = pair.id
    cohort.delete_pair(places.kader1, pair)
    db.session.commit()
    assert counts() == (0, 0)
    entry = db.session.scalar(select(AuditLog).where(AuditLog.action == "cohort.pair_delete"))
    assert entry.detail["pair_id"] == pair_id and entry.detail["visits"] == 1
    assert cohort.get_pair(places.kader1, pair_id) is None


def test_worklist_due_overdue_and_whatsapp_only_with_consent(places):
    p = places
    today = date(2026, 11, 20)
    no_visit = cohort.create_pair(
        p.kader1, pair_data(p.melati, "Ibu A", date(2026, 11, 1)), today
    )  # expected 8 Nov
    visited = cohort.create_pair(p.kader1, pair_data(p.melati, "Ibu B", date(2026, 8, 1)), today)
    cohort.record_visit(p.kader1, visited, VisitData("visit-b-11", date(2026, 11, 2), place="home"), today)
    later = cohort.create_pair(
        p.kader1,
        pair_data(p.mawar, "Ibu C", date(2026, 8, 5), mother_phone="081234567890", consent_whatsapp=True),
        today,
    )
    cohort.record_visit(
        p.kader1,
        later,
        VisitData("visit-c-10", date(2026, 10, 6), place="home", next_visit_on=date(2026, 11, 25)),
        today,
    )
    done = cohort.create_pair(
        p.kader1, pair_data(p.melati, "Ibu D", date(2026, 5, 1)), today
    )  # six months on 1 Nov
    items = cohort.worklist(p.kader1, today)
    assert [(i.pair.id, i.overdue, i.expected_on) for i in items] == [
        (no_visit.id, True, date(2026, 11, 8)),
        (later.id, False, date(2026, 11, 25)),
    ]
    assert done.id not in {i.pair.id for i in items}
    assert cohort.worklist(p.kader2, today) == []
    assert cohort.whatsapp_link(no_visit, "Kader Siti") is None
    link = cohort.whatsapp_link(later, "Kader Siti")
    assert link.startswith("https://wa.me/6281234567890?text=Assalamualaikum%20Ibu%20Ibu%20C")
    with pytest.raises(CohortError, match="no_whatsapp_consent"):
        cohort.whatsapp_opened(p.kader1, no_visit)
    cohort.whatsapp_opened(p.kader1, later)
    assert list(cohort.last_whatsapp([later.id, no_visit.id])) == [later.id]


def test_certificate_only_when_the_completion_rule_is_met(places):
    p = places
    birth = date(2026, 3, 10)
    good = cohort.create_pair(p.kader1, pair_data(p.melati, "Ibu Lulus", birth), TODAY)
    gap = cohort.create_pair(p.kader1, pair_data(p.melati, "Ibu Celah", birth), TODAY)
    for m in range(6):
        day = date(2026, 3 + m, 12)
        cohort.record_visit(
            p.kader1, good, VisitData(f"good-key-{m}", day, place="home", other_since_last=False), TODAY
        )
        if m != 2:
            cohort.record_visit(p.kader1, gap, VisitData(f"gap-key-{m}", day, place="home"), TODAY)
    cert = cohort.issue_certificate(p.kader1, good, TODAY)
    assert cert.number == 1 and cohort.issue_certificate(p.kader1, good, TODAY).id == cert.id
    with pytest.raises(CohortError) as err:
        cohort.issue_certificate(p.kader1, gap, TODAY)
    assert (err.value.code, err.value.params) == ("completion_not_met", {"outcome": "gaps"})
    young = cohort.create_pair(p.kader1, pair_data(p.melati, "Ibu Muda", date(2026, 8, 1)), TODAY)
    with pytest.raises(CohortError, match="not_six_months_yet"):
        cohort.issue_certificate(p.kader1, young, TODAY)
    with pytest.raises(CohortError, match="reason_required"):
        cohort.revoke_certificate(p.tpg, cert, " ")
    cohort.revoke_certificate(p.tpg, cert, "Data bulan ke-3 salah")
    assert cert.revoked_at is not None
    with pytest.raises(CohortError, match="certificate_revoked"):
        cohort.issue_certificate(p.kader1, good, TODAY)
    assert cohort.find_certificate(cert.code).id == cert.id
