"""Notices to staff: an outbox written in the same transaction as the event that caused it."""

import enum
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import JSON, BigInteger, ForeignKey, Index, Integer, String
from sqlalchemy.orm import Mapped, mapped_column, relationship

from crm_core.model.base import Base, BigId, str_enum, utcnow
from crm_core.model.customer import Customer
from crm_core.model.org import Manager


class NoticeKind(enum.StrEnum):
    """What a notice tells the manager."""

    NEW_CUSTOMER = "new_customer"
    NEW_LEAD = "new_lead"
    LEAD_REMINDER = "lead_reminder"
    LEAD_ESCALATION = "lead_escalation"
    DAILY_DIGEST = "daily_digest"
    SHARE_OPENS = "share_opens"
    TRANSFER = "transfer"
    MANAGER_CHANGED = "manager_changed"  # to the customer, as a customer-service message
    TALK_WAITING = "talk_waiting"        # a customer waits in a conversation
    TALK_ESCALATION = "talk_escalation"  # nobody answered in time (branch head; head office)
    TALK_REPLY = "talk_reply"            # to the customer: a reply, as a customer-service message
    TALK_PAGE = "talk_page"              # to the customer: a reply waits on its page (template)
    REFERRAL = "referral"  # a step of a referral between staff (the event is in the payload)


CUSTOMER_KINDS = frozenset({NoticeKind.MANAGER_CHANGED, NoticeKind.TALK_REPLY,
                            NoticeKind.TALK_PAGE})


class NoticeStatus(enum.StrEnum):
    """Delivery state of a notice."""

    PENDING = "pending"      # due at next_attempt_at
    HELD = "held"            # the manager has not bound a WeChat account yet
    SENDING = "sending"      # claimed by a worker until claimed_until
    SENT = "sent"            # the platform accepted it (msgid known)
    DELIVERED = "delivered"  # TEMPLATESENDJOBFINISH said success
    FAILED = "failed"        # a permanent error, or the platform could not deliver
    UNKNOWN = "unknown"      # the send may or may not have gone out: never resent blindly
    DEAD = "dead"            # gave up after the maximum attempts


class Notice(Base):
    """One notice to one manager (or customer), delivered exactly once by the outbox workers."""

    __tablename__ = "notices"
    __table_args__ = (Index("ix_notices_status_due", "status", "next_attempt_at"),
                      # The notices list filtered by status, newest first.
                      Index("ix_notices_status_id", "status", "id"))

    id: Mapped[int] = mapped_column(BigId, primary_key=True)
    key: Mapped[str] = mapped_column(String(160), unique=True)
    kind: Mapped[NoticeKind] = mapped_column(str_enum(NoticeKind))
    manager_id: Mapped[int | None] = mapped_column(ForeignKey("managers.id"), index=True)
    customer_id: Mapped[int | None] = mapped_column(ForeignKey("customers.id"), index=True)
    payload: Mapped[dict[str, Any]] = mapped_column(JSON)
    status: Mapped[NoticeStatus] = mapped_column(str_enum(NoticeStatus))
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    next_attempt_at: Mapped[datetime] = mapped_column(default=utcnow)
    claimed_by: Mapped[str | None] = mapped_column(String(64))
    claimed_until: Mapped[datetime | None]
    error_code: Mapped[int | None]
    error: Mapped[str | None] = mapped_column(String(200))
    wechat_msgid: Mapped[int | None] = mapped_column(BigInteger, index=True)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    sent_at: Mapped[datetime | None]
    finished_at: Mapped[datetime | None]

    manager: Mapped[Manager | None] = relationship()
    customer: Mapped[Customer | None] = relationship()

    @property
    def recipient_openid(self) -> str | None:
        """Return the WeChat account this notice goes to (None: a manager not bound yet)."""
        return self.manager.openid if self.manager else (
            self.customer.openid if self.customer else None)


@dataclass(frozen=True)
class DueNotice:
    """A due notice as the outbox claims it: what to send, and to whom (None: unbound)."""

    id: int
    key: str
    kind: NoticeKind
    payload: dict[str, Any]
    attempts: int
    openid: str | None
