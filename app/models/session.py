"""A counseling session (penyuluhan) and the phases it moves through."""

from __future__ import annotations

import enum
from datetime import date, datetime

from sqlalchemy import JSON, Date, Enum, ForeignKey, Integer, String, Text, func, text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.extensions import db
from app.models._time import utcnow
from app.models.identity import uuid_column
from app.models.types import UTCDateTime


class Phase(str, enum.Enum):
    DRAFT = "draft"
    PRE_OPEN = "pre_open"
    PRE_CLOSED = "pre_closed"
    POST_OPEN = "post_open"
    CLOSED = "closed"
    #: A delayed post-test days or weeks later, opened from a closed session (the same participants).
    FOLLOWUP_OPEN = "followup_open"
    FOLLOWUP_CLOSED = "followup_closed"


#: The moves an educator may make. Reopening is allowed for a test closed by mistake.
TRANSITIONS: dict[Phase, tuple[Phase, ...]] = {
    Phase.DRAFT: (Phase.PRE_OPEN,),
    Phase.PRE_OPEN: (Phase.PRE_CLOSED,),
    Phase.PRE_CLOSED: (Phase.POST_OPEN, Phase.PRE_OPEN),
    Phase.POST_OPEN: (Phase.CLOSED,),
    Phase.CLOSED: (Phase.POST_OPEN, Phase.FOLLOWUP_OPEN),
    Phase.FOLLOWUP_OPEN: (Phase.FOLLOWUP_CLOSED,),
    Phase.FOLLOWUP_CLOSED: (Phase.FOLLOWUP_OPEN,),
}
#: A post-test-only session (as in seed 004) skips the pre-test.
POST_ONLY_TRANSITIONS: dict[Phase, tuple[Phase, ...]] = {
    Phase.DRAFT: (Phase.POST_OPEN,),
    Phase.POST_OPEN: (Phase.CLOSED,),
    Phase.CLOSED: (Phase.POST_OPEN,),
}
#: What a session may be marked as, for a comparison of two groups of sessions (None: not marked).
STUDY_GROUPS = ("intervention", "control", "medium_a", "medium_b")

#: Phases in which a new participant may join (not the follow-up: it is for those who took part).
JOINABLE = (Phase.PRE_OPEN, Phase.PRE_CLOSED, Phase.POST_OPEN)
#: Phases of a session that has had a follow-up test opened.
FOLLOWUP_PHASES = (Phase.FOLLOWUP_OPEN, Phase.FOLLOWUP_CLOSED)


class PhaseError(Exception):
    """A phase change that the session's state does not allow."""

    def __init__(self, current: Phase, wanted: Phase, reason: str | None = None):
        super().__init__(
            f"cannot move from {current.value} to {wanted.value}" + (f": {reason}" if reason else "")
        )
        self.current = current
        self.wanted = wanted
        #: Why, beyond the phase: "post_only_followup" (a follow-up needs a pre-test) or
        #: "followup_quiz" (the follow-up quiz is not the session's quiz or a parallel form of it).
        self.reason = reason


#: The tests that may have a quiz of their own (a parallel form): the relationship holding it.
#: Any other test, and one whose own quiz is not set, takes the pre-test's quiz (`quiz_version`).
OWN_QUIZ = {"post": "post_quiz_version", "followup": "followup_quiz_version"}


class CounselingSession(db.Model):
    """One penyuluhan: a place, a date, a quiz and the people who took it."""

    __tablename__ = "counseling_session"

    id: Mapped[int] = mapped_column(primary_key=True)
    #: The global id (app/models/identity.py).
    uuid: Mapped[str | None] = uuid_column()
    educator_id: Mapped[int] = mapped_column(ForeignKey("educator.id", ondelete="CASCADE"), index=True)
    title: Mapped[str] = mapped_column(String(200))
    place: Mapped[str] = mapped_column(String(200))
    held_on: Mapped[date] = mapped_column(Date)
    #: Team members besides the educator, as typed (printed on reports).
    team: Mapped[str] = mapped_column(String(300), default="")
    institution: Mapped[str] = mapped_column(String(200), default="")
    #: The quiz version for the pre-test (and the post-test unless a parallel form is set).
    quiz_version_id: Mapped[int] = mapped_column(ForeignKey("quiz_version.id"), index=True)
    #: A parallel form for the post-test, or None to reuse the pre-test quiz.
    post_quiz_version_id: Mapped[int | None] = mapped_column(ForeignKey("quiz_version.id"))
    phase: Mapped[Phase] = mapped_column(
        Enum(
            Phase,
            name="session_phase",
            values_callable=lambda e: [m.value for m in e],
            native_enum=False,
            length=16,
        ),
        default=Phase.DRAFT,
    )
    #: The follow-up test's quiz (the same quiz or its parallel form), chosen when it is first opened.
    followup_quiz_version_id: Mapped[int | None] = mapped_column(ForeignKey("quiz_version.id"))
    #: When the follow-up test was first opened (None: the session has no follow-up).
    followup_opened_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    #: True for a session with a post-test only.
    post_only: Mapped[bool] = mapped_column(default=False)
    #: What participants type or scan to join; unique among all sessions.
    join_code: Mapped[str] = mapped_column(String(16), unique=True)
    #: Consent statement shown before registration; empty means the default text.
    consent_text_id: Mapped[str] = mapped_column(Text, default="")
    consent_text_en: Mapped[str] = mapped_column(Text, default="")
    #: Keys of the characteristics asked at registration (see services.characteristics).
    characteristics: Mapped[list] = mapped_column(JSON, default=list)
    #: Team, partner, funding, education method and media, duration, signatories (services.sessioninfo).
    report_details: Mapped[dict] = mapped_column(JSON, default=dict, server_default=text("'{}'"))
    #: The session's group in a two-group comparison (STUDY_GROUPS), or None.
    study_group: Mapped[str | None] = mapped_column(String(16))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    #: The laptop it came from in a bundle (app/services/bundles.py); None: held on this instance.
    #: A plain id, not a foreign key: SQLite cannot add a named foreign key to an existing table
    #: without rebuilding it, and laptops are deactivated, never deleted.
    origin_laptop_id: Mapped[int | None] = mapped_column(Integer)
    phase_changed_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)

    educator = relationship("Educator")
    quiz_version = relationship("QuizVersion", foreign_keys=[quiz_version_id])
    post_quiz_version = relationship("QuizVersion", foreign_keys=[post_quiz_version_id])
    followup_quiz_version = relationship("QuizVersion", foreign_keys=[followup_quiz_version_id])
    origin_laptop = relationship(
        "Laptop", primaryjoin="foreign(CounselingSession.origin_laptop_id) == Laptop.id", viewonly=True
    )
    participants = relationship(
        "Participant",
        back_populates="session",
        order_by="Participant.id",
        cascade="all, delete-orphan",
        passive_deletes=True,
    )

    def allowed_moves(self) -> tuple[Phase, ...]:
        table = POST_ONLY_TRANSITIONS if self.post_only else TRANSITIONS
        return table.get(self.phase, ())

    def move_to(self, wanted: Phase) -> None:
        """Change phase, or raise PhaseError when the move is not allowed."""
        if wanted not in self.allowed_moves():
            post_only_followup = self.post_only and wanted in FOLLOWUP_PHASES
            raise PhaseError(self.phase, wanted, "post_only_followup" if post_only_followup else None)
        self.phase = wanted
        self.phase_changed_at = utcnow()

    @property
    def joinable(self) -> bool:
        if self.post_only:
            return self.phase == Phase.POST_OPEN
        return self.phase in JOINABLE

    @property
    def ended(self) -> bool:
        """Every test is over: nobody joins or answers any more (the educator may still reopen)."""
        return self.phase == Phase.CLOSED

    def quiz_for(self, kind: str):
        """The quiz version of the pre-, post- or follow-up test (the pre-test's unless the test has its own)."""
        own = OWN_QUIZ.get(kind)
        if own is not None and getattr(self, own + "_id"):
            return getattr(self, own)
        return self.quiz_version

    @classmethod
    def quiz_version_id_of(cls, kind: str):
        """`quiz_for(kind)`'s id as a SQL expression on this table (the attempt started in one statement)."""
        own = OWN_QUIZ.get(kind)
        if own is None:
            return cls.__table__.c.quiz_version_id
        return func.coalesce(cls.__table__.c[own + "_id"], cls.__table__.c.quiz_version_id)

    @property
    def has_followup(self) -> bool:
        """A follow-up test has been opened (its scores belong in every table and file)."""
        return self.followup_opened_at is not None

    def open_kind(self) -> str | None:
        """Which test is open now: 'pre', 'post', 'followup' or None."""
        return {Phase.PRE_OPEN: "pre", Phase.POST_OPEN: "post", Phase.FOLLOWUP_OPEN: "followup"}.get(
            self.phase
        )

    def __repr__(self) -> str:
        return f"<CounselingSession {self.id} {self.phase.value}>"
