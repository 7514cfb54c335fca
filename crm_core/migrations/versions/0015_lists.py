"""lists that scale: indexes for the console's lists, the branch of each customer's current
manager, and a keyed hash of phone numbers

Revision ID: 0015
Revises: 0014
Create Date: 2026-12-02

The hash column starts empty: `branchlink customers rehash-phones` fills it (the key is
derived from the service secret, which migrations never see).
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op


revision: str = '0015'
down_revision: str | None = '0014'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

FILL = """UPDATE customers SET
    current_manager_id = (SELECT l.manager_id FROM manager_links l
                          WHERE l.customer_id = customers.id AND l.ended_at IS NULL),
    manager_branch_id = (SELECT m.branch_id FROM manager_links l JOIN managers m
                         ON m.id = l.manager_id
                         WHERE l.customer_id = customers.id AND l.ended_at IS NULL)"""
INDEXES = [
    ('customers', 'ix_customers_phone_hash', ['phone_hash']),
    ('customers', 'ix_customers_followed_order', ['followed_at', 'id']),
    ('customers', 'ix_customers_first_touch_at', ['first_touch_at']),
    ('customers', 'ix_customers_manager_branch_id', ['manager_branch_id']),
    ('customers', 'ix_customers_manager_touch', ['current_manager_id', 'last_touch_at']),
    ('customers', 'ix_customers_name_order', ['display_name', 'id']),
    ('leads', 'ix_leads_manager_status_due', ['manager_id', 'status', 'due_at']),
    ('leads', 'ix_leads_branch_status_due', ['branch_id', 'status', 'due_at']),
    ('leads', 'ix_leads_created_at', ['created_at']),
    ('leads', 'ix_leads_due_at', ['due_at']),
    ('audit_events', 'ix_audit_events_action_at', ['action', 'at']),
    ('audit_events', 'ix_audit_events_actor_at', ['actor', 'at']),
    ('notices', 'ix_notices_status_id', ['status', 'id']),
]


def upgrade() -> None:
    """Apply this revision."""
    op.add_column('customers', sa.Column('phone_hash', sa.String(length=64), nullable=True))
    for column, table in (('current_manager_id', 'managers'), ('manager_branch_id', 'branches')):
        _add_reference(column, table)
    op.execute(FILL)
    if op.get_bind().dialect.name == 'postgresql':
        # The two branch columns mostly agree: without joint statistics PostgreSQL counts a
        # branch's customers twice when it estimates a long list's total.
        op.execute('CREATE STATISTICS st_customers_branches (mcv) '
                   'ON home_branch_id, manager_branch_id FROM customers')
    for table, name, columns in INDEXES:
        op.create_index(name, table, columns, unique=False)
    unmanaged = sa.text('current_manager_id IS NULL')
    op.create_index('ix_customers_branch_unmanaged', 'customers', ['home_branch_id', 'id'],
                    unique=False, postgresql_where=unmanaged, sqlite_where=unmanaged)


def downgrade() -> None:
    """Revert this revision."""
    if op.get_bind().dialect.name == 'postgresql':
        op.execute('DROP STATISTICS IF EXISTS st_customers_branches')
    op.drop_index('ix_customers_branch_unmanaged', table_name='customers')
    for table, name, _ in reversed(INDEXES):
        op.drop_index(name, table_name=table)
    for column, table in (('current_manager_id', 'managers'), ('manager_branch_id', 'branches')):
        if op.get_bind().dialect.name != 'sqlite':  # SQLite's copy drops it with the column
            op.drop_constraint(f'fk_customers_{column}_{table}', 'customers',
                               type_='foreignkey')
    with op.batch_alter_table('customers', schema=None) as batch_op:
        batch_op.drop_column('current_manager_id')
        batch_op.drop_column('manager_branch_id')
        batch_op.drop_column('phone_hash')


def _add_reference(column: str, table: str) -> None:
    # A plain ADD COLUMN: SQLite adds a column with a reference in place, where a batch would
    # copy the table (and its dependants' foreign keys refuse that).
    name = f'fk_customers_{column}_{table}'
    if op.get_bind().dialect.name == 'sqlite':
        op.execute(f'ALTER TABLE customers ADD COLUMN {column} INTEGER '
                   f'CONSTRAINT {name} REFERENCES {table} (id)')
    else:
        op.add_column('customers', sa.Column(column, sa.Integer(), nullable=True))
        op.create_foreign_key(name, 'customers', table, [column], ['id'])
