"""Conversations: a customer asked for a person, and a manager or an online agent answers.

A conversation is routed to the customer's own manager when they are at work and online, to
the delegate a manager named while on leave, or else to the online service queue of the
manager's branch (or the network's). Its messages are an append-only record: staff notes sit
beside them, never among them. Replies reach the customer inside the platform's 48-hour
window as customer-service messages; outside it, the reply is kept and one service notice
links to a page that shows it.
"""

import enum
from datetime import datetime

from sqlalchemy import ForeignKey, Index, String, Text, text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from crm_core.model.base import Base, BigId, str_enum, utcnow
from crm_core.model.customer import Customer
from crm_core.model.org import Branch
from crm_core.model.staff import StaffAccount

REPLY_MAX_LENGTH = 600  # one chat message: a few paragraphs (the platform takes 2048 bytes)
RATINGS = range(1, 6)
# A staff image's `media_id`: the channel's stored file, uploaded to the platform when sent.
STORED_MEDIA = "stored:"


class ConversationStatus(enum.StrEnum):
    """Where a conversation stands."""

    WAITING = "waiting"  # nobody on the bank's side has answered yet
    OPEN = "open"        # staff answered; it goes on
    CLOSED = "closed"


class Author(enum.StrEnum):
    """Who wrote a message of the transcript."""

    CUSTOMER = "customer"
    STAFF = "staff"
    SYSTEM = "system"


class Delivery(enum.StrEnum):
    """How a staff message reaches the customer."""

    CUSTOM = "custom"  # a customer-service message inside the 48-hour window
    PAGE = "page"      # kept for the reply page; the customer got a service notice


class Presence(enum.StrEnum):
    """What a manager or agent told the console about themselves."""

    ONLINE = "online"
    BUSY = "busy"
    AWAY = "away"


class ConversationRefused(ValueError):
    """A staff action a rule refused: `code` names it, `detail` what a sentence shows."""

    def __init__(self, code: str, detail: str = "") -> None:
        super().__init__(f"{code}: {detail}" if detail else code)
        self.code = code
        self.detail = detail


LIVE_STATUSES = (ConversationStatus.WAITING, ConversationStatus.OPEN)
_LIVE = "status IN ('waiting', 'open')"


class Conversation(Base):
    """One customer's request for a person, from opening to close (and rating)."""

    __tablename__ = "conversations"
    __table_args__ = (
        # One conversation in progress per customer, whatever the isolation level.
        Index("uq_conversations_live_customer", "customer_id", unique=True,
              sqlite_where=text(_LIVE), postgresql_where=text(_LIVE)),
        Index("ix_conversations_assignee_status", "assignee_id", "status", "last_message_at"),
        Index("ix_conversations_queue", "status", "branch_id", "opened_at"),
    )

    id: Mapped[int] = mapped_column(BigId, primary_key=True)
    customer_id: Mapped[int] = mapped_column(ForeignKey("customers.id"), index=True)
    status: Mapped[ConversationStatus] = mapped_column(str_enum(ConversationStatus))
    source: Mapped[str] = mapped_column(String(32))
    # Who answers (None: waiting in the queue of `branch_id`, or the network's when None).
    assignee_id: Mapped[int | None] = mapped_column(ForeignKey("staff_accounts.id"))
    branch_id: Mapped[int | None] = mapped_column(ForeignKey("branches.id"))
    opened_at: Mapped[datetime] = mapped_column(default=utcnow)
    last_message_at: Mapped[datetime] = mapped_column(default=utcnow)
    # The customer's last message opens the platform's 48-hour reply window.
    last_customer_at: Mapped[datetime] = mapped_column(default=utcnow)
    first_response_at: Mapped[datetime | None]
    escalated_at: Mapped[datetime | None]
    closed_at: Mapped[datetime | None]
    rating: Mapped[int | None]
    rated_at: Mapped[datetime | None]

    customer: Mapped[Customer] = relationship()
    assignee: Mapped[StaffAccount | None] = relationship()
    branch: Mapped[Branch | None] = relationship()


class ConversationMessage(Base):
    """One message of a transcript, written once and never changed but for its delivery."""

    __tablename__ = "conversation_messages"
    __table_args__ = (Index("ix_conversation_messages_conv_id", "conversation_id", "id"),)

    id: Mapped[int] = mapped_column(BigId, primary_key=True)
    conversation_id: Mapped[int] = mapped_column(ForeignKey("conversations.id"))
    at: Mapped[datetime] = mapped_column(default=utcnow)
    author: Mapped[Author] = mapped_column(str_enum(Author))
    staff_id: Mapped[int | None] = mapped_column(ForeignKey("staff_accounts.id"))
    kind: Mapped[str] = mapped_column(String(16))  # text, image, voice, location
    body: Mapped[str] = mapped_column(Text)
    media_id: Mapped[str | None] = mapped_column(String(128))
    delivery: Mapped[Delivery | None] = mapped_column(str_enum(Delivery))
    # The outbox row that carries a staff message (its status is the delivery's).
    notice_key: Mapped[str | None] = mapped_column(String(160))

    staff: Mapped[StaffAccount | None] = relationship()


class Assignment(Base):
    """Who took a conversation from whom, and why (routing, transfer, escalation)."""

    __tablename__ = "conversation_assignments"

    id: Mapped[int] = mapped_column(BigId, primary_key=True)
    conversation_id: Mapped[int] = mapped_column(ForeignKey("conversations.id"), index=True)
    at: Mapped[datetime] = mapped_column(default=utcnow)
    from_staff_id: Mapped[int | None] = mapped_column(ForeignKey("staff_accounts.id"))
    to_staff_id: Mapped[int | None] = mapped_column(ForeignKey("staff_accounts.id"))
    reason: Mapped[str] = mapped_column(String(32))
    by_staff_id: Mapped[int | None] = mapped_column(ForeignKey("staff_accounts.id"))


class ConversationNote(Base):
    """A note staff keep about a conversation; the customer never sees it."""

    __tablename__ = "conversation_notes"

    id: Mapped[int] = mapped_column(BigId, primary_key=True)
    conversation_id: Mapped[int] = mapped_column(ForeignKey("conversations.id"), index=True)
    staff_id: Mapped[int] = mapped_column(ForeignKey("staff_accounts.id"))
    at: Mapped[datetime] = mapped_column(default=utcnow)
    body: Mapped[str] = mapped_column(Text)

    staff: Mapped[StaffAccount] = relationship()


class StaffPresence(Base):
    """A manager's or agent's 在线 / 忙碌 / 离开, and whom a manager's customers go to meanwhile."""

    __tablename__ = "staff_presence"

    staff_id: Mapped[int] = mapped_column(ForeignKey("staff_accounts.id"), primary_key=True)
    status: Mapped[Presence] = mapped_column(str_enum(Presence))
    delegate_id: Mapped[int | None] = mapped_column(ForeignKey("staff_accounts.id"))
    updated_at: Mapped[datetime] = mapped_column(default=utcnow)


class BranchHours(Base):
    """When a branch answers: weekdays (1 = Monday) and local opening hours "HH:MM"."""

    __tablename__ = "branch_hours"

    branch_id: Mapped[int] = mapped_column(ForeignKey("branches.id"), primary_key=True)
    days: Mapped[str] = mapped_column(String(7), default="12345")
    opens: Mapped[str] = mapped_column(String(5), default="09:00")
    closes: Mapped[str] = mapped_column(String(5), default="17:00")


class CannedReply(Base):
    """A quick reply (快捷回复) head office keeps for everyone."""

    __tablename__ = "canned_replies"

    id: Mapped[int] = mapped_column(primary_key=True)
    title: Mapped[str] = mapped_column(String(40))
    body: Mapped[str] = mapped_column(Text)
    active: Mapped[bool] = mapped_column(default=True)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
