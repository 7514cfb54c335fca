"""Reading classification: current values, counts per value, a customer's profile, tier moves.

The current value of a dimension is its rows at the latest month present for it (for a
group: the latest month of that list). Counts are within the asker's scope, in SQL.
"""

from datetime import date
from typing import Any

from sqlalchemy import and_, false, func, or_, select
from sqlalchemy.orm import Session

from crm_core.model import (
    ClassificationBatch,
    Customer,
    CustomerTag,
    DimensionValue,
    Scope,
)
from crm_core.queries.scopes import customer_scope

MONTHLY = ("tier", "aum", "lifecycle", "medium", "employer", "holding")
MOBILE = "mobile"  # 渠道's mobile-banking activity, stored monthly under its own code


def latest_month(session: Session, dimension: str) -> date | None:
    """Return the latest month a dimension has values for (None: it has none yet)."""
    found: date | None = session.scalar(select(func.max(DimensionValue.month)).where(
        DimensionValue.dimension == dimension))
    return found


def group_months(session: Session) -> list[tuple[str, date]]:
    """Return each list's current month: the latest month it has members in.

    The candidates come from the (small) batches table, newest first, and each is confirmed by
    one index probe, so a home page never scans every list's rows of every month.
    """
    candidates = session.execute(
        select(ClassificationBatch.list_name, ClassificationBatch.month).distinct()
        .where(ClassificationBatch.kind == "list", ClassificationBatch.list_name.is_not(None))
        .order_by(ClassificationBatch.list_name, ClassificationBatch.month.desc()))
    found: dict[str, date] = {}
    for name, month in candidates:
        if name not in found and session.scalar(select(DimensionValue.customer_id).where(
                DimensionValue.dimension == "group", DimensionValue.month == month,
                DimensionValue.value == name).limit(1)) is not None:
            found[name] = month
    return sorted(found.items())


def current_rows(session: Session, dimension: str) -> Any:
    """Return a subquery of (customer_id, value, amount) holding the dimension's current rows."""
    if dimension == "group":
        lists = [and_(DimensionValue.value == name, DimensionValue.month == month)
                 for name, month in group_months(session)]
        return (select(DimensionValue.customer_id, DimensionValue.value, DimensionValue.amount)
                .where(DimensionValue.dimension == "group", or_(false(), *lists)).subquery())
    month = latest_month(session, dimension)
    return (select(DimensionValue.customer_id, DimensionValue.value, DimensionValue.amount)
            .where(DimensionValue.dimension == dimension, DimensionValue.month == month)
            .subquery())


def value_counts(session: Session, scope: Scope, dimension: str) -> list[tuple[str, int]]:
    """Return (value, customers) of a dimension's current values in scope, most first."""
    if dimension == "tag":
        rows = (select(CustomerTag.tag, func.count()).join(
            Customer, Customer.id == CustomerTag.customer_id)
                .where(customer_scope(scope)).group_by(CustomerTag.tag))
    else:
        current = current_rows(session, dimension)
        rows = (select(current.c.value, func.count()).join(
            Customer, Customer.id == current.c.customer_id)
                .where(customer_scope(scope)).group_by(current.c.value))
    found = [(str(v), int(n)) for v, n in session.execute(rows)]
    return sorted(found, key=lambda pair: (-pair[1], pair[0]))


def profile(session: Session, customer_id: int) -> dict[str, list[dict[str, Any]]]:
    """Return a customer's current values per stored dimension, their 渠道 (mobile banking in
    the latest month, `mobile:active` with the month's transactions as its amount, and the
    last-login month, `last_login:YYYY-MM`), and their tags."""
    found: dict[str, list[dict[str, Any]]] = {}
    for dimension in (*MONTHLY, "group"):
        found[dimension] = _current(session, dimension, customer_id)
    found["channel"] = [{"value": f"mobile:{row['value']}", "amount": row["amount"]}
                        for row in _current(session, MOBILE, customer_id)]
    last = last_login(session, customer_id)
    if last is not None:
        found["channel"].append({"value": f"last_login:{last:%Y-%m}", "amount": None})
    tags = session.execute(select(CustomerTag.tag, CustomerTag.tagged_by, CustomerTag.tagged_at)
                           .where(CustomerTag.customer_id == customer_id)
                           .order_by(CustomerTag.tag))
    found["tag"] = [{"value": t, "by": b, "at": at} for t, b, at in tags]
    return found


def _current(session: Session, dimension: str, customer_id: int) -> list[dict[str, Any]]:
    current = current_rows(session, dimension)
    rows = session.execute(select(current.c.value, current.c.amount)
                           .where(current.c.customer_id == customer_id))
    return [{"value": v, "amount": a} for v, a in rows]


def last_login(session: Session, customer_id: int) -> date | None:
    """Return the latest month a customer was active in the imported mobile-banking data."""
    found: date | None = session.scalar(select(func.max(DimensionValue.month)).where(
        DimensionValue.dimension == MOBILE, DimensionValue.value == "active",
        DimensionValue.customer_id == customer_id))
    return found


def tier_moves(session: Session, scope: Scope, month: date, before: date,
               limit: int) -> list[dict[str, Any]]:
    """Return customers in scope whose tier in `month` differs from `before` (latest first)."""
    now_tier = (select(DimensionValue.customer_id, DimensionValue.value)
                .where(DimensionValue.dimension == "tier", DimensionValue.month == month)
                .subquery())
    was = (select(DimensionValue.customer_id, DimensionValue.value)
           .where(DimensionValue.dimension == "tier", DimensionValue.month == before)
           .subquery())
    stmt = (select(Customer.id, Customer.display_name, Customer.openid, Customer.phone_last4,
                   was.c.value, now_tier.c.value)
            .join(now_tier, now_tier.c.customer_id == Customer.id)
            .join(was, was.c.customer_id == Customer.id)
            .where(now_tier.c.value != was.c.value, customer_scope(scope))
            .order_by(Customer.id).limit(limit))
    return [{"id": i, "name": n, "openid": o, "last4": p, "was": w, "now": t}
            for i, n, o, p, w, t in session.execute(stmt)]


def recent_batches(session: Session, limit: int) -> list[dict[str, Any]]:
    """Return the latest imports, newest first: accepted and refused (with its first errors)."""
    fields = ("id", "kind", "list_name", "month", "filename", "rows", "matched", "unmatched",
              "staff", "created_at", "status", "error_count", "errors")
    return [{name: getattr(b, name) for name in fields} for b in session.scalars(
        select(ClassificationBatch).order_by(ClassificationBatch.id.desc()).limit(limit))]
