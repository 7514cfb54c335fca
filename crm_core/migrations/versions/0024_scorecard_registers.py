"""the complaints and suitability-override registers, and head-office accounts on a
business line (双线管理)

Revision ID: 0024
Revises: 0023
Create Date: 2026-12-02
"""

from collections.abc import Sequence
from typing import Any

import sqlalchemy as sa
from alembic import op


revision: str = '0024'
down_revision: str | None = '0023'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def _enum(name: str, *values: str) -> sa.Enum:
    return sa.Enum(*values, name=name, native_enum=False, length=16)


def _who() -> list[sa.Column[Any]]:
    return [sa.Column('id', sa.Integer(), nullable=False),
            sa.Column('customer_id', sa.Integer(), nullable=False),
            sa.Column('manager_id', sa.Integer(), nullable=False),
            sa.Column('branch_id', sa.Integer(), nullable=False)]


def _keys(table: str) -> list[sa.Constraint]:
    return [sa.ForeignKeyConstraint(['customer_id'], ['customers.id'],
                                    name=op.f(f'fk_{table}_customer_id_customers')),
            sa.ForeignKeyConstraint(['manager_id'], ['managers.id'],
                                    name=op.f(f'fk_{table}_manager_id_managers')),
            sa.ForeignKeyConstraint(['branch_id'], ['branches.id'],
                                    name=op.f(f'fk_{table}_branch_id_branches')),
            sa.PrimaryKeyConstraint('id', name=op.f(f'pk_{table}'))]


def upgrade() -> None:
    """Apply this revision."""
    op.create_table(
        'complaints', *_who(),
        sa.Column('received_on', sa.Date(), nullable=False),
        sa.Column('channel', _enum('complaintchannel', 'counter', 'phone', 'wechat', 'letter',
                                   'regulator'), nullable=False),
        sa.Column('summary', sa.String(length=100), nullable=False),
        sa.Column('detail', sa.Text(), nullable=False),
        sa.Column('verdict', _enum('complaintverdict', 'pending', 'substantiated',
                                   'unsubstantiated'), nullable=False),
        sa.Column('reason', sa.String(length=500), nullable=False),
        sa.Column('recorded_by', sa.String(length=64), nullable=False),
        sa.Column('recorded_at', sa.DateTime(), nullable=False),
        sa.Column('decided_by', sa.String(length=64), nullable=True),
        sa.Column('decided_at', sa.DateTime(), nullable=True),
        *_keys('complaints'))
    op.create_index('ix_complaints_manager_received', 'complaints',
                    ['manager_id', 'received_on'], unique=False)
    op.create_index(op.f('ix_complaints_branch_id'), 'complaints', ['branch_id'], unique=False)
    op.create_table(
        'suitability_overrides', *_who(),
        sa.Column('product_id', sa.Integer(), nullable=False),
        sa.Column('customer_level', sa.Integer(), nullable=True),
        sa.Column('product_level', sa.Integer(), nullable=False),
        sa.Column('occurred_on', sa.Date(), nullable=False),
        sa.Column('reason', sa.String(length=500), nullable=False),
        sa.Column('recorded_by', sa.String(length=64), nullable=False),
        sa.Column('recorded_at', sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(['product_id'], ['products.id'],
                                name=op.f('fk_suitability_overrides_product_id_products')),
        *_keys('suitability_overrides'))
    op.create_index('ix_suitability_overrides_manager_on', 'suitability_overrides',
                    ['manager_id', 'occurred_on'], unique=False)
    op.create_index(op.f('ix_suitability_overrides_branch_id'), 'suitability_overrides',
                    ['branch_id'], unique=False)
    with op.batch_alter_table('staff_accounts') as batch:
        batch.add_column(sa.Column('line', _enum('managerrole', 'retail', 'wealth', 'loan',
                                                 'corporate'), nullable=True))


def downgrade() -> None:
    """Revert this revision."""
    with op.batch_alter_table('staff_accounts') as batch:
        batch.drop_column('line')
    op.drop_index(op.f('ix_suitability_overrides_branch_id'),
                  table_name='suitability_overrides')
    op.drop_index('ix_suitability_overrides_manager_on', table_name='suitability_overrides')
    op.drop_table('suitability_overrides')
    op.drop_index(op.f('ix_complaints_branch_id'), table_name='complaints')
    op.drop_index('ix_complaints_manager_received', table_name='complaints')
    op.drop_table('complaints')
