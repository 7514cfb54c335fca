"""A checked segment rule as one SQL predicate over `customers`: EXISTS subqueries, no loops.

Stored dimensions read their monthly values: the month a condition names, or else the latest
month present for that dimension (for a list, for that list's name), found by the database
from the lookup index. Derived dimensions read the CRM's own tables: follow state, branch and
manager from the customer row; channel from the first touch, the codes scanned, the last
contact and the imported mobile-banking activity (active in a month; the last month active,
the last-login month); risk from the latest assessment still valid; interest from the
products a customer asked about (a lead), shared or opened through a share.
"""

import operator
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from typing import Any

from sqlalchemy import ColumnElement, and_, exists, func, literal, not_, or_, select
from sqlalchemy.orm import aliased

from crm_core.model import (
    Branch,
    Customer,
    Lead,
    Manager,
    Product,
    RecommendationPref,
    RiskAssessment,
    ShareEvent,
    ShareLink,
    Touch,
)
from crm_core.model.classification import CustomerTag, DimensionValue
from crm_core.model.segments import Condition, Group, Negation, Node
from crm_core.model.segments.rules import COMPARISONS

COMPARE: dict[str, Callable[[Any, Any], Any]] = {
    "eq": operator.eq, "ne": operator.ne, "gt": operator.gt, "gte": operator.ge,
    "lt": operator.lt, "lte": operator.le}
NEGATIVE = frozenset({"ne", "not_in"})
MOBILE = "mobile"  # where the imported mobile-banking activity is stored, month by month


@dataclass(frozen=True)
class Moment:
    """When a rule is evaluated: activity windows and assessment expiry depend on it, and the
    current month of each stored dimension (and list) it names, once looked up."""

    now: datetime
    today: date
    validity: timedelta = timedelta(days=365)
    months: Mapping[tuple[str, str | None], date] = field(default_factory=dict)


def predicate(node: Node, moment: Moment) -> ColumnElement[bool]:
    """Return the customers a rule tree matches, as a predicate on `customers`."""
    if isinstance(node, Negation):
        return not_(predicate(node.part, moment))
    if isinstance(node, Group):
        parts = [predicate(part, moment) for part in node.parts]
        return and_(*parts) if node.kind == "all" else or_(*parts)
    positive = BUILDERS[node.behaviour](node, moment)
    # `ne` on a risk level compares valid levels; elsewhere it is "not this value" (or none).
    return not_(positive) if node.op in NEGATIVE and node.behaviour != "risk" else positive


def opted_out() -> ColumnElement[bool]:
    """Return the customers who switched off personalised recommendations."""
    return exists().where(RecommendationPref.customer_id == Customer.id,
                          RecommendationPref.personalised.is_(False))


def current_month(dimension: str, value: str | None = None) -> Any:
    """Return the latest month stored for a dimension (for `value` only, if named)."""
    latest = aliased(DimensionValue)
    query = select(func.max(latest.month)).where(latest.dimension == dimension)
    if value is not None:
        query = query.where(latest.value == value)
    return query.scalar_subquery()


def month_key(condition: Condition, value: str | None = None) -> tuple[str, str | None]:
    """Return the key of a condition's current month in `Moment.months`."""
    return condition.dim, value if condition.behaviour == "group" else None


def _month(condition: Condition, moment: Moment, value: str | None = None) -> Any:
    # The month as a value, not a subquery: the planner then estimates the rows it selects.
    if condition.month:
        return literal(condition.month)
    known = moment.months.get(month_key(condition, value))
    return literal(known) if known else current_month(condition.dim, value)


def _stored(condition: Condition, moment: Moment, *where: ColumnElement[bool],
            value: str | None = None) -> ColumnElement[bool]:
    # IN (subquery) rather than a correlated EXISTS: under an OR, PostgreSQL hashes the
    # subquery's customers once instead of probing the index for every customer.
    return Customer.id.in_(select(DimensionValue.customer_id).where(
        DimensionValue.dimension == condition.dim,
        DimensionValue.month == _month(condition, moment, value), *where))


def _label(condition: Condition, moment: Moment) -> ColumnElement[bool]:
    return _stored(condition, moment, DimensionValue.value.in_(condition.values))


def _amount(condition: Condition, moment: Moment) -> ColumnElement[bool]:
    if condition.op == "between":
        low, high = condition.values
        return _stored(condition, moment, DimensionValue.amount.between(low, high))
    return _stored(condition, moment,
                   COMPARE[condition.op](DimensionValue.amount, condition.values[0]))


def _group(condition: Condition, moment: Moment) -> ColumnElement[bool]:
    # Each list has its own latest month: a list imported once stays current until replaced.
    return or_(*(_stored(condition, moment, DimensionValue.value == name, value=name)
                 for name in condition.values))


def _tag(condition: Condition, moment: Moment) -> ColumnElement[bool]:
    return Customer.id.in_(select(CustomerTag.customer_id).where(
        CustomerTag.tag.in_(condition.values)))


def _follow(condition: Condition, moment: Moment) -> ColumnElement[bool]:
    return Customer.follow_state.in_(condition.values)


def _branch(condition: Condition, moment: Moment) -> ColumnElement[bool]:
    ids = select(Branch.id).where(Branch.code.in_(condition.values))
    return or_(and_(Customer.home_branch_id.is_not(None), Customer.home_branch_id.in_(ids)),
               and_(Customer.manager_branch_id.is_not(None),
                    Customer.manager_branch_id.in_(ids)))


def _manager(condition: Condition, moment: Moment) -> ColumnElement[bool]:
    ids = select(Manager.id).where(Manager.code.in_(condition.values))
    return and_(Customer.current_manager_id.is_not(None), Customer.current_manager_id.in_(ids))


def _channel(condition: Condition, moment: Moment) -> ColumnElement[bool]:
    if condition.op == "within_days":
        return Customer.last_touch_at >= moment.now - timedelta(days=condition.values[0])
    if condition.op in COMPARISONS:  # only the last-login month is compared
        return _last_login(condition.op, [_login_month(v) for v in condition.values])
    return or_(*(_came_through(value, condition, moment) for value in condition.values))


def _login_month(value: str) -> date:
    year, month = value.split(":", 1)[1].split("-")
    return date(int(year), int(month), 1)


def _last_login(op: str, months: list[date]) -> ColumnElement[bool]:
    # The last-login month: the latest month a customer was active in the imported data.
    latest = func.max(DimensionValue.month)
    test = latest.between(months[0], months[-1]) if op == "between" \
        else COMPARE[op](latest, months[0])
    return Customer.id.in_(select(DimensionValue.customer_id).where(
        DimensionValue.dimension == MOBILE, DimensionValue.value == "active")
        .group_by(DimensionValue.customer_id).having(test))


def _mobile_active(state: str, condition: Condition, moment: Moment) -> ColumnElement[bool]:
    # Active (or not) in the month named, or else the latest month of mobile-banking data.
    month = condition.month or moment.months.get((MOBILE, None))
    return Customer.id.in_(select(DimensionValue.customer_id).where(
        DimensionValue.dimension == MOBILE, DimensionValue.value == state,
        DimensionValue.month == (literal(month) if month else current_month(MOBILE))))


def _came_through(value: str, condition: Condition, moment: Moment) -> ColumnElement[bool]:
    kind, _, name = value.partition(":")
    if kind == "mobile":
        return _mobile_active(name, condition, moment)
    if kind == "last_login":
        return _last_login("eq", [_login_month(value)])
    if kind == "scene":
        return Customer.first_touch_source == name
    touched = exists().where(Touch.customer_id == Customer.id)
    if kind == "campaign":
        return touched.where(Touch.campaign == name)
    return touched.where(Touch.branch_id.in_(select(Branch.id).where(Branch.code == name)))


def _risk(condition: Condition, moment: Moment) -> ColumnElement[bool]:
    latest, newer = aliased(RiskAssessment), aliased(RiskAssessment)
    valid_from = moment.today - moment.validity
    if condition.op == "within_days":
        test: ColumnElement[bool] = latest.assessed_on <= valid_from + timedelta(
            days=condition.values[0])
    elif condition.op == "between":
        test = latest.level.between(*condition.values)
    else:
        test = COMPARE[condition.op](latest.level, condition.values[0])
    superseded = exists().where(newer.customer_id == latest.customer_id, or_(
        newer.assessed_on > latest.assessed_on,
        and_(newer.assessed_on == latest.assessed_on, newer.id > latest.id)))
    return exists().where(latest.customer_id == Customer.id, latest.assessed_on >= valid_from,
                          test, not_(superseded))


def _interest(condition: Condition, moment: Moment) -> ColumnElement[bool]:
    products = select(Product.code).where(Product.category.in_(condition.values))
    opened = exists().where(ShareEvent.customer_id == Customer.id,
                            ShareEvent.share_id == ShareLink.id,
                            ShareLink.product_code.in_(products))
    shared = exists().where(ShareLink.root_customer_id == Customer.id,
                            ShareLink.product_code.in_(products))
    asked = exists().where(Lead.customer_id == Customer.id, Lead.product_code.in_(products))
    return or_(asked, shared, opened)


BUILDERS: dict[str, Callable[[Condition, Moment], ColumnElement[bool]]] = {
    "label": _label, "amount": _amount, "group": _group, "tag": _tag, "follow": _follow,
    "branch": _branch, "manager": _manager, "channel": _channel, "risk": _risk,
    "interest": _interest}
