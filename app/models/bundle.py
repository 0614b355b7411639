"""Laptops that hand their sessions to this server in bundles (app/services/bundles.py).

A laptop is known by its instance id and its Ed25519 public key, registered by an admin with
the account its sessions belong to here. Each import is kept (by the bundle's checksum, so the
same file twice is recognised), each travelled record's last imported content hash (so a later
bundle adds only what is new, and an edit made here is never overwritten), and each conflict
until an admin chooses.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import JSON, ForeignKey, String
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.extensions import db
from app.models._time import utcnow
from app.models.types import UTCDateTime


class Laptop(db.Model):
    __tablename__ = "laptop"

    id: Mapped[int] = mapped_column(primary_key=True)
    instance_id: Mapped[str] = mapped_column(String(36), unique=True)
    name: Mapped[str] = mapped_column(String(120))
    #: The raw Ed25519 public key, hex.
    public_key: Mapped[str] = mapped_column(String(64), unique=True)
    #: The account here that the laptop's sessions belong to.
    owner_id: Mapped[int] = mapped_column(ForeignKey("educator.id", ondelete="CASCADE"), index=True)
    active: Mapped[bool] = mapped_column(default=True)
    registered_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)

    owner = relationship("Educator")


class BundleImport(db.Model):
    __tablename__ = "bundle_import"

    id: Mapped[int] = mapped_column(primary_key=True)
    #: SHA-256 of the bundle's manifest (which holds the records' checksum).
    checksum: Mapped[str] = mapped_column(String(64), unique=True)
    laptop_id: Mapped[int] = mapped_column(ForeignKey("laptop.id", ondelete="CASCADE"), index=True)
    exported_at: Mapped[datetime] = mapped_column(UTCDateTime())
    imported_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    #: What it added, changed, left and could not apply, by kind of record.
    summary: Mapped[dict] = mapped_column(JSON, default=dict)


class SyncedRecord(db.Model):
    """The content of a travelled record as last imported: the base of the three-way comparison."""

    __tablename__ = "synced_record"

    uuid: Mapped[str] = mapped_column(String(36), primary_key=True)
    kind: Mapped[str] = mapped_column(String(16))
    content_hash: Mapped[str] = mapped_column(String(64))
    exported_at: Mapped[datetime] = mapped_column(UTCDateTime())
    laptop_id: Mapped[int] = mapped_column(ForeignKey("laptop.id", ondelete="CASCADE"), index=True)


class BundleConflict(db.Model):
    """A record changed both here and on the laptop: nothing of it applied until an admin chooses."""

    __tablename__ = "bundle_conflict"

    id: Mapped[int] = mapped_column(primary_key=True)
    import_id: Mapped[int] = mapped_column(ForeignKey("bundle_import.id", ondelete="CASCADE"), index=True)
    kind: Mapped[str] = mapped_column(String(16))
    uuid: Mapped[str] = mapped_column(String(36), index=True)
    #: The laptop's record as it came (health data: shown to admins only).
    theirs: Mapped[dict] = mapped_column(JSON)
    #: open | mine | theirs
    status: Mapped[str] = mapped_column(String(8), default="open")
    resolved_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    resolved_by_id: Mapped[int | None] = mapped_column(ForeignKey("educator.id", ondelete="SET NULL"))

    bundle_import: Mapped[BundleImport] = relationship()
