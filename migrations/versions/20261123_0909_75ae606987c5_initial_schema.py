"""Initial schema: educators, quiz versions, sessions, participants, attempts, answers,
certificates, read access and the audit log.

Revision ID: 75ae606987c5
Revises: 
Create Date: 2026-11-23 09:09:09.174702

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '75ae606987c5'
down_revision = None
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('educator',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('username', sa.String(length=64), nullable=False),
    sa.Column('full_name', sa.String(length=120), nullable=False),
    sa.Column('institution', sa.String(length=200), nullable=False),
    sa.Column('password_hash', sa.String(length=256), nullable=False),
    sa.Column('role', sa.String(length=16), nullable=False),
    sa.Column('active', sa.Boolean(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_educator')),
    sa.UniqueConstraint('username', name=op.f('uq_educator_username'))
    )
    op.create_table('quiz_version',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('quiz_key', sa.String(length=64), nullable=False),
    sa.Column('version_label', sa.String(length=32), nullable=False),
    sa.Column('content_hash', sa.String(length=64), nullable=False),
    sa.Column('title_id', sa.String(length=200), nullable=False),
    sa.Column('title_en', sa.String(length=200), nullable=False),
    sa.Column('description_id', sa.Text(), nullable=False),
    sa.Column('description_en', sa.Text(), nullable=False),
    sa.Column('audience', sa.String(length=32), nullable=False),
    sa.Column('form', sa.String(length=8), nullable=True),
    sa.Column('parallel_group', sa.String(length=64), nullable=True),
    sa.Column('source_file', sa.String(length=200), nullable=False),
    sa.Column('content', sa.JSON(), nullable=False),
    sa.Column('loaded_at', sa.DateTime(timezone=True), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_quiz_version')),
    sa.UniqueConstraint('content_hash', name=op.f('uq_quiz_version_content_hash'))
    )
    with op.batch_alter_table('quiz_version', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_quiz_version_quiz_key'), ['quiz_key'], unique=False)

    op.create_table('audit_log',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('actor_id', sa.Integer(), nullable=True),
    sa.Column('action', sa.String(length=64), nullable=False),
    sa.Column('session_id', sa.Integer(), nullable=True),
    sa.Column('detail', sa.JSON(), nullable=False),
    sa.ForeignKeyConstraint(['actor_id'], ['educator.id'], name=op.f('fk_audit_log_actor_id_educator'), ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_audit_log'))
    )
    with op.batch_alter_table('audit_log', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_audit_log_at'), ['at'], unique=False)
        batch_op.create_index(batch_op.f('ix_audit_log_session_id'), ['session_id'], unique=False)

    op.create_table('counseling_session',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('educator_id', sa.Integer(), nullable=False),
    sa.Column('title', sa.String(length=200), nullable=False),
    sa.Column('place', sa.String(length=200), nullable=False),
    sa.Column('held_on', sa.Date(), nullable=False),
    sa.Column('team', sa.String(length=300), nullable=False),
    sa.Column('institution', sa.String(length=200), nullable=False),
    sa.Column('quiz_version_id', sa.Integer(), nullable=False),
    sa.Column('post_quiz_version_id', sa.Integer(), nullable=True),
    sa.Column('phase', sa.Enum('draft', 'pre_open', 'pre_closed', 'post_open', 'closed', name='session_phase', native_enum=False, length=16), nullable=False),
    sa.Column('post_only', sa.Boolean(), nullable=False),
    sa.Column('join_code', sa.String(length=16), nullable=False),
    sa.Column('consent_text_id', sa.Text(), nullable=False),
    sa.Column('consent_text_en', sa.Text(), nullable=False),
    sa.Column('characteristics', sa.JSON(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('phase_changed_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['educator_id'], ['educator.id'], name=op.f('fk_counseling_session_educator_id_educator'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['post_quiz_version_id'], ['quiz_version.id'], name=op.f('fk_counseling_session_post_quiz_version_id_quiz_version')),
    sa.ForeignKeyConstraint(['quiz_version_id'], ['quiz_version.id'], name=op.f('fk_counseling_session_quiz_version_id_quiz_version')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_counseling_session')),
    sa.UniqueConstraint('join_code', name=op.f('uq_counseling_session_join_code'))
    )
    with op.batch_alter_table('counseling_session', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_counseling_session_educator_id'), ['educator_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_counseling_session_quiz_version_id'), ['quiz_version_id'], unique=False)

    op.create_table('question',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('quiz_version_id', sa.Integer(), nullable=False),
    sa.Column('key', sa.String(length=64), nullable=False),
    sa.Column('position', sa.Integer(), nullable=False),
    sa.Column('type', sa.String(length=16), nullable=False),
    sa.Column('topic', sa.String(length=64), nullable=False),
    sa.Column('stem_id', sa.Text(), nullable=False),
    sa.Column('stem_en', sa.Text(), nullable=False),
    sa.Column('explanation_id', sa.Text(), nullable=False),
    sa.Column('explanation_en', sa.Text(), nullable=False),
    sa.Column('source', sa.Text(), nullable=False),
    sa.Column('reverse', sa.Boolean(), nullable=False),
    sa.ForeignKeyConstraint(['quiz_version_id'], ['quiz_version.id'], name=op.f('fk_question_quiz_version_id_quiz_version'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_question')),
    sa.UniqueConstraint('quiz_version_id', 'key', name=op.f('uq_question_quiz_version_id_key'))
    )
    with op.batch_alter_table('question', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_question_quiz_version_id'), ['quiz_version_id'], unique=False)

    op.create_table('option',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('question_id', sa.Integer(), nullable=False),
    sa.Column('key', sa.String(length=32), nullable=False),
    sa.Column('position', sa.Integer(), nullable=False),
    sa.Column('text_id', sa.Text(), nullable=False),
    sa.Column('text_en', sa.Text(), nullable=False),
    sa.Column('is_correct', sa.Boolean(), nullable=False),
    sa.Column('value', sa.Integer(), nullable=True),
    sa.ForeignKeyConstraint(['question_id'], ['question.id'], name=op.f('fk_option_question_id_question'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_option')),
    sa.UniqueConstraint('question_id', 'key', name=op.f('uq_option_question_id_key'))
    )
    with op.batch_alter_table('option', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_option_question_id'), ['question_id'], unique=False)

    op.create_table('participant',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('session_id', sa.Integer(), nullable=False),
    sa.Column('personal_code', sa.String(length=16), nullable=False),
    sa.Column('name', sa.String(length=80), nullable=False),
    sa.Column('characteristics', sa.JSON(), nullable=False),
    sa.Column('consent_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('lang', sa.String(length=2), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['session_id'], ['counseling_session.id'], name=op.f('fk_participant_session_id_counseling_session'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_participant')),
    sa.UniqueConstraint('personal_code', name=op.f('uq_participant_personal_code'))
    )
    with op.batch_alter_table('participant', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_participant_session_id'), ['session_id'], unique=False)

    op.create_table('session_access',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('session_id', sa.Integer(), nullable=False),
    sa.Column('educator_id', sa.Integer(), nullable=False),
    sa.Column('granted_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['educator_id'], ['educator.id'], name=op.f('fk_session_access_educator_id_educator'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['session_id'], ['counseling_session.id'], name=op.f('fk_session_access_session_id_counseling_session'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_session_access')),
    sa.UniqueConstraint('session_id', 'educator_id', name=op.f('uq_session_access_session_id_educator_id'))
    )
    with op.batch_alter_table('session_access', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_session_access_educator_id'), ['educator_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_session_access_session_id'), ['session_id'], unique=False)

    op.create_table('attempt',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('participant_id', sa.Integer(), nullable=False),
    sa.Column('kind', sa.String(length=4), nullable=False),
    sa.Column('quiz_version_id', sa.Integer(), nullable=False),
    sa.Column('started_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('submitted_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('submit_key', sa.String(length=64), nullable=True),
    sa.Column('n_correct', sa.Integer(), nullable=True),
    sa.Column('n_scored', sa.Integer(), nullable=True),
    sa.Column('score', sa.Float(), nullable=True),
    sa.Column('attitude_score', sa.Float(), nullable=True),
    sa.ForeignKeyConstraint(['participant_id'], ['participant.id'], name=op.f('fk_attempt_participant_id_participant'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['quiz_version_id'], ['quiz_version.id'], name=op.f('fk_attempt_quiz_version_id_quiz_version')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_attempt')),
    sa.UniqueConstraint('participant_id', 'kind', name=op.f('uq_attempt_participant_id_kind'))
    )
    with op.batch_alter_table('attempt', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_attempt_participant_id'), ['participant_id'], unique=False)

    op.create_table('certificate',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('participant_id', sa.Integer(), nullable=False),
    sa.Column('code', sa.String(length=32), nullable=False),
    sa.Column('number', sa.Integer(), nullable=False),
    sa.Column('issued_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['participant_id'], ['participant.id'], name=op.f('fk_certificate_participant_id_participant'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_certificate')),
    sa.UniqueConstraint('code', name=op.f('uq_certificate_code')),
    sa.UniqueConstraint('participant_id', name=op.f('uq_certificate_participant_id'))
    )
    op.create_table('answer',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('attempt_id', sa.Integer(), nullable=False),
    sa.Column('question_id', sa.Integer(), nullable=False),
    sa.Column('option_id', sa.Integer(), nullable=False),
    sa.Column('client_key', sa.String(length=64), nullable=False),
    sa.Column('chosen_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('received_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['attempt_id'], ['attempt.id'], name=op.f('fk_answer_attempt_id_attempt'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['option_id'], ['option.id'], name=op.f('fk_answer_option_id_option')),
    sa.ForeignKeyConstraint(['question_id'], ['question.id'], name=op.f('fk_answer_question_id_question')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_answer')),
    sa.UniqueConstraint('attempt_id', 'question_id', name=op.f('uq_answer_attempt_id_question_id'))
    )
    with op.batch_alter_table('answer', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_answer_attempt_id'), ['attempt_id'], unique=False)



def downgrade():
    with op.batch_alter_table('answer', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_answer_attempt_id'))

    op.drop_table('answer')
    op.drop_table('certificate')
    with op.batch_alter_table('attempt', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_attempt_participant_id'))

    op.drop_table('attempt')
    with op.batch_alter_table('session_access', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_session_access_session_id'))
        batch_op.drop_index(batch_op.f('ix_session_access_educator_id'))

    op.drop_table('session_access')
    with op.batch_alter_table('participant', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_participant_session_id'))

    op.drop_table('participant')
    with op.batch_alter_table('option', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_option_question_id'))

    op.drop_table('option')
    with op.batch_alter_table('question', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_question_quiz_version_id'))

    op.drop_table('question')
    with op.batch_alter_table('counseling_session', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_counseling_session_quiz_version_id'))
        batch_op.drop_index(batch_op.f('ix_counseling_session_educator_id'))

    op.drop_table('counseling_session')
    with op.batch_alter_table('audit_log', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_audit_log_session_id'))
        batch_op.drop_index(batch_op.f('ix_audit_log_at'))

    op.drop_table('audit_log')
    with op.batch_alter_table('quiz_version', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_quiz_version_quiz_key'))

    op.drop_table('quiz_version')
    op.drop_table('educator')
