"""qr codes registry

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-29
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op


revision: str = '0003'
down_revision: str | None = '0002'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    """Apply this revision."""
    op.create_table('qr_codes',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('scene', sa.String(length=64), nullable=False),
    sa.Column('kind', sa.Enum('permanent', 'temporary', name='codekind', native_enum=False, length=16), nullable=False),
    sa.Column('ticket', sa.String(length=255), nullable=False),
    sa.Column('url', sa.String(length=255), nullable=False),
    sa.Column('expires_at', sa.DateTime(), nullable=True),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.Column('branch_id', sa.Integer(), nullable=True),
    sa.Column('manager_id', sa.Integer(), nullable=True),
    sa.Column('campaign', sa.String(length=24), nullable=True),
    sa.ForeignKeyConstraint(['branch_id'], ['branches.id'], name=op.f('fk_qr_codes_branch_id_branches')),
    sa.ForeignKeyConstraint(['manager_id'], ['managers.id'], name=op.f('fk_qr_codes_manager_id_managers')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_qr_codes'))
    )
    with op.batch_alter_table('qr_codes', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_qr_codes_branch_id'), ['branch_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_qr_codes_manager_id'), ['manager_id'], unique=False)
        batch_op.create_index('ix_qr_codes_scene_created', ['scene', 'created_at'], unique=False)
        batch_op.create_index('uq_qr_codes_permanent_scene', ['scene'], unique=True, sqlite_where=sa.text("kind = 'permanent'"), postgresql_where=sa.text("kind = 'permanent'"))


def downgrade() -> None:
    """Revert this revision."""
    with op.batch_alter_table('qr_codes', schema=None) as batch_op:
        batch_op.drop_index('uq_qr_codes_permanent_scene', sqlite_where=sa.text("kind = 'permanent'"), postgresql_where=sa.text("kind = 'permanent'"))
        batch_op.drop_index('ix_qr_codes_scene_created')
        batch_op.drop_index(batch_op.f('ix_qr_codes_manager_id'))
        batch_op.drop_index(batch_op.f('ix_qr_codes_branch_id'))

    op.drop_table('qr_codes')
