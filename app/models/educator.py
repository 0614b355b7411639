"""Accounts of the people who run sessions and read reports."""

from __future__ import annotations

from datetime import datetime

from flask import current_app
from flask_login import UserMixin
from sqlalchemy import ForeignKey, String, UniqueConstraint
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

    def set_password(self, password: str) -> None:
        self.password_hash = generate_password_hash(
            password, method=current_app.config["PASSWORD_HASH_METHOD"]
        )

    def check_password(self, password: str) -> bool:
        return check_password_hash(self.password_hash, password)

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
