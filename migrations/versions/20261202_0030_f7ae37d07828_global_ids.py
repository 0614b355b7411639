"""Global ids (UUID) of the records that travel between instances (app/models/identity.py).

Adds a uuid column to the session, participant, attempt, answer, certificate, audit entry and
the cohort's pair and visit, gives every existing row a random one, and makes the column
unique. Only ADD COLUMN and CREATE INDEX (see b7d2c4e9a1f3: no batch rebuild on SQLite).

Revision ID: f7ae37d07828
Revises: 4a44ea694fe2
Create Date: 2026-12-02 00:30:00

"""

import uuid

import sqlalchemy as sa
from alembic import op

revision = "f7ae37d07828"
down_revision = "4a44ea694fe2"
branch_labels = None
depends_on = None

TABLES = (
    "counseling_session",
    "participant",
    "attempt",
    "answer",
    "certificate",
    "audit_log",
    "cohort_pair",
    "cohort_visit",
)
BATCH = 5000


def upgrade():
    connection = op.get_bind()
    for name in TABLES:
        op.add_column(name, sa.Column("uuid", sa.String(length=36), nullable=True))
        table = sa.table(name, sa.column("id", sa.Integer), sa.column("uuid", sa.String))
        ids = [row[0] for row in connection.execute(sa.select(table.c.id).order_by(table.c.id))]
        update = (
            sa.update(table).where(table.c.id == sa.bindparam("row_id")).values(uuid=sa.bindparam("new"))
        )
        for start in range(0, len(ids), BATCH):
            connection.execute(
                update, [{"row_id": i, "new": str(uuid.uuid4())} for i in ids[start : start + BATCH]]
            )
        op.create_index(op.f(f"ix_{name}_uuid"), name, ["uuid"], unique=True)


def downgrade():
    for name in reversed(TABLES):
        op.drop_index(op.f(f"ix_{name}_uuid"), table_name=name)
        op.drop_column(name, "uuid")
