"""refused imports are kept as batches; mobile banking is part of 渠道

Revision ID: 0026
Revises: 0025
Create Date: 2026-12-02

A refused extract (any bad row, nothing applied) is now stored as a batch with status
`refused`, its error count and its first row errors (masked), so head office sees every
attempt in the import history. Mobile-banking activity leaves the catalogue as a dimension of
its own and becomes part of 渠道 (its values stay stored monthly under `mobile`); saved
segments that named `mobile` are rewritten as 渠道 conditions (`mobile:active`).
"""

import json
from collections.abc import Sequence
from datetime import datetime
from typing import Any

import sqlalchemy as sa
from alembic import op


revision: str = '0026'
down_revision: str | None = '0025'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

OLD_STANDARD = '查询时由互动记录、扫码来源与归属网点计算，不单独存放。'
NEW_STANDARD = ('公众号 30/90/180 天活跃、来源二维码、网点与活动：查询时由互动记录与扫码来源计算。'
                '手机银行月活：行内手机银行活跃提取（导入“手机银行活跃”）中该月填“是”；'
                '最近登录月份：已导入月份中客户最近一次月活的月份。')
MOBILE = {
    'code': 'mobile', 'name': '手机银行', 'kind': 'label', 'source': 'imported',
    'definition': '客户当月是否使用本行手机银行（月活），以及当月手机银行交易笔数。',
    'standard': '行内手机银行活跃提取（导入“手机银行活跃”）：手机银行月活填“是/否”，'
                '交易笔数为当月笔数；月活记为“活跃”，否则为“不活跃”。',
    'coverage': '导入文件中能与关注者匹配的客户。', 'profiling': False, 'settings': {},
    'updated_at': datetime(2026, 12, 2)}


def upgrade() -> None:
    """Apply this revision."""
    with op.batch_alter_table('classification_batches') as batch:
        batch.add_column(sa.Column('status', sa.String(length=16), nullable=False,
                                   server_default='accepted'))
        batch.add_column(sa.Column('error_count', sa.Integer(), nullable=False,
                                   server_default='0'))
        batch.add_column(sa.Column('errors', sa.JSON(), nullable=True))
    _standard(OLD_STANDARD, NEW_STANDARD)
    op.execute("DELETE FROM dimensions WHERE code = 'mobile'")
    _rewrite_segments(_to_channel)


def downgrade() -> None:
    """Revert this revision."""
    _rewrite_segments(_to_mobile)
    types = {'settings': sa.JSON(), 'profiling': sa.Boolean(), 'updated_at': sa.DateTime()}
    dimensions = sa.table('dimensions', *(sa.column(name, types.get(name)) for name in MOBILE))
    op.bulk_insert(dimensions, [MOBILE])
    _standard(NEW_STANDARD, OLD_STANDARD)
    op.execute("DELETE FROM classification_batches WHERE status = 'refused'")
    with op.batch_alter_table('classification_batches') as batch:
        batch.drop_column('errors')
        batch.drop_column('error_count')
        batch.drop_column('status')


def _standard(old: str, new: str) -> None:
    # Only the words as shipped: a head office rewording is theirs to keep.
    op.get_bind().execute(sa.text(
        "UPDATE dimensions SET standard = :new WHERE code = 'channel' AND standard = :old"),
        {'new': new, 'old': old})


def _rewrite_segments(change: Any) -> None:
    bind = op.get_bind()
    for segment_id, raw in bind.execute(sa.text('SELECT id, rule FROM segments')).all():
        rule = json.loads(raw) if isinstance(raw, str) else raw
        rewritten = _walk(rule, change)
        if rewritten != rule:
            bind.execute(sa.text('UPDATE segments SET rule = :rule WHERE id = :id').bindparams(
                sa.bindparam('rule', type_=sa.JSON())), {'rule': rewritten, 'id': segment_id})


def _walk(node: Any, change: Any) -> Any:
    if isinstance(node, list):
        return [_walk(part, change) for part in node]
    if not isinstance(node, dict):
        return node
    if 'dim' in node:
        return change(node)
    return {key: _walk(value, change) for key, value in node.items()}


def _to_channel(condition: dict[str, Any]) -> Any:
    if condition.get('dim') != 'mobile':
        return condition
    value = condition.get('value')
    values = [f'mobile:{v}' for v in (value if isinstance(value, list) else [value])]
    negated = condition.get('op') in ('ne', 'not_in')
    found = {'dim': 'channel', 'op': 'in', 'value': values} | (
        {'month': condition['month']} if condition.get('month') else {})
    return {'not': found} if negated else found


def _to_mobile(condition: dict[str, Any]) -> Any:
    value = condition.get('value')
    values = value if isinstance(value, list) else [value]
    if condition.get('dim') != 'channel' or not values or not all(
            isinstance(v, str) and v.startswith('mobile:') for v in values):
        return condition
    codes = [str(v).split(':', 1)[1] for v in values]
    many = condition.get('op') in ('in', 'not_in')
    return {**condition, 'dim': 'mobile', 'value': codes if many else codes[0]}
