"""The follow-up cohort: every write of places, pairs, visits, targets and certificates, and the
reads the cohort pages share (who sees what, the worklist, the register, the coverage).

Writes add, change and flush; the request (app.unit_of_work) commits. A refused write raises
:class:`CohortError` with a code the views turn into a message, before anything is added.
Who may see a pair: an admin every pair; a nutrition officer (``tpg``) the pairs of her
Puskesmas; a cadre (``kader``) the pairs of her posyandu; anyone else none.
"""

from __future__ import annotations

import difflib
import re
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from pathlib import Path
from urllib.parse import quote

from sqlalchemy import delete, func, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import selectinload

from analysis import coverage as cov
from app.extensions import db
from app.models import Educator, Participant
from app.models._time import utcnow
from app.models.cohort import (
    BIRTH_PLACES,
    CONSULTATION_CATEGORIES,
    CONSULTATION_CHANNELS,
    CONSULTATION_OUTCOMES,
    PROBLEMS,
    SEXES,
    VISIT_PLACES,
    CohortCertificate,
    CohortMembership,
    CohortPair,
    CohortVisit,
    CoverageTarget,
    Desa,
    KpAsiConsultation,
    KpAsiMeeting,
    Posyandu,
    Puskesmas,
    WhatsAppOpened,
)
from app.services import audit, codes
from app.services.certificates import CODE_LENGTH, ROMAN

COHORT_ROLES = ("kader", "tpg", "admin")
#: Two names this similar (difflib ratio, after dropping "Ibu", "Ny." and the like) may be one mother.
SIMILAR_NAME = 0.8


class CohortError(Exception):
    """A write the cohort's rules refuse; ``code`` names the rule, ``status`` the HTTP status."""

    def __init__(self, code: str, status: int = 400, **params):
        super().__init__(code)
        self.code, self.status, self.params = code, status, params


# ---------------------------------------------------------------- who sees what


def can_use_cohort(user) -> bool:
    return bool(getattr(user, "is_authenticated", False)) and user.role in COHORT_ROLES


def visible_posyandu_ids(user: Educator) -> set[int] | None:
    """The posyandu whose pairs the account sees; None means every posyandu (admin)."""
    if user.role == "admin":
        return None
    if user.role == "kader":
        return set(
            db.session.scalars(
                select(CohortMembership.posyandu_id).where(
                    CohortMembership.educator_id == user.id, CohortMembership.posyandu_id.is_not(None)
                )
            )
        )
    if user.role == "tpg":
        return set(
            db.session.scalars(
                select(Posyandu.id)
                .join(Desa, Posyandu.desa_id == Desa.id)
                .join(CohortMembership, CohortMembership.puskesmas_id == Desa.puskesmas_id)
                .where(CohortMembership.educator_id == user.id)
            )
        )
    return set()


def visible_posyandu(user: Educator) -> list[Posyandu]:
    """The posyandu the account sees, by Puskesmas, desa and name."""
    ids = visible_posyandu_ids(user)
    query = (
        select(Posyandu)
        .join(Desa, Posyandu.desa_id == Desa.id)
        .join(Puskesmas, Desa.puskesmas_id == Puskesmas.id)
        .options(selectinload(Posyandu.desa).selectinload(Desa.puskesmas))
        .order_by(Puskesmas.name, Desa.name, Posyandu.name)
    )
    if ids is not None:
        query = query.where(Posyandu.id.in_(ids))
    return list(db.session.scalars(query))


def visible_puskesmas(user: Educator) -> list[Puskesmas]:
    seen: dict[int, Puskesmas] = {}
    for p in visible_posyandu(user):
        seen.setdefault(p.desa.puskesmas_id, p.desa.puskesmas)
    return list(seen.values())


def can_see_posyandu(user: Educator, posyandu_id: int) -> bool:
    ids = visible_posyandu_ids(user)
    return ids is None or posyandu_id in ids


def pairs_for(user: Educator, posyandu_ids: Iterable[int] | None = None) -> list[CohortPair]:
    """The pairs the account sees (optionally only those of some posyandu), youngest first, with visits."""
    ids = visible_posyandu_ids(user)
    query = (
        select(CohortPair)
        .options(
            selectinload(CohortPair.visits), selectinload(CohortPair.posyandu).selectinload(Posyandu.desa)
        )
        .order_by(CohortPair.birth_date.desc(), CohortPair.id)
    )
    if ids is not None:
        query = query.where(CohortPair.posyandu_id.in_(ids))
    if posyandu_ids is not None:
        query = query.where(CohortPair.posyandu_id.in_(list(posyandu_ids)))
    return list(db.session.scalars(query))


def cadres_of(posyandu_id: int) -> list[Educator]:
    return list(
        db.session.scalars(
            select(Educator)
            .join(CohortMembership, CohortMembership.educator_id == Educator.id)
            .where(CohortMembership.posyandu_id == posyandu_id, Educator.active.is_(True))
            .order_by(Educator.full_name)
        )
    )


def cadres_of_any(posyandu_ids: list[int]) -> list[Educator]:
    """The active cadres of any of these posyandu, by name."""
    return list(
        db.session.scalars(
            select(Educator)
            .where(
                Educator.id.in_(
                    select(CohortMembership.educator_id).where(CohortMembership.posyandu_id.in_(posyandu_ids))
                ),
                Educator.active.is_(True),
            )
            .order_by(Educator.full_name)
        )
    )


# ---------------------------------------------------------------- places


PLACE_NAME_MAX = 120


def _place_name(name: str) -> str:
    cleaned = " ".join((name or "").split())
    if not cleaned:
        raise CohortError("place_name_required")
    if len(cleaned) > PLACE_NAME_MAX:
        raise CohortError("place_name_too_long")
    return cleaned


def _same_name(model, name: str, **parent) -> list:
    """The conditions for a place of `model` named `name` (case aside) under `parent` (column=id)."""
    return [func.lower(model.name) == name.lower(), *(getattr(model, c) == v for c, v in parent.items())]


def _new_place(model, name: str, parent: dict[str, int], **columns):
    """A new place of `model` under `parent` ({column: id}; {} for a Puskesmas), with these other `columns`;
    refused without a name or when the parent has one of that name."""
    name = _place_name(name)
    if db.session.scalar(select(model.id).where(*_same_name(model, name, **parent)).limit(1)) is not None:
        raise CohortError("place_exists", 409)
    place = model(name=name, **parent, **columns)
    db.session.add(place)
    db.session.flush()
    return place


def add_puskesmas(name: str, head_name: str = "", nutrition_officer_name: str = "") -> Puskesmas:
    """A new Puskesmas; refused (CohortError) without a name or when the name is taken."""
    return _new_place(
        Puskesmas,
        name,
        {},
        head_name=head_name.strip()[:120],
        nutrition_officer_name=nutrition_officer_name.strip()[:120],
    )


def add_desa(puskesmas: Puskesmas, name: str) -> Desa:
    """A new desa of the Puskesmas; refused without a name or when the Puskesmas has one of that name."""
    return _new_place(Desa, name, {"puskesmas_id": puskesmas.id})


def add_posyandu(desa: Desa, name: str) -> Posyandu:
    """A new posyandu of the desa; refused without a name or when the desa has one of that name."""
    return _new_place(Posyandu, name, {"desa_id": desa.id})


def place_for(puskesmas: str, desa: str, posyandu: str) -> Posyandu:
    """The posyandu of these names, matched by name within its parent (case and spaces aside);
    the missing levels are created, none is duplicated (bundles from laptops, app/services/bundles.py)."""
    names = [_place_name(n) for n in (puskesmas, desa, posyandu)]

    def find(model, name: str, **parent):
        query = select(model).where(*_same_name(model, name, **parent)).order_by(model.id).limit(1)
        return db.session.scalars(query).first()

    p = find(Puskesmas, names[0]) or add_puskesmas(names[0])
    d = find(Desa, names[1], puskesmas_id=p.id) or add_desa(p, names[1])
    return find(Posyandu, names[2], desa_id=d.id) or add_posyandu(d, names[2])


def add_member(
    user: Educator, *, posyandu: Posyandu | None = None, puskesmas: Puskesmas | None = None
) -> CohortMembership:
    """Place a cadre at a posyandu or a nutrition officer at a Puskesmas (once)."""
    if (user.role == "kader") != (posyandu is not None) or (user.role == "tpg") != (puskesmas is not None):
        raise CohortError("wrong_role_for_place")
    query = select(CohortMembership.id).where(CohortMembership.educator_id == user.id)
    if posyandu is not None:
        query = query.where(CohortMembership.posyandu_id == posyandu.id)
    else:
        assert puskesmas is not None  # the role check above
        query = query.where(CohortMembership.puskesmas_id == puskesmas.id)
    if db.session.scalar(query.limit(1)) is not None:
        raise CohortError("already_member", 409)
    membership = CohortMembership(
        educator_id=user.id,
        posyandu_id=posyandu.id if posyandu else None,
        puskesmas_id=puskesmas.id if puskesmas else None,
    )
    db.session.add(membership)
    db.session.flush()
    return membership


def remove_member(actor: Educator, membership: CohortMembership) -> None:
    """Take an account off a posyandu or Puskesmas (her pairs stay; an audit entry names the ids)."""
    audit.record(
        "cohort.remove_member",
        actor_id=actor.id,
        educator_id=membership.educator_id,
        posyandu_id=membership.posyandu_id,
        puskesmas_id=membership.puskesmas_id,
    )
    db.session.delete(membership)
    db.session.flush()


def places_tree() -> list[Puskesmas]:
    """Every Puskesmas with its desa and posyandu (the admin's places page)."""
    return list(
        db.session.scalars(
            select(Puskesmas)
            .options(selectinload(Puskesmas.desa).selectinload(Desa.posyandu))
            .order_by(Puskesmas.name)
        )
    )


def memberships() -> list[tuple[CohortMembership, Educator, str]]:
    """Every placement: the membership, the account and the place's name."""
    rows = []
    for m, user in db.session.execute(
        select(CohortMembership, Educator)
        .join(Educator, CohortMembership.educator_id == Educator.id)
        .order_by(Educator.full_name, CohortMembership.id)
    ):
        posyandu = db.session.get(Posyandu, m.posyandu_id) if m.posyandu_id is not None else None
        puskesmas = db.session.get(Puskesmas, m.puskesmas_id) if m.puskesmas_id is not None else None
        if posyandu is not None:
            place = f"{posyandu.name} ({posyandu.desa.name}, {posyandu.desa.puskesmas.name})"
        else:
            place = puskesmas.name if puskesmas is not None else "–"
        rows.append((m, user, place))
    return rows


def cohort_accounts() -> list[Educator]:
    """Active cadre and nutrition-officer accounts, to place."""
    return list(
        db.session.scalars(
            select(Educator)
            .where(Educator.role.in_(("kader", "tpg")), Educator.active.is_(True))
            .order_by(Educator.full_name)
        )
    )


def target_for(puskesmas_id: int, year: int) -> float | None:
    return db.session.scalar(
        select(CoverageTarget.percent).where(
            CoverageTarget.puskesmas_id == puskesmas_id, CoverageTarget.year == year
        )
    )


def set_target(actor: Educator, puskesmas: Puskesmas, year: int, percent: float) -> CoverageTarget:
    """The Puskesmas's exclusive-breastfeeding target for a year (replaces an earlier one)."""
    if not 0 <= percent <= 100:
        raise CohortError("target_out_of_range")
    if not 2000 <= year <= 2100:
        raise CohortError("bad_year")
    row = db.session.scalar(
        select(CoverageTarget).where(CoverageTarget.puskesmas_id == puskesmas.id, CoverageTarget.year == year)
    )
    if row is None:
        row = CoverageTarget(puskesmas_id=puskesmas.id, year=year, percent=percent)
        db.session.add(row)
    before = row.percent if row.id else None
    row.percent = percent
    db.session.flush()
    audit.record(
        "cohort.target", actor_id=actor.id, puskesmas_id=puskesmas.id, year=year, before=before, after=percent
    )
    return row


# ---------------------------------------------------------------- pairs


_TITLES = re.compile(r"^(ibu|ibuk|bu|ny|nyonya|mrs)\.?\s+")


def normalize_name(name: str) -> str:
    """A name for comparing: lowercase, accents, titles ("Ibu", "Ny.") and punctuation dropped."""
    text = unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode().lower()
    text = re.sub(r"[^a-z ]+", " ", text)
    text = re.sub(r"\s+", " ", text).strip()
    return _TITLES.sub("", text)


def names_similar(a: str, b: str) -> bool:
    x, y = normalize_name(a), normalize_name(b)
    if not x or not y:
        return False
    return x == y or difflib.SequenceMatcher(None, x, y).ratio() >= SIMILAR_NAME


def find_duplicates(
    posyandu: Posyandu, mother_name: str, birth_date: date, exclude_id: int | None = None
) -> list[CohortPair]:
    """Pairs that may be this one: a similar mother's name, the same baby's birth date and the same desa."""
    candidates = db.session.scalars(
        select(CohortPair)
        .join(Posyandu, CohortPair.posyandu_id == Posyandu.id)
        .where(Posyandu.desa_id == posyandu.desa_id, CohortPair.birth_date == birth_date)
        .order_by(CohortPair.id)
    )
    return [c for c in candidates if c.id != exclude_id and names_similar(c.mother_name, mother_name)]


@dataclass
class PairData:
    """What the new-pair form (or an import row) gives."""

    posyandu_id: int
    mother_name: str
    baby_sex: str
    birth_date: date
    consent_followup: bool
    mother_phone: str = ""
    rt_rw: str = ""
    baby_name: str = ""
    birth_weight_g: int | None = None
    preterm: bool | None = None
    early_initiation: bool | None = None
    rooming_in: bool | None = None
    birth_place: str = ""
    consent_whatsapp: bool = False
    cadre_id: int | None = None
    participant_id: int | None = None


def normalize_phone(raw: str) -> str:
    """Indonesian phone numbers as wa.me wants them: 0812... and +62 812... become 62812..."""
    digits = re.sub(r"\D", "", raw or "")
    if digits.startswith("0"):
        digits = "62" + digits[1:]
    return digits


def _check_pair(actor: Educator, data: PairData, today: date) -> Posyandu:
    posyandu = db.session.get(Posyandu, data.posyandu_id)
    if posyandu is None or not can_see_posyandu(actor, posyandu.id):
        raise CohortError("posyandu_not_yours", 403)
    if not data.mother_name.strip():
        raise CohortError("mother_name_required")
    if data.birth_date > today:
        raise CohortError("birth_in_future")
    if data.birth_date < today - timedelta(days=366 * 2):
        raise CohortError("birth_too_old")
    if data.baby_sex not in SEXES:
        raise CohortError("bad_sex")
    if data.birth_place and data.birth_place not in BIRTH_PLACES:
        raise CohortError("bad_birth_place")
    if data.birth_weight_g is not None and not 300 <= data.birth_weight_g <= 7000:
        raise CohortError("bad_birth_weight")
    if not data.consent_followup:
        raise CohortError("consent_required")
    phone = normalize_phone(data.mother_phone)
    if data.mother_phone.strip() and not 9 <= len(phone) <= 15:
        raise CohortError("bad_phone")
    if data.consent_whatsapp and not phone:
        raise CohortError("whatsapp_needs_phone")
    if data.cadre_id is not None and data.cadre_id not in {c.id for c in cadres_of(posyandu.id)}:
        raise CohortError("cadre_not_of_posyandu")
    return posyandu


def create_pair(
    actor: Educator, data: PairData, today: date | None = None, *, allow_duplicate: bool = False
) -> CohortPair:
    """Register a new mother-baby pair; refused while likely duplicates exist unless ``allow_duplicate``."""
    today = today or date.today()
    posyandu = _check_pair(actor, data, today)
    duplicates = find_duplicates(posyandu, data.mother_name, data.birth_date)
    if duplicates and not allow_duplicate:
        raise CohortError("likely_duplicate", 409, duplicates=duplicates)
    now = utcnow()
    cadre_id = data.cadre_id if data.cadre_id is not None else (actor.id if actor.role == "kader" else None)
    pair = CohortPair(
        posyandu_id=posyandu.id,
        cadre_id=cadre_id,
        mother_name=data.mother_name.strip(),
        mother_phone=normalize_phone(data.mother_phone),
        rt_rw=data.rt_rw.strip(),
        baby_name=data.baby_name.strip(),
        baby_sex=data.baby_sex,
        birth_date=data.birth_date,
        birth_weight_g=data.birth_weight_g,
        preterm=data.preterm,
        early_initiation=data.early_initiation,
        rooming_in=data.rooming_in,
        birth_place=data.birth_place,
        consent_followup_at=now,
        consent_whatsapp_at=now if data.consent_whatsapp else None,
        participant_id=data.participant_id,
    )
    db.session.add(pair)
    db.session.flush()
    audit.record("cohort.pair_create", actor_id=actor.id, pair_id=pair.id, posyandu_id=posyandu.id)
    return pair


def merge_pairs(actor: Educator, keep: CohortPair, duplicate: CohortPair) -> CohortPair:
    """Merge a duplicate into the pair kept: its visits move over, empty fields are filled, it is deleted."""
    if keep.id == duplicate.id:
        raise CohortError("merge_same_pair")
    for pair in (keep, duplicate):
        if not can_see_posyandu(actor, pair.posyandu_id):
            raise CohortError("pair_not_yours", 403)
    if keep.birth_date != duplicate.birth_date:
        raise CohortError("merge_different_birth")
    moved = len(duplicate.visits)
    for visit in list(duplicate.visits):
        visit.pair_id = keep.id
    for name in ("mother_phone", "rt_rw", "baby_name", "birth_place"):
        if not getattr(keep, name) and getattr(duplicate, name):
            setattr(keep, name, getattr(duplicate, name))
    for name in ("birth_weight_g", "preterm", "early_initiation", "rooming_in", "participant_id", "cadre_id"):
        if getattr(keep, name) is None and getattr(duplicate, name) is not None:
            setattr(keep, name, getattr(duplicate, name))
    if keep.consent_whatsapp_at is None and duplicate.consent_whatsapp_at is not None:
        keep.consent_whatsapp_at = duplicate.consent_whatsapp_at
    db.session.flush()
    audit.record(
        "cohort.pair_merge", actor_id=actor.id, kept_id=keep.id, merged_id=duplicate.id, visits_moved=moved
    )
    dup_id = duplicate.id
    db.session.expunge(duplicate)
    db.session.execute(delete(CohortPair).where(CohortPair.id == dup_id))
    db.session.expire(keep, ["visits"])
    db.session.flush()
    return keep


def delete_pair(actor: Educator, pair: CohortPair) -> None:
    """Delete a pair on the mother's request, with its visits and certificate; the audit keeps ids and counts."""
    if not can_see_posyandu(actor, pair.posyandu_id):
        raise CohortError("pair_not_yours", 403)
    audit.record(
        "cohort.pair_delete",
        actor_id=actor.id,
        pair_id=pair.id,
        posyandu_id=pair.posyandu_id,
        visits=len(pair.visits),
    )
    pair_id = pair.id
    db.session.expunge(pair)
    db.session.execute(delete(CohortPair).where(CohortPair.id == pair_id))
    db.session.flush()


def get_pair(user: Educator, pair_id: int) -> CohortPair | None:
    """The pair if the account may see it (None for a deleted pair or another posyandu's)."""
    pair = db.session.get(CohortPair, pair_id)
    if pair is None or not can_see_posyandu(user, pair.posyandu_id):
        return None
    return pair


# ---------------------------------------------------------------- visits


@dataclass
class VisitData:
    """A visit as the form or the phone's queue sends it."""

    client_key: str
    visit_date: date
    came: bool = True
    place: str = ""
    other_since_last: bool | None = None
    breastfed_24h: bool | None = True
    recall_24h: list[str] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)
    counseling: str = ""
    referral_to: str = ""
    referral_outcome: str = ""
    next_visit_on: date | None = None


CLIENT_KEY = re.compile(r"^[A-Za-z0-9_-]{8,64}$")


def _check_visit(pair: CohortPair, data: VisitData, today: date) -> str:
    """The visit's derived status, or CohortError."""
    if not CLIENT_KEY.match(data.client_key or ""):
        raise CohortError("bad_client_key")
    if data.visit_date < pair.birth_date:
        raise CohortError("visit_before_birth")
    if data.visit_date > today + timedelta(days=1):  # a phone a little ahead of the server's date
        raise CohortError("visit_in_future")
    if data.next_visit_on is not None and data.next_visit_on < data.visit_date:
        raise CohortError("next_before_visit")
    if not data.came:
        return "tidak_datang"
    if data.place not in VISIT_PLACES:
        raise CohortError("bad_place")
    unknown = set(data.problems) - set(PROBLEMS)
    if unknown:
        raise CohortError("bad_problem")
    if data.breastfed_24h is None:
        raise CohortError("breastfed_required")
    try:
        return cov.feeding_status(data.breastfed_24h, data.recall_24h)
    except ValueError:
        raise CohortError("bad_recall_item") from None


def record_visit(
    actor: Educator, pair: CohortPair, data: VisitData, today: date | None = None
) -> tuple[CohortVisit, bool]:
    """Store a visit once: a visit resent with the same client key returns the stored one (created=False)."""
    if not can_see_posyandu(actor, pair.posyandu_id):
        raise CohortError("pair_not_yours", 403)
    existing = db.session.scalar(select(CohortVisit).where(CohortVisit.client_key == data.client_key))
    if existing is not None:
        if existing.pair_id != pair.id:
            raise CohortError("client_key_used", 409)
        return existing, False
    status = _check_visit(pair, data, today or date.today())
    came = data.came
    visit = CohortVisit(
        pair_id=pair.id,
        client_key=data.client_key,
        visit_date=data.visit_date,
        came=came,
        place=data.place if came else "",
        other_since_last=data.other_since_last if came else None,
        breastfed_24h=data.breastfed_24h if came else None,
        recall_24h=sorted(set(data.recall_24h)) if came else [],
        status=status,
        problems=sorted(set(data.problems)) if came else [],
        counseling=data.counseling.strip() if came else "",
        referral_to=data.referral_to.strip() if came else "",
        referral_outcome=data.referral_outcome.strip() if came else "",
        next_visit_on=data.next_visit_on,
        recorded_by_id=actor.id,
    )
    try:
        with db.session.begin_nested():  # two phones resending the same visit at once: one row
            db.session.add(visit)
            db.session.flush()
    except IntegrityError:
        existing = db.session.scalar(select(CohortVisit).where(CohortVisit.client_key == data.client_key))
        if existing is None or existing.pair_id != pair.id:
            raise CohortError("client_key_used", 409) from None
        return existing, False
    db.session.expire(pair, ["visits"])
    return visit, True


def set_referral_outcome(actor: Educator, visit: CohortVisit, outcome: str) -> None:
    """Record what came of a visit's referral (seen by the midwife, treated, still waiting ...)."""
    if not can_see_posyandu(actor, visit.pair.posyandu_id):
        raise CohortError("pair_not_yours", 403)
    if not visit.referral_to:
        raise CohortError("no_referral", 409)
    outcome = " ".join((outcome or "").split())
    if not outcome:
        raise CohortError("outcome_required")
    if len(outcome) > 300:
        raise CohortError("outcome_too_long")
    visit.referral_outcome = outcome
    db.session.flush()


def get_visit(user: Educator, visit_id: int) -> CohortVisit | None:
    """A visit of a pair the account sees, else None."""
    visit = db.session.get(CohortVisit, visit_id)
    if visit is None or get_pair(user, visit.pair_id) is None:
        return None
    return visit


def link_participant(actor: Educator, pair: CohortPair, personal_code: str) -> Participant:
    """Link the mother to her record in a counseling session, found by her personal code.

    Refused: a code no participant has (404), a record already linked to another pair (409).
    The audit entry names ids only.
    """
    normalized = codes.normalize(personal_code)
    if not normalized:
        raise CohortError("personal_code_required")
    participant = db.session.scalar(select(Participant).where(Participant.personal_code == normalized))
    if participant is None:
        raise CohortError("no_such_participant", 404)
    taken = db.session.scalar(
        select(CohortPair.id).where(CohortPair.participant_id == participant.id, CohortPair.id != pair.id)
    )
    if taken is not None:
        raise CohortError("participant_linked_elsewhere", 409)
    pair.participant_id = participant.id
    audit.record("cohort.link_participant", pair_id=pair.id, participant_id=participant.id)
    db.session.flush()
    return participant


def linked_participant(pair: CohortPair) -> Participant | None:
    """Her record in a counseling session, when linked."""
    return db.session.get(Participant, pair.participant_id) if pair.participant_id else None


def unlink_participant(actor: Educator, pair: CohortPair) -> None:
    """Remove the link to her session record (the record itself stays)."""
    if pair.participant_id is None:
        return
    audit.record("cohort.unlink_participant", pair_id=pair.id, participant_id=pair.participant_id)
    pair.participant_id = None
    db.session.flush()


def previous_visit(pair: CohortPair) -> CohortVisit | None:
    """The latest visit at which she came (what the form shows beside the new one)."""
    came = [v for v in pair.visits if v.came]
    return came[-1] if came else None


# ---------------------------------------------------------------- worklist and WhatsApp


def six_months_on(pair: CohortPair) -> date:
    return cov.add_months(pair.birth_date, cov.REGISTER_MONTHS)


@dataclass(frozen=True)
class WorkItem:
    pair: CohortPair
    expected_on: date
    overdue: bool
    age_months: int


def expected_visit(pair: CohortPair) -> date:
    """When the next visit is expected: the date set at the last visit, else a month after it, else a week after the birth."""
    last = pair.visits[-1] if pair.visits else None
    if last is None:
        return pair.birth_date + timedelta(days=7)
    return last.next_visit_on or last.visit_date + timedelta(days=30)


def worklist(user: Educator, today: date, posyandu_ids: Iterable[int] | None = None) -> list[WorkItem]:
    """Pairs still under six months with no record this month and a visit expected by the month's end."""
    month_start = today.replace(day=1)
    month_end = cov.add_months(month_start, 1) - timedelta(days=1)
    items = []
    for pair in pairs_for(user, posyandu_ids):
        if six_months_on(pair) <= today:
            continue
        if any(v.visit_date >= month_start for v in pair.visits):
            continue
        expected = expected_visit(pair)
        if expected <= month_end:
            items.append(WorkItem(pair, expected, expected < today, pair.age_months(today)))
    items.sort(key=lambda i: (not i.overdue, i.expected_on, i.pair.id))
    return items


def whatsapp_message(pair: CohortPair, cadre_name: str) -> str:
    baby = pair.baby_name or "si kecil"
    return (
        f"Assalamualaikum Ibu {pair.mother_name}, saya {cadre_name}, kader posyandu {pair.posyandu.name}. "
        f"Bagaimana kabar Ibu dan {baby}? Sudah waktunya kunjungan bulanan ASI eksklusif. "
        "Kapan Ibu ada waktu? Terima kasih."
    )


def whatsapp_link(pair: CohortPair, cadre_name: str) -> str | None:
    """A wa.me link with the prefilled Indonesian message, only when she agreed to WhatsApp contact."""
    if pair.consent_whatsapp_at is None or not pair.mother_phone:
        return None
    return f"https://wa.me/{pair.mother_phone}?text={quote(whatsapp_message(pair, cadre_name))}"


def whatsapp_opened(actor: Educator, pair: CohortPair) -> WhatsAppOpened:
    """Record that the cadre opened WhatsApp for the pair (never that a message was sent)."""
    if not can_see_posyandu(actor, pair.posyandu_id):
        raise CohortError("pair_not_yours", 403)
    if pair.consent_whatsapp_at is None:
        raise CohortError("no_whatsapp_consent", 409)
    row = WhatsAppOpened(pair_id=pair.id, educator_id=actor.id)
    db.session.add(row)
    db.session.flush()
    return row


def last_whatsapp(pair_ids: list[int]) -> dict[int, datetime]:
    if not pair_ids:
        return {}
    rows = db.session.execute(
        select(WhatsAppOpened.pair_id, func.max(WhatsAppOpened.opened_at))
        .where(WhatsAppOpened.pair_id.in_(pair_ids))
        .group_by(WhatsAppOpened.pair_id)
    ).all()
    return dict(rows)  # type: ignore[arg-type]


# ---------------------------------------------------------------- register and coverage


def analysis_visits(pairs: Iterable[CohortPair]) -> list[cov.CohortVisit]:
    """The pairs' visits as analysis.coverage reads them (pair = the pair id, posyandu "p<id>", desa "d<id>")."""
    out = []
    for pair in pairs:
        for v in pair.visits:
            out.append(
                cov.CohortVisit(
                    str(pair.id),
                    pair.birth_date,
                    v.visit_date,
                    v.status,
                    v.other_since_last,
                    f"p{pair.posyandu_id}",
                    f"d{pair.posyandu.desa_id}",
                )
            )
    return out


def register_row(pair: CohortPair, until: date | None = None) -> list[str]:
    return cov.register_marks(analysis_visits([pair]), until)


def completion(pair: CohortPair) -> str:
    return cov.completion_outcome(analysis_visits([pair]))


def coverage_for(
    user: Educator, puskesmas: Puskesmas, period: str, semester: bool = False
) -> tuple[cov.Coverage, dict[str, str]]:
    """Coverage of a Puskesmas's pairs the account sees, and the names of the desa and posyandu ids it uses."""
    posyandu = [p for p in visible_posyandu(user) if p.desa.puskesmas_id == puskesmas.id]
    pairs = pairs_for(user, [p.id for p in posyandu])
    parsed = cov.parse_period(period, semester)
    result = cov.coverage(analysis_visits(pairs), parsed, target=target_for(puskesmas.id, parsed.end.year))
    names = {f"p{p.id}": p.name for p in posyandu} | {f"d{p.desa_id}": p.desa.name for p in posyandu}
    return result, names


def monthly_series(user: Educator, puskesmas: Puskesmas, year: int) -> list[tuple[str, cov.CoverageGroup]]:
    """The overall figures of each month of a year, for the chart."""
    posyandu = [p for p in visible_posyandu(user) if p.desa.puskesmas_id == puskesmas.id]
    visits = analysis_visits(pairs_for(user, [p.id for p in posyandu]))
    return [(f"{year}-{m:02d}", cov.coverage(visits, f"{year}-{m:02d}").overall) for m in range(1, 13)]


# ---------------------------------------------------------------- certificates


def display_number(cert: CohortCertificate, puskesmas_id: int) -> str:
    """The printed number, as Indonesian offices write them: 003/ASI-EKS/2/VIII/2026."""
    month = cert.issued_at.month
    return f"{cert.number:03d}/ASI-EKS/{puskesmas_id}/{ROMAN[month - 1]}/{cert.year}"


def issue_certificate(actor: Educator, pair: CohortPair, today: date | None = None) -> CohortCertificate:
    """Issue the "lulus ASI eksklusif" certificate; refused unless the pair met the completion rule."""
    today = today or date.today()
    if not can_see_posyandu(actor, pair.posyandu_id):
        raise CohortError("pair_not_yours", 403)
    existing = db.session.scalar(select(CohortCertificate).where(CohortCertificate.pair_id == pair.id))
    if existing is not None and existing.revoked_at is None:
        return existing
    if existing is not None:
        raise CohortError("certificate_revoked", 409)
    if six_months_on(pair) > today:
        raise CohortError("not_six_months_yet", 409)
    outcome = completion(pair)
    if outcome != "completed":
        raise CohortError("completion_not_met", 409, outcome=outcome)
    puskesmas_id = pair.posyandu.desa.puskesmas_id
    db.session.execute(select(Puskesmas.id).where(Puskesmas.id == puskesmas_id).with_for_update())
    last = db.session.scalar(
        select(func.max(CohortCertificate.number))
        .join(CohortPair, CohortCertificate.pair_id == CohortPair.id)
        .join(Posyandu, CohortPair.posyandu_id == Posyandu.id)
        .join(Desa, Posyandu.desa_id == Desa.id)
        .where(Desa.puskesmas_id == puskesmas_id, CohortCertificate.year == today.year)
    )
    for _ in range(20):
        code = codes.new_code(CODE_LENGTH)
        if not db.session.scalar(select(CohortCertificate.id).where(CohortCertificate.code == code)):
            break
    cert = CohortCertificate(
        pair_id=pair.id, code=code, number=(last or 0) + 1, year=today.year, issued_by_id=actor.id
    )
    db.session.add(cert)
    db.session.flush()
    audit.record("cohort.certificate_issue", actor_id=actor.id, pair_id=pair.id, number=cert.number)
    return cert


def revoke_certificate(actor: Educator, cert: CohortCertificate, reason: str) -> None:
    if not can_see_posyandu(actor, cert.pair.posyandu_id):
        raise CohortError("pair_not_yours", 403)
    if not reason.strip():
        raise CohortError("reason_required")
    if cert.revoked_at is not None:
        raise CohortError("certificate_revoked", 409)
    cert.revoked_at = utcnow()
    cert.revoked_reason = reason.strip()[:300]
    db.session.flush()
    audit.record("cohort.certificate_revoke", actor_id=actor.id, pair_id=cert.pair_id, number=cert.number)


def find_certificate(raw_code: str) -> CohortCertificate | None:
    code = codes.normalize(raw_code)
    if len(code) != CODE_LENGTH:
        return None
    return db.session.scalar(select(CohortCertificate).where(CohortCertificate.code == code))


def certificates_for(user: Educator, include_revoked: bool = True) -> list[CohortCertificate]:
    """The certificates of the pairs the account sees, by year and number."""
    ids = visible_posyandu_ids(user)
    query = (
        select(CohortCertificate)
        .join(CohortPair, CohortCertificate.pair_id == CohortPair.id)
        .options(
            selectinload(CohortCertificate.pair).selectinload(CohortPair.posyandu).selectinload(Posyandu.desa)
        )
        .order_by(CohortCertificate.year, CohortCertificate.number)
    )
    if ids is not None:
        query = query.where(CohortPair.posyandu_id.in_(ids))
    if not include_revoked:
        query = query.where(CohortCertificate.revoked_at.is_(None))
    return list(db.session.scalars(query))


def get_certificate(user: Educator, cert_id: int) -> CohortCertificate | None:
    cert = db.session.get(CohortCertificate, cert_id)
    if cert is None or not can_see_posyandu(user, cert.pair.posyandu_id):
        return None
    return cert


# ---------------------------------------------------------------- import of a re-keyed paper register

#: Columns of a re-keyed register (names without regard to case), and the month columns bulan_0..bulan_5.
IMPORT_COLUMNS = ("posyandu", "nama_ibu", "nama_bayi", "jenis_kelamin", "tanggal_lahir")
MARK_TEXT = {"√": "√", "v": "√", "✓": "√", "x": "X", "a": "A", "": ""}


@dataclass(frozen=True)
class ImportProblem:
    row: int
    column: str
    value: str
    code: str


def read_register_rows(path) -> tuple[list[str], list[list[str]]]:
    """Header and rows of a CSV/XLSX file, read as the score upload and ``python -m analysis`` read them."""
    from analysis.io import _read_rows

    header, rows, _decimal_comma = _read_rows(Path(path))
    return header, rows


def import_register(actor: Educator, header: list[str], rows: list[list[str]], today: date | None = None):
    """Create the pairs and the month marks of a re-keyed paper register, all or nothing.

    Returns ``(pairs created, problems)``; with any problem nothing is written. A month's √
    becomes an ``eksklusif`` record, X a ``parsial`` one (the paper does not say what was
    given), A a "did not come" record, each dated the first day of that age month.
    """
    today = today or date.today()
    lower = [h.strip().lower() for h in header]
    problems: list[ImportProblem] = []
    months = [f"bulan_{m}" for m in range(cov.REGISTER_MONTHS)]
    for name in (*IMPORT_COLUMNS, *months):
        if name not in lower:
            problems.append(ImportProblem(1, name, "", "missing_column"))
    if problems:
        return 0, problems
    col = {name: i for i, name in enumerate(lower)}
    places = {p.name.strip().lower(): p for p in visible_posyandu(actor)}
    planned = []
    seen: set[tuple[int, str, date]] = set()
    for r, cells in enumerate(rows):
        rownum = r + 2
        cells = list(cells) + [""] * (len(header) - len(cells))
        if not any(c.strip() for c in cells):
            continue

        def cell(name: str, cells=cells) -> str:
            return cells[col[name]].strip()

        def bad(name: str, code: str, rownum=rownum, cell=cell) -> None:
            problems.append(ImportProblem(rownum, header[col[name]], cell(name), code))

        posyandu = places.get(cell("posyandu").lower())
        if posyandu is None:
            bad("posyandu", "posyandu_not_yours")
        mother = cell("nama_ibu")
        if not mother:
            bad("nama_ibu", "mother_name_required")
        sex = cell("jenis_kelamin").upper()
        if sex not in SEXES:
            bad("jenis_kelamin", "bad_sex")
        try:
            birth = cov.parse_date(cell("tanggal_lahir"))
        except ValueError:
            bad("tanggal_lahir", "bad_date")
            birth = None
        if birth is not None and birth > today:
            bad("tanggal_lahir", "birth_in_future")
            birth = None
        marks = []
        for m, name in enumerate(months):
            mark = MARK_TEXT.get(cell(name).lower())
            if mark is None:
                bad(name, "bad_mark")
            elif mark and birth is not None and cov.add_months(birth, m) > today:
                bad(name, "month_in_future")
            marks.append(mark or "")
        if posyandu is None or birth is None or not mother:
            continue
        key = (posyandu.desa_id, normalize_name(mother), birth)
        if key in seen or find_duplicates(posyandu, mother, birth):
            bad("nama_ibu", "likely_duplicate")
        seen.add(key)
        planned.append((posyandu, mother, cell("nama_bayi"), sex, birth, marks))
    if problems:
        return 0, problems
    status = {"√": "eksklusif", "X": "parsial", "A": "tidak_datang"}
    now = utcnow()
    for posyandu, mother, baby, sex, birth, marks in planned:
        pair = CohortPair(
            posyandu_id=posyandu.id,
            cadre_id=actor.id if actor.role == "kader" else None,
            mother_name=mother,
            baby_name=baby,
            baby_sex=sex,
            birth_date=birth,
            consent_followup_at=now,
        )
        db.session.add(pair)
        db.session.flush()
        for m, mark in enumerate(marks):
            if mark:
                db.session.add(
                    CohortVisit(
                        pair_id=pair.id,
                        client_key=f"import-{pair.id}-m{m}",
                        visit_date=cov.add_months(birth, m),
                        came=mark != "A",
                        place="posyandu" if mark != "A" else "",
                        status=status[mark],
                        recorded_by_id=actor.id,
                    )
                )
    db.session.flush()
    audit.record("cohort.import", actor_id=actor.id, pairs=len(planned))
    return len(planned), []


# ---------------------------------------------------------------- KP-ASI meetings and consultations


def record_meeting(
    actor: Educator,
    posyandu_id: int,
    held_on: date,
    topic: str,
    pair_ids: list[int],
    others: int,
    today: date | None = None,
) -> KpAsiMeeting:
    """A KP-ASI meeting: date, topic, the mothers (pairs) who came and how many others."""
    if not can_see_posyandu(actor, posyandu_id) or db.session.get(Posyandu, posyandu_id) is None:
        raise CohortError("posyandu_not_yours", 403)
    if held_on > (today or date.today()):
        raise CohortError("meeting_in_future")
    if not topic.strip():
        raise CohortError("topic_required")
    if others < 0:
        raise CohortError("bad_count")
    mothers = {p.id for p in pairs_for(actor, [posyandu_id])}
    if not set(pair_ids) <= mothers:
        raise CohortError("pair_not_yours", 403)
    meeting = KpAsiMeeting(
        posyandu_id=posyandu_id,
        held_on=held_on,
        topic=topic.strip()[:200],
        pair_ids=sorted(set(pair_ids)),
        others=others,
        recorded_by_id=actor.id,
    )
    db.session.add(meeting)
    db.session.flush()
    return meeting


def record_consultation(
    actor: Educator,
    posyandu_id: int,
    asked_on: date,
    channel: str,
    category: str,
    outcome: str,
    pair_id: int | None = None,
    today: date | None = None,
) -> KpAsiConsultation:
    """A question a mother asked: channel, category, answered or referred."""
    if not can_see_posyandu(actor, posyandu_id) or db.session.get(Posyandu, posyandu_id) is None:
        raise CohortError("posyandu_not_yours", 403)
    if asked_on > (today or date.today()):
        raise CohortError("consultation_in_future")
    if channel not in CONSULTATION_CHANNELS or category not in CONSULTATION_CATEGORIES:
        raise CohortError("bad_choice")
    if outcome not in CONSULTATION_OUTCOMES:
        raise CohortError("bad_choice")
    if pair_id is not None and pair_id not in {p.id for p in pairs_for(actor, [posyandu_id])}:
        raise CohortError("pair_not_yours", 403)
    row = KpAsiConsultation(
        posyandu_id=posyandu_id,
        pair_id=pair_id,
        asked_on=asked_on,
        channel=channel,
        category=category,
        outcome=outcome,
        recorded_by_id=actor.id,
    )
    db.session.add(row)
    db.session.flush()
    return row


@dataclass(frozen=True)
class KpAsiMonth:
    meetings: list[KpAsiMeeting]
    consultations: list[KpAsiConsultation]
    mothers_at_meetings: int
    others_at_meetings: int
    by_category: dict[str, int]
    answered: int
    referred: int


def kpasi_month(user: Educator, year: int, month: int) -> KpAsiMonth:
    """A month's KP-ASI numbers for the monthly report (the posyandu the account sees)."""
    ids = visible_posyandu_ids(user)
    start = date(year, month, 1)
    end = cov.add_months(start, 1)
    mq = select(KpAsiMeeting).where(KpAsiMeeting.held_on >= start, KpAsiMeeting.held_on < end)
    cq = select(KpAsiConsultation).where(
        KpAsiConsultation.asked_on >= start, KpAsiConsultation.asked_on < end
    )
    if ids is not None:
        mq = mq.where(KpAsiMeeting.posyandu_id.in_(ids))
        cq = cq.where(KpAsiConsultation.posyandu_id.in_(ids))
    meetings = list(db.session.scalars(mq.order_by(KpAsiMeeting.held_on)))
    consultations = list(db.session.scalars(cq.order_by(KpAsiConsultation.asked_on)))
    by_category: dict[str, int] = {}
    for c in consultations:
        by_category[c.category] = by_category.get(c.category, 0) + 1
    return KpAsiMonth(
        meetings,
        consultations,
        sum(len(m.pair_ids) for m in meetings),
        sum(m.others for m in meetings),
        by_category,
        sum(c.outcome == "answered" for c in consultations),
        sum(c.outcome == "referred" for c in consultations),
    )
