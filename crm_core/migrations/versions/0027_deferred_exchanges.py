"""deliveries answered at once carry the exchange still to record

Revision ID: 0027
Revises: 0026
Create Date: 2026-12-03

A message whose handler writes nothing (the customer's manager, a menu, a location, media)
is answered from what is known, and the exchange it makes is recorded by a worker in
batches: the delivery row keeps its sender and the exchange (`deferred`) until then. A
partial index finds what waits, by sender for that sender's next message.
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op


revision: str = '0027'
down_revision: str | None = '0026'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

WAITING = sa.text("deferred IS NOT NULL")


def upgrade() -> None:
    with op.batch_alter_table("inbound_deliveries") as batch:
        batch.add_column(sa.Column("sender", sa.String(64), nullable=True))
        batch.add_column(sa.Column("deferred", sa.JSON(none_as_null=True), nullable=True))
    op.create_index("ix_inbound_deliveries_deferred", "inbound_deliveries", ["sender", "id"],
                    sqlite_where=WAITING, postgresql_where=WAITING)


def downgrade() -> None:
    op.drop_index("ix_inbound_deliveries_deferred", table_name="inbound_deliveries")
    with op.batch_alter_table("inbound_deliveries") as batch:
        batch.drop_column("deferred")
        batch.drop_column("sender")
