"""What a rule may name, read from the catalogue, and the audience a rule defines in a scope."""

from dataclasses import replace
from datetime import date, datetime, timedelta

from sqlalchemy import and_, func, select

from crm_core.model import (
    Branch,
    Category,
    ClassificationBatch,
    Dimension,
    DimensionValue,
    Manager,
    Scope,
    local_date,
)
from crm_core.model.segments import (
    DERIVED,
    DimensionInfo,
    Node,
    Segment,
    Vocabulary,
    conditions,
    mobile_values,
    parse_rule,
    profiling_dimensions,
)
from crm_core.queries.scopes import customer_scope
from crm_core.queries.segments.audience import Audience, scope_predicate
from crm_core.queries.segments.compile import Moment, month_key, predicate
from crm_core.unit_of_work import SqlUnitOfWork

# Read from the customer row itself: no catalogue entry, never a profile.
BUILT_IN = {"follow": DimensionInfo("follow", "follow", False),
            "branch": DimensionInfo("branch", "branch", False),
            "manager": DimensionInfo("manager", "manager", False)}


def rule_vocabulary(uow: SqlUnitOfWork) -> Vocabulary:
    """Return the dimensions, lists, branches, managers and categories a rule may name."""
    session = uow.session
    dimensions = dict(BUILT_IN)
    for code, kind, profiling in session.execute(
            select(Dimension.code, Dimension.kind, Dimension.profiling)):
        dimensions[code] = DimensionInfo(code, DERIVED.get(code, kind), bool(profiling))
    return Vocabulary(
        dimensions, lists=frozenset(list_names(uow)),
        branches=frozenset(session.scalars(select(Branch.code))),
        managers=frozenset(session.scalars(select(Manager.code))),
        categories=frozenset(category.value for category in Category))


def list_names(uow: SqlUnitOfWork) -> list[str]:
    """Return the names of the imported lists (特定客户群), by name."""
    return sorted(name for name in uow.session.scalars(
        select(ClassificationBatch.list_name).where(ClassificationBatch.list_name.is_not(None))
        .distinct()) if name)


def list_month(uow: SqlUnitOfWork, name: str) -> date | None:
    """Return the latest month a list was imported for (None: never)."""
    return uow.session.scalar(select(func.max(DimensionValue.month)).where(
        DimensionValue.dimension == "group", DimensionValue.value == name))


def moment(now: datetime, timezone: str, validity_days: int = 365) -> Moment:
    """Return the moment a rule is evaluated at: now, the local date, assessment validity."""
    return Moment(now, local_date(now, timezone), timedelta(days=validity_days))


def audience(uow: SqlUnitOfWork, scope: Scope, rule: object, at: Moment,
             segment: Segment | None = None) -> tuple[Node, Audience]:
    """Check a rule and return it with its audience in the caller's (and segment's) scope."""
    tree = parse_rule(rule, rule_vocabulary(uow))
    at = replace(at, months=current_months(uow, tree))
    own = scope_predicate(segment.branch_id, segment.manager_id) if segment else None
    where = and_(predicate(tree, at), customer_scope(scope), *([own] if own is not None else []))
    return tree, Audience(where, bool(profiling_dimensions(tree)))


def current_months(uow: SqlUnitOfWork, tree: Node) -> dict[tuple[str, str | None], date]:
    """Look up the latest month of each stored dimension (and list) the rule reads as
    current: one index probe each, so the rule's statement names its months as values."""
    keys = {month_key(c, value) for c in conditions(tree) if c.month is None
            and c.behaviour in ("label", "amount", "group")
            for value in (c.values if c.behaviour == "group" else (None,))}
    keys |= {("mobile", None) for c in conditions(tree) if c.month is None and mobile_values(c)}
    found = {}
    for dimension, value in keys:
        query = select(func.max(DimensionValue.month)).where(
            DimensionValue.dimension == dimension)
        if value is not None:
            query = query.where(DimensionValue.value == value)
        month = uow.session.scalar(query)
        if month is not None:
            found[(dimension, value)] = month
    return found
