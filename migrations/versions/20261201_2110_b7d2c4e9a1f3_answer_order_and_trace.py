"""Answers ordered by the tablet's sequence number, with a trace of changes; one-time consent token.

answer.seq orders the choices of one attempt (the tablet counts it up; the arrival decides a
tie), so the tablet's clock no longer decides which choice is kept. answer.changes and
answer.previous_option_id trace a change of mind on the answer row itself.
participant.consent_token makes a registration sent twice add one participant.

Revision ID: b7d2c4e9a1f3
Revises: 4218204d088b
Create Date: 2026-12-01 21:10:00

"""

import sqlalchemy as sa
from alembic import op

revision = "b7d2c4e9a1f3"
down_revision = "4218204d088b"
branch_labels = None
depends_on = None


def upgrade():
    # Only ADD COLUMN and CREATE INDEX: on SQLite a table rebuilt by batch mode would be dropped
    # with foreign keys on, and the drop would cascade to the attempts and answers.
    op.add_column("answer", sa.Column("seq", sa.Integer(), server_default="0", nullable=False))
    op.add_column("answer", sa.Column("changes", sa.Integer(), server_default="0", nullable=False))
    op.add_column("answer", sa.Column("previous_option_id", sa.Integer(), nullable=True))
    op.add_column("participant", sa.Column("consent_token", sa.String(length=32), nullable=True))
    op.create_index(
        op.f("ix_participant_consent_token"), "participant", ["consent_token"], unique=True
    )


def downgrade():
    # DROP COLUMN (SQLite 3.35 and later), not a batch rebuild, for the reason given above.
    op.drop_index(op.f("ix_participant_consent_token"), table_name="participant")
    op.drop_column("participant", "consent_token")
    op.drop_column("answer", "previous_option_id")
    op.drop_column("answer", "changes")
    op.drop_column("answer", "seq")
