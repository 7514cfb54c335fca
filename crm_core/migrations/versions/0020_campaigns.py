"""campaigns: campaigns, their planned recipients and batches, opt-outs and consents

Revision ID: 0020
Revises: 0019
Create Date: 2026-12-02
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op


revision: str = '0020'
down_revision: str | None = '0019'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

STATES = ('draft', 'pending_approval', 'approved', 'scheduled', 'sending', 'paused', 'done',
          'cancelled')
STATUSES = ('planned', 'suppressed', 'control', 'batched', 'sent', 'failed', 'task')


def upgrade() -> None:
    """Apply this revision."""
    op.create_table('campaigns',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('name', sa.String(length=50), nullable=False),
    sa.Column('purpose', sa.String(length=32), nullable=False),
    sa.Column('snapshot_id', sa.Integer(), nullable=False),
    sa.Column('channels', sa.JSON(), nullable=False),
    sa.Column('content', sa.Text(), nullable=False),
    sa.Column('product_risk', sa.Integer(), nullable=True),
    sa.Column('control_share', sa.Integer(), nullable=False),
    sa.Column('scheduled_at', sa.DateTime(), nullable=True),
    sa.Column('owner', sa.String(length=64), nullable=False),
    sa.Column('scope', sa.Enum('network', 'branch', name='campaignscope', native_enum=False,
                               length=16), nullable=False),
    sa.Column('branch_id', sa.Integer(), nullable=True),
    sa.Column('state', sa.Enum(*STATES, name='campaignstate', native_enum=False, length=16),
              nullable=False),
    sa.Column('approver', sa.String(length=64), nullable=True),
    sa.Column('approved_at', sa.DateTime(), nullable=True),
    sa.Column('pause_reason', sa.String(length=32), nullable=True),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.Column('updated_at', sa.DateTime(), nullable=False),
    sa.ForeignKeyConstraint(['branch_id'], ['branches.id'],
                            name=op.f('fk_campaigns_branch_id_branches')),
    sa.ForeignKeyConstraint(['snapshot_id'], ['segment_snapshots.id'],
                            name=op.f('fk_campaigns_snapshot_id_segment_snapshots')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_campaigns'))
    )
    op.create_index(op.f('ix_campaigns_branch_id'), 'campaigns', ['branch_id'], unique=False)
    op.create_table('campaign_recipients',
    sa.Column('campaign_id', sa.Integer(), nullable=False),
    sa.Column('customer_id', sa.Integer(), nullable=False),
    sa.Column('channel', sa.String(length=8), nullable=False),
    sa.Column('status', sa.Enum(*STATUSES, name='recipientstatus', native_enum=False,
                                length=16), nullable=False),
    sa.Column('reason', sa.String(length=24), nullable=True),
    sa.Column('due_at', sa.DateTime(), nullable=False),
    sa.Column('batch_id', sa.Integer(), nullable=True),
    sa.Column('outcome', sa.String(length=24), nullable=True),
    # No foreign keys: see crm_core.model.campaigns.CampaignRecipient.
    sa.PrimaryKeyConstraint('campaign_id', 'customer_id', 'channel',
                            name=op.f('pk_campaign_recipients'))
    )
    op.create_index('ix_campaign_recipients_campaign_status', 'campaign_recipients',
                    ['campaign_id', 'status', 'channel'], unique=False)
    op.create_index('ix_campaign_recipients_customer_due', 'campaign_recipients',
                    ['customer_id', 'due_at'], unique=False)
    op.create_table('campaign_batches',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('campaign_id', sa.Integer(), nullable=False),
    sa.Column('client_msg_id', sa.String(length=64), nullable=False),
    sa.Column('size', sa.Integer(), nullable=False),
    sa.Column('msg_id', sa.Integer(), nullable=True),
    sa.Column('status', sa.String(length=16), nullable=False),
    sa.Column('sent', sa.Integer(), nullable=False),
    sa.Column('failed', sa.Integer(), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.ForeignKeyConstraint(['campaign_id'], ['campaigns.id'],
                            name=op.f('fk_campaign_batches_campaign_id_campaigns')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_campaign_batches')),
    sa.UniqueConstraint('client_msg_id', name=op.f('uq_campaign_batches_client_msg_id'))
    )
    op.create_index(op.f('ix_campaign_batches_campaign_id'), 'campaign_batches',
                    ['campaign_id'], unique=False)
    op.create_index(op.f('ix_campaign_batches_msg_id'), 'campaign_batches', ['msg_id'],
                    unique=False)
    op.create_table('contact_blocks',
    sa.Column('customer_id', sa.Integer(), nullable=False),
    sa.Column('kind', sa.String(length=16), nullable=False),
    sa.Column('by', sa.String(length=64), nullable=False),
    sa.Column('note', sa.String(length=200), nullable=True),
    sa.Column('at', sa.DateTime(), nullable=False),
    sa.ForeignKeyConstraint(['customer_id'], ['customers.id'],
                            name=op.f('fk_contact_blocks_customer_id_customers')),
    sa.PrimaryKeyConstraint('customer_id', 'kind', name=op.f('pk_contact_blocks'))
    )
    op.create_table('contact_consents',
    sa.Column('customer_id', sa.Integer(), nullable=False),
    sa.Column('purpose', sa.String(length=32), nullable=False),
    sa.Column('text_version', sa.String(length=16), nullable=False),
    sa.Column('given_at', sa.DateTime(), nullable=False),
    sa.ForeignKeyConstraint(['customer_id'], ['customers.id'],
                            name=op.f('fk_contact_consents_customer_id_customers')),
    sa.PrimaryKeyConstraint('customer_id', 'purpose', name=op.f('pk_contact_consents'))
    )


def downgrade() -> None:
    """Revert this revision."""
    op.drop_table('contact_consents')
    op.drop_table('contact_blocks')
    op.drop_index(op.f('ix_campaign_batches_msg_id'), table_name='campaign_batches')
    op.drop_index(op.f('ix_campaign_batches_campaign_id'), table_name='campaign_batches')
    op.drop_table('campaign_batches')
    op.drop_index('ix_campaign_recipients_customer_due', table_name='campaign_recipients')
    op.drop_index('ix_campaign_recipients_campaign_status', table_name='campaign_recipients')
    op.drop_table('campaign_recipients')
    op.drop_index(op.f('ix_campaigns_branch_id'), table_name='campaigns')
    op.drop_table('campaigns')
