"""lists that scale: indexes for the console's lists, and a keyed hash of phone numbers

Revision ID: 0013
Revises: 0011
Create Date: 2026-12-02

The hash column starts empty: `branchlink customers rehash-phones` fills it (the key is
derived from the service secret, which migrations never see).
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op


revision: str = '0013'
down_revision: str | None = '0011'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

CURRENT = sa.text('ended_at IS NULL')
INDEXES = [
    ('customers', 'ix_customers_phone_hash', ['phone_hash']),
    ('customers', 'ix_customers_followed_at', ['followed_at']),
    ('customers', 'ix_customers_first_touch_at', ['first_touch_at']),
    ('customers', 'ix_customers_branch_touch', ['home_branch_id', 'last_touch_at']),
    ('leads', 'ix_leads_manager_status_due', ['manager_id', 'status', 'due_at']),
    ('leads', 'ix_leads_branch_status_due', ['branch_id', 'status', 'due_at']),
    ('leads', 'ix_leads_status_created', ['status', 'created_at']),
    ('audit_events', 'ix_audit_events_action_at', ['action', 'at']),
    ('audit_events', 'ix_audit_events_actor_at', ['actor', 'at']),
    ('notices', 'ix_notices_status_id', ['status', 'id']),
]


def upgrade() -> None:
    """Apply this revision."""
    with op.batch_alter_table('customers', schema=None) as batch_op:
        batch_op.add_column(sa.Column('phone_hash', sa.String(length=64), nullable=True))
    for table, name, columns in INDEXES:
        op.create_index(name, table, columns, unique=False)
    op.create_index('ix_manager_links_current_manager', 'manager_links',
                    ['manager_id', 'customer_id'], unique=False,
                    sqlite_where=CURRENT, postgresql_where=CURRENT)


def downgrade() -> None:
    """Revert this revision."""
    op.drop_index('ix_manager_links_current_manager', table_name='manager_links',
                  sqlite_where=CURRENT, postgresql_where=CURRENT)
    for table, name, _ in reversed(INDEXES):
        op.drop_index(name, table_name=table)
    with op.batch_alter_table('customers', schema=None) as batch_op:
        batch_op.drop_column('phone_hash')
