"""faq, pending choices and answer misses

Revision ID: 0009
Revises: 0008
Create Date: 2026-12-02
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op


revision: str = '0009'
down_revision: str | None = '0008'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    """Apply this revision."""
    op.create_table('answer_misses',
    sa.Column('id', sa.BigInteger().with_variant(sa.Integer(), 'sqlite'), nullable=False),
    sa.Column('at', sa.DateTime(), nullable=False),
    sa.Column('question', sa.String(length=500), nullable=False),
    sa.Column('outcome', sa.String(length=16), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_answer_misses'))
    )
    with op.batch_alter_table('answer_misses', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_answer_misses_at'), ['at'], unique=False)
    op.create_table('faq_entries',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('key', sa.String(length=64), nullable=False),
    sa.Column('topic', sa.String(length=16), nullable=False),
    sa.Column('question', sa.String(length=200), nullable=False),
    sa.Column('answer', sa.Text(), nullable=False),
    sa.Column('keywords', sa.String(length=500), nullable=False),
    sa.Column('active', sa.Boolean(), server_default=sa.true(), nullable=False),
    sa.Column('version', sa.Integer(), nullable=False),
    sa.Column('updated_at', sa.DateTime(), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_faq_entries')),
    sa.UniqueConstraint('key', name=op.f('uq_faq_entries_key'))
    )
    op.create_table('faq_versions',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('entry_id', sa.Integer(), nullable=False),
    sa.Column('version', sa.Integer(), nullable=False),
    sa.Column('data', sa.JSON(), nullable=False),
    sa.Column('source', sa.String(length=100), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.ForeignKeyConstraint(['entry_id'], ['faq_entries.id'], name=op.f('fk_faq_versions_entry_id_faq_entries')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_faq_versions')),
    sa.UniqueConstraint('entry_id', 'version', name=op.f('uq_faq_versions_entry_id'))
    )
    op.create_table('pending_choices',
    sa.Column('customer_id', sa.Integer(), nullable=False),
    sa.Column('options', sa.JSON(), nullable=False),
    sa.Column('expires_at', sa.DateTime(), nullable=False),
    sa.ForeignKeyConstraint(['customer_id'], ['customers.id'], name=op.f('fk_pending_choices_customer_id_customers')),
    sa.PrimaryKeyConstraint('customer_id', name=op.f('pk_pending_choices'))
    )


def downgrade() -> None:
    """Revert this revision."""
    op.drop_table('pending_choices')
    op.drop_table('faq_versions')
    op.drop_table('faq_entries')
    with op.batch_alter_table('answer_misses', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_answer_misses_at'))
    op.drop_table('answer_misses')
