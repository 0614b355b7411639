"""Personal data: who may see who the participants are, pseudonyms, deletions and the audit log.

Only a session's educator and an admin see participants' names and personal codes, on the
session page, in live.json and in the files they download with names. Everyone else who may
read the session (a lecturer with read access) sees what her exports hold: P01, P02, ... in
participant order, and no personal code, since the code with the join code opens the
participant's test.

Deletions are real deletions (the database cascades to attempts, answers and
certificates); the audit log keeps who deleted what, by id and counts only, never
names, so the log itself holds no personal data.
"""

from __future__ import annotations

from sqlalchemy import delete, func, select

from app.extensions import db
from app.models import Answer, Attempt, AuditLog, CounselingSession, Educator, Participant
from app.services import audit
from app.services.sessions import can_change


def may_identify(user: Educator, session: CounselingSession) -> bool:
    """Whether this account may see participants' names and personal codes: the session's educator or an admin."""
    return can_change(user, session)


def pseudonyms(n: int) -> list[str]:
    """P01, P02, ... (P001 from 100 people on), in participant order: the same on the page and in the files."""
    width = max(2, len(str(n)))
    return [f"P{i:0{width}d}" for i in range(1, n + 1)]


def _answer_count(*participant_filter) -> int:
    return (
        db.session.scalar(
            select(func.count(Answer.id))
            .join(Attempt, Answer.attempt_id == Attempt.id)
            .join(Participant, Attempt.participant_id == Participant.id)
            .where(*participant_filter)
        )
        or 0
    )


def delete_participant(session: CounselingSession, participant: Participant, actor: Educator) -> AuditLog:
    """Delete one participant with her attempts, answers and certificate; the audit keeps ids only."""
    if participant.session_id != session.id:
        raise ValueError(f"participant {participant.id} is not in session {session.id}")
    n_answers = _answer_count(Participant.id == participant.id)
    entry = audit.record(
        "participant.delete", session.id, actor_id=actor.id, participant_id=participant.id, answers=n_answers
    )
    db.session.execute(delete(Participant).where(Participant.id == participant.id))
    db.session.expire(session, ["participants"])
    db.session.flush()
    return entry


def delete_session(session: CounselingSession, actor: Educator) -> AuditLog:
    """Delete a session with everyone and everything in it; the audit keeps its id and the counts."""
    n_participants = (
        db.session.scalar(select(func.count(Participant.id)).where(Participant.session_id == session.id)) or 0
    )
    n_answers = _answer_count(Participant.session_id == session.id)
    entry = audit.record(
        "session.delete",
        session.id,
        actor_id=actor.id,
        participants=n_participants,
        answers=n_answers,
        owner_id=session.educator_id,
    )
    # One statement: the foreign keys cascade to participants, attempts, answers, certificates, access.
    session_id = session.id
    db.session.expunge(session)
    db.session.execute(delete(CounselingSession).where(CounselingSession.id == session_id))
    db.session.flush()
    return entry


def audit_entries(session_id: int | None = None, limit: int = 500) -> list[tuple[AuditLog, str | None]]:
    """Audit entries, newest first, each with the actor's username (None once the account is gone)."""
    stmt = (
        select(AuditLog, Educator.username)
        .outerjoin(Educator, AuditLog.actor_id == Educator.id)
        .order_by(AuditLog.at.desc(), AuditLog.id.desc())
        .limit(limit)
    )
    if session_id is not None:
        stmt = stmt.where(AuditLog.session_id == session_id)
    return [(entry, username) for entry, username in db.session.execute(stmt).all()]
