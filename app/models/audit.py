"""Who did what: opening and closing tests, exports, deletions."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import JSON, ForeignKey, String
from sqlalchemy.orm import Mapped, mapped_column

from app.extensions import db
from app.models._time import utcnow
from app.models.identity import uuid_column
from app.models.types import UTCDateTime


class AuditLog(db.Model):
    __tablename__ = "audit_log"

    id: Mapped[int] = mapped_column(primary_key=True)
    #: The global id (app/models/identity.py).
    uuid: Mapped[str | None] = uuid_column()
    at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow, index=True)
    #: The account that acted; kept as a plain id too so the row survives the account's deletion.
    actor_id: Mapped[int | None] = mapped_column(ForeignKey("educator.id", ondelete="SET NULL"))
    #: A short verb such as "phase.pre_open", "export.xlsx", "participant.delete".
    action: Mapped[str] = mapped_column(String(64))
    #: The session concerned, as a plain id: the log outlives a deleted session.
    session_id: Mapped[int | None] = mapped_column(index=True)
    #: Extra facts (ids, formats); never participant names.
    detail: Mapped[dict] = mapped_column(JSON, default=dict)
