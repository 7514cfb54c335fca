"""products, versions, risk assessments, recommendation preferences, shares

Revision ID: 0005
Revises: 0004
Create Date: 2026-12-01
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op


revision: str = '0005'
down_revision: str | None = '0004'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    """Apply this revision."""
    op.create_table('products',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('code', sa.String(length=32), nullable=False),
    sa.Column('name', sa.String(length=100), nullable=False),
    sa.Column('category', sa.String(length=16), nullable=False),
    sa.Column('risk_level', sa.Integer(), nullable=False),
    sa.Column('rate', sa.String(length=100), nullable=False),
    sa.Column('term', sa.String(length=50), nullable=False),
    sa.Column('min_amount', sa.Integer(), nullable=True),
    sa.Column('sale_start', sa.Date(), nullable=True),
    sa.Column('sale_end', sa.Date(), nullable=True),
    sa.Column('branches', sa.JSON(), nullable=True),
    sa.Column('summary', sa.String(length=200), nullable=False),
    sa.Column('details', sa.Text(), nullable=False),
    sa.Column('link', sa.String(length=500), nullable=True),
    sa.Column('past_performance', sa.String(length=200), nullable=True),
    sa.Column('keywords', sa.String(length=200), nullable=True),
    sa.Column('private_placement', sa.Boolean(), server_default=sa.false(), nullable=False),
    sa.Column('version', sa.Integer(), nullable=False),
    sa.Column('updated_at', sa.DateTime(), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_products')),
    sa.UniqueConstraint('code', name=op.f('uq_products_code'))
    )
    op.create_table('product_versions',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('product_id', sa.Integer(), nullable=False),
    sa.Column('version', sa.Integer(), nullable=False),
    sa.Column('data', sa.JSON(), nullable=False),
    sa.Column('source', sa.String(length=100), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.ForeignKeyConstraint(['product_id'], ['products.id'], name=op.f('fk_product_versions_product_id_products')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_product_versions')),
    sa.UniqueConstraint('product_id', 'version', name=op.f('uq_product_versions_product_id'))
    )
    op.create_table('risk_assessments',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('customer_id', sa.Integer(), nullable=False),
    sa.Column('level', sa.Integer(), nullable=False),
    sa.Column('assessed_on', sa.Date(), nullable=False),
    sa.Column('source', sa.String(length=100), nullable=False),
    sa.Column('recorded_at', sa.DateTime(), nullable=False),
    sa.ForeignKeyConstraint(['customer_id'], ['customers.id'], name=op.f('fk_risk_assessments_customer_id_customers')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_risk_assessments'))
    )
    with op.batch_alter_table('risk_assessments', schema=None) as batch_op:
        batch_op.create_index('ix_risk_assessments_customer_date', ['customer_id', 'assessed_on'], unique=False)

    op.create_table('recommendation_prefs',
    sa.Column('customer_id', sa.Integer(), nullable=False),
    sa.Column('personalised', sa.Boolean(), nullable=False),
    sa.Column('changed_at', sa.DateTime(), nullable=False),
    sa.ForeignKeyConstraint(['customer_id'], ['customers.id'], name=op.f('fk_recommendation_prefs_customer_id_customers')),
    sa.PrimaryKeyConstraint('customer_id', name=op.f('pk_recommendation_prefs'))
    )
    op.create_table('share_links',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('key', sa.String(length=16), nullable=False),
    sa.Column('product_code', sa.String(length=32), nullable=False),
    sa.Column('sharer', sa.String(length=40), nullable=False),
    sa.Column('parent_id', sa.Integer(), nullable=True),
    sa.Column('root_customer_id', sa.Integer(), nullable=True),
    sa.Column('root_manager_id', sa.Integer(), nullable=True),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.ForeignKeyConstraint(['parent_id'], ['share_links.id'], name=op.f('fk_share_links_parent_id_share_links')),
    sa.ForeignKeyConstraint(['root_customer_id'], ['customers.id'], name=op.f('fk_share_links_root_customer_id_customers')),
    sa.ForeignKeyConstraint(['root_manager_id'], ['managers.id'], name=op.f('fk_share_links_root_manager_id_managers')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_share_links')),
    sa.UniqueConstraint('key', name=op.f('uq_share_links_key'))
    )
    with op.batch_alter_table('share_links', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_share_links_product_code'), ['product_code'], unique=False)
        batch_op.create_index(batch_op.f('ix_share_links_root_customer_id'), ['root_customer_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_share_links_root_manager_id'), ['root_manager_id'], unique=False)

    op.create_table('share_events',
    sa.Column('id', sa.BigInteger().with_variant(sa.Integer(), 'sqlite'), nullable=False),
    sa.Column('share_id', sa.Integer(), nullable=False),
    sa.Column('kind', sa.String(length=16), nullable=False),
    sa.Column('visitor', sa.String(length=40), nullable=False),
    sa.Column('customer_id', sa.Integer(), nullable=True),
    sa.Column('hits', sa.Integer(), nullable=False),
    sa.Column('first_at', sa.DateTime(), nullable=False),
    sa.Column('last_at', sa.DateTime(), nullable=False),
    sa.ForeignKeyConstraint(['customer_id'], ['customers.id'], name=op.f('fk_share_events_customer_id_customers')),
    sa.ForeignKeyConstraint(['share_id'], ['share_links.id'], name=op.f('fk_share_events_share_id_share_links')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_share_events')),
    sa.UniqueConstraint('share_id', 'kind', 'visitor', name=op.f('uq_share_events_share_id'))
    )


def downgrade() -> None:
    """Revert this revision."""
    op.drop_table('share_events')
    with op.batch_alter_table('share_links', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_share_links_root_manager_id'))
        batch_op.drop_index(batch_op.f('ix_share_links_root_customer_id'))
        batch_op.drop_index(batch_op.f('ix_share_links_product_code'))

    op.drop_table('share_links')
    op.drop_table('recommendation_prefs')
    with op.batch_alter_table('risk_assessments', schema=None) as batch_op:
        batch_op.drop_index('ix_risk_assessments_customer_date')

    op.drop_table('risk_assessments')
    op.drop_table('product_versions')
    op.drop_table('products')
