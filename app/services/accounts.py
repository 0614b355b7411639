"""Accounts, managed by an admin: create, deactivate, change role, share a session with a lecturer."""

from __future__ import annotations

from sqlalchemy import delete, func, select

from app.extensions import db
from app.models import CounselingSession, Educator, SessionAccess
from app.models.educator import ROLES
from app.services import audit
from app.services.sessions import grant_read


class AccountError(Exception):
    """An account change that is not allowed; `code` names which."""

    def __init__(self, code: str):
        super().__init__(code)
        self.code = code


def all_accounts() -> list[Educator]:
    return list(db.session.scalars(select(Educator).order_by(Educator.role, Educator.username)))


def create_account(
    actor: Educator, *, username: str, full_name: str, password: str, role: str, institution: str = ""
) -> Educator:
    """A new account with a hashed password; AccountError('username_taken') if the name exists."""
    username = username.strip().lower()
    if role not in ROLES:
        raise AccountError("unknown_role")
    if db.session.scalar(select(Educator.id).where(Educator.username == username)):
        raise AccountError("username_taken")
    user = Educator(
        username=username, full_name=full_name.strip(), role=role, institution=institution.strip()
    )
    user.set_password(password)
    db.session.add(user)
    db.session.flush()
    audit.record("account.create", actor_id=actor.id, account_id=user.id, role=role)
    return user


def _active_admins() -> int:
    return (
        db.session.scalar(
            select(func.count(Educator.id)).where(Educator.role == "admin", Educator.active.is_(True))
        )
        or 0
    )


def set_active(actor: Educator, user: Educator, active: bool) -> None:
    """Allow or block an account's login; an admin cannot lock herself out."""
    if user.id == actor.id and not active:
        raise AccountError("self")
    if user.active == active:
        return
    user.active = active
    audit.record(
        "account.activate" if active else "account.deactivate", actor_id=actor.id, account_id=user.id
    )
    db.session.flush()


def set_role(actor: Educator, user: Educator, role: str) -> None:
    """Change an account's role; the last active admin keeps hers."""
    if role not in ROLES:
        raise AccountError("unknown_role")
    if user.role == role:
        return
    if user.role == "admin" and user.active and _active_admins() <= 1:
        raise AccountError("last_admin")
    before = user.role
    user.role = role
    audit.record("account.role", actor_id=actor.id, account_id=user.id, before=before, after=role)
    db.session.flush()


def grant(actor: Educator, session: CounselingSession, lecturer: Educator) -> None:
    """Let a lecturer read one session's results and reports."""
    if lecturer.role != "lecturer":
        raise AccountError("not_lecturer")
    grant_read(session, lecturer)
    db.session.flush()


def revoke(actor: Educator, access: SessionAccess) -> None:
    audit.record("access.revoke", access.session_id, actor_id=actor.id, lecturer_id=access.educator_id)
    db.session.execute(delete(SessionAccess).where(SessionAccess.id == access.id))
    db.session.flush()


def all_grants() -> list[tuple[SessionAccess, CounselingSession, Educator]]:
    rows = db.session.execute(
        select(SessionAccess, CounselingSession, Educator)
        .join(CounselingSession, SessionAccess.session_id == CounselingSession.id)
        .join(Educator, SessionAccess.educator_id == Educator.id)
        .order_by(CounselingSession.held_on.desc(), Educator.username)
    ).all()
    return [tuple(r) for r in rows]


def all_sessions() -> list[CounselingSession]:
    return list(
        db.session.scalars(
            select(CounselingSession).order_by(CounselingSession.held_on.desc(), CounselingSession.id.desc())
        )
    )
