"""Accounts of the people who run sessions and read reports."""

from __future__ import annotations

from datetime import datetime

from flask import current_app
from flask_login import UserMixin
from sqlalchemy import JSON, ForeignKey, String, UniqueConstraint, text
from sqlalchemy.orm import Mapped, mapped_column
from werkzeug.security import check_password_hash, generate_password_hash

from app.extensions import db
from app.models._time import utcnow
from app.models.types import UTCDateTime

ROLES = ("educator", "lecturer", "admin", "kader", "tpg")  # kader, tpg: the cohort (app/models/cohort.py)


class Educator(UserMixin, db.Model):
    """A midwife, nutritionist, cadre or lecturer who logs in."""

    __tablename__ = "educator"

    id: Mapped[int] = mapped_column(primary_key=True)
    #: Login name, lowercase.
    username: Mapped[str] = mapped_column(String(64), unique=True)
    #: Name printed on reports and certificates.
    full_name: Mapped[str] = mapped_column(String(120))
    #: Institution (Puskesmas, university) printed on reports.
    institution: Mapped[str] = mapped_column(String(200), default="")
    #: werkzeug password hash (scrypt, PASSWORD_HASH_METHOD); the password itself is never stored.
    password_hash: Mapped[str] = mapped_column(String(256))
    #: educator: runs her own sessions; lecturer: also reads sessions shared with her; admin: manages accounts.
    role: Mapped[str] = mapped_column(String(16), default="educator")
    #: False blocks login without deleting the account's sessions.
    active: Mapped[bool] = mapped_column(default=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    #: Random token in the session and remember-me cookies of this account's logins (see get_id);
    #: a new one (logout, password change, deactivation) ends all of them. None: no login yet.
    login_token: Mapped[str | None] = mapped_column(String(64), default=None)
    #: When login_token was issued; the server refuses it after REMEMBER_COOKIE_DURATION.
    login_token_at: Mapped[datetime | None] = mapped_column(UTCDateTime(), default=None)
    #: Her institution's usual team, partner, funding, method, media and signatories, copied into
    #: each new session (services.sessioninfo); the date of signing is never a default.
    report_defaults: Mapped[dict] = mapped_column(JSON, default=dict, server_default=text("'{}'"))

    def set_password(self, password: str) -> None:
        self.password_hash = generate_password_hash(
            password, method=current_app.config["PASSWORD_HASH_METHOD"]
        )

    def check_password(self, password: str) -> bool:
        return check_password_hash(self.password_hash, password)

    def get_id(self) -> str:
        """Flask-Login's id for the cookies: the account id and its current login token.

        services.accounts.user_for_login_id reads it back; a cookie whose token is no longer
        the account's is not a login.
        """
        return f"{self.id}:{self.login_token or ''}"

    @property
    def is_active(self) -> bool:  # Flask-Login
        return self.active

    @property
    def is_admin(self) -> bool:
        return self.role == "admin"

    def __repr__(self) -> str:
        return f"<Educator {self.id}>"


class SessionAccess(db.Model):
    """Read access to a session given to a lecturer who is not its educator."""

    __tablename__ = "session_access"
    __table_args__ = (UniqueConstraint("session_id", "educator_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    session_id: Mapped[int] = mapped_column(
        ForeignKey("counseling_session.id", ondelete="CASCADE"), index=True
    )
    educator_id: Mapped[int] = mapped_column(ForeignKey("educator.id", ondelete="CASCADE"), index=True)
    granted_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
