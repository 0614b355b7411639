"""Kohort ASI: puskesmas, desa, posyandu, cohort memberships and targets, mother-baby pairs, visits,
WhatsApp opened, "lulus ASI eksklusif" certificates, KP-ASI meetings and consultations.

Revision ID: 4218204d088b
Revises: 3f1c2a9b7d40
Create Date: 2026-12-01 21:00:12.882363

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '4218204d088b'
down_revision = '3f1c2a9b7d40'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('puskesmas',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('name', sa.String(length=120), nullable=False),
    sa.Column('head_name', sa.String(length=120), nullable=False),
    sa.Column('nutrition_officer_name', sa.String(length=120), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_puskesmas')),
    sa.UniqueConstraint('name', name=op.f('uq_puskesmas_name'))
    )
    op.create_table('coverage_target',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('puskesmas_id', sa.Integer(), nullable=False),
    sa.Column('year', sa.Integer(), nullable=False),
    sa.Column('percent', sa.Float(), nullable=False),
    sa.ForeignKeyConstraint(['puskesmas_id'], ['puskesmas.id'], name=op.f('fk_coverage_target_puskesmas_id_puskesmas'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_coverage_target')),
    sa.UniqueConstraint('puskesmas_id', 'year', name=op.f('uq_coverage_target_puskesmas_id_year'))
    )
    op.create_table('desa',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('puskesmas_id', sa.Integer(), nullable=False),
    sa.Column('name', sa.String(length=120), nullable=False),
    sa.ForeignKeyConstraint(['puskesmas_id'], ['puskesmas.id'], name=op.f('fk_desa_puskesmas_id_puskesmas'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_desa')),
    sa.UniqueConstraint('puskesmas_id', 'name', name=op.f('uq_desa_puskesmas_id_name'))
    )
    with op.batch_alter_table('desa', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_desa_puskesmas_id'), ['puskesmas_id'], unique=False)

    op.create_table('posyandu',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('desa_id', sa.Integer(), nullable=False),
    sa.Column('name', sa.String(length=120), nullable=False),
    sa.ForeignKeyConstraint(['desa_id'], ['desa.id'], name=op.f('fk_posyandu_desa_id_desa'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_posyandu')),
    sa.UniqueConstraint('desa_id', 'name', name=op.f('uq_posyandu_desa_id_name'))
    )
    with op.batch_alter_table('posyandu', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_posyandu_desa_id'), ['desa_id'], unique=False)

    op.create_table('cohort_membership',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('educator_id', sa.Integer(), nullable=False),
    sa.Column('posyandu_id', sa.Integer(), nullable=True),
    sa.Column('puskesmas_id', sa.Integer(), nullable=True),
    sa.CheckConstraint('(posyandu_id IS NULL) <> (puskesmas_id IS NULL)', name=op.f('ck_cohort_membership_one_place')),
    sa.ForeignKeyConstraint(['educator_id'], ['educator.id'], name=op.f('fk_cohort_membership_educator_id_educator'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['posyandu_id'], ['posyandu.id'], name=op.f('fk_cohort_membership_posyandu_id_posyandu'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['puskesmas_id'], ['puskesmas.id'], name=op.f('fk_cohort_membership_puskesmas_id_puskesmas'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_cohort_membership')),
    sa.UniqueConstraint('educator_id', 'posyandu_id', 'puskesmas_id', name=op.f('uq_cohort_membership_educator_id_posyandu_id_puskesmas_id'))
    )
    with op.batch_alter_table('cohort_membership', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_cohort_membership_educator_id'), ['educator_id'], unique=False)

    op.create_table('cohort_pair',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('posyandu_id', sa.Integer(), nullable=False),
    sa.Column('cadre_id', sa.Integer(), nullable=True),
    sa.Column('mother_name', sa.String(length=80), nullable=False),
    sa.Column('mother_phone', sa.String(length=20), nullable=False),
    sa.Column('rt_rw', sa.String(length=16), nullable=False),
    sa.Column('baby_name', sa.String(length=80), nullable=False),
    sa.Column('baby_sex', sa.String(length=1), nullable=False),
    sa.Column('birth_date', sa.Date(), nullable=False),
    sa.Column('birth_weight_g', sa.Integer(), nullable=True),
    sa.Column('preterm', sa.Boolean(), nullable=True),
    sa.Column('early_initiation', sa.Boolean(), nullable=True),
    sa.Column('rooming_in', sa.Boolean(), nullable=True),
    sa.Column('birth_place', sa.String(length=16), nullable=False),
    sa.Column('consent_followup_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('consent_whatsapp_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('participant_id', sa.Integer(), nullable=True),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['cadre_id'], ['educator.id'], name=op.f('fk_cohort_pair_cadre_id_educator'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['participant_id'], ['participant.id'], name=op.f('fk_cohort_pair_participant_id_participant'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['posyandu_id'], ['posyandu.id'], name=op.f('fk_cohort_pair_posyandu_id_posyandu')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_cohort_pair'))
    )
    with op.batch_alter_table('cohort_pair', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_cohort_pair_birth_date'), ['birth_date'], unique=False)
        batch_op.create_index(batch_op.f('ix_cohort_pair_cadre_id'), ['cadre_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_cohort_pair_posyandu_id'), ['posyandu_id'], unique=False)

    op.create_table('kpasi_meeting',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('posyandu_id', sa.Integer(), nullable=False),
    sa.Column('held_on', sa.Date(), nullable=False),
    sa.Column('topic', sa.String(length=200), nullable=False),
    sa.Column('pair_ids', sa.JSON(), nullable=False),
    sa.Column('others', sa.Integer(), nullable=False),
    sa.Column('recorded_by_id', sa.Integer(), nullable=True),
    sa.ForeignKeyConstraint(['posyandu_id'], ['posyandu.id'], name=op.f('fk_kpasi_meeting_posyandu_id_posyandu'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['recorded_by_id'], ['educator.id'], name=op.f('fk_kpasi_meeting_recorded_by_id_educator'), ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_kpasi_meeting'))
    )
    with op.batch_alter_table('kpasi_meeting', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_kpasi_meeting_posyandu_id'), ['posyandu_id'], unique=False)

    op.create_table('cohort_certificate',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('pair_id', sa.Integer(), nullable=False),
    sa.Column('code', sa.String(length=32), nullable=False),
    sa.Column('number', sa.Integer(), nullable=False),
    sa.Column('year', sa.Integer(), nullable=False),
    sa.Column('issued_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('issued_by_id', sa.Integer(), nullable=True),
    sa.Column('revoked_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('revoked_reason', sa.String(length=300), nullable=False),
    sa.ForeignKeyConstraint(['issued_by_id'], ['educator.id'], name=op.f('fk_cohort_certificate_issued_by_id_educator'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['pair_id'], ['cohort_pair.id'], name=op.f('fk_cohort_certificate_pair_id_cohort_pair'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_cohort_certificate')),
    sa.UniqueConstraint('code', name=op.f('uq_cohort_certificate_code')),
    sa.UniqueConstraint('pair_id', name=op.f('uq_cohort_certificate_pair_id'))
    )
    op.create_table('cohort_visit',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('pair_id', sa.Integer(), nullable=False),
    sa.Column('client_key', sa.String(length=64), nullable=False),
    sa.Column('visit_date', sa.Date(), nullable=False),
    sa.Column('place', sa.String(length=16), nullable=False),
    sa.Column('came', sa.Boolean(), nullable=False),
    sa.Column('other_since_last', sa.Boolean(), nullable=True),
    sa.Column('breastfed_24h', sa.Boolean(), nullable=True),
    sa.Column('recall_24h', sa.JSON(), nullable=False),
    sa.Column('status', sa.String(length=16), nullable=False),
    sa.Column('problems', sa.JSON(), nullable=False),
    sa.Column('counseling', sa.String(length=500), nullable=False),
    sa.Column('referral_to', sa.String(length=120), nullable=False),
    sa.Column('referral_outcome', sa.String(length=300), nullable=False),
    sa.Column('next_visit_on', sa.Date(), nullable=True),
    sa.Column('recorded_by_id', sa.Integer(), nullable=True),
    sa.Column('recorded_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['pair_id'], ['cohort_pair.id'], name=op.f('fk_cohort_visit_pair_id_cohort_pair'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['recorded_by_id'], ['educator.id'], name=op.f('fk_cohort_visit_recorded_by_id_educator'), ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_cohort_visit')),
    sa.UniqueConstraint('client_key', name=op.f('uq_cohort_visit_client_key'))
    )
    with op.batch_alter_table('cohort_visit', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_cohort_visit_pair_id'), ['pair_id'], unique=False)

    op.create_table('cohort_whatsapp',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('pair_id', sa.Integer(), nullable=False),
    sa.Column('educator_id', sa.Integer(), nullable=True),
    sa.Column('opened_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['educator_id'], ['educator.id'], name=op.f('fk_cohort_whatsapp_educator_id_educator'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['pair_id'], ['cohort_pair.id'], name=op.f('fk_cohort_whatsapp_pair_id_cohort_pair'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_cohort_whatsapp'))
    )
    with op.batch_alter_table('cohort_whatsapp', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_cohort_whatsapp_pair_id'), ['pair_id'], unique=False)

    op.create_table('kpasi_consultation',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('posyandu_id', sa.Integer(), nullable=False),
    sa.Column('pair_id', sa.Integer(), nullable=True),
    sa.Column('asked_on', sa.Date(), nullable=False),
    sa.Column('channel', sa.String(length=16), nullable=False),
    sa.Column('category', sa.String(length=24), nullable=False),
    sa.Column('outcome', sa.String(length=16), nullable=False),
    sa.Column('recorded_by_id', sa.Integer(), nullable=True),
    sa.ForeignKeyConstraint(['pair_id'], ['cohort_pair.id'], name=op.f('fk_kpasi_consultation_pair_id_cohort_pair'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['posyandu_id'], ['posyandu.id'], name=op.f('fk_kpasi_consultation_posyandu_id_posyandu'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['recorded_by_id'], ['educator.id'], name=op.f('fk_kpasi_consultation_recorded_by_id_educator'), ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_kpasi_consultation'))
    )
    with op.batch_alter_table('kpasi_consultation', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_kpasi_consultation_posyandu_id'), ['posyandu_id'], unique=False)



def downgrade():
    with op.batch_alter_table('kpasi_consultation', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_kpasi_consultation_posyandu_id'))

    op.drop_table('kpasi_consultation')
    with op.batch_alter_table('cohort_whatsapp', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_cohort_whatsapp_pair_id'))

    op.drop_table('cohort_whatsapp')
    with op.batch_alter_table('cohort_visit', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_cohort_visit_pair_id'))

    op.drop_table('cohort_visit')
    op.drop_table('cohort_certificate')
    with op.batch_alter_table('kpasi_meeting', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_kpasi_meeting_posyandu_id'))

    op.drop_table('kpasi_meeting')
    with op.batch_alter_table('cohort_pair', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_cohort_pair_posyandu_id'))
        batch_op.drop_index(batch_op.f('ix_cohort_pair_cadre_id'))
        batch_op.drop_index(batch_op.f('ix_cohort_pair_birth_date'))

    op.drop_table('cohort_pair')
    with op.batch_alter_table('cohort_membership', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_cohort_membership_educator_id'))

    op.drop_table('cohort_membership')
    with op.batch_alter_table('posyandu', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_posyandu_desa_id'))

    op.drop_table('posyandu')
    with op.batch_alter_table('desa', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_desa_puskesmas_id'))

    op.drop_table('desa')
    op.drop_table('coverage_target')
    op.drop_table('puskesmas')
