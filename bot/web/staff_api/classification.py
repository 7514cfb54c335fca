"""The staff API's classification (/api/v1/classification, a customer's classification): the
dimension catalogue with its counts in the caller's scope, a customer's current values, and
the bank's imports (head office)."""

from datetime import date, datetime
from decimal import Decimal
from typing import Any

from flask import Response, jsonify

from bot import texts
from bot.web.console.support import work
from bot.web.openapi import ROW_ID
from bot.web.staff_api import ApiError, _scope, bp
from crm_core import services
from crm_core.model import StaffRole
from crm_core.queries.classification import recent_batches

BATCHES_LISTED = 50


@bp.get("/classification/dimensions")
def dimensions() -> Response:
    """Every dimension in words, with its values counted in the caller's scope."""
    with work() as uow:
        cards = services.classification.catalogue(uow, _scope())
    return jsonify(dimensions=[_dimension(card) for card in cards])


@bp.get(f"/customers/<{ROW_ID}:customer_id>/classification")
def customer_classification(customer_id: int) -> Response:
    """A customer's current values on each stored dimension, and their staff tags."""
    with work() as uow:
        found = services.classification.customer_classes(uow, _scope(), customer_id)
    numbers = int(found.pop("customer_numbers") or 0)
    return jsonify(customer_id=customer_id, customer_numbers=numbers,
                   dimensions={code: [_value(row) for row in rows]
                               for code, rows in found.items()})


@bp.get("/classification/batches")
def batches() -> Response:
    """The latest imports of the bank's extracts, newest first (head office)."""
    if _scope().role is not StaffRole.HEAD_OFFICE:
        raise ApiError(403, "forbidden", texts.CLASSIFY_BATCHES_HEAD_OFFICE_ONLY)
    with work() as uow:
        rows = recent_batches(uow.session, BATCHES_LISTED)
    return jsonify(batches=[{name: _plain(value) for name, value in row.items()}
                            for row in rows])


def _dimension(card: dict[str, Any]) -> dict[str, Any]:
    plain = {name: _plain(card[name]) for name in (
        "code", "name", "definition", "standard", "coverage", "source", "profiling",
        "settings", "updated_at", "updated_by", "month")}
    return plain | {"counts": [{"value": str(v), "customers": int(n)}
                               for v, n in card["counts"]]}


def _value(row: dict[str, Any]) -> dict[str, Any]:
    return {"value": str(row["value"]), "amount": _plain(row.get("amount")),
            "by": row.get("by"), "at": _plain(row.get("at"))}


def _plain(value: Any) -> Any:
    # Amounts as exact decimal text; times in UTC with their Z; months as YYYY-MM-DD.
    if isinstance(value, Decimal):
        return f"{value:.2f}"
    if isinstance(value, datetime):
        return value.isoformat(timespec="seconds") + "Z"
    if isinstance(value, date):
        return value.isoformat()
    return value
