"""Disclosure releases: per result its fixed row and atom, per atom its release, per release
its time and campaign

Revision ID: 0004_disclosure_releases
Revises: 0003_expert_assessments
Create Date: 2026-12-01 20:50:00.000000

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0004_disclosure_releases'
down_revision = '0003_expert_assessments'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('release',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('campaign_id', sa.Integer(), nullable=False),
    sa.Column('number', sa.Integer(), nullable=False),
    sa.Column('released_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('results', sa.Integer(), nullable=False),
    sa.Column('final', sa.Boolean(), nullable=False),
    sa.ForeignKeyConstraint(['campaign_id'], ['campaign.id'], name=op.f('fk_release_campaign_id_campaign'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_release')),
    sa.UniqueConstraint('campaign_id', 'number', name=op.f('uq_release_campaign_id_number'))
    )
    op.create_table('release_atom',
    sa.Column('campaign_id', sa.Integer(), nullable=False),
    sa.Column('atom', sa.Integer(), nullable=False),
    sa.Column('release_number', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['campaign_id'], ['campaign.id'], name=op.f('fk_release_atom_campaign_id_campaign'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('campaign_id', 'atom', name=op.f('pk_release_atom'))
    )
    with op.batch_alter_table('attempt_result', schema=None) as batch_op:
        batch_op.add_column(sa.Column('release_row', sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column('atom', sa.Integer(), nullable=True))


def downgrade():
    with op.batch_alter_table('attempt_result', schema=None) as batch_op:
        batch_op.drop_column('atom')
        batch_op.drop_column('release_row')
    op.drop_table('release_atom')
    op.drop_table('release')
