"""Pure product rules: banned promises, suitability and what each answer must disclose."""

from datetime import date

import pytest

from bot.answers import disclosures_for, rate_label
from crm_core.model import Product
from crm_core.model.compliance import banned_phrase
from crm_core.model.products import Assessment, suitability
from tests.product_support import sample_cards


@pytest.mark.parametrize(("text", "phrase"), [
    ("本产品保证收益，放心购买", "保证收益"), ("保本保息", "保本"), ("无风险稳赚", "无风险"),
    ("预期收益率4.5%", "预期收益率"), ("低风险高回报", "低风险"), ("低门槛起购", "低门槛"),
    ("赎回秒到账", "秒到账"), ("年化高收益", "高收益"),
])
def test_banned_promises_are_found(text: str, phrase: str) -> None:
    assert banned_phrase(text) == phrase


def test_required_wording_non_principal_protected_is_not_a_promise() -> None:
    assert banned_phrase("非保本浮动收益型") is None


def product(category: str, risk: int) -> Product:
    return Product(code="X1", name="x", category=category, risk_level=risk, summary="s")


@pytest.mark.parametrize(("category", "risk", "assessment", "reason"), [
    ("理财", 2, Assessment(3, date(2026, 1, 1), False), None),
    ("理财", 3, Assessment(3, date(2026, 1, 1), False), None),
    ("理财", 4, Assessment(3, date(2026, 1, 1), False), "risk_above_assessment"),
    ("基金", 1, Assessment(None, None, False), "no_assessment"),
    ("保险", 2, Assessment(None, date(2024, 1, 1), True), "assessment_expired"),
    ("存款", 1, Assessment(None, None, False), None),
    ("贷款", 1, Assessment(None, None, False), None),
    ("存款", 2, Assessment(None, None, False), "no_assessment"),  # a structured deposit
])
def test_suitability_never_allows_a_product_above_a_valid_assessment(
        category: str, risk: int, assessment: Assessment, reason: str | None) -> None:
    assert suitability(product(category, risk), assessment) == reason


def test_every_wealth_fund_and_insurance_product_needs_the_risk_disclosure() -> None:
    for card in sample_cards():
        needed = disclosures_for([card])
        assert ("理财非存款、产品有风险、投资须谨慎" in needed) == (card.category in
                                                             ("理财", "基金", "保险"))
        assert ("过往业绩不代表其未来表现" in needed) == bool(card.past_performance)


def test_loans_and_cards_show_an_annual_rate() -> None:
    labels = {card.category: rate_label(card) for card in sample_cards()}
    assert labels["贷款"] == labels["信用卡"] == "年化利率"
    assert labels["理财"] == "业绩比较基准"


def test_the_share_notice_names_customer_product_and_opens_within_the_field_limit() -> None:
    from zoneinfo import ZoneInfo

    from bot.config import NotificationSettings
    from bot.worker.notices import render_notice
    from crm_core.model import NoticeKind

    settings = NotificationSettings(share_opens_template="TPL")
    message = render_notice(NoticeKind.SHARE_OPENS, {
        "customer": "客户…abc123", "product": "睿远一年持有期理财（第二十三期特别纪念版本）增强型",
        "opens": 12, "at": "2026-11-28T08:00:00"}, settings, ZoneInfo("Asia/Shanghai"))
    assert message.data == {"thing1": "客户…abc123",
                            "thing2": "睿远一年持有期理财（第二十三期特别纪念版",
                            "thing3": "被打开12次"}
