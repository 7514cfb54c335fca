"""A customer asks for a person: open (or find) their conversation, route it, tell the one
who answers; while it is open, the customer's messages go to it instead of the bot."""

from dataclasses import dataclass
from datetime import datetime

from crm_core.model import Customer, Direction, NoticeKind
from crm_core.model.conversations import (
    Author,
    Conversation,
    ConversationMessage,
    ConversationStatus,
)
from crm_core.services.conversations.hours import hours_of, next_opening
from crm_core.services.conversations.routing import assign, manager_of, route_for
from crm_core.services.customers import customer_label
from crm_core.services.notices import enqueue_notice
from crm_core.unit_of_work import UnitOfWork


@dataclass(frozen=True)
class Opened:
    """What the customer is told: who answers, and from when if the branch is closed now."""

    conversation_id: int
    answerer: str | None       # the manager's or delegate's name; None: online service
    opens_at: datetime | None  # local time of the next opening; None: open now
    again: bool                # the conversation was open already


def open_conversation(uow: UnitOfWork, openid: str, source: str, now: datetime,
                      timezone: str) -> Opened:
    """Open the customer's conversation (or find the one in progress) and route it."""
    customer = uow.customers.add_if_missing(openid, now, "direct")
    live = uow.conversations.live_of(customer.id)
    again = live is not None
    if live is None:
        live = _new(uow, customer, source, now)
    answerer = live.assignee.display_name if live.assignee else None
    opens = next_opening(hours_of(uow, live.branch_id), now, timezone)
    return Opened(live.id, answerer, opens, again)


def _new(uow: UnitOfWork, customer: Customer, source: str, now: datetime) -> Conversation:
    route = route_for(uow, customer)
    conversation = Conversation(customer=customer, customer_id=customer.id,
                                status=ConversationStatus.WAITING, source=source,
                                branch_id=route.branch_id, opened_at=now, last_message_at=now,
                                last_customer_at=now)
    uow.conversations.add(conversation)
    uow.flush()
    assign(uow, conversation, route.assignee, route.reason, None, now)
    notify_waiting(uow, conversation, now)
    return conversation


def notify_waiting(uow: UnitOfWork, conversation: Conversation, now: datetime) -> None:
    """Tell the manager now holding a conversation that a customer waits (template notice)."""
    manager = manager_of(uow, conversation.assignee)
    if manager is None:
        return  # online service agents watch the queue in the console
    key = f"talk:waiting:{conversation.id}:{conversation.assignee_id}"
    enqueue_notice(uow, key, NoticeKind.TALK_WAITING, manager, {
        "conversation_id": conversation.id,
        "customer": conversation.customer.display_name
        or customer_label(conversation.customer.openid),
        "at": now.isoformat()}, now)


def live_conversation(uow: UnitOfWork, openid: str) -> int | None:
    """Return the id of the customer's conversation in progress, if any."""
    customer = uow.customers.by_openid(openid)
    live = uow.conversations.live_of(customer.id) if customer else None
    return live.id if live else None


def customer_message(uow: UnitOfWork, openid: str, kind: str, body: str,
                     media_id: str | None, now: datetime) -> int | None:
    """Append a customer's message to their conversation in progress; None if there is none."""
    customer = uow.customers.by_openid(openid)
    live = uow.conversations.live_of(customer.id) if customer else None
    if live is None:
        return None
    message = ConversationMessage(conversation_id=live.id, at=now, author=Author.CUSTOMER,
                                  kind=kind, body=body, media_id=media_id)
    uow.conversations.add(message)
    live.last_message_at = live.last_customer_at = now
    uow.flush()
    return message.id


def last_reply_was(uow: UnitOfWork, openid: str, summary: str) -> bool:
    """Say whether the bot's latest reply to the customer is recorded as `summary` (the
    fallback answered twice in a row opens a conversation)."""
    customer = uow.customers.by_openid(openid)
    if customer is None:
        return False
    latest = uow.activity.interactions_of(customer, 5)
    reply = next((i for i in latest if i.direction is Direction.OUT), None)
    return reply is not None and reply.summary == summary
