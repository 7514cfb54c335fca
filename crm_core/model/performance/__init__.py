"""Managers measured on what they achieve: each manager's book run as a simulated branch.

The bank's core systems are not reached; their monthly extracts are imported instead: the
average daily balances of each customer's deposits and loans with the manager who holds them,
the customer's rate and the funds-transfer-pricing (FTP) rate, fee income by product family,
overdue and non-performing amounts, and outcome events. A month is a draft until head office
approves it; then it is frozen, and neither an import nor a run may change it.
"""

import enum
from datetime import date, datetime
from decimal import Decimal
from typing import Any

from sqlalchemy import (
    JSON,
    Date,
    ForeignKey,
    Index,
    Integer,
    Numeric,
    String,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column

from crm_core.model.base import Base, BigId, str_enum, utcnow
from crm_core.model.org import ManagerRole

Money = Numeric(18, 2)
Rate = Numeric(9, 4)  # an annual rate in percent: 2.3500 is 2.35 %


class MonthState(enum.StrEnum):
    """Where a month's figures stand."""

    DRAFT = "draft"
    FROZEN = "frozen"


class BookKind(enum.StrEnum):
    """What one row of an extract carries."""

    DEPOSIT = "deposit"
    LOAN = "loan"
    FEE = "fee"
    EVENT = "event"


class PerformanceMonth(Base):
    """A month of imported extracts and computed cards: draft, then frozen once approved."""

    __tablename__ = "performance_months"

    month: Mapped[date] = mapped_column(Date, primary_key=True)
    state: Mapped[MonthState] = mapped_column(str_enum(MonthState), default=MonthState.DRAFT)
    rows: Mapped[int] = mapped_column(Integer, default=0)
    filename: Mapped[str | None] = mapped_column(String(255))
    sha256: Mapped[str | None] = mapped_column(String(64))
    imported_by: Mapped[str | None] = mapped_column(String(64))
    imported_at: Mapped[datetime | None]
    run_at: Mapped[datetime | None]
    approved_by: Mapped[str | None] = mapped_column(String(64))
    frozen_at: Mapped[datetime | None]


class BookRow(Base):
    """One row of a month's extract, kept as the source every figure drills down to."""

    __tablename__ = "book_rows"
    __table_args__ = (Index("ix_book_rows_month_manager", "month", "manager_id"),)

    id: Mapped[int] = mapped_column(BigId, primary_key=True)
    month: Mapped[date] = mapped_column(Date, ForeignKey("performance_months.month"))
    line: Mapped[int] = mapped_column(Integer)  # the file's line, for "which row was this"
    manager_id: Mapped[int] = mapped_column(ForeignKey("managers.id"))
    # The bank's customer number as its keyed hash, and its last four digits for staff.
    customer_key: Mapped[str] = mapped_column(String(64))
    customer_tail: Mapped[str] = mapped_column(String(8))
    kind: Mapped[BookKind] = mapped_column(str_enum(BookKind))
    product: Mapped[str] = mapped_column(String(32), default="")  # fee family or event name
    balance: Mapped[Decimal] = mapped_column(Money, default=Decimal(0))  # average daily
    customer_rate: Mapped[Decimal] = mapped_column(Rate, default=Decimal(0))
    ftp_rate: Mapped[Decimal] = mapped_column(Rate, default=Decimal(0))
    fee: Mapped[Decimal] = mapped_column(Money, default=Decimal(0))
    overdue: Mapped[Decimal] = mapped_column(Money, default=Decimal(0))
    npl: Mapped[Decimal] = mapped_column(Money, default=Decimal(0))


class ScoreTemplate(Base):
    """One version of a role's scorecard, kept by head office: metrics, weights, methods."""

    __tablename__ = "score_templates"
    __table_args__ = (UniqueConstraint("role", "version"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    role: Mapped[ManagerRole] = mapped_column(str_enum(ManagerRole))
    version: Mapped[int] = mapped_column(Integer)
    # {"lines": [{metric, weight, method, target, floor, cap}], "vetoes": [...],
    #  "penalties": [...]}: checked by services.performance.templates before it is kept.
    rules: Mapped[dict[str, Any]] = mapped_column(JSON)
    created_by: Mapped[str] = mapped_column(String(64))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)


class ScoreTarget(Base):
    """A manager's target for one metric in one month (imported by head office)."""

    __tablename__ = "score_targets"
    __table_args__ = (UniqueConstraint("month", "manager_id", "metric"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    month: Mapped[date] = mapped_column(Date)
    manager_id: Mapped[int] = mapped_column(ForeignKey("managers.id"))
    metric: Mapped[str] = mapped_column(String(32))
    target: Mapped[Decimal] = mapped_column(Money)


class Scorecard(Base):
    """A manager's card for a month: the total and every line that explains it."""

    __tablename__ = "scorecards"
    __table_args__ = (UniqueConstraint("month", "manager_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    month: Mapped[date] = mapped_column(Date, ForeignKey("performance_months.month"))
    manager_id: Mapped[int] = mapped_column(ForeignKey("managers.id"), index=True)
    role: Mapped[ManagerRole] = mapped_column(str_enum(ManagerRole))
    template_id: Mapped[int] = mapped_column(ForeignKey("score_templates.id"))
    total: Mapped[Decimal] = mapped_column(Numeric(7, 2))
    profit: Mapped[Decimal] = mapped_column(Money)
    lines: Mapped[list[dict[str, Any]]] = mapped_column(JSON)
    computed_at: Mapped[datetime] = mapped_column(default=utcnow)


from crm_core.model.performance import registers  # noqa: E402,F401 - register its tables
