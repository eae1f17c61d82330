"""The adaptive test's Sympson–Hetter eligibility, stored per bank and rules

Revision ID: 0009_exposure_control
Revises: 0006_delivery_jobs
Create Date: 2026-12-02 19:30:00

"""
from alembic import op
import sqlalchemy as sa


revision = '0009_exposure_control'
down_revision = '0006_delivery_jobs'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('exposure_control',
    sa.Column('key', sa.String(length=64), nullable=False),
    sa.Column('test_version_id', sa.Integer(), nullable=False),
    sa.Column('calibration_id', sa.Integer(), nullable=True),
    sa.Column('eligibility', sa.JSON(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['calibration_id'], ['calibration.id'], name=op.f('fk_exposure_control_calibration_id_calibration'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['test_version_id'], ['questionnaire_version.id'], name=op.f('fk_exposure_control_test_version_id_questionnaire_version')),
    sa.PrimaryKeyConstraint('key', name=op.f('pk_exposure_control'))
    )
    with op.batch_alter_table('exposure_control', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_exposure_control_test_version_id'), ['test_version_id'], unique=False)


def downgrade():
    with op.batch_alter_table('exposure_control', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_exposure_control_test_version_id'))
    op.drop_table('exposure_control')
