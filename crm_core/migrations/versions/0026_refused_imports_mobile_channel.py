"""refused imports are kept as batches

Revision ID: 0026
Revises: 0023
Create Date: 2026-12-02

A refused extract (any bad row, nothing applied) is now stored as a batch with status
`refused`, its error count and its first row errors (masked), so head office sees every
attempt in the import history.
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op


revision: str = '0026'
down_revision: str | None = '0023'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    """Apply this revision."""
    with op.batch_alter_table('classification_batches') as batch:
        batch.add_column(sa.Column('status', sa.String(length=16), nullable=False,
                                   server_default='accepted'))
        batch.add_column(sa.Column('error_count', sa.Integer(), nullable=False,
                                   server_default='0'))
        batch.add_column(sa.Column('errors', sa.JSON(), nullable=True))


def downgrade() -> None:
    """Revert this revision."""
    op.execute("DELETE FROM classification_batches WHERE status = 'refused'")
    with op.batch_alter_table('classification_batches') as batch:
        batch.drop_column('errors')
        batch.drop_column('error_count')
        batch.drop_column('status')
