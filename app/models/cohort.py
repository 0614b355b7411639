"""The follow-up cohort (Kohort ASI, KEKASIHKU): places, mother-baby pairs, their monthly visits,
coverage targets, "lulus ASI eksklusif" certificates and the KP-ASI meeting and consultation logs.

Places are data: a Puskesmas has desa, a desa has posyandu. A cadre (role ``kader``) belongs to
one or more posyandu and sees their pairs; a nutrition officer (role ``tpg``) belongs to a
Puskesmas and sees all of it. Mother and baby data is health data about a child (UU 27/2022):
only the listed fields are kept, and never logged or put in an audit entry.
"""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import JSON, Boolean, CheckConstraint, Date, ForeignKey, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from analysis.coverage import age_in_months
from app.extensions import db
from app.models._time import utcnow
from app.models.identity import uuid_column
from app.models.types import UTCDateTime

#: Where a visit took place.
VISIT_PLACES = ("home", "posyandu", "whatsapp", "phone")
#: Problems a cadre may tick at a visit.
PROBLEMS = (
    "sore_nipples",
    "engorgement",
    "low_milk",
    "baby_refusing",
    "back_at_work",
    "family_pressure",
    "formula_promotion",
)
#: Where a baby was born.
BIRTH_PLACES = ("home", "bidan", "puskesmas", "clinic", "hospital", "other")
SEXES = ("L", "P")
#: What a consultation asked about: the visit problems, and the rest.
CONSULTATION_CATEGORIES = (*PROBLEMS, "feeding_technique", "mother_health", "baby_health", "other")
CONSULTATION_CHANNELS = ("whatsapp_group", "whatsapp", "visit", "phone", "meeting")
CONSULTATION_OUTCOMES = ("answered", "referred")


class Puskesmas(db.Model):
    """A community health centre: the level the register is reported to."""

    __tablename__ = "puskesmas"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(120), unique=True)
    #: Names printed in the report's signature blocks.
    head_name: Mapped[str] = mapped_column(String(120), default="")
    nutrition_officer_name: Mapped[str] = mapped_column(String(120), default="")

    desa: Mapped[list[Desa]] = relationship(back_populates="puskesmas", order_by="Desa.name")


class Desa(db.Model):
    """A village (desa or kelurahan) of a Puskesmas's area."""

    __tablename__ = "desa"
    __table_args__ = (UniqueConstraint("puskesmas_id", "name"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    puskesmas_id: Mapped[int] = mapped_column(ForeignKey("puskesmas.id", ondelete="CASCADE"), index=True)
    name: Mapped[str] = mapped_column(String(120))

    puskesmas: Mapped[Puskesmas] = relationship(back_populates="desa")
    posyandu: Mapped[list[Posyandu]] = relationship(back_populates="desa", order_by="Posyandu.name")


class Posyandu(db.Model):
    """A posyandu of a desa: its cadres keep the register."""

    __tablename__ = "posyandu"
    __table_args__ = (UniqueConstraint("desa_id", "name"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    desa_id: Mapped[int] = mapped_column(ForeignKey("desa.id", ondelete="CASCADE"), index=True)
    name: Mapped[str] = mapped_column(String(120))

    desa: Mapped[Desa] = relationship(back_populates="posyandu")


class CohortMembership(db.Model):
    """An account's place in the cohort: a cadre at a posyandu, or a nutrition officer at a Puskesmas."""

    __tablename__ = "cohort_membership"
    __table_args__ = (
        UniqueConstraint("educator_id", "posyandu_id", "puskesmas_id"),
        CheckConstraint("(posyandu_id IS NULL) <> (puskesmas_id IS NULL)", name="one_place"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    educator_id: Mapped[int] = mapped_column(ForeignKey("educator.id", ondelete="CASCADE"), index=True)
    #: Set for a cadre.
    posyandu_id: Mapped[int | None] = mapped_column(ForeignKey("posyandu.id", ondelete="CASCADE"))
    #: Set for a nutrition officer (TPG).
    puskesmas_id: Mapped[int | None] = mapped_column(ForeignKey("puskesmas.id", ondelete="CASCADE"))


class CoverageTarget(db.Model):
    """The exclusive-breastfeeding target of a Puskesmas for a year (documents say 40, 50, 60 or 80%)."""

    __tablename__ = "coverage_target"
    __table_args__ = (UniqueConstraint("puskesmas_id", "year"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    puskesmas_id: Mapped[int] = mapped_column(ForeignKey("puskesmas.id", ondelete="CASCADE"))
    year: Mapped[int]
    #: Target in percent, 0-100.
    percent: Mapped[float]


class CohortPair(db.Model):
    """A mother and her baby followed from birth to six months."""

    __tablename__ = "cohort_pair"

    id: Mapped[int] = mapped_column(primary_key=True)
    #: The global id (app/models/identity.py).
    uuid: Mapped[str | None] = uuid_column()
    posyandu_id: Mapped[int] = mapped_column(ForeignKey("posyandu.id"), index=True)
    #: The cadre who follows the pair.
    cadre_id: Mapped[int | None] = mapped_column(ForeignKey("educator.id", ondelete="SET NULL"), index=True)
    #: Mother's name as she gives it. Health data: never logged, escaped everywhere.
    mother_name: Mapped[str] = mapped_column(String(80))
    #: Phone/WhatsApp number, digits only with country code (62...), or empty.
    mother_phone: Mapped[str] = mapped_column(String(20), default="")
    #: RT/RW of the mother's address, e.g. "003/005".
    rt_rw: Mapped[str] = mapped_column(String(16), default="")
    #: Baby's name (may be empty in the first days).
    baby_name: Mapped[str] = mapped_column(String(80), default="")
    #: "L" (laki-laki) or "P" (perempuan), as the Buku KIA writes it.
    baby_sex: Mapped[str] = mapped_column(String(1))
    birth_date: Mapped[date] = mapped_column(Date, index=True)
    #: Birth weight in grams.
    birth_weight_g: Mapped[int | None]
    #: Born before 37 weeks.
    preterm: Mapped[bool | None] = mapped_column(Boolean)
    #: Early initiation of breastfeeding (IMD) within the first hour.
    early_initiation: Mapped[bool | None] = mapped_column(Boolean)
    #: Rooming-in (rawat gabung) after the birth.
    rooming_in: Mapped[bool | None] = mapped_column(Boolean)
    #: One of BIRTH_PLACES.
    birth_place: Mapped[str] = mapped_column(String(16), default="")
    #: When the mother agreed to be followed up (required to register the pair).
    consent_followup_at: Mapped[datetime] = mapped_column(UTCDateTime())
    #: When she agreed to be contacted on WhatsApp; None: no WhatsApp contact.
    consent_whatsapp_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    #: Her record in a counseling session, when she took part in one.
    participant_id: Mapped[int | None] = mapped_column(ForeignKey("participant.id", ondelete="SET NULL"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)

    posyandu: Mapped[Posyandu] = relationship()
    cadre = relationship("Educator")
    visits: Mapped[list[CohortVisit]] = relationship(
        back_populates="pair",
        cascade="all, delete-orphan",
        passive_deletes=True,
        order_by="(CohortVisit.visit_date, CohortVisit.id)",
    )

    def age_months(self, on: date) -> int:
        return age_in_months(self.birth_date, on)

    def __repr__(self) -> str:  # no names: logs must not carry health data
        return f"<CohortPair {self.id}>"


class CohortVisit(db.Model):
    """One monthly contact with a pair, or the record that she did not come."""

    __tablename__ = "cohort_visit"

    id: Mapped[int] = mapped_column(primary_key=True)
    #: The global id (app/models/identity.py).
    uuid: Mapped[str | None] = uuid_column()
    pair_id: Mapped[int] = mapped_column(ForeignKey("cohort_pair.id", ondelete="CASCADE"), index=True)
    #: The phone's idempotency key: a visit resent from the offline queue is stored once.
    client_key: Mapped[str] = mapped_column(String(64), unique=True)
    visit_date: Mapped[date] = mapped_column(Date)
    #: One of VISIT_PLACES; empty when she did not come.
    place: Mapped[str] = mapped_column(String(16), default="")
    #: False: "did not come" (A in the register); every answer below is then empty.
    came: Mapped[bool] = mapped_column(Boolean, default=True)
    #: "Since the last visit, was the baby given anything other than breast milk?"
    other_since_last: Mapped[bool | None] = mapped_column(Boolean)
    #: 24-hour recall: breast milk in the last 24 hours, and what else (analysis.coverage.RECALL_ITEMS).
    breastfed_24h: Mapped[bool | None] = mapped_column(Boolean)
    recall_24h: Mapped[list] = mapped_column(JSON, default=list)
    #: Derived from the recall (analysis.coverage.feeding_status), or "tidak_datang".
    status: Mapped[str] = mapped_column(String(16))
    #: PROBLEMS ticked.
    problems: Mapped[list] = mapped_column(JSON, default=list)
    #: Counseling given, in the cadre's words.
    counseling: Mapped[str] = mapped_column(String(500), default="")
    #: Referred to (bidan, Puskesmas, konselor ASI...), and later what came of it.
    referral_to: Mapped[str] = mapped_column(String(120), default="")
    referral_outcome: Mapped[str] = mapped_column(String(300), default="")
    next_visit_on: Mapped[date | None] = mapped_column(Date)
    recorded_by_id: Mapped[int | None] = mapped_column(ForeignKey("educator.id", ondelete="SET NULL"))
    recorded_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)

    pair: Mapped[CohortPair] = relationship(back_populates="visits")

    @property
    def age_months(self) -> int:
        return age_in_months(self.pair.birth_date, self.visit_date)


class WhatsAppOpened(db.Model):
    """A cadre tapped the WhatsApp link of a pair (the app knows it was opened, never that it was sent)."""

    __tablename__ = "cohort_whatsapp"

    id: Mapped[int] = mapped_column(primary_key=True)
    pair_id: Mapped[int] = mapped_column(ForeignKey("cohort_pair.id", ondelete="CASCADE"), index=True)
    educator_id: Mapped[int | None] = mapped_column(ForeignKey("educator.id", ondelete="SET NULL"))
    opened_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)


class CohortCertificate(db.Model):
    """A "lulus ASI eksklusif" certificate, issued when the pair met the six-month completion rule."""

    __tablename__ = "cohort_certificate"

    id: Mapped[int] = mapped_column(primary_key=True)
    pair_id: Mapped[int] = mapped_column(ForeignKey("cohort_pair.id", ondelete="CASCADE"), unique=True)
    #: Verification code printed and in the QR code (app.services.certificates' alphabet and length).
    code: Mapped[str] = mapped_column(String(32), unique=True)
    #: Running number within the Puskesmas and year.
    number: Mapped[int]
    year: Mapped[int]
    issued_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    issued_by_id: Mapped[int | None] = mapped_column(ForeignKey("educator.id", ondelete="SET NULL"))
    revoked_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    revoked_reason: Mapped[str] = mapped_column(String(300), default="")

    pair: Mapped[CohortPair] = relationship()


class KpAsiMeeting(db.Model):
    """A KP-ASI (breastfeeding support group) meeting of a posyandu."""

    __tablename__ = "kpasi_meeting"

    id: Mapped[int] = mapped_column(primary_key=True)
    posyandu_id: Mapped[int] = mapped_column(ForeignKey("posyandu.id", ondelete="CASCADE"), index=True)
    held_on: Mapped[date] = mapped_column(Date)
    topic: Mapped[str] = mapped_column(String(200))
    #: Pairs (mothers) who came, by id.
    pair_ids: Mapped[list] = mapped_column(JSON, default=list)
    #: Others who came (fathers, grandmothers, pregnant women), as a count.
    others: Mapped[int] = mapped_column(default=0)
    recorded_by_id: Mapped[int | None] = mapped_column(ForeignKey("educator.id", ondelete="SET NULL"))


class KpAsiConsultation(db.Model):
    """A question a mother asked the cadres (WhatsApp group, visit, phone), answered or referred."""

    __tablename__ = "kpasi_consultation"

    id: Mapped[int] = mapped_column(primary_key=True)
    posyandu_id: Mapped[int] = mapped_column(ForeignKey("posyandu.id", ondelete="CASCADE"), index=True)
    pair_id: Mapped[int | None] = mapped_column(ForeignKey("cohort_pair.id", ondelete="SET NULL"))
    asked_on: Mapped[date] = mapped_column(Date)
    #: One of CONSULTATION_CHANNELS and CONSULTATION_CATEGORIES.
    channel: Mapped[str] = mapped_column(String(16))
    category: Mapped[str] = mapped_column(String(24))
    #: "answered" or "referred".
    outcome: Mapped[str] = mapped_column(String(16))
    recorded_by_id: Mapped[int | None] = mapped_column(ForeignKey("educator.id", ondelete="SET NULL"))
