"""The customer-service window's count applies across every sender: a campaign's message to a
customer already sent the window's five customer-service messages (by staff's replies or other
campaigns) is suppressed with its reason instead of being refused by the platform (45047), and
a campaign's message counts against staff's replies in the same window."""

from datetime import timedelta

from flask import Flask
from sqlalchemy import select

from bot.worker.campaigns import CampaignSender
from crm_core import services
from crm_core.model.campaigns import CampaignRecipient
from crm_core.model.conversations import (
    Author,
    Conversation,
    ConversationMessage,
    ConversationStatus,
    Delivery,
)
from crm_core.services import campaigns
from crm_core.services.campaigns import sending
from crm_core.unit_of_work import SqlUnitOfWork
from tests.campaigns_support import APPROVER, draft, snapshot
from tests.integration.test_campaign_links import DAY, FOLLOWERS, POLICY, Factory
from tests.integration.test_campaign_links import factory as factory
from tests.sandbox_support import SandboxHandle, api_for
from tests.segments_support import HEAD_OFFICE

CUSTOM_SEND = "/cgi-bin/message/custom/send"


def replied(uow: SqlUnitOfWork, customer_id: int, sends: int) -> int:
    """A conversation in which staff already sent `sends` customer-service replies at DAY."""
    talk = Conversation(customer_id=customer_id, status=ConversationStatus.OPEN, source="test",
                        opened_at=DAY, last_message_at=DAY, last_customer_at=DAY)
    uow.session.add(talk)
    uow.flush()
    uow.session.add_all([ConversationMessage(
        conversation_id=talk.id, at=DAY + timedelta(minutes=n), author=Author.STAFF, kind="text",
        body="您好", delivery=Delivery.CUSTOM) for n in range(sends)])
    return talk.id


def test_the_window_s_count_is_shared_by_campaigns_and_replies(
        app: Flask, factory: Factory, sandbox: SandboxHandle) -> None:
    later = DAY + timedelta(hours=1)
    with SqlUnitOfWork(factory) as uow:
        ids = [services.customer_id_of(uow, openid) for openid in FOLLOWERS]
        assert all(ids)
        replied(uow, ids[0], 5)  # the window's count is spent
        talk = replied(uow, ids[1], 3)
        made = draft(uow, snapshot(uow, now=DAY), now=DAY, channels=("custom",))
        campaigns.submit(uow, HEAD_OFFICE, made, DAY, POLICY)
        campaigns.approve(uow, APPROVER, made, DAY)
        campaigns.start(uow, APPROVER, made, DAY)
        uow.commit()
    for openid in FOLLOWERS:
        sandbox.act(openid, "message")  # the platform's own window opens
    # Not a failure test: a fresh sandbox's first answer may take longer than 0.3 s.
    CampaignSender(lambda: SqlUnitOfWork(factory), api_for(sandbox, timeout=5.0), POLICY,
                   clock=lambda: later).run()
    sent_to = {request["json"]["touser"] for request in sandbox.requests(CUSTOM_SEND)}
    assert sent_to == set(FOLLOWERS[1:])
    with SqlUnitOfWork(factory) as uow:
        rows = dict(uow.session.execute(select(
            CampaignRecipient.customer_id, CampaignRecipient.reason).where(
            CampaignRecipient.campaign_id == made)).tuples().all())
        assert rows[ids[0]] == "window_count" and rows[ids[1]] is None
        # Staff's next reply to the second customer sees the campaign's message in the count.
        assert uow.conversations.custom_sends_since(talk, DAY) == 4
        assert sending.claim_custom(uow, made, later, timedelta(hours=48)) is None
