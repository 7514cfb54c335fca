"""A manager refers a customer from their own WeChat with a short command through the
webhook; the receiver is told, and a refusal comes back in Chinese."""

import pytest
from flask import Flask

from bot.wechat.simulator import Platform
from crm_core import services
from crm_core.model import NoticeKind, ReferralStatus
from crm_core.services import collaboration
from crm_core.services.organisations import import_contacts, import_organisations
from tests.builders import text_xml
from tests.conftest import runtime
from tests.integration.test_binding_and_leads import bind_code, say
from tests.organisation_support import CONTACTS_CSV, ORGS_CSV, T0, rows, staff_market

MANAGER_WECHAT = "o" + "r" * 27


@pytest.fixture
def market(app: Flask) -> Flask:
    with runtime(app).uow() as uow:
        staff_market(uow, "boss-zhang")
        import_organisations(uow, rows(ORGS_CSV), "orgs.csv", T0)  # type: ignore[arg-type]
        import_contacts(uow, rows(CONTACTS_CSV), "contacts.csv", T0)  # type: ignore[arg-type]
        uow.commit()
    return app


def boss_id(app: Flask) -> int:
    with runtime(app).uow() as uow:
        boss = uow.customers.by_openid("boss-zhang")
        assert boss is not None
        return boss.id


def test_a_bound_manager_refers_their_customer_by_a_short_command(
        market: Flask, platform: Platform) -> None:
    code = bind_code(market, "SH001-01")
    assert "绑定成功" in say(market, platform, text_xml(MANAGER_WECHAT, f"绑定 {code}"))
    answer = say(market, platform,
                 text_xml(MANAGER_WECHAT, f"转介 {boss_id(market)} 对公 开了三家店想办结算"))
    assert answer.startswith("已转介：客户…-zhang → 经理SH001-C1（转介编号 ")
    with runtime(market).uow() as uow:
        referral = collaboration.get_referral(uow, 1)
        assert referral.status is ReferralStatus.SUBMITTED and referral.note == "开了三家店想办结算"
        kinds = [n["kind"] for n in services.list_notices(uow, None, 100)]
    assert kinds.count(NoticeKind.REFERRAL) == 1
    again = say(market, platform, text_xml(MANAGER_WECHAT, f"转介 {boss_id(market)} 对公"))
    assert again.startswith("这位客户（单位）已由经理SH001-01转介到该条线（转介编号 1）")


def test_the_command_is_explained_and_strangers_are_refused(
        market: Flask, platform: Platform) -> None:
    assert say(market, platform, text_xml("o" + "x" * 27, "转介 1 对公")) == \
        "只有绑定了微信的客户经理可以转介客户。"
    code = bind_code(market, "SH001-02")
    say(market, platform, text_xml(MANAGER_WECHAT, f"绑定 {code}"))
    assert "条线为 零售、财富、信贷 或 对公" in say(market, platform,
                                              text_xml(MANAGER_WECHAT, "转介 1 随便"))
    assert say(market, platform, text_xml(MANAGER_WECHAT, f"转介 {boss_id(market)} 对公")) \
        .startswith("只能转介自己名下的客户")
