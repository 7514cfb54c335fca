"""segments: saved scoped rules over customers, their snapshots and frozen members

Revision ID: 0017
Revises: 0016
Create Date: 2026-12-02
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op


revision: str = '0017'
down_revision: str | None = '0016'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    """Apply this revision."""
    op.create_table('segments',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('name', sa.String(length=50), nullable=False),
    sa.Column('owner', sa.String(length=64), nullable=False),
    sa.Column('scope', sa.Enum('network', 'branch', 'manager', name='segmentscope',
                               native_enum=False, length=16), nullable=False),
    sa.Column('branch_id', sa.Integer(), nullable=True),
    sa.Column('manager_id', sa.Integer(), nullable=True),
    sa.Column('kind', sa.Enum('rule', 'static', name='segmentkind', native_enum=False,
                              length=16), nullable=False),
    sa.Column('rule', sa.JSON(), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.Column('updated_at', sa.DateTime(), nullable=False),
    sa.ForeignKeyConstraint(['branch_id'], ['branches.id'],
                            name=op.f('fk_segments_branch_id_branches')),
    sa.ForeignKeyConstraint(['manager_id'], ['managers.id'],
                            name=op.f('fk_segments_manager_id_managers')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_segments'))
    )
    op.create_index(op.f('ix_segments_branch_id'), 'segments', ['branch_id'], unique=False)
    op.create_index(op.f('ix_segments_manager_id'), 'segments', ['manager_id'], unique=False)
    op.create_table('segment_snapshots',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('segment_id', sa.Integer(), nullable=False),
    sa.Column('taken_at', sa.DateTime(), nullable=False),
    sa.Column('rule', sa.JSON(), nullable=False),
    sa.Column('members', sa.Integer(), nullable=False),
    sa.Column('excluded', sa.Integer(), nullable=False),
    sa.Column('staff', sa.String(length=64), nullable=False),
    sa.ForeignKeyConstraint(['segment_id'], ['segments.id'],
                            name=op.f('fk_segment_snapshots_segment_id_segments')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_segment_snapshots'))
    )
    op.create_index('ix_segment_snapshots_segment_taken', 'segment_snapshots',
                    ['segment_id', 'taken_at'], unique=False)
    op.create_table('segment_members',
    sa.Column('snapshot_id', sa.Integer(), nullable=False),
    sa.Column('customer_id', sa.Integer(), nullable=False),
    # No foreign keys: see crm_core.model.segments.SegmentMember.
    sa.PrimaryKeyConstraint('snapshot_id', 'customer_id', name=op.f('pk_segment_members'))
    )
    if op.get_bind().dialect.name == 'postgresql':
        # Dimension, month and value go together (a list's name only in the months it was
        # imported): without joint statistics PostgreSQL multiplies their selectivities and
        # expects a few dozen of a list's hundred thousand members, then loops over them.
        op.execute('CREATE STATISTICS st_dimension_values_lookup (mcv, dependencies) '
                   'ON dimension, month, value FROM dimension_values')


def downgrade() -> None:
    """Revert this revision."""
    if op.get_bind().dialect.name == 'postgresql':
        op.execute('DROP STATISTICS IF EXISTS st_dimension_values_lookup')
    op.drop_table('segment_members')
    op.drop_index('ix_segment_snapshots_segment_taken', table_name='segment_snapshots')
    op.drop_table('segment_snapshots')
    op.drop_index(op.f('ix_segments_manager_id'), table_name='segments')
    op.drop_index(op.f('ix_segments_branch_id'), table_name='segments')
    op.drop_table('segments')
