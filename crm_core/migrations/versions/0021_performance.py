"""managers' monthly books (imported extracts), scorecard templates, targets and cards

Revision ID: 0021
Revises: 0020
Create Date: 2026-12-02
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op


revision: str = '0021'
down_revision: str | None = '0020'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    """Apply this revision."""
    op.create_table('performance_months',
    sa.Column('month', sa.Date(), nullable=False),
    sa.Column('state', sa.Enum('draft', 'frozen', name='monthstate', native_enum=False, length=16), nullable=False),
    sa.Column('rows', sa.Integer(), nullable=False),
    sa.Column('filename', sa.String(length=255), nullable=True),
    sa.Column('sha256', sa.String(length=64), nullable=True),
    sa.Column('imported_by', sa.String(length=64), nullable=True),
    sa.Column('imported_at', sa.DateTime(), nullable=True),
    sa.Column('run_at', sa.DateTime(), nullable=True),
    sa.Column('approved_by', sa.String(length=64), nullable=True),
    sa.Column('frozen_at', sa.DateTime(), nullable=True),
    sa.PrimaryKeyConstraint('month', name=op.f('pk_performance_months'))
    )
    op.create_table('score_templates',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('role', sa.Enum('retail', 'wealth', 'loan', 'corporate', name='managerrole', native_enum=False, length=16), nullable=False),
    sa.Column('version', sa.Integer(), nullable=False),
    sa.Column('rules', sa.JSON(), nullable=False),
    sa.Column('created_by', sa.String(length=64), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_score_templates')),
    sa.UniqueConstraint('role', 'version', name=op.f('uq_score_templates_role'))
    )
    op.create_table('book_rows',
    sa.Column('id', sa.BigInteger().with_variant(sa.Integer(), 'sqlite'), nullable=False),
    sa.Column('month', sa.Date(), nullable=False),
    sa.Column('line', sa.Integer(), nullable=False),
    sa.Column('manager_id', sa.Integer(), nullable=False),
    sa.Column('customer_key', sa.String(length=64), nullable=False),
    sa.Column('customer_tail', sa.String(length=8), nullable=False),
    sa.Column('kind', sa.Enum('deposit', 'loan', 'fee', 'event', name='bookkind', native_enum=False, length=16), nullable=False),
    sa.Column('product', sa.String(length=32), nullable=False),
    sa.Column('balance', sa.Numeric(precision=18, scale=2), nullable=False),
    sa.Column('customer_rate', sa.Numeric(precision=9, scale=4), nullable=False),
    sa.Column('ftp_rate', sa.Numeric(precision=9, scale=4), nullable=False),
    sa.Column('fee', sa.Numeric(precision=18, scale=2), nullable=False),
    sa.Column('overdue', sa.Numeric(precision=18, scale=2), nullable=False),
    sa.Column('npl', sa.Numeric(precision=18, scale=2), nullable=False),
    sa.ForeignKeyConstraint(['manager_id'], ['managers.id'], name=op.f('fk_book_rows_manager_id_managers')),
    sa.ForeignKeyConstraint(['month'], ['performance_months.month'], name=op.f('fk_book_rows_month_performance_months')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_book_rows'))
    )
    with op.batch_alter_table('book_rows', schema=None) as batch_op:
        batch_op.create_index('ix_book_rows_month_manager', ['month', 'manager_id'], unique=False)

    op.create_table('score_targets',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('month', sa.Date(), nullable=False),
    sa.Column('manager_id', sa.Integer(), nullable=False),
    sa.Column('metric', sa.String(length=32), nullable=False),
    sa.Column('target', sa.Numeric(precision=18, scale=2), nullable=False),
    sa.ForeignKeyConstraint(['manager_id'], ['managers.id'], name=op.f('fk_score_targets_manager_id_managers')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_score_targets')),
    sa.UniqueConstraint('month', 'manager_id', 'metric', name=op.f('uq_score_targets_month'))
    )
    op.create_table('scorecards',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('month', sa.Date(), nullable=False),
    sa.Column('manager_id', sa.Integer(), nullable=False),
    sa.Column('role', sa.Enum('retail', 'wealth', 'loan', 'corporate', name='managerrole', native_enum=False, length=16), nullable=False),
    sa.Column('template_id', sa.Integer(), nullable=False),
    sa.Column('total', sa.Numeric(precision=7, scale=2), nullable=False),
    sa.Column('profit', sa.Numeric(precision=18, scale=2), nullable=False),
    sa.Column('lines', sa.JSON(), nullable=False),
    sa.Column('computed_at', sa.DateTime(), nullable=False),
    sa.ForeignKeyConstraint(['manager_id'], ['managers.id'], name=op.f('fk_scorecards_manager_id_managers')),
    sa.ForeignKeyConstraint(['month'], ['performance_months.month'], name=op.f('fk_scorecards_month_performance_months')),
    sa.ForeignKeyConstraint(['template_id'], ['score_templates.id'], name=op.f('fk_scorecards_template_id_score_templates')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_scorecards')),
    sa.UniqueConstraint('month', 'manager_id', name=op.f('uq_scorecards_month'))
    )
    with op.batch_alter_table('scorecards', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_scorecards_manager_id'), ['manager_id'], unique=False)



def downgrade() -> None:
    """Revert this revision."""
    with op.batch_alter_table('scorecards', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_scorecards_manager_id'))

    op.drop_table('scorecards')
    op.drop_table('score_targets')
    with op.batch_alter_table('book_rows', schema=None) as batch_op:
        batch_op.drop_index('ix_book_rows_month_manager')

    op.drop_table('book_rows')
    op.drop_table('score_templates')
    op.drop_table('performance_months')
