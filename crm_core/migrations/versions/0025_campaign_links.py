"""campaigns name the product their messages link to, through tracked share links

Revision ID: 0025
Revises: 0024
Create Date: 2026-12-02

A campaign may name a product (its code in the catalogue): each message then carries a tracked
share link to the product's page, bound to the campaign (sharer `k<campaign>` for a mass send,
`k<campaign>-<customer>` for one customer-service message), so opens are credited to it. The
link's row names its campaign, indexed, so a report finds the campaign's links without scanning
every share.
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
    with op.batch_alter_table("share_links") as batch:
        batch.add_column(sa.Column("campaign_id", sa.Integer(), nullable=True))
        batch.create_foreign_key("fk_share_links_campaign_id_campaigns", "campaigns",
                                 ["campaign_id"], ["id"])
        batch.create_index("ix_share_links_campaign_id", ["campaign_id"])


def downgrade() -> None:
    with op.batch_alter_table("share_links") as batch:
        batch.drop_index("ix_share_links_campaign_id")
        batch.drop_constraint("fk_share_links_campaign_id_campaigns", type_="foreignkey")
        batch.drop_column("campaign_id")
    with op.batch_alter_table("campaigns") as batch:
        batch.drop_column("product_code")
