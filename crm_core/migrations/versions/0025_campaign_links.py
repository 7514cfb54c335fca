"""campaigns name the product their messages link to, through tracked share links

Revision ID: 0025
Revises: 0024
Create Date: 2026-12-02

A campaign may name a product (its code in the catalogue): each message then carries a tracked
share link to the product's page, bound to the campaign (sharer `k<campaign>` for a mass send,
`k<campaign>-<customer>` for one customer-service message), so opens are credited to it.
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op


revision: str = '0025'
down_revision: str | None = '0024'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("campaigns") as batch:
        batch.add_column(sa.Column("product_code", sa.String(length=32), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("campaigns") as batch:
        batch.drop_column("product_code")
