"""E-mail sends and deliveries, the scheduler's runs, campaign reminder schedules

Revision ID: 0006_delivery_jobs
Revises: 0008_release_members
Create Date: 2026-12-01 20:50:00

"""
from alembic import op
import sqlalchemy as sa


revision = '0006_delivery_jobs'
down_revision = '0008_release_members'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('mail_send',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('campaign_id', sa.Integer(), nullable=False),
    sa.Column('kind', sa.String(length=12), nullable=False),
    sa.Column('key', sa.String(length=64), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('finished_at', sa.DateTime(timezone=True), nullable=True),
    sa.CheckConstraint("kind IN ('invitation', 'reminder')", name=op.f('ck_mail_send_kind')),
    sa.ForeignKeyConstraint(['campaign_id'], ['campaign.id'],
                            name=op.f('fk_mail_send_campaign_id_campaign'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_mail_send')),
    sa.UniqueConstraint('campaign_id', 'key', name=op.f('uq_mail_send_campaign_id_key'))
    )
    with op.batch_alter_table('mail_send', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_mail_send_campaign_id'), ['campaign_id'], unique=False)

    op.create_table('delivery',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('send_id', sa.Integer(), nullable=False),
    sa.Column('invitation_id', sa.Integer(), nullable=False),
    sa.Column('status', sa.String(length=10), nullable=False),
    sa.Column('attempts', sa.Integer(), nullable=False),
    sa.Column('error', sa.Text(), nullable=True),
    sa.Column('updated_at', sa.DateTime(timezone=True), nullable=True),
    sa.CheckConstraint("status IN ('queued', 'sending', 'sent', 'refused', 'failed', "
                       "'uncertain', 'bounced', 'skipped')", name=op.f('ck_delivery_status')),
    sa.ForeignKeyConstraint(['invitation_id'], ['invitation.id'],
                            name=op.f('fk_delivery_invitation_id_invitation'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['send_id'], ['mail_send.id'],
                            name=op.f('fk_delivery_send_id_mail_send'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_delivery')),
    sa.UniqueConstraint('send_id', 'invitation_id', name=op.f('uq_delivery_send_id_invitation_id'))
    )
    with op.batch_alter_table('delivery', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_delivery_invitation_id'), ['invitation_id'],
                              unique=False)
        batch_op.create_index(batch_op.f('ix_delivery_send_id'), ['send_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_delivery_status'), ['status'], unique=False)

    op.create_table('scheduler_run',
    sa.Column('name', sa.String(length=40), nullable=False),
    sa.Column('ran_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('details', sa.Text(), nullable=True),
    sa.PrimaryKeyConstraint('name', name=op.f('pk_scheduler_run'))
    )
    with op.batch_alter_table('campaign', schema=None) as batch_op:
        batch_op.add_column(sa.Column('reminder_days', sa.String(length=40), server_default='7,2',
                                      nullable=False))


def downgrade():
    with op.batch_alter_table('campaign', schema=None) as batch_op:
        batch_op.drop_column('reminder_days')
    op.drop_table('scheduler_run')
    with op.batch_alter_table('delivery', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_delivery_status'))
        batch_op.drop_index(batch_op.f('ix_delivery_send_id'))
        batch_op.drop_index(batch_op.f('ix_delivery_invitation_id'))
    op.drop_table('delivery')
    with op.batch_alter_table('mail_send', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_mail_send_campaign_id'))
    op.drop_table('mail_send')
