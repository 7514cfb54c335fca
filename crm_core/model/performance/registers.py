"""Registers that feed a manager's card with breaches recorded by staff, not imported.

A complaint about a customer's treatment is recorded against the manager concerned and judged
by a branch head (for their branch) or head office: substantiated or not, with a reason. A
suitability override records a sale that went ahead although the customer's valid risk
assessment did not cover the product's risk level (customer-initiated, with documented
confirmation): none should happen, and each one is a breach. The branch is kept as it was when
the record was made, so a later move of the manager does not move the record out of the scope
of the branch head who judged it.
"""

import enum
from datetime import date, datetime

from sqlalchemy import Date, ForeignKey, Index, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from crm_core.model.base import Base, str_enum, utcnow


class ComplaintChannel(enum.StrEnum):
    """How a complaint reached the bank."""

    COUNTER = "counter"
    PHONE = "phone"
    WECHAT = "wechat"
    LETTER = "letter"
    REGULATOR = "regulator"


class ComplaintVerdict(enum.StrEnum):
    """Where a complaint stands."""

    PENDING = "pending"
    SUBSTANTIATED = "substantiated"
    UNSUBSTANTIATED = "unsubstantiated"


class Complaint(Base):
    """A complaint about a customer's treatment by a manager, and its verdict."""

    __tablename__ = "complaints"
    __table_args__ = (Index("ix_complaints_manager_received", "manager_id", "received_on"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    customer_id: Mapped[int] = mapped_column(ForeignKey("customers.id"))
    manager_id: Mapped[int] = mapped_column(ForeignKey("managers.id"))
    branch_id: Mapped[int] = mapped_column(ForeignKey("branches.id"), index=True)
    received_on: Mapped[date] = mapped_column(Date)  # the card of this month deducts
    channel: Mapped[ComplaintChannel] = mapped_column(str_enum(ComplaintChannel))
    summary: Mapped[str] = mapped_column(String(100))
    detail: Mapped[str] = mapped_column(Text, default="")
    verdict: Mapped[ComplaintVerdict] = mapped_column(
        str_enum(ComplaintVerdict), default=ComplaintVerdict.PENDING)
    reason: Mapped[str] = mapped_column(String(500), default="")
    recorded_by: Mapped[str] = mapped_column(String(64))
    recorded_at: Mapped[datetime] = mapped_column(default=utcnow)
    decided_by: Mapped[str | None] = mapped_column(String(64))
    decided_at: Mapped[datetime | None]


class SuitabilityOverride(Base):
    """A sale made above the customer's assessed risk level, at the customer's documented
    request: a suitability breach on the manager's card."""

    __tablename__ = "suitability_overrides"
    __table_args__ = (Index("ix_suitability_overrides_manager_on", "manager_id", "occurred_on"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    customer_id: Mapped[int] = mapped_column(ForeignKey("customers.id"))
    manager_id: Mapped[int] = mapped_column(ForeignKey("managers.id"))
    branch_id: Mapped[int] = mapped_column(ForeignKey("branches.id"), index=True)
    product_id: Mapped[int] = mapped_column(ForeignKey("products.id"))
    customer_level: Mapped[int | None] = mapped_column(Integer)  # None: no valid assessment
    product_level: Mapped[int] = mapped_column(Integer)
    occurred_on: Mapped[date] = mapped_column(Date)
    reason: Mapped[str] = mapped_column(String(500))
    recorded_by: Mapped[str] = mapped_column(String(64))
    recorded_at: Mapped[datetime] = mapped_column(default=utcnow)
