"""A campaign sent end to end through the loopback sandbox: batches of the mass send with a
clientmsgid each, a worker killed after a call and restarted (every follower gets the message
exactly once), the quota error pausing the campaign, the quiet hours holding it back, and the
platform's MASSSENDJOBFINISH counts recorded per batch."""

from collections.abc import Iterator, Sequence
from datetime import datetime

import pytest
from flask import Flask
from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

from bot.wechat.api import WeChatApi
from bot.wechat.messages import parse_message
from bot.wechat.simulator import Platform
from bot.worker.campaigns import CampaignSender
from crm_core import services
from crm_core.db import make_engine, make_session_factory
from crm_core.model.campaigns import Campaign, CampaignBatch, CampaignRecipient, CampaignState
from crm_core.services import campaigns
from crm_core.services.campaigns import sending
from crm_core.unit_of_work import SqlUnitOfWork
from sandbox.push import mass_finish_xml
from tests.builders import org
from tests.campaigns_support import APPROVER, draft, snapshot
from tests.conftest import runtime
from tests.integration.test_binding_and_leads import say
from tests.sandbox_support import SandboxHandle, api_for, fake_openid
from tests.segments_support import HEAD_OFFICE

DAY = datetime(2026, 11, 18, 2, 0)  # 10:00 in Beijing
NIGHT = datetime(2026, 11, 18, 14, 30)  # 22:30 in Beijing
FOLLOWERS = [fake_openid(f"campaign-{n}") for n in range(25)]
POLICY = campaigns.ContactPolicy()
LIMITS = sending.Limits(batch_size=10)
MASS_SEND = "/cgi-bin/message/mass/send"
Factory = sessionmaker[Session]


class Killed(BaseException):
    """The worker process dying right after the platform accepted a call."""


class DyingApi:
    """The real client, but the process dies after its first mass send went out."""

    def __init__(self, api: WeChatApi) -> None:
        self.api = api

    def mass_send_text(self, openids: Sequence[str], text: str, client_msg_id: str) -> int:
        self.api.mass_send_text(openids, text, client_msg_id)
        raise Killed


@pytest.fixture
def factory(database_url: str) -> Iterator[Factory]:
    engine = make_engine(database_url)
    yield make_session_factory(engine)
    engine.dispose()


@pytest.fixture
def campaign_id(factory: Factory, sandbox: SandboxHandle) -> int:
    sandbox.follow(*FOLLOWERS)
    with SqlUnitOfWork(factory) as uow:
        org(uow, {"SH001": ["SH001-01"], "SH002": []})
        for openid in FOLLOWERS:
            services.follow(uow, openid, "m:SH001-01", DAY)
        made = draft(uow, snapshot(uow, now=DAY), now=DAY)
        campaigns.submit(uow, HEAD_OFFICE, made, DAY, POLICY)
        campaigns.approve(uow, APPROVER, made, DAY)
        campaigns.start(uow, APPROVER, made, DAY)
        uow.commit()
    return made


def sender(factory: Factory, api: object, at: datetime = DAY) -> CampaignSender:
    return CampaignSender(lambda: SqlUnitOfWork(factory), api,  # type: ignore[arg-type]
                          POLICY, LIMITS, clock=lambda: at)


def mass_received(sandbox: SandboxHandle) -> dict[str, int]:
    return {openid: sum(1 for entry in sandbox.inbox(openid) if entry["kind"] == "mass")
            for openid in FOLLOWERS}


def state_of(factory: Factory, campaign_id: int) -> Campaign:
    with SqlUnitOfWork(factory) as uow:
        campaign = uow.session.get_one(Campaign, campaign_id)
        uow.session.expunge(campaign)
        return campaign


def test_a_campaign_goes_out_in_batches_and_every_follower_gets_it_once(
        factory: Factory, sandbox: SandboxHandle, campaign_id: int) -> None:
    assert sender(factory, api_for(sandbox)).run() == 3  # 10 + 10 + 5 openids
    assert set(mass_received(sandbox).values()) == {1}
    assert state_of(factory, campaign_id).state is CampaignState.DONE
    bodies = [request["json"] for request in sandbox.requests(MASS_SEND)]
    assert [len(body["touser"]) for body in bodies] == [10, 10, 5]
    assert len({body["clientmsgid"] for body in bodies}) == 3


def test_a_worker_killed_after_a_call_and_restarted_sends_nobody_twice(
        factory: Factory, sandbox: SandboxHandle, campaign_id: int) -> None:
    api = api_for(sandbox)
    with pytest.raises(Killed):
        sender(factory, DyingApi(api)).run()
    assert sender(factory, api).run() == 3  # the first batch again (refused: same id), then two
    assert set(mass_received(sandbox).values()) == {1}
    with SqlUnitOfWork(factory) as uow:
        statuses = set(uow.session.scalars(select(CampaignRecipient.status).where(
            CampaignRecipient.campaign_id == campaign_id)))
    assert {status.value for status in statuses} == {"sent"}


def test_the_spent_quota_pauses_the_campaign_and_says_so(
        factory: Factory, sandbox: SandboxHandle, campaign_id: int) -> None:
    sandbox.inject({"path": MASS_SEND, "errcode": 45009})
    sender(factory, api_for(sandbox)).run()
    campaign = state_of(factory, campaign_id)
    assert (campaign.state, campaign.pause_reason) == (CampaignState.PAUSED, "quota_45009")
    assert set(mass_received(sandbox).values()) == {0}


def test_nothing_goes_out_in_the_quiet_hours_and_all_of_it_in_the_morning(
        factory: Factory, sandbox: SandboxHandle, campaign_id: int) -> None:
    assert sender(factory, api_for(sandbox), NIGHT).run() == 0
    assert set(mass_received(sandbox).values()) == {0}
    assert sender(factory, api_for(sandbox)).run() == 3


def test_the_job_finished_event_records_the_counts_of_its_batch(
        factory: Factory, sandbox: SandboxHandle, campaign_id: int) -> None:
    sender(factory, api_for(sandbox)).run()
    with SqlUnitOfWork(factory) as uow:
        first = uow.session.scalars(select(CampaignBatch).order_by(CampaignBatch.id)).first()
        assert first is not None and first.msg_id is not None
        assert sending.mass_job_finished(uow, first.msg_id, 9, 1)
        assert not sending.mass_job_finished(uow, 123456789, 1, 0)
        uow.commit()
        assert (first.status, first.sent, first.failed) == ("finished", 9, 1)


def test_a_lost_answer_is_sent_again_with_the_same_clientmsgid_and_delivered_once(
        factory: Factory, sandbox: SandboxHandle, campaign_id: int) -> None:
    sandbox.inject({"path": MASS_SEND, "delay_seconds": 1.0})
    assert sender(factory, api_for(sandbox)).run() == 1  # the answer never came: stop
    assert sender(factory, api_for(sandbox)).run() == 3
    assert set(mass_received(sandbox).values()) == {1}
    ids = [request["json"]["clientmsgid"] for request in sandbox.requests(MASS_SEND)]
    assert ids[0] == ids[1] and len(set(ids)) == 3


def test_the_masssendjobfinish_event_parses_its_counts() -> None:
    xml = ("<xml><ToUserName>gh_1</ToUserName><FromUserName>o1</FromUserName>"
           "<CreateTime>1</CreateTime><MsgType>event</MsgType><Event>MASSSENDJOBFINISH</Event>"
           "<MsgID>1000001</MsgID><Status>send success</Status><TotalCount>10</TotalCount>"
           "<SentCount>9</SentCount><ErrorCount>1</ErrorCount></xml>")
    message = parse_message(xml)
    assert (message.kind, message.msg_id, message.sent_count, message.error_count) == \
        ("event:masssendjobfinish", "1000001", 9, 1)


def test_the_sandbox_s_masssendjobfinish_reaches_the_webhook_and_counts_the_batch(
        app: Flask, platform: Platform, sandbox: SandboxHandle) -> None:
    factory = make_session_factory(runtime(app).engine)
    sandbox.follow(*FOLLOWERS)
    with SqlUnitOfWork(factory) as uow:
        org(uow, {"SH001": ["SH001-01"], "SH002": []})
        for openid in FOLLOWERS[:5]:
            services.follow(uow, openid, "m:SH001-01", DAY)
        made = draft(uow, snapshot(uow, now=DAY), now=DAY)
        campaigns.submit(uow, HEAD_OFFICE, made, DAY, POLICY)
        campaigns.approve(uow, APPROVER, made, DAY)
        campaigns.start(uow, APPROVER, made, DAY)
        uow.commit()
    sender(factory, api_for(sandbox)).run()
    with SqlUnitOfWork(factory) as uow:
        batch = uow.session.scalars(select(CampaignBatch)).one()
        assert batch.msg_id is not None
        msg_id = batch.msg_id
    assert say(app, platform, mass_finish_xml("gh_sandbox000000", msg_id, 5, 5, 1)) == ""
    with SqlUnitOfWork(factory) as uow:
        batch = uow.session.scalars(select(CampaignBatch)).one()
        assert (batch.status, batch.sent, batch.failed) == ("finished", 5, 0)
