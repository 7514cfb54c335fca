"""The segment rule language: JSON checked into a tree of conditions, each fault named by path.

A rule is `{"all": [...]}`, `{"any": [...]}`, `{"not": {...}}` or a condition
`{"dim": code, "op": op, "value": ..., "month": "YYYY-MM"}`. What a dimension accepts depends
on how it is evaluated (its *behaviour*): stored labels and amounts come from the monthly
classification values, the others are derived from the CRM's own tables when the rule is
counted. A fault is reported with the JSON path of the offending part (`$.all[1].op`), so the
console and the API can point at it.

渠道 (`channel`) also holds the mobile-banking activity: `mobile:active` in a month (the
monthly active users), and `last_login:YYYY-MM`, the latest month a customer was active,
compared as a month. A rule naming the former dimension `mobile` reads as those conditions.
"""

import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date
from typing import Any

OPS = ("eq", "ne", "in", "not_in", "gt", "gte", "lt", "lte", "between", "within_days",
       "member")
LABEL_OPS = frozenset({"eq", "ne", "in", "not_in"})
AMOUNT_OPS = frozenset({"eq", "gt", "gte", "lt", "lte", "between"})
# How each dimension is evaluated, and the operators it accepts.
BEHAVIOUR_OPS: dict[str, frozenset[str]] = {
    "label": LABEL_OPS, "amount": AMOUNT_OPS, "group": frozenset({"member", "eq", "in"}),
    "tag": frozenset({"member", "eq", "in", "ne", "not_in"}), "follow": LABEL_OPS,
    "branch": LABEL_OPS, "manager": LABEL_OPS, "interest": frozenset({"eq", "in"}),
    "channel": frozenset({"within_days", "eq", "in", "gt", "gte", "lt", "lte", "between"}),
    "risk": AMOUNT_OPS | {"ne", "within_days"},
}
# Dimensions evaluated from the CRM's own tables (every other one is stored monthly).
DERIVED = {"group": "group", "tag": "tag", "follow": "follow", "branch": "branch",
           "manager": "manager", "interest": "interest", "channel": "channel", "risk": "risk"}
# Where a stored label has a closed set of codes, the rule must use one of them.
CODES = {"tier": ("mass", "potential", "affluent", "vip", "private"),
         "lifecycle": ("new", "growing", "mature", "declining", "dormant", "lost"),
         "follow": ("following", "unfollowed", "unknown"), "mobile": ("active", "inactive")}
CHANNEL_KINDS = ("scene", "branch", "campaign", "mobile", "last_login")
MOBILE_STATES = ("active", "inactive")  # 手机银行月活 as imported: active or not that month
COMPARISONS = frozenset({"gt", "gte", "lt", "lte", "between"})
MAX_CONDITIONS = 40
MAX_DEPTH = 6
MAX_DAYS = 3660
MAX_NUMBER = 10**15  # above any balance, inside Numeric(18, 2)
MONTH = re.compile(r"^(\d{4})-(0[1-9]|1[0-2])$")


class RuleError(ValueError):
    """A rule that cannot be evaluated: `code` says why, `path` where (`$.all[1].op`)."""

    def __init__(self, code: str, path: str, **params: Any) -> None:
        super().__init__(f"{path}: {code}")
        self.code, self.path, self.params = code, path, {"path": path, **params}


@dataclass(frozen=True)
class DimensionInfo:
    """What the rule checker knows of one dimension: how it is evaluated, and if it profiles."""

    code: str
    behaviour: str
    profiling: bool


@dataclass(frozen=True)
class Vocabulary:
    """The names a rule may use: dimensions, list names, branch and manager codes."""

    dimensions: Mapping[str, DimensionInfo]
    lists: frozenset[str] = frozenset()
    branches: frozenset[str] = frozenset()
    managers: frozenset[str] = frozenset()
    categories: frozenset[str] = frozenset()


@dataclass(frozen=True)
class Condition:
    """One test on one dimension; `values` holds every value named (one for eq, two between)."""

    dim: str
    behaviour: str
    op: str
    values: tuple[Any, ...]
    month: date | None = None
    profiling: bool = False


@dataclass(frozen=True)
class Group:
    """All (`all`) or any (`any`) of its parts."""

    kind: str
    parts: tuple["Node", ...]


@dataclass(frozen=True)
class Negation:
    """The customers its part does not match."""

    part: "Node"


Node = Condition | Group | Negation


@dataclass
class _Walk:
    vocabulary: Vocabulary
    conditions: int = 0
    profiling: set[str] = field(default_factory=set)


def parse_rule(rule: Any, vocabulary: Vocabulary) -> Node:
    """Check a JSON rule and return its tree (RuleError names the first fault and its path)."""
    return _node(rule, "$", _Walk(vocabulary), 0)


def conditions(node: Node) -> list[Condition]:
    """Return every condition of a rule tree, left to right."""
    if isinstance(node, Condition):
        return [node]
    parts = (node.part,) if isinstance(node, Negation) else node.parts
    return [found for part in parts for found in conditions(part)]


def profiling_dimensions(node: Node) -> frozenset[str]:
    """Return the profile dimensions a rule uses (the personalisation opt-out applies to them)."""
    if isinstance(node, Condition):
        return frozenset({node.dim}) if node.profiling else frozenset()
    parts = (node.part,) if isinstance(node, Negation) else node.parts
    return frozenset().union(*(profiling_dimensions(part) for part in parts))


def _node(raw: Any, path: str, walk: _Walk, depth: int) -> Node:
    if not isinstance(raw, dict) or not raw:
        raise RuleError("rule_shape", path)
    if depth > MAX_DEPTH:
        raise RuleError("rule_depth", path, limit=MAX_DEPTH)
    if raw.get("dim") == "mobile" and "mobile" not in walk.vocabulary.dimensions:
        raw = from_mobile(raw)
        if "not" in raw:
            return Negation(_condition(raw["not"], path, walk))
    if "dim" in raw:
        return _condition(raw, path, walk)
    if len(raw) != 1:
        raise RuleError("rule_shape", path)
    key, value = next(iter(raw.items()))
    if key == "not":
        return Negation(_node(value, f"{path}.not", walk, depth + 1))
    if key not in ("all", "any"):
        raise RuleError("rule_key", f"{path}.{key[:40]}", key=key[:40])
    if not isinstance(value, list) or not value:
        raise RuleError("rule_list", f"{path}.{key}")
    return Group(key, tuple(_node(part, f"{path}.{key}[{index}]", walk, depth + 1)
                            for index, part in enumerate(value)))


def _condition(raw: dict[str, Any], path: str, walk: _Walk) -> Condition:
    extra = sorted(set(raw) - {"dim", "op", "value", "month"})
    if extra:
        raise RuleError("rule_key", f"{path}.{extra[0][:40]}", key=extra[0][:40])
    walk.conditions += 1
    if walk.conditions > MAX_CONDITIONS:
        raise RuleError("rule_size", path, limit=MAX_CONDITIONS)
    info = walk.vocabulary.dimensions.get(raw["dim"]) if isinstance(raw["dim"], str) else None
    if info is None:
        raise RuleError("unknown_dimension", f"{path}.dim", dim=str(raw["dim"])[:40])
    op = raw.get("op")
    if not isinstance(op, str) or op not in BEHAVIOUR_OPS[info.behaviour]:
        raise RuleError("unknown_operator", f"{path}.op", op=str(op)[:40], dim=info.code)
    values = _values(info, op, raw.get("value"), f"{path}.value", walk.vocabulary)
    month = _month(raw.get("month"), info, f"{path}.month", values)
    return Condition(info.code, info.behaviour, op, values, month, info.profiling)


def from_mobile(raw: dict[str, Any]) -> dict[str, Any]:
    """Read a condition on the former dimension `mobile` as the 渠道 condition it now is."""
    value = raw.get("value")
    values = [f"mobile:{v}" for v in (value if isinstance(value, list) else [value])]
    found = {"dim": "channel", "op": "in", "value": values} | (
        {"month": raw["month"]} if "month" in raw else {})
    return {"not": found} if raw.get("op") in ("ne", "not_in") else found


def mobile_values(condition: Condition) -> bool:
    """Whether a 渠道 condition names mobile-banking activity in a month (`mobile:`)."""
    return condition.behaviour == "channel" and any(
        str(v).startswith("mobile:") for v in condition.values)


def _month(raw: Any, info: DimensionInfo, path: str, values: tuple[Any, ...]) -> date | None:
    if raw is None:
        return None
    monthly = info.behaviour == "channel" and all(str(v).startswith("mobile:") for v in values)
    if info.behaviour not in ("label", "amount", "group") and not monthly:
        raise RuleError("month_not_stored", path, dim=info.code)
    found = MONTH.match(raw) if isinstance(raw, str) else None
    if found is None:
        raise RuleError("rule_month", path, value=str(raw)[:40])
    return date(int(found.group(1)), int(found.group(2)), 1)


def _values(info: DimensionInfo, op: str, raw: Any, path: str,
            vocabulary: Vocabulary) -> tuple[Any, ...]:
    if op == "within_days":
        return (_days(raw, path),)
    if info.behaviour == "channel" and op in COMPARISONS:
        return _login_months(op, raw, path)
    if op in COMPARISONS or info.behaviour in ("amount", "risk"):
        return _numbers(info, op, raw, path)
    many = op in ("in", "not_in") or (op == "member" and isinstance(raw, list))
    items = raw if many else [raw]
    if not isinstance(items, list) or not items or len(items) > 200:
        raise RuleError("bad_values", path)
    for index, item in enumerate(items):
        _check_name(info, item, f"{path}[{index}]" if many else path, vocabulary)
    return tuple(dict.fromkeys(items))


def _check_name(info: DimensionInfo, item: Any, path: str, vocabulary: Vocabulary) -> None:
    # Printable only: PostgreSQL refuses NUL, and a lone surrogate cannot be encoded.
    if not isinstance(item, str) or not item or len(item) > 64 or not item.isprintable():
        raise RuleError("bad_value", path, value=str(item)[:40])
    known = {"group": vocabulary.lists, "branch": vocabulary.branches,
             "manager": vocabulary.managers, "interest": vocabulary.categories}
    if info.behaviour in known and item not in known[info.behaviour]:
        raise RuleError(f"no_such_{info.behaviour}", path, value=item)
    codes = CODES.get(info.code)
    if codes is not None and item not in codes:
        raise RuleError("not_a_code", path, value=item, choices="、".join(codes))
    if info.behaviour == "channel":
        _check_channel(item, path)


def _check_channel(item: str, path: str) -> None:
    kind, _, name = item.partition(":")
    if kind not in CHANNEL_KINDS:
        raise RuleError("bad_channel", path, value=item)
    if kind == "mobile" and name not in MOBILE_STATES:
        raise RuleError("not_a_code", path, value=item,
                        choices="、".join(f"mobile:{s}" for s in MOBILE_STATES))
    if kind == "last_login" and MONTH.match(name) is None:
        raise RuleError("rule_month", path, value=name[:40])


def _login_months(op: str, raw: Any, path: str) -> tuple[Any, ...]:
    # Only the last-login month has an order: 最近登录月份 不早于 2026-09.
    items = raw if op == "between" else [raw]
    if not isinstance(items, list) or len(items) != (2 if op == "between" else 1):
        raise RuleError("bad_between", path)
    for index, item in enumerate(items):
        where = f"{path}[{index}]" if op == "between" else path
        if not isinstance(item, str) or not item.startswith("last_login:"):
            raise RuleError("channel_compare", where, value=str(item)[:40])
        _check_channel(item, where)
    if op == "between" and items[0] > items[1]:
        raise RuleError("bad_between", path)
    return tuple(items)


def _numbers(info: DimensionInfo, op: str, raw: Any, path: str) -> tuple[Any, ...]:
    items = raw if op == "between" else [raw]
    if not isinstance(items, list) or len(items) != (2 if op == "between" else 1):
        raise RuleError("bad_between", path)
    numbers = []
    for index, item in enumerate(items):
        where = f"{path}[{index}]" if op == "between" else path
        if isinstance(item, bool) or not isinstance(item, int | float) \
                or not 0 <= item <= MAX_NUMBER:
            raise RuleError("bad_number", where, value=str(item)[:40])
        if info.behaviour == "risk" and item not in range(1, 6):
            raise RuleError("bad_risk_level", where, value=str(item)[:40])
        numbers.append(item)
    if op == "between" and numbers[0] > numbers[1]:
        raise RuleError("bad_between", path)
    return tuple(numbers)


def _days(raw: Any, path: str) -> int:
    if isinstance(raw, bool) or not isinstance(raw, int) or not 1 <= raw <= MAX_DAYS:
        raise RuleError("bad_days", path, value=str(raw)[:40], limit=MAX_DAYS)
    return raw
