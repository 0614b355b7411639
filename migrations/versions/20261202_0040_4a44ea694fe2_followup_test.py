"""A follow-up (delayed post-) test: its quiz and opening time on the session, and a wider attempt kind.

counseling_session.followup_quiz_version_id (the same quiz or its parallel form, chosen when the
follow-up is first opened) and counseling_session.followup_opened_at (None: no follow-up). The
phases followup_open and followup_closed fit the existing VARCHAR(16) of counseling_session.phase
(a non-native enum, no CHECK constraint). attempt.kind grows from 4 to 8 characters for "followup".

Revision ID: 4a44ea694fe2
Revises: bbdeac6a42d5
Create Date: 2026-12-02 00:40:00

"""

import sqlalchemy as sa
from alembic import op

revision = "4a44ea694fe2"
down_revision = "bbdeac6a42d5"
branch_labels = None
depends_on = None

FK = "fk_counseling_session_followup_quiz_version_id_quiz_version"


def _sqlite_schema_text(table: str, old: str, new: str) -> None:
    """Edit SQLite's stored CREATE TABLE of `table` (rows untouched), as SQLite's ALTER TABLE page allows.

    Used for what leaves the stored rows valid: a VARCHAR's declared length (not enforced, the TEXT
    affinity stays) and removing a foreign key. A batch rebuild would drop the table instead, and
    with foreign keys on the drop would cascade to every answer.
    """
    conn = op.get_bind()
    sql = conn.exec_driver_sql(
        "SELECT sql FROM sqlite_master WHERE type = 'table' AND name = ?", (table,)
    ).scalar()
    if old not in sql:
        raise RuntimeError(f"{table}: {old!r} not found in {sql!r}")
    version = conn.exec_driver_sql("PRAGMA schema_version").scalar()
    conn.exec_driver_sql("PRAGMA writable_schema = ON")
    conn.exec_driver_sql(
        "UPDATE sqlite_master SET sql = ? WHERE type = 'table' AND name = ?", (sql.replace(old, new), table)
    )
    conn.exec_driver_sql(f"PRAGMA schema_version = {int(version) + 1}")
    conn.exec_driver_sql("PRAGMA writable_schema = OFF")


def upgrade():
    # Only ADD COLUMN (no batch rebuild, see b7d2c4e9a1f3); SQLite takes the foreign key inline.
    if op.get_bind().dialect.name == "sqlite":
        op.execute(
            "ALTER TABLE counseling_session ADD COLUMN followup_quiz_version_id INTEGER"
            f" CONSTRAINT {FK} REFERENCES quiz_version (id)"
        )
        _sqlite_schema_text("attempt", "kind VARCHAR(4)", "kind VARCHAR(8)")
    else:
        op.add_column(
            "counseling_session", sa.Column("followup_quiz_version_id", sa.Integer(), nullable=True)
        )
        op.create_foreign_key(FK, "counseling_session", "quiz_version", ["followup_quiz_version_id"], ["id"])
        op.alter_column("attempt", "kind", type_=sa.String(length=8), existing_type=sa.String(length=4))
    op.add_column(
        "counseling_session", sa.Column("followup_opened_at", sa.DateTime(timezone=True), nullable=True)
    )


def downgrade():
    # Follow-up attempts (and their answers, by cascade) go with the column they need.
    op.execute("DELETE FROM attempt WHERE kind = 'followup'")
    op.execute(
        "UPDATE counseling_session SET phase = 'closed' WHERE phase IN ('followup_open', 'followup_closed')"
    )
    op.drop_column("counseling_session", "followup_opened_at")
    if op.get_bind().dialect.name == "sqlite":
        _sqlite_schema_text("attempt", "kind VARCHAR(8)", "kind VARCHAR(4)")
        # SQLite refuses DROP COLUMN on a column with a foreign key: remove the key first.
        _sqlite_schema_text("counseling_session", f" CONSTRAINT {FK} REFERENCES quiz_version (id)", "")
        op.drop_column("counseling_session", "followup_quiz_version_id")
    else:
        op.alter_column("attempt", "kind", type_=sa.String(length=4), existing_type=sa.String(length=8))
        op.drop_constraint(FK, "counseling_session", type_="foreignkey")
        op.drop_column("counseling_session", "followup_quiz_version_id")
