"""one open lead per customer and request, enforced by unique indexes; longer interaction kinds

Revision ID: 0008
Revises: 0007
Create Date: 2026-12-02
"""

from collections.abc import Sequence
from datetime import UTC, datetime

import sqlalchemy as sa
from alembic import op


revision: str = '0008'
down_revision: str | None = '0007'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

OPEN = "status IN ('new', 'contacted')"
# Leads doubled by concurrent requests before the indexes existed: the oldest stays open, the
# later twins are closed as lost with a note for staff (who read Chinese).
CLOSE_TWINS = sa.text(f"""
UPDATE leads SET status = 'lost', closed_at = :now,
       note = COALESCE(note || :newline, '') || :note
WHERE {OPEN} AND EXISTS (
    SELECT 1 FROM leads AS older
    WHERE older.customer_id = leads.customer_id AND older.source = leads.source
      AND (older.product_code = leads.product_code
           OR (older.product_code IS NULL AND leads.product_code IS NULL))
      AND older.status IN ('new', 'contacted') AND older.id < leads.id)
""")
TWIN_NOTE = "同一请求重复创建的预约，已由系统关闭，请跟进同一客户较早的预约。"


def upgrade() -> None:
    """Apply this revision."""
    now = datetime.now(UTC).replace(tzinfo=None)  # timestamps are stored as naive UTC
    op.get_bind().execute(CLOSE_TWINS, {"now": now, "newline": "\n", "note": TWIN_NOTE})
    with op.batch_alter_table('leads', schema=None) as batch_op:
        batch_op.create_index('uq_leads_open_request', ['customer_id', 'source'], unique=True,
                              sqlite_where=sa.text(f"product_code IS NULL AND {OPEN}"),
                              postgresql_where=sa.text(f"product_code IS NULL AND {OPEN}"))
        batch_op.create_index('uq_leads_open_product', ['customer_id', 'source', 'product_code'],
                              unique=True, sqlite_where=sa.text(OPEN),
                              postgresql_where=sa.text(OPEN))
    with op.batch_alter_table('interactions', schema=None) as batch_op:
        batch_op.alter_column('kind', existing_type=sa.String(length=32),
                              type_=sa.String(length=80), existing_nullable=False)


def downgrade() -> None:
    """Revert this revision (closed twins stay closed; longer kinds must be gone first)."""
    with op.batch_alter_table('interactions', schema=None) as batch_op:
        batch_op.alter_column('kind', existing_type=sa.String(length=80),
                              type_=sa.String(length=32), existing_nullable=False)
    with op.batch_alter_table('leads', schema=None) as batch_op:
        batch_op.drop_index('uq_leads_open_product')
        batch_op.drop_index('uq_leads_open_request')
