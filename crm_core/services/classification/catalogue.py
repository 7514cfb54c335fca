"""The dimension catalogue: read by every role (counts in their scope), edited by head office.

Head office may reword a dimension (name, definition, standard, coverage) and tune the tier
thresholds; each change is audited with the fields it touched. The thresholds must rise from
潜力 to 私行, or the tier rule would have overlapping bands.
"""

from datetime import datetime
from decimal import Decimal, InvalidOperation
from typing import Any

from sqlalchemy import select

from crm_core.model import Dimension, OutOfScope, Refusal, Scope, StaffRole, Tier
from crm_core.queries import classification as reads
from crm_core.services.staff import audit
from crm_core.unit_of_work import SqlUnitOfWork

TEXT_FIELDS = {"name": 32, "definition": 2000, "standard": 2000, "coverage": 2000}
ORDER = ("tier", "aum", "lifecycle", "group", "medium", "employer", "holding", "channel",
         "interest", "risk", "tag")
# Dimensions computed at query time from other records: no stored values to count here.
QUERY_TIME = ("interest", "risk")
# 渠道 is computed at query time but for its mobile-banking part, imported month by month
# under its own code: the card counts that part (`mobile:active`, `mobile:inactive`).
STORED_PART = {"channel": "mobile"}


def catalogue(uow: SqlUnitOfWork, scope: Scope) -> list[dict[str, Any]]:
    """Return every dimension with its words and its values' counts in the scope."""
    dimensions = {d.code: d for d in uow.session.scalars(select(Dimension))}
    codes = [c for c in ORDER if c in dimensions] + sorted(set(dimensions) - set(ORDER))
    return [_card(uow, scope, dimensions[code]) for code in codes]


def _card(uow: SqlUnitOfWork, scope: Scope, dimension: Dimension) -> dict[str, Any]:
    stored = STORED_PART.get(dimension.code, dimension.code)
    prefix = f"{stored}:" if stored != dimension.code else ""
    counted = stored not in QUERY_TIME and stored != "aum"
    counts = reads.value_counts(uow.session, scope, stored) if counted else []
    return {"code": dimension.code, "name": dimension.name, "definition": dimension.definition,
            "standard": dimension.standard, "coverage": dimension.coverage,
            "source": dimension.source, "profiling": dimension.profiling,
            "settings": dimension.settings, "updated_at": dimension.updated_at,
            "updated_by": dimension.updated_by,
            "month": reads.latest_month(uow.session, stored),
            "counts": [(prefix + value, n) for value, n in counts]}


def update_dimension(uow: SqlUnitOfWork, scope: Scope, code: str, fields: dict[str, str],
                     now: datetime) -> None:
    """Change a dimension's words (and the tier's thresholds); head office only, audited."""
    if scope.role is not StaffRole.HEAD_OFFICE:
        raise OutOfScope("dimension catalogue")
    dimension = uow.session.get(Dimension, code)
    if dimension is None:
        raise LookupError(f"no dimension {code}")
    changed = [name for name in TEXT_FIELDS if name in fields
               and _text(name, fields[name]) != getattr(dimension, name)]
    for name in changed:
        setattr(dimension, name, _text(name, fields[name]))
    if code == "tier" and any(f"threshold_{t.value}" in fields for t in list(Tier)[1:]):
        settings = dict(dimension.settings)
        settings["thresholds"] = thresholds(fields)
        if settings != dimension.settings:
            dimension.settings = settings
            changed.append("thresholds")
    if changed:
        dimension.updated_at, dimension.updated_by = now, scope.username
        audit(uow, now, scope.username, "dimension_updated", code, {"fields": changed})


def _text(name: str, value: str) -> str:
    text = value.strip()
    if not text:
        raise Refusal("required", f"{name} is required", field=name)
    if len(text) > TEXT_FIELDS[name]:
        raise Refusal("too_long", f"{name} too long", field=name, limit=TEXT_FIELDS[name])
    return text


def thresholds(fields: dict[str, str]) -> dict[str, int]:
    """Read the tiers' lower bounds (yuan) from a form; they must rise from 潜力 to 私行."""
    found: dict[str, int] = {}
    for tier in list(Tier)[1:]:
        text = fields.get(f"threshold_{tier.value}", "").replace(",", "").strip()
        try:
            amount = Decimal(text)
        except InvalidOperation:
            raise Refusal("bad_threshold", "not an amount", value=text[:24]) from None
        if amount <= 0 or amount != amount.to_integral_value() or \
                (found and amount <= max(found.values())):
            raise Refusal("bad_threshold", "thresholds must rise", value=text[:24])
        found[tier.value] = int(amount)
    return found
