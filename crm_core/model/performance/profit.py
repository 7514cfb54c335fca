"""Simulated profit of a manager's book, as if the book were a branch of its own (模拟网点).

Deposits earn the bank the gap between the FTP rate it lends them on at and the customer's
rate; loans the gap between the customer's rate and the FTP rate it funds them at, less a
risk cost on what is overdue or non-performing; fees count in full; the manager's direct
costs come off. Interest is accrued on the 360-day basis the bank's FTP uses. All money is
Decimal, rounded to the fen once, at the end.
"""

import calendar
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import Any

from crm_core.model.performance import BookKind, BookRow

CENT = Decimal("0.01")
HUNDRED = Decimal(100)


@dataclass(frozen=True)
class ProfitPolicy:
    """Risk cost rates (percent of the amount, per month) and a flat direct cost per book."""

    overdue_provision: Decimal = Decimal(2)
    npl_provision: Decimal = Decimal(10)
    direct_cost: Decimal = Decimal(0)


@dataclass(frozen=True)
class BookProfit:
    """A book's month: each part of its simulated profit and the figures it came from."""

    deposit: Decimal
    loan: Decimal
    risk_cost: Decimal
    fees: Decimal
    direct_cost: Decimal
    deposits: Decimal
    loans: Decimal
    overdue: Decimal
    npl: Decimal
    customers: int
    families: int

    @property
    def total(self) -> Decimal:
        """Return the simulated profit."""
        return self.deposit + self.loan - self.risk_cost + self.fees - self.direct_cost


def days_in(month: date) -> int:
    """Return the days of a month."""
    return calendar.monthrange(month.year, month.month)[1]


def accrual(month: date) -> Decimal:
    """Return the fraction of a year a month accrues: days / 360, over 100 for percents."""
    return Decimal(days_in(month)) / Decimal(360) / HUNDRED


def book_profit(totals: Any, month: date, policy: ProfitPolicy) -> BookProfit:
    """Return a book's profit from its aggregate row (repositories.performance.book_totals)."""
    factor, overdue, npl = accrual(month), _dec(totals.overdue), _dec(totals.npl)
    risk = (overdue * policy.overdue_provision + npl * policy.npl_provision) / HUNDRED
    return BookProfit(
        deposit=(_dec(totals.deposit_spread) * factor).quantize(CENT),
        loan=(_dec(totals.loan_spread) * factor).quantize(CENT),
        risk_cost=risk.quantize(CENT), fees=_dec(totals.fees).quantize(CENT),
        direct_cost=policy.direct_cost.quantize(CENT), deposits=_dec(totals.deposits),
        loans=_dec(totals.loans), overdue=overdue, npl=npl,
        customers=int(totals.customers), families=int(totals.families))


def row_profit(row: BookRow, month: date, policy: ProfitPolicy) -> Decimal:
    """Return what one source row adds to its book's profit (the drill-down's figure)."""
    factor = accrual(month)
    if row.kind is BookKind.DEPOSIT:
        spread = row.balance * (row.ftp_rate - row.customer_rate) * factor
    elif row.kind is BookKind.LOAN:
        spread = row.balance * (row.customer_rate - row.ftp_rate) * factor
    else:
        spread = Decimal(0)
    risk = (row.overdue * policy.overdue_provision + row.npl * policy.npl_provision) / HUNDRED
    return (spread - risk + row.fee).quantize(CENT)


def _dec(value: object) -> Decimal:
    # SQLite hands sums back as floats or ints; text keeps their decimal digits.
    return value if isinstance(value, Decimal) else Decimal(str(value or 0))
