"""Certificates of participation: issued by an event (the post-test submitted), numbered within the session.

Each carries a verification code, printed and in a QR code, that the public page
/c/<code> confirms. Codes use the app's alphabet without look-alike characters;
12 of them give 20**12 (about 4 x 10**15) possibilities, too many to guess.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from sqlalchemy import func, select

from app.extensions import db
from app.models import Attempt, Certificate, CounselingSession, Educator, Participant
from app.services import audit, codes, sessioninfo

CODE_LENGTH = 12
ROMAN = ("I", "II", "III", "IV", "V", "VI", "VII", "VIII", "IX", "X", "XI", "XII")


def issue(participant: Participant) -> Certificate:
    """The participant's certificate, issued now if she has none (idempotent)."""
    existing = db.session.scalar(select(Certificate).where(Certificate.participant_id == participant.id))
    if existing is not None:
        return existing
    # Lock the session row (PostgreSQL) so two post-tests submitted at once never share a number;
    # SQLite serialises writers already and ignores FOR UPDATE.
    db.session.execute(
        select(CounselingSession.id).where(CounselingSession.id == participant.session_id).with_for_update()
    )
    last = db.session.scalar(
        select(func.max(Certificate.number))
        .join(Participant, Certificate.participant_id == Participant.id)
        .where(Participant.session_id == participant.session_id)
    )
    code = codes.unique_code(CODE_LENGTH, Certificate.code)
    certificate = Certificate(participant_id=participant.id, code=code, number=(last or 0) + 1)
    db.session.add(certificate)
    db.session.flush()
    audit.record(
        "certificate.issue", participant.session_id, participant_id=participant.id, number=certificate.number
    )
    return certificate


def issue_missing(session: CounselingSession) -> int:
    """Issue certificates to everyone who submitted the post-test but has none (data from before this
    feature, or a submit whose event was missed); returns how many were issued."""
    missing = db.session.scalars(
        select(Participant)
        .join(Attempt, Attempt.participant_id == Participant.id)
        .outerjoin(Certificate, Certificate.participant_id == Participant.id)
        .where(
            Participant.session_id == session.id,
            Attempt.kind == "post",
            Attempt.submitted_at.is_not(None),
            Certificate.id.is_(None),
        )
        .order_by(Attempt.submitted_at, Participant.id)
    ).all()
    for participant in missing:
        issue(participant)
    return len(missing)


def display_number(number: int, session_id: int, held_on: date) -> str:
    """The printed certificate number, as Indonesian offices write them: 007/EDU-ASI/12/XI/2026."""
    return f"{number:03d}/EDU-ASI/{session_id}/{ROMAN[held_on.month - 1]}/{held_on.year}"


@dataclass(frozen=True)
class CertificateView:
    """What a certificate page prints."""

    code: str
    number: str
    name: str
    session_title: str
    place: str
    held_on: date
    educator: str
    institution: str
    score: float | None
    session_id: int
    #: (role, name, NIP/NIDN line) of who signs, from the session's details; empty: the educator signs.
    signers: tuple[tuple[str, str, str], ...] = ()


def for_session(session: CounselingSession) -> list[CertificateView]:
    """Every certificate of the session, in number order, in two queries."""
    educator = db.session.get(Educator, session.educator_id)
    signers = tuple(
        (m.role, m.name, m.id_line) for m in sessioninfo.for_session(session).certificate_signers()
    )
    rows = db.session.execute(
        select(Certificate.code, Certificate.number, Participant.name, Attempt.score)
        .join(Participant, Certificate.participant_id == Participant.id)
        .outerjoin(Attempt, (Attempt.participant_id == Participant.id) & (Attempt.kind == "post"))
        .where(Participant.session_id == session.id)
        .order_by(Certificate.number)
    ).all()
    return [
        CertificateView(
            code,
            display_number(number, session.id, session.held_on),
            name,
            session.title,
            session.place,
            session.held_on,
            educator.full_name if educator else "",
            session.institution or (educator.institution if educator else ""),
            score,
            session.id,
            signers,
        )
        for code, number, name, score in rows
    ]


def find(raw_code: str) -> CertificateView | None:
    """The certificate with this verification code, for the public verification page."""
    code = codes.normalize(raw_code)
    if len(code) != CODE_LENGTH:
        return None
    row = db.session.execute(
        select(Certificate, Participant, CounselingSession)
        .join(Participant, Certificate.participant_id == Participant.id)
        .join(CounselingSession, Participant.session_id == CounselingSession.id)
        .where(Certificate.code == code)
    ).first()
    if row is None:
        return None
    cert, person, session = row
    educator = db.session.get(Educator, session.educator_id)
    return CertificateView(
        cert.code,
        display_number(cert.number, session.id, session.held_on),
        person.name,
        session.title,
        session.place,
        session.held_on,
        educator.full_name if educator else "",
        session.institution,
        None,
        session.id,
    )
