"""organisations, their contacts, trade relationships and chain leads, and referrals
between staff

Revision ID: 0019
Revises: 0018
Create Date: 2026-12-02
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op


revision: str = '0019'
down_revision: str | None = '0018'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    """Apply this revision."""
    op.create_table('organisations',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('code', sa.String(length=24), nullable=False),
    sa.Column('name', sa.String(length=100), nullable=False),
    sa.Column('credit_code', sa.String(length=18), nullable=True),
    sa.Column('kind', sa.String(length=16), nullable=False),
    sa.Column('market', sa.String(length=100), nullable=True),
    sa.Column('industry', sa.String(length=50), nullable=True),
    sa.Column('branch_id', sa.Integer(), nullable=False),
    sa.Column('manager_id', sa.Integer(), nullable=True),
    sa.Column('key_link', sa.Boolean(), server_default=sa.false(), nullable=False),
    sa.Column('products', sa.JSON(), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.Column('updated_at', sa.DateTime(), nullable=False),
    sa.ForeignKeyConstraint(['branch_id'], ['branches.id'], name=op.f('fk_organisations_branch_id_branches')),
    sa.ForeignKeyConstraint(['manager_id'], ['managers.id'], name=op.f('fk_organisations_manager_id_managers')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_organisations')),
    sa.UniqueConstraint('code', name=op.f('uq_organisations_code')),
    sa.UniqueConstraint('credit_code', name=op.f('uq_organisations_credit_code'))
    )
    with op.batch_alter_table('organisations', schema=None) as batch_op:
        batch_op.create_index('ix_organisations_branch_name', ['branch_id', 'name'], unique=False)
        batch_op.create_index('ix_organisations_manager_name', ['manager_id', 'name'], unique=False)
        batch_op.create_index(batch_op.f('ix_organisations_market'), ['market'], unique=False)
        batch_op.create_index(batch_op.f('ix_organisations_name'), ['name'], unique=False)

    op.create_table('organisation_contacts',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('organisation_id', sa.Integer(), nullable=False),
    sa.Column('name', sa.String(length=50), nullable=False),
    sa.Column('title', sa.String(length=50), nullable=False),
    sa.Column('customer_id', sa.Integer(), nullable=True),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.ForeignKeyConstraint(['customer_id'], ['customers.id'], name=op.f('fk_organisation_contacts_customer_id_customers')),
    sa.ForeignKeyConstraint(['organisation_id'], ['organisations.id'], name=op.f('fk_organisation_contacts_organisation_id_organisations')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_organisation_contacts')),
    sa.UniqueConstraint('organisation_id', 'name', name=op.f('uq_organisation_contacts_organisation_id'))
    )
    with op.batch_alter_table('organisation_contacts', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_organisation_contacts_customer_id'), ['customer_id'], unique=False)

    op.create_table('referrals',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('subject', sa.String(length=24), nullable=False),
    sa.Column('customer_id', sa.Integer(), nullable=True),
    sa.Column('organisation_id', sa.Integer(), nullable=True),
    sa.Column('line', sa.Enum('retail', 'wealth', 'loan', 'corporate', name='managerrole', native_enum=False, length=16), nullable=False),
    sa.Column('referrer_id', sa.Integer(), nullable=False),
    sa.Column('receiver_id', sa.Integer(), nullable=True),
    sa.Column('branch_id', sa.Integer(), nullable=False),
    sa.Column('product_interest', sa.String(length=64), nullable=False),
    sa.Column('potential_value', sa.BigInteger(), nullable=True),
    sa.Column('note', sa.Text(), nullable=True),
    sa.Column('status', sa.Enum('submitted', 'accepted', 'declined', 'contacted', 'qualified', 'converted', 'not_converted', 'expired', name='referralstatus', native_enum=False, length=16), nullable=False),
    sa.Column('decline_reason', sa.String(length=200), nullable=True),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.Column('lock_until', sa.DateTime(), nullable=False),
    sa.Column('due_at', sa.DateTime(), nullable=True),
    sa.Column('reminded_at', sa.DateTime(), nullable=True),
    sa.Column('escalated_at', sa.DateTime(), nullable=True),
    sa.Column('accepted_at', sa.DateTime(), nullable=True),
    sa.Column('contacted_at', sa.DateTime(), nullable=True),
    sa.Column('qualified_at', sa.DateTime(), nullable=True),
    sa.Column('closed_at', sa.DateTime(), nullable=True),
    sa.Column('outcome', sa.String(length=32), nullable=True),
    sa.Column('converted_value', sa.BigInteger(), nullable=True),
    sa.ForeignKeyConstraint(['branch_id'], ['branches.id'], name=op.f('fk_referrals_branch_id_branches')),
    sa.ForeignKeyConstraint(['customer_id'], ['customers.id'], name=op.f('fk_referrals_customer_id_customers')),
    sa.ForeignKeyConstraint(['organisation_id'], ['organisations.id'], name=op.f('fk_referrals_organisation_id_organisations')),
    sa.ForeignKeyConstraint(['receiver_id'], ['managers.id'], name=op.f('fk_referrals_receiver_id_managers')),
    sa.ForeignKeyConstraint(['referrer_id'], ['managers.id'], name=op.f('fk_referrals_referrer_id_managers')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_referrals'))
    )
    with op.batch_alter_table('referrals', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_referrals_branch_id'), ['branch_id'], unique=False)
        batch_op.create_index('ix_referrals_receiver_status', ['receiver_id', 'status'], unique=False)
        batch_op.create_index('ix_referrals_referrer_status', ['referrer_id', 'status'], unique=False)
        batch_op.create_index('ix_referrals_status_due', ['status', 'due_at'], unique=False)
        batch_op.create_index('ix_referrals_subject_line', ['subject', 'line', 'created_at'], unique=False)

    op.create_table('trade_relationships',
    sa.Column('id', sa.BigInteger().with_variant(sa.Integer(), 'sqlite'), nullable=False),
    sa.Column('organisation_id', sa.Integer(), nullable=False),
    sa.Column('counterparty_id', sa.Integer(), nullable=False),
    sa.Column('kind', sa.String(length=16), nullable=False),
    sa.Column('monthly_volume', sa.BigInteger(), nullable=True),
    sa.Column('source', sa.String(length=100), nullable=False),
    sa.Column('as_of', sa.Date(), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.CheckConstraint('organisation_id <> counterparty_id', name=op.f('ck_trade_relationships_not_self')),
    sa.ForeignKeyConstraint(['counterparty_id'], ['organisations.id'], name=op.f('fk_trade_relationships_counterparty_id_organisations')),
    sa.ForeignKeyConstraint(['organisation_id'], ['organisations.id'], name=op.f('fk_trade_relationships_organisation_id_organisations')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_trade_relationships')),
    sa.UniqueConstraint('organisation_id', 'counterparty_id', 'kind', name=op.f('uq_trade_relationships_organisation_id'))
    )
    with op.batch_alter_table('trade_relationships', schema=None) as batch_op:
        batch_op.create_index('ix_trade_relationships_counterparty', ['counterparty_id', 'organisation_id'], unique=False)


    op.create_table('chain_leads',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('organisation_id', sa.Integer(), nullable=False),
    sa.Column('key_link_id', sa.Integer(), nullable=False),
    sa.Column('manager_id', sa.Integer(), nullable=True),
    sa.Column('branch_id', sa.Integer(), nullable=False),
    sa.Column('reason', sa.Text(), nullable=False),
    sa.Column('missing', sa.JSON(), nullable=False),
    sa.Column('monthly_volume', sa.BigInteger(), nullable=True),
    sa.Column('status', sa.Enum('new', 'contacted', 'converted', 'lost', name='leadstatus', native_enum=False, length=16), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.Column('due_at', sa.DateTime(), nullable=False),
    sa.Column('contacted_at', sa.DateTime(), nullable=True),
    sa.Column('closed_at', sa.DateTime(), nullable=True),
    sa.Column('reminded_at', sa.DateTime(), nullable=True),
    sa.Column('escalated_at', sa.DateTime(), nullable=True),
    sa.ForeignKeyConstraint(['branch_id'], ['branches.id'], name=op.f('fk_chain_leads_branch_id_branches')),
    sa.ForeignKeyConstraint(['key_link_id'], ['organisations.id'], name=op.f('fk_chain_leads_key_link_id_organisations')),
    sa.ForeignKeyConstraint(['manager_id'], ['managers.id'], name=op.f('fk_chain_leads_manager_id_managers')),
    sa.ForeignKeyConstraint(['organisation_id'], ['organisations.id'], name=op.f('fk_chain_leads_organisation_id_organisations')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_chain_leads'))
    )
    with op.batch_alter_table('chain_leads', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_chain_leads_branch_id'), ['branch_id'], unique=False)
        batch_op.create_index('ix_chain_leads_manager_status', ['manager_id', 'status', 'due_at'], unique=False)
        batch_op.create_index('ix_chain_leads_status_due', ['status', 'due_at'], unique=False)
        batch_op.create_index('uq_chain_leads_open', ['organisation_id'], unique=True, sqlite_where=sa.text("status IN ('new', 'contacted')"), postgresql_where=sa.text("status IN ('new', 'contacted')"))

    op.create_table('organisation_members',
    sa.Column('id', sa.BigInteger().with_variant(sa.Integer(), 'sqlite'), nullable=False),
    sa.Column('organisation_id', sa.Integer(), nullable=False),
    sa.Column('customer_id', sa.Integer(), nullable=False),
    sa.Column('source', sa.String(length=100), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.ForeignKeyConstraint(['customer_id'], ['customers.id'], name=op.f('fk_organisation_members_customer_id_customers')),
    sa.ForeignKeyConstraint(['organisation_id'], ['organisations.id'], name=op.f('fk_organisation_members_organisation_id_organisations')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_organisation_members')),
    sa.UniqueConstraint('organisation_id', 'customer_id', name=op.f('uq_organisation_members_organisation_id'))
    )
    with op.batch_alter_table('organisation_members', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_organisation_members_customer_id'), ['customer_id'], unique=False)


def downgrade() -> None:
    """Revert this revision."""
    with op.batch_alter_table('organisation_members', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_organisation_members_customer_id'))

    op.drop_table('organisation_members')
    with op.batch_alter_table('chain_leads', schema=None) as batch_op:
        batch_op.drop_index('uq_chain_leads_open')
        batch_op.drop_index('ix_chain_leads_status_due')
        batch_op.drop_index('ix_chain_leads_manager_status')
        batch_op.drop_index(batch_op.f('ix_chain_leads_branch_id'))

    op.drop_table('chain_leads')
    with op.batch_alter_table('trade_relationships', schema=None) as batch_op:
        batch_op.drop_index('ix_trade_relationships_counterparty')

    op.drop_table('trade_relationships')
    with op.batch_alter_table('referrals', schema=None) as batch_op:
        batch_op.drop_index('ix_referrals_subject_line')
        batch_op.drop_index('ix_referrals_status_due')
        batch_op.drop_index('ix_referrals_referrer_status')
        batch_op.drop_index('ix_referrals_receiver_status')
        batch_op.drop_index(batch_op.f('ix_referrals_branch_id'))

    op.drop_table('referrals')
    with op.batch_alter_table('organisation_contacts', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_organisation_contacts_customer_id'))

    op.drop_table('organisation_contacts')
    with op.batch_alter_table('organisations', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_organisations_name'))
        batch_op.drop_index(batch_op.f('ix_organisations_market'))
        batch_op.drop_index('ix_organisations_manager_name')
        batch_op.drop_index('ix_organisations_branch_name')

    op.drop_table('organisations')
