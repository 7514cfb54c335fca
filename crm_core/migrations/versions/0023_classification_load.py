"""dimension_values loads fast: the primary key leads with dimension and month, and the
per-row foreign keys are gone

Revision ID: 0023
Revises: 0021
Create Date: 2026-12-02

A month of balances is a million rows written at once. Keyed (customer, dimension, month,
value), each row landed on its own customer's leaf across the whole index; keyed (dimension,
month, customer, value), a month's rows fill one end of it in order. The three foreign keys
each ran a check (and locked the customer's row) per inserted row; the rows come only from
joins on customers, the catalogue's codes and the batch of the same transaction. The amount
index keeps only rows with an amount: the tier and lifecycle rows derived with every month of
balances no longer pay for it.

The catalogue gains 手机银行 (mobile-banking activity), imported monthly like the balances.
"""

from collections.abc import Sequence
from datetime import datetime
from typing import Any

import sqlalchemy as sa
from alembic import op


revision: str = '0023'
down_revision: str | None = '0021'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

FOREIGN_KEYS = (('customer_id', 'customers', 'id'), ('dimension', 'dimensions', 'code'),
                ('batch_id', 'classification_batches', 'id'))
NEW_KEY = ['dimension', 'month', 'customer_id', 'value']
OLD_KEY = ['customer_id', 'dimension', 'month', 'value']
_WITH_AMOUNT: dict[str, Any] = {'sqlite_where': sa.text('amount IS NOT NULL'),
                'postgresql_where': sa.text('amount IS NOT NULL')}


MOBILE = {
    'code': 'mobile', 'name': '手机银行', 'kind': 'label', 'source': 'imported',
    'definition': '客户当月是否使用本行手机银行（月活），以及当月手机银行交易笔数。',
    'standard': '行内手机银行活跃提取（导入“手机银行活跃”）：手机银行月活填“是/否”，'
                '交易笔数为当月笔数；月活记为“活跃”，否则为“不活跃”。',
    'coverage': '导入文件中能与关注者匹配的客户。', 'profiling': False, 'settings': {},
    'updated_at': datetime(2026, 12, 2)}


def _name(column: str, table: str) -> str:
    return f'fk_dimension_values_{column}_{table}'


def _shape(key: list[str], references: bool) -> sa.Table:
    # The whole table as it stands after the step (SQLite rebuilds it from this).
    def ref(column: str, table: str, target: str) -> list[sa.ForeignKey]:
        return [sa.ForeignKey(f'{table}.{target}', name=_name(column, table))] \
            if references else []
    refs = {column: ref(column, table, target) for column, table, target in FOREIGN_KEYS}
    return sa.Table(
        'dimension_values', sa.MetaData(),
        sa.Column('customer_id', sa.Integer(), *refs['customer_id'], nullable=False),
        sa.Column('dimension', sa.String(length=32), *refs['dimension'], nullable=False),
        sa.Column('month', sa.Date(), nullable=False),
        sa.Column('value', sa.String(length=64), nullable=False),
        sa.Column('amount', sa.Numeric(precision=18, scale=2), nullable=True),
        sa.Column('batch_id', sa.Integer(), *refs['batch_id'], nullable=True),
        sa.PrimaryKeyConstraint(*key, name='pk_dimension_values'),
        sa.Index('ix_dimension_values_amount', 'dimension', 'month', 'amount',
                 **(_WITH_AMOUNT if key == NEW_KEY else {})),
        sa.Index('ix_dimension_values_lookup', 'dimension', 'month', 'value', 'customer_id'))


def upgrade() -> None:
    """Apply this revision."""
    if op.get_bind().dialect.name == 'sqlite':
        with op.batch_alter_table('dimension_values', recreate='always',
                                  copy_from=_shape(NEW_KEY, references=False)):
            pass
        _add_mobile()
        return
    for column, table, _ in FOREIGN_KEYS:
        op.drop_constraint(_name(column, table), 'dimension_values', type_='foreignkey')
    op.drop_constraint('pk_dimension_values', 'dimension_values', type_='primary')
    op.create_primary_key('pk_dimension_values', 'dimension_values', NEW_KEY)
    _amount_index(_WITH_AMOUNT)
    _add_mobile()


def _add_mobile() -> None:
    types = {'settings': sa.JSON(), 'profiling': sa.Boolean(), 'updated_at': sa.DateTime()}
    dimensions = sa.table('dimensions', *(sa.column(name, types.get(name)) for name in MOBILE))
    op.bulk_insert(dimensions, [MOBILE])


def _amount_index(where: dict[str, Any]) -> None:
    op.drop_index('ix_dimension_values_amount', table_name='dimension_values')
    op.create_index('ix_dimension_values_amount', 'dimension_values',
                    ['dimension', 'month', 'amount'], unique=False, **where)


def downgrade() -> None:
    """Revert this revision."""
    op.execute("DELETE FROM dimension_values WHERE dimension = 'mobile'")
    op.execute("DELETE FROM dimensions WHERE code = 'mobile'")
    if op.get_bind().dialect.name == 'sqlite':
        with op.batch_alter_table('dimension_values', recreate='always',
                                  copy_from=_shape(OLD_KEY, references=True)):
            pass
        return
    _amount_index({})
    op.drop_constraint('pk_dimension_values', 'dimension_values', type_='primary')
    op.create_primary_key('pk_dimension_values', 'dimension_values', OLD_KEY)
    for column, table, target in FOREIGN_KEYS:
        op.create_foreign_key(_name(column, table), 'dimension_values', table, [column],
                              [target])
