"""The details a report, an article draft and the certificates print about a session.

counseling_session.report_details holds the team (ketua pelaksana and members, with NIP/NIDN),
the partner (mitra), the funding, the education method and media, the duration and the
signatories with the place and date of signing (services/sessioninfo.py reads and writes it).
educator.report_defaults holds the same, minus the date, as the defaults of her new sessions.
Existing rows get an empty object: their reports stay as they were.

Revision ID: e09876583463
Revises: b7d2c4e9a1f3
Create Date: 2026-12-02 00:30:00

"""

import sqlalchemy as sa
from alembic import op

revision = "e09876583463"
down_revision = "b7d2c4e9a1f3"
branch_labels = None
depends_on = None


def upgrade():
    # Only ADD COLUMN (no batch rebuild): on SQLite a rebuilt counseling_session would be dropped
    # with foreign keys on, and the drop would cascade to its participants and answers.
    op.add_column(
        "counseling_session",
        sa.Column("report_details", sa.JSON(), server_default=sa.text("'{}'"), nullable=False),
    )
    op.add_column(
        "educator", sa.Column("report_defaults", sa.JSON(), server_default=sa.text("'{}'"), nullable=False)
    )


def downgrade():
    # DROP COLUMN (SQLite 3.35 and later), not a batch rebuild, for the reason given above.
    op.drop_column("educator", "report_defaults")
    op.drop_column("counseling_session", "report_details")
