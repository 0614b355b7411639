"""A session's study group: intervention / control (or medium A / B), for the two-group comparison.

Revision ID: bbdeac6a42d5
Revises: e09876583463
Create Date: 2026-12-02 00:30:00

Nullable and empty for every existing session: none is marked until an educator marks it.
"""

import sqlalchemy as sa
from alembic import op

revision = "bbdeac6a42d5"
down_revision = "e09876583463"
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table("counseling_session", schema=None) as batch_op:
        batch_op.add_column(sa.Column("study_group", sa.String(length=16), nullable=True))


def downgrade():
    with op.batch_alter_table("counseling_session", schema=None) as batch_op:
        batch_op.drop_column("study_group")
