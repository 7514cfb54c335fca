"""Staff answer: each reply is checked, appended to the transcript and handed to the outbox.

Inside the platform's 48-hour window after the customer's last message, and within the
per-window count, a reply goes out as a customer-service message. Outside it the reply is
kept, and the customer gets one service notice per silence that a reply waits on its page.
The outbox sends each exactly once, in the order written, so two staff replying at once both
get through in order.
"""

from dataclasses import dataclass
from datetime import datetime, timedelta

from crm_core.model import Direction, NoticeKind, Scope
from crm_core.model.compliance import banned_phrase
from crm_core.model.conversations import (
    REPLY_MAX_LENGTH,
    STORED_MEDIA,
    Author,
    Conversation,
    ConversationMessage,
    ConversationRefused,
    ConversationStatus,
    Delivery,
)
from crm_core.services.conversations.access import visible
from crm_core.services.conversations.routing import assign
from crm_core.services.interactions import record_interaction
from crm_core.services.notices import enqueue_customer_notice
from crm_core.unit_of_work import UnitOfWork


@dataclass(frozen=True)
class Window:
    """The platform's customer-service window: its length and how many sends it allows."""

    length: timedelta = timedelta(hours=48)
    sends: int = 5


@dataclass(frozen=True)
class Replied:
    """A reply kept: its id and how it reaches the customer."""

    message_id: int
    delivery: Delivery


def check_reply(body: str) -> str:
    """Return a reply's text, or refuse it: empty, too long, or with a banned promise."""
    text = body.strip()
    if not text or "\x00" in text:
        raise ConversationRefused("empty")
    if len(text) > REPLY_MAX_LENGTH:
        raise ConversationRefused("too_long", str(REPLY_MAX_LENGTH))
    if phrase := banned_phrase(text):
        raise ConversationRefused("banned_phrase", phrase)
    return text


def reply(uow: UnitOfWork, scope: Scope, conversation_id: int, body: str, now: datetime,
          window: Window = Window()) -> Replied:
    """Append a staff reply and queue its delivery (customer-service message or page)."""
    text = check_reply(body)
    conversation = visible(uow, scope, conversation_id)
    if conversation.status is ConversationStatus.CLOSED:
        raise ConversationRefused("closed")
    if conversation.assignee_id is None:  # answering from the queue takes the conversation
        assign(uow, conversation, uow.staff.get(scope.staff_id), "picked", scope.staff_id, now)
    message = ConversationMessage(conversation_id=conversation.id, at=now, author=Author.STAFF,
                                  staff_id=scope.staff_id, kind="text", body=text)
    message.delivery = _delivery(uow, conversation, now, window)
    uow.conversations.add(message)
    uow.flush()
    message.notice_key = _queue(uow, conversation, message, now)
    # The customer's timeline keeps the bank's side too (their side is recorded on arrival).
    record_interaction(uow, conversation.customer.openid, Direction.OUT, "talk_reply", text,
                       now, detail={"conversation_id": conversation.id,
                                    "message_id": message.id, "staff": scope.username})
    _answered(conversation, now)
    return Replied(message.id, message.delivery)


def send_image(uow: UnitOfWork, scope: Scope, conversation_id: int, stored: str, label: str,
               now: datetime, window: Window = Window()) -> Replied:
    """Send an image the channel has stored as a customer-service image message, or keep it
    for the reply page (behind the one service notice) outside the window or past its count."""
    conversation = visible(uow, scope, conversation_id)
    if conversation.status is ConversationStatus.CLOSED:
        raise ConversationRefused("closed")
    if conversation.assignee_id is None:
        assign(uow, conversation, uow.staff.get(scope.staff_id), "picked", scope.staff_id, now)
    message = ConversationMessage(conversation_id=conversation.id, at=now, author=Author.STAFF,
                                  staff_id=scope.staff_id, kind="image", body=label,
                                  media_id=STORED_MEDIA + stored)
    message.delivery = _delivery(uow, conversation, now, window)
    uow.conversations.add(message)
    uow.flush()
    if message.delivery is Delivery.CUSTOM:
        message.notice_key = f"talk:reply:{message.id}"
        enqueue_customer_notice(uow, message.notice_key, NoticeKind.TALK_REPLY,
                                conversation.customer, {"conversation_id": conversation.id,
                                                        "message_id": message.id,
                                                        "image": stored}, now)
    else:
        message.notice_key = _queue(uow, conversation, message, now)
    record_interaction(uow, conversation.customer.openid, Direction.OUT, "talk_reply", label,
                       now, detail={"conversation_id": conversation.id,
                                    "message_id": message.id, "staff": scope.username})
    _answered(conversation, now)
    return Replied(message.id, message.delivery)


def _answered(conversation: Conversation, now: datetime) -> None:
    conversation.status = ConversationStatus.OPEN
    conversation.first_response_at = conversation.first_response_at or now
    conversation.last_message_at = now


def _delivery(uow: UnitOfWork, conversation: Conversation, now: datetime,
              window: Window) -> Delivery:
    since = conversation.last_customer_at
    if now - since >= window.length:
        return Delivery.PAGE
    sent = uow.conversations.custom_sends_since(conversation.id, since)
    return Delivery.CUSTOM if sent < window.sends else Delivery.PAGE


def _queue(uow: UnitOfWork, conversation: Conversation, message: ConversationMessage,
           now: datetime) -> str:
    if message.delivery is Delivery.CUSTOM:
        key = f"talk:reply:{message.id}"
        enqueue_customer_notice(uow, key, NoticeKind.TALK_REPLY, conversation.customer, {
            "conversation_id": conversation.id, "message_id": message.id,
            "text": message.body}, now)
        return key
    # One notice per silence of the customer: later replies wait on the same page.
    key = f"talk:page:{conversation.id}:{conversation.last_customer_at.isoformat()}"
    enqueue_customer_notice(uow, key, NoticeKind.TALK_PAGE, conversation.customer, {
        "conversation_id": conversation.id, "at": now.isoformat()}, now)
    return key


def system_message(uow: UnitOfWork, conversation: Conversation, say: str,
                   now: datetime) -> None:
    """Tell the customer something on the bank's behalf (a rating request), if the window
    allows a customer-service message; recorded in the transcript either way."""
    message = ConversationMessage(conversation_id=conversation.id, at=now,
                                  author=Author.SYSTEM, kind="system", body=say)
    uow.conversations.add(message)
    uow.flush()
    if now - conversation.last_customer_at < Window().length:
        message.delivery = Delivery.CUSTOM
        message.notice_key = f"talk:system:{message.id}"
        enqueue_customer_notice(uow, message.notice_key, NoticeKind.TALK_REPLY,
                                conversation.customer, {
                                    "conversation_id": conversation.id,
                                    "message_id": message.id, "say": say}, now)


@dataclass(frozen=True)
class Card:
    """A product sent from a conversation: the card's words, its tracked link and what was
    shown (product version, disclosures), kept as evidence with the message."""

    title: str
    description: str
    url: str
    evidence: dict[str, object]


def send_card(uow: UnitOfWork, scope: Scope, conversation_id: int, card: Card, now: datetime,
              window: Window = Window()) -> Replied:
    """Send a product card (the channel has passed it through the suitability gate) as a
    customer-service news message, or keep it for the reply page outside the window."""
    conversation = visible(uow, scope, conversation_id)
    if conversation.status is ConversationStatus.CLOSED:
        raise ConversationRefused("closed")
    body = f"{card.title}\n{card.description}\n{card.url}"
    message = ConversationMessage(conversation_id=conversation.id, at=now, author=Author.STAFF,
                                  staff_id=scope.staff_id, kind="news", body=body)
    message.delivery = _delivery(uow, conversation, now, window)
    uow.conversations.add(message)
    uow.flush()
    if message.delivery is Delivery.CUSTOM:
        message.notice_key = f"talk:reply:{message.id}"
        enqueue_customer_notice(uow, message.notice_key, NoticeKind.TALK_REPLY,
                                conversation.customer, {
                                    "conversation_id": conversation.id,
                                    "message_id": message.id, "news": {
                                        "title": card.title, "description": card.description,
                                        "url": card.url}}, now)
    else:
        message.notice_key = _queue(uow, conversation, message, now)
    _answered(conversation, now)
    record_interaction(uow, conversation.customer.openid, Direction.OUT, "talk_card",
                       card.title, now, detail={"conversation_id": conversation.id,
                                                "message_id": message.id, **card.evidence})
    return Replied(message.id, message.delivery)
