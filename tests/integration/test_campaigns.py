"""A campaign's life: drafted, submitted with its audience planned, approved by a second
person with the right role, sent, paused, cancelled; every refusal says why in Chinese; a
customer who replied "退订" is suppressed with the reason stored."""

from datetime import timedelta

import pytest
from flask import Flask
from sqlalchemy import select

from bot import refusals
from bot.wechat.simulator import Platform
from crm_core import services
from crm_core.model import StaffRole
from crm_core.model.campaigns import CampaignRecipient, CampaignState
from crm_core.services import campaigns
from crm_core.services.campaigns import sending, tasks
from crm_core.unit_of_work import SqlUnitOfWork
from tests.builders import text_xml
from tests.campaigns_support import APPROVER, DAY, TEXT, draft, snapshot
from tests.campaigns_support import people as people
from tests.campaigns_support import uow as uow
from tests.conftest import runtime
from tests.integration.test_binding_and_leads import say
from tests.segments_support import HEAD_OFFICE, Population, populate_segments

POLICY = campaigns.ContactPolicy()
HOUR = timedelta(hours=1)




def refused(call: object, *args: object) -> str:
    with pytest.raises(campaigns.CampaignRefused) as caught:
        call(*args)  # type: ignore[operator]
    return refusals.explain(caught.value)


def test_a_campaign_goes_from_draft_to_approval_to_sending_with_four_eyes(
        uow: SqlUnitOfWork, people: Population) -> None:
    campaign_id = draft(uow, snapshot(uow, now=DAY), now=DAY)
    figures = campaigns.submit(uow, HEAD_OFFICE, campaign_id, DAY, POLICY)
    assert figures["planned"] == 7 and figures["suppressed:no_route"] == 1
    assert "不能审批自己起草的活动" in refused(campaigns.approve, uow, HEAD_OFFICE, campaign_id,
                                               DAY)
    branch_head = people.branch_head("SH001")
    assert "找不到这个营销活动" in refused(campaigns.approve, uow, branch_head, campaign_id, DAY)
    assert campaigns.approve(uow, APPROVER, campaign_id, DAY).state is CampaignState.APPROVED
    campaigns.start(uow, APPROVER, campaign_id, DAY)
    assert "不会重复发送" in refused(campaigns.start, uow, APPROVER, campaign_id, DAY)


def test_a_branch_campaign_is_approved_by_its_branch_head_not_by_head_office(
        uow: SqlUnitOfWork, people: Population) -> None:
    head = people.branch_head("SH001")
    deputy = head.__class__(7, "deputy-SH001", "副负责人", StaffRole.BRANCH_HEAD, None,
                            head.branch_id)
    campaign_id = draft(uow, snapshot(uow, head, now=DAY), head, now=DAY)
    campaigns.submit(uow, head, campaign_id, DAY, POLICY)
    assert "须由本网点负责人审批" in refused(campaigns.approve, uow, APPROVER, campaign_id, DAY)
    assert campaigns.approve(uow, deputy, campaign_id, DAY).approver == "deputy-SH001"


def test_a_snapshot_from_another_scope_is_refused(
        uow: SqlUnitOfWork, people: Population) -> None:
    network = snapshot(uow, now=DAY)
    head = people.branch_head("SH002")
    assert "不属于本活动的范围" in refused(draft, uow, network, head, DAY)
    theirs = snapshot(uow, people.branch_head("SH001"), now=DAY)
    assert "不属于本活动的范围" in refused(draft, uow, theirs, head, DAY)


@pytest.mark.parametrize(("fields", "says"), [
    ({"content": "好" * 700}, "超过微信文本消息的长度上限"),
    ({"content": "本产品保本保息，欢迎咨询"}, "禁用表述“保本”"),
    ({"content": "新品理财发售", "product_risk": 3}, "理财非存款、产品有风险、投资须谨慎"),
    ({"channels": ("template",)}, "模板消息只能用于服务通知"),
    ({"control_share": 80}, "对照组比例"),
])
def test_bad_content_and_channels_are_refused_with_the_reason(
        uow: SqlUnitOfWork, people: Population, fields: dict[str, object], says: str) -> None:
    taken = snapshot(uow, now=DAY)
    assert says in refused(lambda: draft(uow, taken, now=DAY, **fields))


def test_an_audience_left_empty_by_the_policy_cannot_be_submitted(
        uow: SqlUnitOfWork, people: Population) -> None:
    for openid in people.ids:
        campaigns.opt_out(uow, openid, DAY)
    campaign_id = draft(uow, snapshot(uow, now=DAY), now=DAY)
    assert "没有可触达的客户" in refused(campaigns.submit, uow, HEAD_OFFICE, campaign_id, DAY,
                                        POLICY)


def test_a_cancelled_campaign_cannot_be_resumed(
        uow: SqlUnitOfWork, people: Population) -> None:
    campaign_id = draft(uow, snapshot(uow, now=DAY), now=DAY)
    campaigns.submit(uow, HEAD_OFFICE, campaign_id, DAY, POLICY)
    campaigns.approve(uow, APPROVER, campaign_id, DAY)
    campaign = campaigns.start(uow, APPROVER, campaign_id, DAY)
    campaigns.pause(uow, "admin", campaign, DAY, "staff")
    assert campaigns.resume(uow, HEAD_OFFICE, campaign_id, DAY).state is CampaignState.SENDING
    campaigns.cancel(uow, HEAD_OFFICE, campaign_id, DAY)
    assert "已取消的活动不能恢复发送" in refused(campaigns.resume, uow, HEAD_OFFICE,
                                                campaign_id, DAY)


def test_td_then_a_campaign_suppresses_the_customer_with_the_reason_stored(
        app: Flask, platform: Platform) -> None:
    with runtime(app).uow() as uow:
        people = populate_segments(uow, DAY)
        uow.commit()
    assert "已为您退订营销消息" in say(app, platform, text_xml("p1", "TD"))
    assert "已恢复接收营销消息" in say(app, platform, text_xml("p1", "订阅"))
    assert "无需重新订阅" in say(app, platform, text_xml("p1", "订阅"))
    assert "已为您退订营销消息" in say(app, platform, text_xml("p1", "退订"))
    with runtime(app).uow() as uow:
        campaign_id = draft(uow, snapshot(uow, now=DAY), now=DAY)
        campaigns.submit(uow, HEAD_OFFICE, campaign_id, DAY, POLICY)
        row = uow.session.execute(select(CampaignRecipient.status, CampaignRecipient.reason)
                                  .where(CampaignRecipient.customer_id == people.ids["p1"])).one()
    assert (row.status.value, row.reason) == ("suppressed", "opt_out")


def test_a_customer_wechat_cannot_reach_becomes_a_call_for_their_manager_with_the_outcome(
        uow: SqlUnitOfWork, people: Population) -> None:
    campaign_id = draft(uow, snapshot(uow, now=DAY), now=DAY, channels=("mass", "task"))
    campaigns.submit(uow, HEAD_OFFICE, campaign_id, DAY, POLICY)
    campaigns.approve(uow, APPROVER, campaign_id, DAY)
    campaigns.start(uow, APPROVER, campaign_id, DAY)
    sending.finish_if_done(uow, campaign_id, DAY)
    manager = people.manager("SH001-02")
    listed = tasks.manager_tasks(uow, manager)
    assert [(task.customer_id, task.script) for task in listed] == [(people.ids["p4"], TEXT)]
    assert tasks.manager_tasks(uow, people.manager("SH001-01")) == []
    assert "不是您名下客户的任务" in refused(tasks.record_outcome, uow, people.manager("SH001-01"),
                                           campaign_id, people.ids["p4"], "reached", DAY, HOUR)
    tasks.record_outcome(uow, manager, campaign_id, people.ids["p4"], "interested", DAY, HOUR)
    sources = [lead["source"] for lead in services.list_leads(uow, None, None, 10)]
    assert f"campaign:{campaign_id}" in sources
    tasks.record_outcome(uow, manager, campaign_id, people.ids["p4"], "do_not_contact", DAY,
                         HOUR)
    assert uow.contacts.block(people.ids["p4"], "dnc") is not None


def test_follows_through_the_campaign_s_qr_scene_are_credited_to_it(
        uow: SqlUnitOfWork, people: Population) -> None:
    campaign_id = draft(uow, snapshot(uow, now=DAY), now=DAY)
    scene = campaigns.campaign_report(uow, HEAD_OFFICE, campaign_id)["scene"]
    assert scene == f"c:CMP{campaign_id}"
    services.follow(uow, "o" + "q" * 27, f"b:SH001;{scene}", DAY)
    services.follow(uow, "o" + "r" * 27, "b:SH001", DAY)
    assert campaigns.campaign_report(uow, HEAD_OFFICE, campaign_id)["touches"] == {"follow": 1}
