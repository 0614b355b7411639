"""Participants, their pre/post attempts and every answer they chose."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import JSON, ForeignKey, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.extensions import db
from app.models._time import utcnow
from app.models.identity import uuid_column
from app.models.types import UTCDateTime

KINDS = ("pre", "post", "followup")


class Participant(db.Model):
    """A person in one session, known by a personal code she can read aloud on any tablet."""

    __tablename__ = "participant"

    id: Mapped[int] = mapped_column(primary_key=True)
    #: The global id (app/models/identity.py).
    uuid: Mapped[str | None] = uuid_column()
    session_id: Mapped[int] = mapped_column(
        ForeignKey("counseling_session.id", ondelete="CASCADE"), index=True
    )
    #: Short code without look-alike characters; unique across all sessions.
    personal_code: Mapped[str] = mapped_column(String(16), unique=True)
    #: Name or initials, as she typed it. Health data: never logged, escaped everywhere.
    name: Mapped[str] = mapped_column(String(80))
    #: Answers to the characteristics the educator chose (age, education, ...), by key.
    characteristics: Mapped[dict] = mapped_column(JSON, default=dict)
    #: When she agreed to the consent statement (ethics review wants the time).
    consent_at: Mapped[datetime] = mapped_column(UTCDateTime())
    #: Interface language she chose.
    lang: Mapped[str] = mapped_column(String(2), default="id")
    #: The one-time token of the consent step she registered from: the same registration sent
    #: twice (a double tap, a resent form) finds her instead of adding a second participant.
    consent_token: Mapped[str | None] = mapped_column(String(32), unique=True, index=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)

    session = relationship("CounselingSession", back_populates="participants")
    attempts: Mapped[list[Attempt]] = relationship(
        back_populates="participant", cascade="all, delete-orphan", passive_deletes=True
    )
    certificate: Mapped[Certificate | None] = relationship(
        back_populates="participant", cascade="all, delete-orphan", passive_deletes=True
    )

    def attempt(self, kind: str) -> Attempt | None:
        return next((a for a in self.attempts if a.kind == kind), None)

    def __repr__(self) -> str:  # no name: logs must not carry health data
        return f"<Participant {self.id}>"


class Attempt(db.Model):
    """One participant's pre-test or post-test."""

    __tablename__ = "attempt"
    __table_args__ = (UniqueConstraint("participant_id", "kind"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    #: The global id (app/models/identity.py).
    uuid: Mapped[str | None] = uuid_column()
    participant_id: Mapped[int] = mapped_column(ForeignKey("participant.id", ondelete="CASCADE"), index=True)
    #: "pre", "post" or "followup" (the delayed post-test).
    kind: Mapped[str] = mapped_column(String(8))
    quiz_version_id: Mapped[int] = mapped_column(ForeignKey("quiz_version.id"))
    started_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    #: Set once, at the first submit; a submitted attempt is locked.
    submitted_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    #: The client's idempotency key of the submit, so a resent submit is recognised.
    submit_key: Mapped[str | None] = mapped_column(String(64))
    #: Knowledge questions answered correctly / scored, and the percent score (analysis.scoring).
    n_correct: Mapped[int | None]
    n_scored: Mapped[int | None]
    score: Mapped[float | None]
    #: Mean attitude (Likert) points after reversal, when the quiz has Likert items.
    attitude_score: Mapped[float | None]

    participant: Mapped[Participant] = relationship(back_populates="attempts")
    quiz_version = relationship("QuizVersion")
    answers: Mapped[list[Answer]] = relationship(
        back_populates="attempt", cascade="all, delete-orphan", passive_deletes=True
    )

    @property
    def submitted(self) -> bool:
        return self.submitted_at is not None


class Answer(db.Model):
    """The latest option chosen for one question in one attempt (one row per question)."""

    __tablename__ = "answer"
    __table_args__ = (UniqueConstraint("attempt_id", "question_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    #: The global id (app/models/identity.py).
    uuid: Mapped[str | None] = uuid_column()
    attempt_id: Mapped[int] = mapped_column(ForeignKey("attempt.id", ondelete="CASCADE"), index=True)
    question_id: Mapped[int] = mapped_column(ForeignKey("question.id"))
    option_id: Mapped[int] = mapped_column(ForeignKey("option.id"))
    #: The client's idempotency key of the choice now stored.
    client_key: Mapped[str] = mapped_column(String(64))
    #: The attempt's sequence number of the stored choice, counted up by the tablet (or given by
    #: the page to a form post). A choice with a higher number replaces it; an equal number is
    #: decided by arrival (the later one wins); the tablet's clock decides nothing.
    seq: Mapped[int] = mapped_column(default=0, server_default="0")
    #: When it was chosen by the tablet's clock (server time for plain form posts): kept, never trusted.
    chosen_at: Mapped[datetime] = mapped_column(UTCDateTime())
    received_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    #: How many times a later choice replaced the stored one, and the option (id) it replaced last:
    #: a participant's change of mind leaves a trace without a row of its own.
    changes: Mapped[int] = mapped_column(default=0, server_default="0")
    previous_option_id: Mapped[int | None]

    attempt: Mapped[Attempt] = relationship(back_populates="answers")
    option = relationship("Option")
    question = relationship("Question")


class Certificate(db.Model):
    """A certificate of participation, issued when the post-test is submitted."""

    __tablename__ = "certificate"

    id: Mapped[int] = mapped_column(primary_key=True)
    #: The global id (app/models/identity.py).
    uuid: Mapped[str | None] = uuid_column()
    participant_id: Mapped[int] = mapped_column(ForeignKey("participant.id", ondelete="CASCADE"), unique=True)
    #: Verification code printed on the certificate and in its QR code.
    code: Mapped[str] = mapped_column(String(32), unique=True)
    #: Running number within the session, printed as the certificate number.
    number: Mapped[int]
    issued_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)

    participant: Mapped[Participant] = relationship(back_populates="certificate")
