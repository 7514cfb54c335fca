"""conversations: a customer and the bank's people (manager or online service), their
append-only transcript, assignments with reasons, presence, business hours and quick replies

Revision ID: 0018
Revises: 0017
Create Date: 2026-12-02
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op


revision: str = '0018'
down_revision: str | None = '0017'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    """Apply this revision."""
    op.create_table('canned_replies',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('title', sa.String(length=40), nullable=False),
    sa.Column('body', sa.Text(), nullable=False),
    sa.Column('active', sa.Boolean(), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_canned_replies'))
    )
    op.create_table('branch_hours',
    sa.Column('branch_id', sa.Integer(), nullable=False),
    sa.Column('days', sa.String(length=7), nullable=False),
    sa.Column('opens', sa.String(length=5), nullable=False),
    sa.Column('closes', sa.String(length=5), nullable=False),
    sa.ForeignKeyConstraint(['branch_id'], ['branches.id'], name=op.f('fk_branch_hours_branch_id_branches')),
    sa.PrimaryKeyConstraint('branch_id', name=op.f('pk_branch_hours'))
    )
    op.create_table('conversations',
    sa.Column('id', sa.BigInteger().with_variant(sa.Integer(), 'sqlite'), nullable=False),
    sa.Column('customer_id', sa.Integer(), nullable=False),
    sa.Column('status', sa.Enum('waiting', 'open', 'closed', name='conversationstatus', native_enum=False, length=16), nullable=False),
    sa.Column('source', sa.String(length=32), nullable=False),
    sa.Column('assignee_id', sa.Integer(), nullable=True),
    sa.Column('branch_id', sa.Integer(), nullable=True),
    sa.Column('opened_at', sa.DateTime(), nullable=False),
    sa.Column('last_message_at', sa.DateTime(), nullable=False),
    sa.Column('last_customer_at', sa.DateTime(), nullable=False),
    sa.Column('first_response_at', sa.DateTime(), nullable=True),
    sa.Column('escalated_at', sa.DateTime(), nullable=True),
    sa.Column('closed_at', sa.DateTime(), nullable=True),
    sa.Column('rating', sa.Integer(), nullable=True),
    sa.Column('rated_at', sa.DateTime(), nullable=True),
    sa.ForeignKeyConstraint(['assignee_id'], ['staff_accounts.id'], name=op.f('fk_conversations_assignee_id_staff_accounts')),
    sa.ForeignKeyConstraint(['branch_id'], ['branches.id'], name=op.f('fk_conversations_branch_id_branches')),
    sa.ForeignKeyConstraint(['customer_id'], ['customers.id'], name=op.f('fk_conversations_customer_id_customers')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_conversations'))
    )
    with op.batch_alter_table('conversations', schema=None) as batch_op:
        batch_op.create_index('ix_conversations_assignee_status', ['assignee_id', 'status', 'last_message_at'], unique=False)
        batch_op.create_index(batch_op.f('ix_conversations_customer_id'), ['customer_id'], unique=False)
        batch_op.create_index('ix_conversations_queue', ['status', 'branch_id', 'opened_at'], unique=False)
        batch_op.create_index('uq_conversations_live_customer', ['customer_id'], unique=True, sqlite_where=sa.text("status IN ('waiting', 'open')"), postgresql_where=sa.text("status IN ('waiting', 'open')"))

    op.create_table('staff_presence',
    sa.Column('staff_id', sa.Integer(), nullable=False),
    sa.Column('status', sa.Enum('online', 'busy', 'away', name='presence', native_enum=False, length=16), nullable=False),
    sa.Column('delegate_id', sa.Integer(), nullable=True),
    sa.Column('updated_at', sa.DateTime(), nullable=False),
    sa.ForeignKeyConstraint(['delegate_id'], ['staff_accounts.id'], name=op.f('fk_staff_presence_delegate_id_staff_accounts')),
    sa.ForeignKeyConstraint(['staff_id'], ['staff_accounts.id'], name=op.f('fk_staff_presence_staff_id_staff_accounts')),
    sa.PrimaryKeyConstraint('staff_id', name=op.f('pk_staff_presence'))
    )
    op.create_table('conversation_assignments',
    sa.Column('id', sa.BigInteger().with_variant(sa.Integer(), 'sqlite'), nullable=False),
    sa.Column('conversation_id', sa.BigInteger().with_variant(sa.Integer(), 'sqlite'), nullable=False),
    sa.Column('at', sa.DateTime(), nullable=False),
    sa.Column('from_staff_id', sa.Integer(), nullable=True),
    sa.Column('to_staff_id', sa.Integer(), nullable=True),
    sa.Column('reason', sa.String(length=32), nullable=False),
    sa.Column('by_staff_id', sa.Integer(), nullable=True),
    sa.ForeignKeyConstraint(['by_staff_id'], ['staff_accounts.id'], name=op.f('fk_conversation_assignments_by_staff_id_staff_accounts')),
    sa.ForeignKeyConstraint(['conversation_id'], ['conversations.id'], name=op.f('fk_conversation_assignments_conversation_id_conversations')),
    sa.ForeignKeyConstraint(['from_staff_id'], ['staff_accounts.id'], name=op.f('fk_conversation_assignments_from_staff_id_staff_accounts')),
    sa.ForeignKeyConstraint(['to_staff_id'], ['staff_accounts.id'], name=op.f('fk_conversation_assignments_to_staff_id_staff_accounts')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_conversation_assignments'))
    )
    with op.batch_alter_table('conversation_assignments', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_conversation_assignments_conversation_id'), ['conversation_id'], unique=False)

    op.create_table('conversation_messages',
    sa.Column('id', sa.BigInteger().with_variant(sa.Integer(), 'sqlite'), nullable=False),
    sa.Column('conversation_id', sa.BigInteger().with_variant(sa.Integer(), 'sqlite'), nullable=False),
    sa.Column('at', sa.DateTime(), nullable=False),
    sa.Column('author', sa.Enum('customer', 'staff', 'system', name='author', native_enum=False, length=16), nullable=False),
    sa.Column('staff_id', sa.Integer(), nullable=True),
    sa.Column('kind', sa.String(length=16), nullable=False),
    sa.Column('body', sa.Text(), nullable=False),
    sa.Column('media_id', sa.String(length=128), nullable=True),
    sa.Column('delivery', sa.Enum('custom', 'page', name='delivery', native_enum=False, length=16), nullable=True),
    sa.Column('notice_key', sa.String(length=160), nullable=True),
    sa.ForeignKeyConstraint(['conversation_id'], ['conversations.id'], name=op.f('fk_conversation_messages_conversation_id_conversations')),
    sa.ForeignKeyConstraint(['staff_id'], ['staff_accounts.id'], name=op.f('fk_conversation_messages_staff_id_staff_accounts')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_conversation_messages'))
    )
    with op.batch_alter_table('conversation_messages', schema=None) as batch_op:
        batch_op.create_index('ix_conversation_messages_conv_id', ['conversation_id', 'id'], unique=False)

    op.create_table('conversation_notes',
    sa.Column('id', sa.BigInteger().with_variant(sa.Integer(), 'sqlite'), nullable=False),
    sa.Column('conversation_id', sa.BigInteger().with_variant(sa.Integer(), 'sqlite'), nullable=False),
    sa.Column('staff_id', sa.Integer(), nullable=False),
    sa.Column('at', sa.DateTime(), nullable=False),
    sa.Column('body', sa.Text(), nullable=False),
    sa.ForeignKeyConstraint(['conversation_id'], ['conversations.id'], name=op.f('fk_conversation_notes_conversation_id_conversations')),
    sa.ForeignKeyConstraint(['staff_id'], ['staff_accounts.id'], name=op.f('fk_conversation_notes_staff_id_staff_accounts')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_conversation_notes'))
    )
    with op.batch_alter_table('conversation_notes', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_conversation_notes_conversation_id'), ['conversation_id'], unique=False)



def downgrade() -> None:
    """Revert this revision."""
    with op.batch_alter_table('conversation_notes', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_conversation_notes_conversation_id'))

    op.drop_table('conversation_notes')
    with op.batch_alter_table('conversation_messages', schema=None) as batch_op:
        batch_op.drop_index('ix_conversation_messages_conv_id')

    op.drop_table('conversation_messages')
    with op.batch_alter_table('conversation_assignments', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_conversation_assignments_conversation_id'))

    op.drop_table('conversation_assignments')
    op.drop_table('staff_presence')
    with op.batch_alter_table('conversations', schema=None) as batch_op:
        batch_op.drop_index('uq_conversations_live_customer', sqlite_where=sa.text("status IN ('waiting', 'open')"), postgresql_where=sa.text("status IN ('waiting', 'open')"))
        batch_op.drop_index('ix_conversations_queue')
        batch_op.drop_index(batch_op.f('ix_conversations_customer_id'))
        batch_op.drop_index('ix_conversations_assignee_status')

    op.drop_table('conversations')
    op.drop_table('branch_hours')
    op.drop_table('canned_replies')
