"""notes staff write on a customer's record

Revision ID: 0013
Revises: 0012
Create Date: 2026-12-02
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op


revision: str = '0013'
down_revision: str | None = '0012'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    """Apply this revision."""
    op.create_table('customer_notes',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('customer_id', sa.Integer(), nullable=False),
    sa.Column('author', sa.String(length=64), nullable=False),
    sa.Column('body', sa.Text(), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.ForeignKeyConstraint(['customer_id'], ['customers.id'],
                            name=op.f('fk_customer_notes_customer_id_customers')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_customer_notes'))
    )
    op.create_index('ix_customer_notes_customer_time', 'customer_notes',
                    ['customer_id', 'created_at'], unique=False)


def downgrade() -> None:
    """Revert this revision."""
    op.drop_index('ix_customer_notes_customer_time', table_name='customer_notes')
    op.drop_table('customer_notes')
