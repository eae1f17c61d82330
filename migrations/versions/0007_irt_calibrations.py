"""IRT calibrations, the adaptive test option, self-ratings and ability estimates

Revision ID: 0007_irt_calibrations
Revises: 0003_expert_assessments
Create Date: 2026-12-01 20:55:00

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0007_irt_calibrations'
down_revision = '0004_disclosure_releases'
branch_labels = None
depends_on = None

OLD_TYPES = "type IN ('likert', 'single', 'multiple', 'true_false')"
NEW_TYPES = "type IN ('likert', 'single', 'multiple', 'true_false', 'self_rating')"


def upgrade():
    op.create_table('calibration',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('test_version_id', sa.Integer(), nullable=False),
    sa.Column('number', sa.Integer(), nullable=False),
    sa.Column('model', sa.String(length=8), nullable=False),
    sa.Column('campaign_codes', sa.JSON(), nullable=False),
    sa.Column('n_takers', sa.Integer(), nullable=False),
    sa.Column('log_likelihood', sa.Float(), nullable=False),
    sa.Column('iterations', sa.Integer(), nullable=False),
    sa.Column('converged', sa.Boolean(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.CheckConstraint("model IN ('rasch', '2pl')", name=op.f('ck_calibration_model')),
    sa.ForeignKeyConstraint(['test_version_id'], ['questionnaire_version.id'], name=op.f('fk_calibration_test_version_id_questionnaire_version')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_calibration')),
    sa.UniqueConstraint('test_version_id', 'number', name=op.f('uq_calibration_test_version_id_number'))
    )
    with op.batch_alter_table('calibration', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_calibration_test_version_id'), ['test_version_id'], unique=False)

    op.create_table('item_parameter',
    sa.Column('calibration_id', sa.Integer(), nullable=False),
    sa.Column('item_id', sa.Integer(), nullable=False),
    sa.Column('discrimination', sa.Float(), nullable=False),
    sa.Column('difficulty', sa.Float(), nullable=False),
    sa.Column('discrimination_se', sa.Float(), nullable=True),
    sa.Column('difficulty_se', sa.Float(), nullable=True),
    sa.Column('n_presented', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['calibration_id'], ['calibration.id'], name=op.f('fk_item_parameter_calibration_id_calibration'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['item_id'], ['item.id'], name=op.f('fk_item_parameter_item_id_item')),
    sa.PrimaryKeyConstraint('calibration_id', 'item_id', name=op.f('pk_item_parameter'))
    )
    with op.batch_alter_table('campaign', schema=None) as batch_op:
        batch_op.add_column(sa.Column('test_mode', sa.String(length=8), server_default='linear', nullable=False))
        batch_op.create_check_constraint(batch_op.f('ck_campaign_test_mode'), "test_mode IN ('linear', 'adaptive')")
    with op.batch_alter_table('attempt_result', schema=None) as batch_op:
        batch_op.add_column(sa.Column('competence_estimates', sa.JSON(), nullable=True))
    with op.batch_alter_table('item', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('ck_item_type'), type_='check')
        batch_op.create_check_constraint(batch_op.f('ck_item_type'), NEW_TYPES)


def downgrade():
    with op.batch_alter_table('item', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('ck_item_type'), type_='check')
        batch_op.create_check_constraint(batch_op.f('ck_item_type'), OLD_TYPES)
    with op.batch_alter_table('attempt_result', schema=None) as batch_op:
        batch_op.drop_column('competence_estimates')
    with op.batch_alter_table('campaign', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('ck_campaign_test_mode'), type_='check')
        batch_op.drop_column('test_mode')
    op.drop_table('item_parameter')
    with op.batch_alter_table('calibration', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_calibration_test_version_id'))
    op.drop_table('calibration')
