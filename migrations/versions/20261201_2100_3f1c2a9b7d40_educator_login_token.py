"""Educator login token: logout and a password change end every login of the account.

Revision ID: 3f1c2a9b7d40
Revises: 75ae606987c5
Create Date: 2026-12-01 21:00:00

Both columns are nullable and start empty: sessions from before the upgrade name no token,
so everyone logs in once more after it.
"""

import sqlalchemy as sa
from alembic import op

revision = "3f1c2a9b7d40"
down_revision = "75ae606987c5"
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table("educator", schema=None) as batch_op:
        batch_op.add_column(sa.Column("login_token", sa.String(length=64), nullable=True))
        batch_op.add_column(sa.Column("login_token_at", sa.DateTime(timezone=True), nullable=True))


def downgrade():
    with op.batch_alter_table("educator", schema=None) as batch_op:
        batch_op.drop_column("login_token_at")
        batch_op.drop_column("login_token")
