"""Derived dimensions in SQL: the tier (with its lag) and the lifecycle, a month at a time.

Both are written for the month after the balances they read: November's 月日均 sets the tier
in force in December ("up the month after reaching"). A customer goes down only when every
one of the last 3 months (6 from 私行) is present and below the tier held; they then drop to
the highest tier those months reached. Set-based: one INSERT … SELECT per month.
"""

from datetime import date, datetime
from typing import Any

from sqlalchemy import (
    ColumnElement,
    case,
    delete,
    func,
    insert,
    literal,
    null,
    select,
)
from sqlalchemy.orm import Session

from crm_core.model import Customer, DimensionValue, Lifecycle, Tier

TIERS = list(Tier)  # lowest first: a tier's rank is its index
PRIVATE = TIERS.index(Tier.PRIVATE)


def add_months(month: date, count: int) -> date:
    """Return the first day of the month `count` months after `month` (negative: before)."""
    index = month.year * 12 + month.month - 1 + count
    return date(index // 12, index % 12 + 1, 1)


def aum_months_from(session: Session, month: date) -> list[date]:
    """Return the months, from `month` on, that have balances (oldest first)."""
    stmt = (select(DimensionValue.month).distinct()
            .where(DimensionValue.dimension == "aum", DimensionValue.month >= month)
            .order_by(DimensionValue.month))
    return list(session.scalars(stmt))


def derive_tiers(session: Session, month: date, settings: dict[str, Any]) -> None:
    """Write every customer's tier for the month after `month`'s balances."""
    target = add_months(month, 1)
    _clear(session, "tier", target)
    current, held = _aum(month), _values("tier", month)
    short_months = int(settings.get("down_after_months", 3))
    long_months = int(settings.get("private_down_after_months", 6))
    bounds = _bounds(settings)
    window = _windows(month, short_months, long_months, _falling(month, bounds))
    reached, rank = _band(current.c.amount, bounds), _rank(held.c.value)
    falls = (rank.is_not(None) & (reached < rank))
    new_rank = case(
        (rank.is_(None) | (reached >= rank), reached),
        (falls & (rank == PRIVATE) & (window.c.long_n == long_months)
         & (_band(window.c.long_peak, bounds) < rank), _band(window.c.long_peak, bounds)),
        (falls & (rank < PRIVATE) & (window.c.short_n == short_months)
         & (_band(window.c.short_peak, bounds) < rank), _band(window.c.short_peak, bounds)),
        else_=rank)
    rows = (select(current.c.customer_id, literal("tier"), literal(target), _name(new_rank))
            .select_from(current)
            .outerjoin(held, held.c.customer_id == current.c.customer_id)
            .outerjoin(window, window.c.customer_id == current.c.customer_id))
    _insert(session, rows)


def derive_lifecycle(session: Session, month: date, settings: dict[str, Any],
                     first_of_target: datetime) -> None:
    """Write every customer's lifecycle stage for the month after `month`'s balances."""
    target = add_months(month, 1)
    _clear(session, "lifecycle", target)
    current = _aum(month)
    before = _aum(add_months(month, 1 - int(settings.get("trend_months", 3))))
    ratio = float(settings.get("trend_ratio", 0.1))
    since = _days_before(first_of_target, int(settings.get("new_months", 3)) * 30)
    stage = case(
        (Customer.first_touch_at >= since, Lifecycle.NEW.value),
        (Customer.last_touch_at < _days_before(first_of_target,
                                               int(settings.get("lost_days", 180))),
         Lifecycle.LOST.value),
        (Customer.last_touch_at < _days_before(first_of_target,
                                               int(settings.get("dormant_days", 90))),
         Lifecycle.DORMANT.value),
        (current.c.amount >= before.c.amount * (1 + ratio), Lifecycle.GROWING.value),
        (current.c.amount <= before.c.amount * (1 - ratio), Lifecycle.DECLINING.value),
        else_=Lifecycle.MATURE.value)
    rows = (select(current.c.customer_id, literal("lifecycle"), literal(target), stage)
            .select_from(current).join(Customer, Customer.id == current.c.customer_id)
            .outerjoin(before, before.c.customer_id == current.c.customer_id))
    _insert(session, rows)


def _insert(session: Session, rows: Any) -> None:
    # In customer order, so the primary key's leaves are written in turn (see insert_values).
    session.execute(insert(DimensionValue).from_select(
        ["customer_id", "dimension", "month", "value"], rows.order_by(rows.selected_columns[0])))


def _clear(session: Session, dimension: str, month: date) -> None:
    session.execute(delete(DimensionValue).where(DimensionValue.dimension == dimension,
                                                 DimensionValue.month == month))


def _aum(month: date) -> Any:
    return _values("aum", month)


def _values(dimension: str, month: date) -> Any:
    return (select(DimensionValue.customer_id, DimensionValue.value, DimensionValue.amount)
            .where(DimensionValue.dimension == dimension, DimensionValue.month == month)
            .subquery())


def _falling(month: date, bounds: list[float]) -> Any:
    # The customers whose balance this month is below the tier they hold: only they may go
    # down, so only their windows are read (most customers hold or rise).
    current, held = _aum(month), _values("tier", month)
    return (select(current.c.customer_id)
            .join(held, held.c.customer_id == current.c.customer_id)
            .where(_band(current.c.amount, bounds) < _rank(held.c.value)))


def _windows(month: date, short: int, long: int, customers: Any) -> Any:
    # The peak balance and the months present in the last `short` and `long` months, in one
    # pass over the balances (the longer window holds the shorter), of the given customers.
    recent = DimensionValue.month > add_months(month, -short)
    older = DimensionValue.month > add_months(month, -long)
    return (select(DimensionValue.customer_id,
                   func.max(DimensionValue.amount).filter(recent).label("short_peak"),
                   func.count().filter(recent).label("short_n"),
                   func.max(DimensionValue.amount).filter(older).label("long_peak"),
                   func.count().filter(older).label("long_n"))
            .where(DimensionValue.dimension == "aum",
                   DimensionValue.month > add_months(month, -max(short, long)),
                   DimensionValue.month <= month,
                   DimensionValue.customer_id.in_(customers))
            .group_by(DimensionValue.customer_id).subquery())


def _bounds(settings: dict[str, Any]) -> list[float]:
    # The lower bound of each tier above 大众, lowest first.
    thresholds = settings.get("thresholds", {})
    return [float(thresholds[tier.value]) for tier in TIERS[1:]]


def _band(amount: Any, bounds: list[float]) -> ColumnElement[int]:
    whens = [(amount >= bound, literal(rank + 1))
             for rank, bound in reversed(list(enumerate(bounds)))]
    return case(*whens, else_=literal(0))


def _rank(value: Any) -> ColumnElement[int]:
    return case({tier.value: index for index, tier in enumerate(TIERS)}, value=value,
                else_=null())


def _name(rank: ColumnElement[int]) -> ColumnElement[str]:
    return case({index: tier.value for index, tier in enumerate(TIERS)}, value=rank,
                else_=Tier.MASS.value)


def _days_before(at: datetime, days: int) -> datetime:
    return datetime.fromordinal(at.toordinal() - days)
