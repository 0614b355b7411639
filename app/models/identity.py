"""Global ids of the records that travel from one instance to another (app/services/bundles.py).

Each such record has its local integer key for joins and a UUID that is the same on every
instance it reaches: a session, its participants, their attempts, answers and certificate,
the audit entries of the session, and the cohort's pairs and visits. A quiz version needs
none: its content hash identifies it everywhere. The column is filled for every new row (the
models' default, and the services' own INSERT statements); migration f7ae37d07828 gave the
rows that existed before one each. It is nullable in the schema only because SQLite cannot
make an added column NOT NULL without rebuilding the table.
"""

from __future__ import annotations

import uuid as _uuid

from sqlalchemy import String
from sqlalchemy.orm import Mapped, mapped_column


def new_uuid() -> str:
    """A random UUID in its canonical 36-character form."""
    return str(_uuid.uuid4())


def uuid_column() -> Mapped[str | None]:
    return mapped_column(String(36), default=new_uuid, unique=True, index=True)
