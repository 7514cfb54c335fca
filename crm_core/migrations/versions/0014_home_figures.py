"""home-page figures per branch, per manager and for the network, refreshed by the worker;
a manager's current customers by start

Revision ID: 0014
Revises: 0013
Create Date: 2026-12-02
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op


revision: str = '0014'
down_revision: str | None = '0013'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    """Apply this revision."""
    op.create_table('branch_figures',
    sa.Column('branch_id', sa.Integer(), nullable=False),
    sa.Column('customers', sa.Integer(), nullable=False),
    sa.Column('follows_week', sa.Integer(), nullable=False),
    sa.Column('leads_new', sa.Integer(), nullable=False),
    sa.Column('leads_contacted', sa.Integer(), nullable=False),
    sa.Column('leads_converted', sa.Integer(), nullable=False),
    sa.Column('leads_lost', sa.Integer(), nullable=False),
    sa.Column('leads_overdue', sa.Integer(), nullable=False),
    sa.Column('updated_at', sa.DateTime(), nullable=False),
    sa.ForeignKeyConstraint(['branch_id'], ['branches.id'],
                            name=op.f('fk_branch_figures_branch_id_branches')),
    sa.PrimaryKeyConstraint('branch_id', name=op.f('pk_branch_figures'))
    )
    op.create_table('network_figures',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('customers', sa.Integer(), nullable=False),
    sa.Column('follows_week', sa.Integer(), nullable=False),
    sa.Column('leads_new', sa.Integer(), nullable=False),
    sa.Column('leads_contacted', sa.Integer(), nullable=False),
    sa.Column('leads_converted', sa.Integer(), nullable=False),
    sa.Column('leads_lost', sa.Integer(), nullable=False),
    sa.Column('leads_overdue', sa.Integer(), nullable=False),
    sa.Column('updated_at', sa.DateTime(), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_network_figures'))
    )
    op.create_table('manager_figures',
    sa.Column('manager_id', sa.Integer(), nullable=False),
    sa.Column('customers', sa.Integer(), nullable=False),
    sa.Column('open_leads', sa.Integer(), nullable=False),
    sa.Column('overdue_leads', sa.Integer(), nullable=False),
    sa.Column('updated_at', sa.DateTime(), nullable=False),
    sa.ForeignKeyConstraint(['manager_id'], ['managers.id'],
                            name=op.f('fk_manager_figures_manager_id_managers')),
    sa.PrimaryKeyConstraint('manager_id', name=op.f('pk_manager_figures'))
    )
    op.create_index('ix_manager_links_manager_current', 'manager_links',
                    ['manager_id', 'started_at'], unique=False,
                    sqlite_where=sa.text('ended_at IS NULL'),
                    postgresql_where=sa.text('ended_at IS NULL'))


def downgrade() -> None:
    """Revert this revision."""
    op.drop_index('ix_manager_links_manager_current', table_name='manager_links')
    op.drop_table('manager_figures')
    op.drop_table('network_figures')
    op.drop_table('branch_figures')
