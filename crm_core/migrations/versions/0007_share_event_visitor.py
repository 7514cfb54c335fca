"""share events found by visitor (a follower's earlier opens)

Revision ID: 0007
Revises: 0006
Create Date: 2026-11-28
"""

from collections.abc import Sequence

from alembic import op


revision: str = '0007'
down_revision: str | None = '0006'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    """Apply this revision."""
    op.create_index('ix_share_events_visitor', 'share_events', ['visitor', 'kind', 'first_at'],
                    unique=False)


def downgrade() -> None:
    """Revert this revision."""
    op.drop_index('ix_share_events_visitor', table_name='share_events')
