"""classification: the dimension catalogue (seeded), monthly values, import batches, bank
customer keys, customers not yet on WeChat, staff tags

Revision ID: 0016
Revises: 0015
Create Date: 2026-12-02

The catalogue's rows are written here as they stood at this revision; head office edits the
descriptive fields and thresholds later (audited), so they are data, not code.
"""

from collections.abc import Sequence
from datetime import datetime

import sqlalchemy as sa
from alembic import op


revision: str = '0016'
down_revision: str | None = '0015'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

TIER_SETTINGS = {
    # Lower bound of each tier in yuan of 月日均 AUM; 大众 (mass) is everything below 潜力.
    'thresholds': {'potential': 50000, 'affluent': 200000, 'vip': 500000,
                   'private': 6000000},
    'down_after_months': 3,
    'private_down_after_months': 6,
}
LIFECYCLE_SETTINGS = {'new_months': 3, 'trend_months': 3, 'trend_ratio': 0.1,
                      'dormant_days': 90, 'lost_days': 180}
# code, name, definition, standard, coverage, source, profiling, kind, settings
CATALOGUE = [
    ('tier', '资产层级', '按客户在本行的月日均金融资产划分的层级：大众、潜力、富裕、贵宾、私行。',
     '月日均资产：大众 <5万，潜力 5万–20万，富裕 20万–50万，贵宾 50万–600万，私行 ≥600万；'
     '达到更高层级的次月升级，连续 3 个月（私行 6 个月）低于当前层级方降级。',
     '有月日均资产数据的已关注客户。', 'derived', True, 'label', TIER_SETTINGS),
    ('aum', '月日均资产', '客户在本行各类金融资产的月日均余额（元）。',
     '行内客户分类系统的月度余额提取（导入“月日均资产”），按月存放。',
     '导入文件中能与关注者匹配的客户。', 'imported', True, 'amount', {}),
    ('lifecycle', '生命周期', '客户与本行关系所处阶段：新客、成长、成熟、衰退、休眠、流失。',
     '由近几个月月日均资产走势与互动活跃度推算：关注不满 3 个月为新客；资产三个月升 10% 以上为成长、'
     '降 10% 以上为衰退，其余为成熟；90 天无互动为休眠，180 天无互动为流失。',
     '所有已关注客户。', 'derived', True, 'label', LIFECYCLE_SETTINGS),
    ('medium', '介质', '客户持有的本行介质：借记卡、信用卡、社保卡等。',
     '行内介质提取（导入“介质”）中的介质类型代码。',
     '导入文件中能与关注者匹配的客户。', 'imported', False, 'label', {}),
    ('employer', '单位', '客户的工作单位或代发工资单位。',
     '行内代发提取（导入“代发单位”）中的单位名称。',
     '代发工资客户及登记了单位的客户。', 'imported', False, 'label', {}),
    ('group', '特定客户群', '总行导入的特定客户群名单，如新市民、商户、代发客户、老年客户、学生。',
     '按名单导入，每月一版；客户当前所属名单以该名单最新月份为准。',
     '名单中能与关注者匹配的客户。', 'imported', True, 'label', {}),
    ('holding', '产品持有', '客户持有的产品大类及余额，反映交叉销售深度。',
     '行内持仓提取（导入“产品持有”）中的产品大类代码与余额。',
     '持有本行产品且能与关注者匹配的客户。', 'imported', True, 'label', {}),
    ('channel', '渠道', '客户接触本行的渠道：手机银行月活、公众号 30/90/180 天活跃、来源二维码、网点与活动。',
     '查询时由互动记录、扫码来源与归属网点计算，不单独存放。',
     '所有已关注客户。', 'derived', False, 'label', {'windows_days': [30, 90, 180]}),
    ('interest', '兴趣', '客户询问、分享或预约过的产品大类。',
     '查询时由产品询问、分享与预约记录计算，不单独存放。',
     '有过产品互动的客户。', 'derived', True, 'label', {}),
    ('risk', '风险等级', '客户的风险承受能力等级及有效期。',
     '查询时取适当性评估记录中未过期的最新等级。',
     '做过风险评估的客户。', 'derived', False, 'label', {}),
    ('tag', '员工标签', '客户经理或网点负责人给本人权限内客户打的标签。',
     '员工在客户页添加或删除，全部留痕。', '员工权限内的客户。', 'staff', False, 'label', {}),
]


def upgrade() -> None:
    """Apply this revision."""
    dimensions = op.create_table('dimensions',
    sa.Column('code', sa.String(length=32), nullable=False),
    sa.Column('name', sa.String(length=32), nullable=False),
    sa.Column('definition', sa.Text(), nullable=False),
    sa.Column('standard', sa.Text(), nullable=False),
    sa.Column('coverage', sa.Text(), nullable=False),
    sa.Column('source', sa.String(length=16), nullable=False),
    sa.Column('profiling', sa.Boolean(), nullable=False),
    sa.Column('kind', sa.String(length=16), nullable=False),
    sa.Column('settings', sa.JSON(), nullable=False),
    sa.Column('updated_at', sa.DateTime(), nullable=False),
    sa.Column('updated_by', sa.String(length=64), nullable=True),
    sa.PrimaryKeyConstraint('code', name=op.f('pk_dimensions'))
    )
    op.create_table('classification_batches',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('kind', sa.String(length=16), nullable=False),
    sa.Column('list_name', sa.String(length=64), nullable=True),
    sa.Column('month', sa.Date(), nullable=False),
    sa.Column('filename', sa.String(length=255), nullable=False),
    sa.Column('sha256', sa.String(length=64), nullable=False),
    sa.Column('rows', sa.Integer(), nullable=False),
    sa.Column('matched', sa.Integer(), nullable=False),
    sa.Column('unmatched', sa.Integer(), nullable=False),
    sa.Column('staff', sa.String(length=64), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_classification_batches'))
    )
    op.create_table('customer_keys',
    sa.Column('key_hash', sa.String(length=64), nullable=False),
    sa.Column('customer_id', sa.Integer(), nullable=False),
    sa.Column('source', sa.String(length=16), nullable=False),
    sa.Column('recorded_by', sa.String(length=64), nullable=False),
    sa.Column('recorded_at', sa.DateTime(), nullable=False),
    sa.ForeignKeyConstraint(['customer_id'], ['customers.id'],
                            name=op.f('fk_customer_keys_customer_id_customers')),
    sa.PrimaryKeyConstraint('key_hash', name=op.f('pk_customer_keys'))
    )
    op.create_index(op.f('ix_customer_keys_customer_id'), 'customer_keys', ['customer_id'],
                    unique=False)
    op.create_table('customer_tags',
    sa.Column('customer_id', sa.Integer(), nullable=False),
    sa.Column('tag', sa.String(length=32), nullable=False),
    sa.Column('tagged_by', sa.String(length=64), nullable=False),
    sa.Column('tagged_at', sa.DateTime(), nullable=False),
    sa.ForeignKeyConstraint(['customer_id'], ['customers.id'],
                            name=op.f('fk_customer_tags_customer_id_customers')),
    sa.PrimaryKeyConstraint('customer_id', 'tag', name=op.f('pk_customer_tags'))
    )
    op.create_index('ix_customer_tags_tag_customer', 'customer_tags', ['tag', 'customer_id'],
                    unique=False)
    op.create_table('dimension_values',
    sa.Column('customer_id', sa.Integer(), nullable=False),
    sa.Column('dimension', sa.String(length=32), nullable=False),
    sa.Column('month', sa.Date(), nullable=False),
    sa.Column('value', sa.String(length=64), nullable=False),
    sa.Column('amount', sa.Numeric(precision=18, scale=2), nullable=True),
    sa.Column('batch_id', sa.Integer(), nullable=True),
    sa.ForeignKeyConstraint(['batch_id'], ['classification_batches.id'],
                            name=op.f('fk_dimension_values_batch_id_classification_batches')),
    sa.ForeignKeyConstraint(['customer_id'], ['customers.id'],
                            name=op.f('fk_dimension_values_customer_id_customers')),
    sa.ForeignKeyConstraint(['dimension'], ['dimensions.code'],
                            name=op.f('fk_dimension_values_dimension_dimensions')),
    sa.PrimaryKeyConstraint('customer_id', 'dimension', 'month', 'value',
                            name=op.f('pk_dimension_values'))
    )
    op.create_index('ix_dimension_values_amount', 'dimension_values',
                    ['dimension', 'month', 'amount'], unique=False)
    op.create_index('ix_dimension_values_lookup', 'dimension_values',
                    ['dimension', 'month', 'value', 'customer_id'], unique=False)
    op.create_table('offline_prospects',
    sa.Column('id', sa.BigInteger().with_variant(sa.Integer(), 'sqlite'), nullable=False),
    sa.Column('batch_id', sa.Integer(), nullable=False),
    sa.Column('key_hash', sa.String(length=64), nullable=False),
    sa.Column('masked_phone', sa.String(length=16), nullable=True),
    sa.Column('branch_id', sa.Integer(), nullable=True),
    sa.Column('kind', sa.String(length=16), nullable=False),
    sa.Column('month', sa.Date(), nullable=False),
    sa.ForeignKeyConstraint(['batch_id'], ['classification_batches.id'],
                            name=op.f('fk_offline_prospects_batch_id_classification_batches')),
    sa.ForeignKeyConstraint(['branch_id'], ['branches.id'],
                            name=op.f('fk_offline_prospects_branch_id_branches')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_offline_prospects'))
    )
    op.create_index(op.f('ix_offline_prospects_batch_id'), 'offline_prospects', ['batch_id'],
                    unique=False)
    op.create_index(op.f('ix_offline_prospects_branch_id'), 'offline_prospects', ['branch_id'],
                    unique=False)
    _seed(dimensions)


def _seed(dimensions: sa.Table) -> None:
    at = datetime(2026, 12, 2)
    keys = ('code', 'name', 'definition', 'standard', 'coverage', 'source', 'profiling',
            'kind', 'settings')
    op.bulk_insert(dimensions, [dict(zip(keys, row, strict=True)) | {'updated_at': at}
                                for row in CATALOGUE])


def downgrade() -> None:
    """Revert this revision."""
    op.drop_index(op.f('ix_offline_prospects_branch_id'), table_name='offline_prospects')
    op.drop_index(op.f('ix_offline_prospects_batch_id'), table_name='offline_prospects')
    op.drop_table('offline_prospects')
    op.drop_index('ix_dimension_values_lookup', table_name='dimension_values')
    op.drop_index('ix_dimension_values_amount', table_name='dimension_values')
    op.drop_table('dimension_values')
    op.drop_index('ix_customer_tags_tag_customer', table_name='customer_tags')
    op.drop_table('customer_tags')
    op.drop_index(op.f('ix_customer_keys_customer_id'), table_name='customer_keys')
    op.drop_table('customer_keys')
    op.drop_table('classification_batches')
    op.drop_table('dimensions')
