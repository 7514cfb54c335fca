"""What happened: interactions on any channel, QR touches and processed inbound deliveries."""

import enum
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import JSON, ForeignKey, Index, String, Text, UniqueConstraint, text
from sqlalchemy.orm import Mapped, mapped_column

from crm_core.model.base import Base, BigId, str_enum, utcnow


class Direction(enum.StrEnum):
    """Who spoke: the customer (in) or the bank (out)."""

    IN = "in"
    OUT = "out"


class Interaction(Base):
    """One inbound or outbound message or event on a channel."""

    __tablename__ = "interactions"
    __table_args__ = (Index("ix_interactions_customer_time", "customer_id", "occurred_at"),)

    id: Mapped[int] = mapped_column(BigId, primary_key=True)
    customer_id: Mapped[int] = mapped_column(ForeignKey("customers.id"))
    channel: Mapped[str] = mapped_column(String(16))
    direction: Mapped[Direction] = mapped_column(str_enum(Direction))
    # The channel's kind of message: for WeChat its type or `event:` and an event name the
    # channel accepts up to 64 characters long (the platform adds events over the years).
    kind: Mapped[str] = mapped_column(String(80))
    summary: Mapped[str] = mapped_column(String(500))
    detail: Mapped[dict[str, Any] | None] = mapped_column(JSON)
    occurred_at: Mapped[datetime] = mapped_column(default=utcnow)


class TouchKind(enum.StrEnum):
    """How a customer reached us through a code."""

    FOLLOW = "follow"
    SCAN = "scan"


class Touch(Base):
    """A follow or scan through an onboarding code: the raw material of channel statistics."""

    __tablename__ = "touches"
    __table_args__ = (Index("ix_touches_scene_time", "scene", "occurred_at"),)

    id: Mapped[int] = mapped_column(BigId, primary_key=True)
    customer_id: Mapped[int] = mapped_column(ForeignKey("customers.id"), index=True)
    kind: Mapped[TouchKind] = mapped_column(str_enum(TouchKind))
    scene: Mapped[str] = mapped_column(String(64))
    branch_id: Mapped[int | None] = mapped_column(ForeignKey("branches.id"))
    manager_id: Mapped[int | None] = mapped_column(ForeignKey("managers.id"))
    campaign: Mapped[str | None] = mapped_column(String(24))
    occurred_at: Mapped[datetime] = mapped_column(default=utcnow)


class InboundDelivery(Base):
    """A channel delivery already processed, keyed for dedupe, with the reply it got.

    A delivery answered from what was already known (its handler writes nothing) also
    carries the record of the exchange, `deferred`, until a worker writes it to the sender's
    timeline in a batch; the sender's next message that writes waits for it.
    """

    __tablename__ = "inbound_deliveries"
    __table_args__ = (
        UniqueConstraint("channel", "key", name="uq_inbound_deliveries_key"),
        Index("ix_inbound_deliveries_deferred", "sender", "id",
              sqlite_where=text("deferred IS NOT NULL"),
              postgresql_where=text("deferred IS NOT NULL")),
    )

    id: Mapped[int] = mapped_column(BigId, primary_key=True)
    channel: Mapped[str] = mapped_column(String(16))
    key: Mapped[str] = mapped_column(String(160))
    reply: Mapped[str | None] = mapped_column(Text)
    received_at: Mapped[datetime] = mapped_column(default=utcnow, index=True)
    sender: Mapped[str | None] = mapped_column(String(64))
    # The exchange still to record: [[direction, kind, summary, detail], ...], masked.
    deferred: Mapped[list[Any] | None] = mapped_column(JSON(none_as_null=True))


@dataclass(frozen=True)
class DeferredExchange:
    """A delivery's exchange taken for recording: who sent it, when, and its entries."""

    id: int
    sender: str
    received_at: datetime
    entries: list[Any]
