"""login counters per account and client address, session generation of staff accounts

Revision ID: 0010
Revises: 0009
Create Date: 2026-12-02
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op


revision: str = '0010'
down_revision: str | None = '0009'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    """Apply this revision."""
    op.create_table('login_counters',
    sa.Column('key', sa.String(length=100), nullable=False),
    sa.Column('window_start', sa.DateTime(), nullable=False),
    sa.Column('attempts', sa.Integer(), nullable=False),
    sa.PrimaryKeyConstraint('key', name=op.f('pk_login_counters'))
    )
    with op.batch_alter_table('login_counters', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_login_counters_window_start'), ['window_start'],
                              unique=False)
    with op.batch_alter_table('staff_accounts', schema=None) as batch_op:
        batch_op.add_column(sa.Column('session_generation', sa.Integer(), server_default='0',
                                      nullable=False))


def downgrade() -> None:
    """Revert this revision."""
    with op.batch_alter_table('staff_accounts', schema=None) as batch_op:
        batch_op.drop_column('session_generation')
    with op.batch_alter_table('login_counters', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_login_counters_window_start'))
    op.drop_table('login_counters')
