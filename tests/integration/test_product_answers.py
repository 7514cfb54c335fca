"""Product answers through the webhook: gates, suitability, disclosures, evidence, leads."""

from datetime import date, timedelta

import pytest
from sqlalchemy import select

from bot.worker.scheduler import record_deferred
from crm_core import services
from crm_core.model import (
    AuditEvent,
    Customer,
    Direction,
    Interaction,
    Lead,
    Notice,
    NoticeKind,
    utcnow,
)
from crm_core.model.products import BORROWING
from tests.builders import event_xml, org, subscribe_xml, text_xml
from tests.conftest import runtime
from tests.product_support import answer_text, import_sample, post, reply_of, rows, sample_cards

RISK = "理财非存款、产品有风险、投资须谨慎"
PAST = "过往业绩不代表其未来表现"


@pytest.fixture
def shop(app, platform):  # type: ignore[no-untyped-def]
    with runtime(app).uow() as uow:
        org(uow, {"SH001": ["SH001-01", "SH001-02"], "SH002": ["SH002-01"]})
        import_sample(uow)
        uow.commit()
    client = app.test_client()
    recent, old = date.today() - timedelta(days=30), date.today() - timedelta(days=800)
    for openid, scene, level, on in [("o-c3", "b:SH001", 3, recent), ("o-c5", "b:SH001", 5,
                                     recent), ("o-old", "b:SH001", 5, old),
                                     ("o-none", "b:SH001", None, None),
                                     ("o-pd", "b:SH002", 3, recent)]:
        post(client, platform, subscribe_xml(openid, scene))
        if level is not None:
            with runtime(app).uow() as uow:
                services.set_risk_level(uow, openid, level, on, "test", utcnow())
                uow.commit()
    return app


def ask(app, platform, openid: str, text: str) -> str:  # type: ignore[no-untyped-def]
    return answer_text(platform, post(app.test_client(), platform, text_xml(openid, text)))


def last_detail(app, openid: str) -> dict:  # type: ignore[no-untyped-def,type-arg]
    record_deferred(runtime(app))  # the worker puts the exchanges on the timelines
    stmt = (select(Interaction.detail).join(Customer, Customer.id == Interaction.customer_id)
            .where(Customer.openid == openid, Interaction.direction == Direction.OUT)
            .order_by(Interaction.id.desc()).limit(1))
    return rows(app, stmt)[0][0]  # type: ignore[no-any-return]


def test_a_category_question_lists_what_is_on_sale_labelled_and_disclosed(shop,
                                                                         platform) -> None:
    answer = ask(shop, platform, "o-c3", "有什么理财产品推荐吗")
    assert answer.startswith("【自动回复】") and RISK in answer
    assert "WM001" in answer and "WM005" not in answer and "WM007" not in answer
    assert "业绩比较基准" in answer and "预期收益" not in answer


def test_a_product_above_the_valid_assessment_is_withheld_with_why_and_how(shop,
                                                                          platform) -> None:
    answer = ask(shop, platform, "o-c3", "详情 FD001")
    assert "R4" in answer and "高于您的风险承受能力" in answer and "网点" in answer
    assert "/s/" not in answer
    detail = rows(shop, select(AuditEvent.detail).where(
        AuditEvent.action == "suitability", AuditEvent.subject == "o-c3")
        .order_by(AuditEvent.id.desc()))[0][0]
    assert detail["decisions"] == [{"code": "FD001", "version": 1, "risk": 4,
                                          "outcome": "risk_above_assessment"}]
    assert detail["customer_level"] == 3


def test_past_performance_in_a_list_names_its_product(shop, platform) -> None:
    answer = ask(shop, platform, "o-c5", "理财")
    assert "睿远一年持有期理财过往业绩：近一年年化3.35%（2025-11至2026-10）" in answer
    assert answer.count("过往业绩：") == 1 and PAST in answer


def test_an_expired_assessment_counts_as_none(shop, platform) -> None:
    expired = ask(shop, platform, "o-old", "理财")
    assert "已超过有效期" in expired and "WM001" not in expired
    missing = ask(shop, platform, "o-none", "基金")
    assert "还没有有效的风险承受能力评估" in missing and "FD003" not in missing
    assert "WM001" in ask(shop, platform, "o-c5", "理财")


def test_deposits_and_loans_need_no_assessment_and_loans_show_the_annual_rate(shop,
                                                                             platform) -> None:
    assert "DP001" in ask(shop, platform, "o-none", "大额存单")
    loans = ask(shop, platform, "o-none", "房贷利率多少")
    assert "LN001" in loans and "年化利率" in loans and RISK not in loans


def test_every_wealth_fund_and_insurance_answer_carries_the_disclosure(shop, platform) -> None:
    for card in sample_cards():
        if card.private_placement or card.code == "WM007":
            continue
        answer = ask(shop, platform, "o-c5", f"详情 {card.code}")
        assert (RISK in answer) == card.investment, (card.code, answer)
        assert (PAST in answer) == bool(card.past_performance), card.code
        if card.category in BORROWING:
            assert "年化利率" in answer


def test_what_was_shown_is_stored_with_the_interaction(shop, platform) -> None:
    ask(shop, platform, "o-c3", "详情 WM003")
    detail = last_detail(shop, "o-c3")
    assert detail["products"] == [{"code": "WM003", "version": 1}]
    assert detail["disclosures"] == [RISK, PAST] and detail["personalised"] is True


def test_an_exact_product_gets_a_news_card_with_a_tracked_link(shop, platform) -> None:
    card = reply_of(platform, post(shop.test_client(), platform,
                                   text_xml("o-c3", "稳盈90天理财")))
    assert card["Title"].startswith("【自动回复】稳盈90天理财")
    assert RISK in card["Description"] and "/s/" in card["Url"]


def test_switching_personalisation_off_gives_generic_answers(shop, platform) -> None:
    assert "已关闭个性化推荐" in ask(shop, platform, "o-c3", "关闭个性化推荐")
    answer = ask(shop, platform, "o-c3", "理财")
    assert "通用结果" in answer and RISK in answer
    assert last_detail(shop, "o-c3")["personalised"] is False
    assert "已开启" in ask(shop, platform, "o-c3", "开启个性化推荐")
    assert "为您找到" in ask(shop, platform, "o-c3", "理财")


def test_off_sale_and_other_branch_products_are_not_offered(shop, platform) -> None:
    assert "DP007" not in ask(shop, platform, "o-c3", "浦东专享定期存款")
    assert "DP007" in ask(shop, platform, "o-pd", "浦东专享定期存款")
    assert "不在销售期" in ask(shop, platform, "o-c5", "详情 WM007")
    private = ask(shop, platform, "o-c5", "详情 WM005")
    assert "仅面向合格投资者" in private and "/s/" not in private


def test_interest_in_a_product_opens_a_lead_and_tells_the_manager(shop, platform) -> None:
    answer = ask(shop, platform, "o-c3", "我要预约 wm001")
    assert "稳盈90天理财" in answer and "SH001支行" in answer
    assert rows(shop, select(Lead.product_code, Lead.source)) == [("WM001", "product_interest")]
    payloads = rows(shop, select(Notice.payload).where(Notice.kind == NoticeKind.NEW_LEAD))
    assert [p["product"] for (p,) in payloads] == ["WM001"]
    assert "已经收到" in ask(shop, platform, "o-c3", "我要预约 WM001")


def test_unanswerable_questions_get_a_fallback_offering_the_manager(shop, platform) -> None:
    answer = ask(shop, platform, "o-c3", "你们有股票产品吗")
    assert "没有找到" in answer and "联系客户经理" in answer
    assert "我的客户经理" in ask(shop, platform, "o-c3", "你好")  # the help text stays
    assert "经理SH001" in ask(shop, platform, "o-c3", "我的客户经理")


def test_a_product_menu_click_lists_its_category(shop, platform) -> None:
    answer = answer_text(platform, post(shop.test_client(), platform,
                                        event_xml("o-c3", "CLICK", "PRODUCTS_LOAN")))
    assert "LN001" in answer and "年化利率" in answer


def test_an_import_is_answered_from_at_the_next_question(shop, platform) -> None:
    assert "WM901" not in ask(shop, platform, "o-c5", "金秋专享理财")
    header = "code,name,category,risk,rate,term,summary\n"
    rows = services.read_rows(header + "WM901,金秋专享理财,理财,R2,2.60%-3.10%,120天,秋季发行。\n",
                              "csv", "product")
    with runtime(shop).uow() as uow:  # as `branchlink products import` from another process
        services.import_products(uow, rows, "autumn.csv", utcnow())
        uow.commit()
    assert "WM901" in ask(shop, platform, "o-c5", "金秋专享理财")
    catalogue = runtime(shop).inbound.policy.catalogue
    with runtime(shop).uow() as uow:
        index = catalogue.get(uow)
    with runtime(shop).uow() as uow:  # unchanged rows are no change: the index is kept
        services.import_products(uow, rows, "autumn.csv", utcnow())
        uow.commit()
    with runtime(shop).uow() as uow:
        assert catalogue.get(uow) is index
