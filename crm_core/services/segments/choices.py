"""What the rule builder offers: each dimension by its Chinese name, its comparisons and the
values to pick from (names, never typed codes). Branches and managers are those in scope."""

from dataclasses import dataclass
from typing import Any

from sqlalchemy import select

from crm_core.model import (
    Branch,
    Category,
    CustomerTag,
    Dimension,
    DimensionValue,
    Manager,
    Scope,
    StaffRole,
)
from crm_core.model.segments import DERIVED
from crm_core.model.segments.rules import BEHAVIOUR_OPS, CODES, MOBILE_STATES
from crm_core.queries.segments.compile import current_month
from crm_core.services.segments.rules import BUILT_IN, list_names
from crm_core.unit_of_work import SqlUnitOfWork

CHOICES_MAX = 200
# The order the builder lists dimensions in: who they are, then what they hold.
ORDER = ("follow", "branch", "manager", "tier", "aum", "group", "tag", "lifecycle", "channel",
         "risk", "interest", "holding", "medium", "employer")
# The comparison offered first is the likeliest: a list's membership, an activity window.
OP_ORDER = ("member", "within_days", "eq", "in", "ne", "not_in", "gte", "gt", "lte", "lt",
            "between")


@dataclass(frozen=True)
class DimensionChoice:
    """One dimension in the builder: `values` as (value, text) pairs; `input` says how a value
    is entered (choice, number, days, level)."""

    code: str
    name: str
    profiling: bool
    ops: tuple[str, ...]
    input: str
    values: tuple[tuple[str, str], ...]
    monthly: bool


def rule_choices(uow: SqlUnitOfWork, scope: Scope,
                 names: dict[str, str]) -> list[DimensionChoice]:
    """Return the builder's dimensions; `names` gives the Chinese names of built-in codes and
    of coded values (tiers, lifecycle stages, follow states, mobile-banking activity)."""
    catalogue = {d.code: d for d in uow.session.scalars(select(Dimension))}
    found = []
    for code in [*ORDER, *sorted(set(catalogue) - set(ORDER))]:
        dimension = catalogue.get(code)
        if dimension is None and code not in BUILT_IN:
            continue
        behaviour = DERIVED.get(code, dimension.kind if dimension else code)
        found.append(DimensionChoice(
            code, dimension.name if dimension else names.get(code, code),
            bool(dimension and dimension.profiling), _ops(behaviour),
            _input(behaviour), tuple(_values(uow, scope, code, behaviour, names)),
            behaviour in ("label", "amount", "group")))
    return found


def _ops(behaviour: str) -> tuple[str, ...]:
    ops = sorted(BEHAVIOUR_OPS[behaviour], key=OP_ORDER.index)
    if behaviour == "risk":  # a level first; expiry windows are the rarer question
        ops.append(ops.pop(0))
    return tuple(ops)


def _input(behaviour: str) -> str:
    return {"amount": "number", "risk": "level", "channel": "channel"}.get(behaviour, "choice")


def _values(uow: SqlUnitOfWork, scope: Scope, code: str, behaviour: str,
            names: dict[str, str]) -> list[tuple[str, str]]:
    if code in CODES:
        return [(value, names.get(value, value)) for value in CODES[code]]
    simple: dict[str, Any] = {
        "group": lambda: [(name, name) for name in list_names(uow)],
        "interest": lambda: [(c.value, c.value) for c in Category],
        "branch": lambda: _branches(uow, scope), "manager": lambda: _managers(uow, scope),
        "tag": lambda: _distinct(uow, select(CustomerTag.tag).distinct()),
        "channel": lambda: [(f"mobile:{state}", names.get(f"mobile:{state}", state))
                            for state in MOBILE_STATES] + [
                                (f"branch:{code}", f"来自{name}") for code, name in
                                _branches(uow, scope)],
        "label": lambda: _distinct(uow, select(DimensionValue.value).distinct().where(
            DimensionValue.dimension == code, DimensionValue.month == current_month(code)))}
    return list(simple[behaviour]()) if behaviour in simple else []


def _distinct(uow: SqlUnitOfWork, query: Any) -> list[tuple[str, str]]:
    return [(value, value) for value in uow.session.scalars(query.limit(CHOICES_MAX))]


def _branches(uow: SqlUnitOfWork, scope: Scope) -> list[tuple[str, str]]:
    query = select(Branch.code, Branch.name).order_by(Branch.code)
    if scope.role is not StaffRole.HEAD_OFFICE:
        query = query.where(Branch.id == scope.branch_id)
    return [(code, name) for code, name in uow.session.execute(query)]


def _managers(uow: SqlUnitOfWork, scope: Scope) -> list[tuple[str, str]]:
    query = select(Manager.code, Manager.name).order_by(Manager.code)
    if scope.role is StaffRole.BRANCH_HEAD:
        query = query.where(Manager.branch_id == scope.branch_id)
    elif scope.role is StaffRole.MANAGER:
        query = query.where(Manager.id == scope.manager_id)
    return [(code, f"{name} · {code}") for code, name in uow.session.execute(query)]
