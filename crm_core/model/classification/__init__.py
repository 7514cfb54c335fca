"""Classification: the dimension catalogue and every customer's values on it, month by month.

A dimension is one way of sorting customers (资产层级, 介质, 特定客户群, …), described in
words staff can check: what it means, the rule or source field that sets it, who can have a
value and where it comes from. Values are kept per month, never overwritten, so a tier rule
with a lag can look back and a past audience can be rebuilt exactly. The bank's extracts are
keyed by its customer number or a mobile number; only keyed hashes of either are stored.
"""

import enum
from datetime import date, datetime
from decimal import Decimal
from typing import Any

from sqlalchemy import (
    JSON,
    ForeignKey,
    Index,
    Integer,
    Numeric,
    PrimaryKeyConstraint,
    String,
    Text,
    text,
)
from sqlalchemy.orm import Mapped, mapped_column

from crm_core.model.base import Base, BigId, utcnow


class DimensionSource(enum.StrEnum):
    """Where a dimension's values come from."""

    IMPORTED = "imported"
    DERIVED = "derived"
    STAFF = "staff"


class DimensionKind(enum.StrEnum):
    """Whether a dimension's values are labels or an amount (with the value "aum")."""

    LABEL = "label"
    AMOUNT = "amount"


class Tier(enum.StrEnum):
    """资产层级, lowest first (the order is the rule's)."""

    MASS = "mass"
    POTENTIAL = "potential"
    AFFLUENT = "affluent"
    VIP = "vip"
    PRIVATE = "private"


class Lifecycle(enum.StrEnum):
    """Where a customer stands in their life with the bank."""

    NEW = "new"
    GROWING = "growing"
    MATURE = "mature"
    DECLINING = "declining"
    DORMANT = "dormant"
    LOST = "lost"


class BatchKind(enum.StrEnum):
    """What an imported file carries."""

    BALANCES = "balances"
    HOLDINGS = "holdings"
    MEDIA = "media"
    EMPLOYERS = "employers"
    LIST = "list"
    MAPPING = "mapping"
    MOBILE = "mobile"


class BatchStatus(enum.StrEnum):
    """Whether an imported file was applied, or refused for its bad rows (nothing applied)."""

    ACCEPTED = "accepted"
    REFUSED = "refused"


class Dimension(Base):
    """One entry of the catalogue: a way of classifying customers, in words staff can check."""

    __tablename__ = "dimensions"

    code: Mapped[str] = mapped_column(String(32), primary_key=True)
    name: Mapped[str] = mapped_column(String(32))
    definition: Mapped[str] = mapped_column(Text)
    standard: Mapped[str] = mapped_column(Text)
    coverage: Mapped[str] = mapped_column(Text)
    source: Mapped[str] = mapped_column(String(16))
    # A profile dimension: customers who turned personalised recommendation off are left out
    # of every segment that uses it (the law on profiling).
    profiling: Mapped[bool] = mapped_column(default=False)
    kind: Mapped[str] = mapped_column(String(16), default=DimensionKind.LABEL.value)
    # The rule's parameters head office may tune (tier thresholds, lag months, …).
    settings: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow)
    updated_by: Mapped[str | None] = mapped_column(String(64))


class DimensionValue(Base):
    """A customer's value on a dimension for one month (first day of the month).

    Written a month at a time by set-based imports: the primary key leads with the dimension
    and month, so a month's rows fill their own end of every index instead of one leaf per
    customer across the whole table; and no foreign keys, whose per-row checks (and row locks
    on every customer) cost more than the load itself. Rows only ever come from joins on
    customers, from the catalogue's own codes and from the batch written in the same
    transaction, and customers are never deleted.
    """

    __tablename__ = "dimension_values"
    __table_args__ = (
        PrimaryKeyConstraint("dimension", "month", "customer_id", "value"),
        # Who holds a value in a month: segment conditions and the catalogue's counts.
        Index("ix_dimension_values_lookup", "dimension", "month", "value", "customer_id"),
        # Amount comparisons (月日均 ≥ x) in a month; only rows with an amount (balances,
        # holdings), so the tier, lifecycle and label rows of an import skip this index.
        Index("ix_dimension_values_amount", "dimension", "month", "amount",
              postgresql_where=text("amount IS NOT NULL"),
              sqlite_where=text("amount IS NOT NULL")),
    )

    dimension: Mapped[str] = mapped_column(String(32))
    month: Mapped[date]
    customer_id: Mapped[int] = mapped_column(Integer)
    value: Mapped[str] = mapped_column(String(64))
    amount: Mapped[Decimal | None] = mapped_column(Numeric(18, 2))
    batch_id: Mapped[int | None] = mapped_column(Integer)


class ClassificationBatch(Base):
    """One imported file: what it carried, for which month, who loaded it and what matched.

    A refused file is kept too (nothing of it applied), with its first row errors: line, code
    and the Chinese reason, any mobile or customer number in them masked.
    """

    __tablename__ = "classification_batches"

    id: Mapped[int] = mapped_column(primary_key=True)
    kind: Mapped[str] = mapped_column(String(16))
    list_name: Mapped[str | None] = mapped_column(String(64))
    month: Mapped[date]
    filename: Mapped[str] = mapped_column(String(255))
    sha256: Mapped[str] = mapped_column(String(64))
    rows: Mapped[int] = mapped_column(Integer, default=0)
    matched: Mapped[int] = mapped_column(Integer, default=0)
    unmatched: Mapped[int] = mapped_column(Integer, default=0)
    staff: Mapped[str] = mapped_column(String(64))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    status: Mapped[str] = mapped_column(String(16), default=BatchStatus.ACCEPTED.value,
                                        server_default=BatchStatus.ACCEPTED.value)
    error_count: Mapped[int] = mapped_column(Integer, default=0, server_default="0")
    errors: Mapped[list[dict[str, Any]] | None] = mapped_column(JSON)


class CustomerKey(Base):
    """A follower's bank customer number, known only by its keyed hash."""

    __tablename__ = "customer_keys"

    key_hash: Mapped[str] = mapped_column(String(64), primary_key=True)
    customer_id: Mapped[int] = mapped_column(ForeignKey("customers.id"), index=True)
    source: Mapped[str] = mapped_column(String(16))
    recorded_by: Mapped[str] = mapped_column(String(64))
    recorded_at: Mapped[datetime] = mapped_column(default=utcnow)


class OfflineProspect(Base):
    """A row of an extract that matched no follower: a customer not yet on WeChat."""

    __tablename__ = "offline_prospects"

    id: Mapped[int] = mapped_column(BigId, primary_key=True)
    batch_id: Mapped[int] = mapped_column(ForeignKey("classification_batches.id"), index=True)
    key_hash: Mapped[str] = mapped_column(String(64))
    masked_phone: Mapped[str | None] = mapped_column(String(16))
    branch_id: Mapped[int | None] = mapped_column(ForeignKey("branches.id"), index=True)
    kind: Mapped[str] = mapped_column(String(16))
    month: Mapped[date]


class CustomerTag(Base):
    """A tag staff put on a customer in their scope."""

    __tablename__ = "customer_tags"
    __table_args__ = (Index("ix_customer_tags_tag_customer", "tag", "customer_id"),)

    customer_id: Mapped[int] = mapped_column(ForeignKey("customers.id"), primary_key=True)
    tag: Mapped[str] = mapped_column(String(32), primary_key=True)
    tagged_by: Mapped[str] = mapped_column(String(64))
    tagged_at: Mapped[datetime] = mapped_column(default=utcnow)


__all__ = [
    "BatchKind",
    "BatchStatus",
    "ClassificationBatch",
    "CustomerKey",
    "CustomerTag",
    "Dimension",
    "DimensionKind",
    "DimensionSource",
    "DimensionValue",
    "Lifecycle",
    "OfflineProspect",
    "Tier",
]
