"""Bundles: registered laptops, imports, the last imported content of each record, conflicts.

Revision ID: 9547e8fdcd0e
Revises: f7ae37d07828
Create Date: 2026-12-02 01:20:00

"""

import sqlalchemy as sa
from alembic import op


revision = "9547e8fdcd0e"
down_revision = "f7ae37d07828"
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        "laptop",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("instance_id", sa.String(length=36), nullable=False),
        sa.Column("name", sa.String(length=120), nullable=False),
        sa.Column("public_key", sa.String(length=64), nullable=False),
        sa.Column("owner_id", sa.Integer(), nullable=False),
        sa.Column("active", sa.Boolean(), nullable=False),
        sa.Column("registered_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(["owner_id"], ["educator.id"], name=op.f("fk_laptop_owner_id_educator"), ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_laptop")),
        sa.UniqueConstraint("instance_id", name=op.f("uq_laptop_instance_id")),
        sa.UniqueConstraint("public_key", name=op.f("uq_laptop_public_key")),
    )
    op.create_index(op.f("ix_laptop_owner_id"), "laptop", ["owner_id"], unique=False)
    op.create_table(
        "bundle_import",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("checksum", sa.String(length=64), nullable=False),
        sa.Column("laptop_id", sa.Integer(), nullable=False),
        sa.Column("exported_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("imported_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("summary", sa.JSON(), nullable=False),
        sa.ForeignKeyConstraint(["laptop_id"], ["laptop.id"], name=op.f("fk_bundle_import_laptop_id_laptop"), ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_bundle_import")),
        sa.UniqueConstraint("checksum", name=op.f("uq_bundle_import_checksum")),
    )
    op.create_index(op.f("ix_bundle_import_laptop_id"), "bundle_import", ["laptop_id"], unique=False)
    op.create_table(
        "synced_record",
        sa.Column("uuid", sa.String(length=36), nullable=False),
        sa.Column("kind", sa.String(length=16), nullable=False),
        sa.Column("content_hash", sa.String(length=64), nullable=False),
        sa.Column("exported_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("laptop_id", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(["laptop_id"], ["laptop.id"], name=op.f("fk_synced_record_laptop_id_laptop"), ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("uuid", name=op.f("pk_synced_record")),
    )
    op.create_index(op.f("ix_synced_record_laptop_id"), "synced_record", ["laptop_id"], unique=False)
    op.create_table(
        "bundle_conflict",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("import_id", sa.Integer(), nullable=False),
        sa.Column("kind", sa.String(length=16), nullable=False),
        sa.Column("uuid", sa.String(length=36), nullable=False),
        sa.Column("theirs", sa.JSON(), nullable=False),
        sa.Column("status", sa.String(length=8), nullable=False),
        sa.Column("resolved_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("resolved_by_id", sa.Integer(), nullable=True),
        sa.ForeignKeyConstraint(["import_id"], ["bundle_import.id"], name=op.f("fk_bundle_conflict_import_id_bundle_import"), ondelete="CASCADE"),
        sa.ForeignKeyConstraint(["resolved_by_id"], ["educator.id"], name=op.f("fk_bundle_conflict_resolved_by_id_educator"), ondelete="SET NULL"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_bundle_conflict")),
    )
    op.create_index(op.f("ix_bundle_conflict_import_id"), "bundle_conflict", ["import_id"], unique=False)
    op.create_index(op.f("ix_bundle_conflict_uuid"), "bundle_conflict", ["uuid"], unique=False)
    # A plain id (see the model): ADD COLUMN only, no batch rebuild on SQLite (see b7d2c4e9a1f3).
    op.add_column("counseling_session", sa.Column("origin_laptop_id", sa.Integer(), nullable=True))


def downgrade():
    op.drop_column("counseling_session", "origin_laptop_id")
    op.drop_index(op.f("ix_bundle_conflict_uuid"), table_name="bundle_conflict")
    op.drop_index(op.f("ix_bundle_conflict_import_id"), table_name="bundle_conflict")
    op.drop_table("bundle_conflict")
    op.drop_index(op.f("ix_synced_record_laptop_id"), table_name="synced_record")
    op.drop_table("synced_record")
    op.drop_index(op.f("ix_bundle_import_laptop_id"), table_name="bundle_import")
    op.drop_table("bundle_import")
    op.drop_index(op.f("ix_laptop_owner_id"), table_name="laptop")
    op.drop_table("laptop")
