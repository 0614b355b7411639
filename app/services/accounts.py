"""Accounts: created from the admin pages and the command line, logins, passwords, read access.

The one writer of accounts: the admin views and `flask users create` / `flask demo` call the
functions here, which check the one password rule, add, change and flush, and leave an audit
entry for each write. They never commit (the unit of work does).

Logins: an account's `login_token` is part of the id Flask-Login keeps in the session cookie
and in the remember-me cookie (`Educator.get_id`). Logging out or changing the password gives
the account a new token, which ends every session and remembered login it had, on every
device; a token older than REMEMBER_COOKIE_DURATION is refused by the server whatever the
cookie says, and the next login issues a new one. Logging in on a second device keeps the
first logged in (both carry the account's current token) until one of them logs out.
"""

from __future__ import annotations

import secrets
from datetime import timedelta

from flask import current_app
from sqlalchemy import delete, func, select

from app.extensions import db
from app.models import CounselingSession, Educator, SessionAccess
from app.models._time import utcnow
from app.models.educator import ROLES
from app.services import audit
from app.services.sessions import grant_read
from app.urls import database_id

#: The password rule of every account, wherever it is set (admin form, CLI, "change my password").
PASSWORD_MIN_LENGTH = 10
PASSWORD_MAX_LENGTH = 200


class AccountError(Exception):
    """An account change that is not allowed; `code` names which."""

    def __init__(self, code: str):
        super().__init__(code)
        self.code = code


def password_problem(password: str) -> str | None:
    """The AccountError code a password breaks the rule with ("password_length"), or None when it is fine."""
    if not PASSWORD_MIN_LENGTH <= len(password or "") <= PASSWORD_MAX_LENGTH:
        return "password_length"
    return None


def _check_password_rule(password: str) -> None:
    problem = password_problem(password)
    if problem:
        raise AccountError(problem)


def all_accounts() -> list[Educator]:
    return list(db.session.scalars(select(Educator).order_by(Educator.role, Educator.username)))


def find(username: str) -> Educator | None:
    return db.session.scalar(select(Educator).where(Educator.username == username.strip().lower()))


def create_account(
    actor: Educator | None,
    *,
    username: str,
    full_name: str,
    password: str,
    role: str = "educator",
    institution: str = "",
) -> Educator:
    """A new account with a hashed password; AccountError('username_taken', 'password_length', 'unknown_role').

    `actor` is the admin who creates it; None means the command line.
    """
    username = username.strip().lower()
    if role not in ROLES:
        raise AccountError("unknown_role")
    _check_password_rule(password)
    if find(username) is not None:
        raise AccountError("username_taken")
    user = Educator(
        username=username, full_name=full_name.strip(), role=role, institution=institution.strip()
    )
    user.set_password(password)
    db.session.add(user)
    db.session.flush()
    audit.record(
        "account.create",
        actor_id=actor.id if actor else None,
        account_id=user.id,
        role=role,
        via="admin" if actor else "cli",
    )
    return user


def reset_password(actor: Educator | None, user: Educator, password: str) -> None:
    """Give an account a new password (from the command line when `actor` is None); its logins end."""
    _check_password_rule(password)
    user.set_password(password)
    _new_login_token(user)
    audit.record(
        "account.password",
        actor_id=actor.id if actor else None,
        account_id=user.id,
        via="admin" if actor else "cli",
    )
    db.session.flush()


def change_own_password(user: Educator, current: str, new: str) -> None:
    """The logged-in person changes her password; AccountError('wrong_password', 'password_length').

    Every session and remembered login of the account ends, this one included: the caller
    logs her in again with the new token.
    """
    if not user.check_password(current):
        raise AccountError("wrong_password")
    _check_password_rule(new)
    user.set_password(new)
    _new_login_token(user)
    audit.record("account.password", actor_id=user.id, account_id=user.id, via="self")
    db.session.flush()


# ------------------------------------------------------------------------------------- logins


def _login_lifetime() -> timedelta:
    return current_app.config["REMEMBER_COOKIE_DURATION"]


def _new_login_token(user: Educator) -> None:
    user.login_token = secrets.token_urlsafe(24)
    user.login_token_at = utcnow()


def _token_expired(user: Educator) -> bool:
    issued = user.login_token_at
    if user.login_token is None or issued is None:
        return True
    return utcnow() - issued > _login_lifetime()


def authenticate(username: str, password: str) -> Educator | None:
    """The account these are the username and password of, ready to log in; None otherwise.

    Both outcomes leave an audit entry. The tried password is never stored: the entry of a
    refused login names the account when the username exists, and why it was refused.
    """
    user = find(username or "")
    if user is None or not user.check_password(password or "") or not user.active:
        if user is None:
            audit.record("auth.login_failed", reason="unknown_username")
        else:
            reason = "wrong_password" if user.active else "inactive"
            audit.record("auth.login_failed", account_id=user.id, reason=reason)
        return None
    if _token_expired(user):
        _new_login_token(user)
    audit.record("auth.login", actor_id=user.id)
    db.session.flush()
    return user


def user_for_login_id(login_id: str) -> Educator | None:
    """The account a session or remember-me cookie names (`Educator.get_id`), while its token holds."""
    raw_id, _, token = login_id.partition(":")
    account_id = database_id(raw_id)
    if account_id is None or not token:
        return None
    user = db.session.get(Educator, account_id)
    if user is None or user.login_token is None or _token_expired(user):
        return None
    return user if secrets.compare_digest(user.login_token, token) else None


def end_logins(user: Educator) -> None:
    """Log the account out everywhere: every session and remembered login it has ends."""
    _new_login_token(user)
    audit.record("auth.logout", actor_id=user.id)
    db.session.flush()


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
    if not active:
        _new_login_token(user)  # a deactivated account is logged out everywhere at once
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
