"""The staff API's scorecards (/api/v1/scorecards): a manager their own card, a branch head
the branch's, head office every one (a business line's account: its line's managers across
branches); the league table per role is published to all (a line's account: its own)."""

from datetime import date
from decimal import Decimal
from enum import StrEnum
from typing import Any

from flask import Response, jsonify, request

from bot import refusals, texts
from bot.runtime import run_policy
from bot.web.console.support import work
from bot.web.edge import current_runtime
from bot.web.staff_api import ApiError, _scope, bp
from crm_core.model import ManagerRole, Refusal
from crm_core.model.performance.registers import ComplaintVerdict
from crm_core.queries import performance as views
from crm_core.queries.performance import registers
from crm_core.services.classification import parse_month

ROLES = {role.value for role in ManagerRole}
VERDICTS = {verdict.value for verdict in ComplaintVerdict}


def _month(text: str) -> date:
    try:
        return parse_month(text)
    except Refusal as error:
        raise ApiError(422, "invalid", refusals.explain(error)) from error


def _role(text: str | None, required: bool = False) -> ManagerRole | None:
    if not text and not required:
        return None
    if text not in ROLES:
        raise ApiError(422, "invalid", texts.API_NOT_A_CHOICE.format(
            field="role", choices="、".join(sorted(ROLES))))
    return ManagerRole(text)


def _row(row: views.CardRow) -> dict[str, Any]:
    return {"month": f"{row.month:%Y-%m}", "manager": row.manager_code,
            "name": row.manager_name, "branch": row.branch_name, "role": row.role.value,
            "rank": row.rank, "total": str(row.total), "profit": str(row.profit)}


@bp.get("/scorecards")
def scorecards() -> Response:
    """The month's cards in scope, best first per role: ?month=YYYY-MM, ?role=."""
    month, role = _month(request.args.get("month", "")), _role(request.args.get("role"))
    with work() as uow:
        rows = views.cards(uow, _scope(), month, role)
    return jsonify(cards=[_row(r) for r in rows], total=len(rows))


@bp.get("/scorecards/league")
def league() -> Response:
    """A role's published league table across the network: ?month=YYYY-MM&role=."""
    month = _month(request.args.get("month", ""))
    role = _role(request.args.get("role"), required=True)
    assert role is not None  # noqa: S101 - required above
    with work() as uow:
        rows = views.league(uow, month, role, _scope())
    return jsonify(cards=[{"rank": r.rank, "name": r.manager_name, "branch": r.branch_name,
                           "role": r.role.value, "total": str(r.total)} for r in rows],
                   total=len(rows))


@bp.get("/scorecards/<month>/<code>")
def scorecard(month: str, code: str) -> Response:
    """One card with every line explained, and the manager's trend."""
    when = _month(month)
    with work() as uow:
        card = views.card(uow, _scope(), when, code)
        trend = views.trend(uow, _scope(), code)
    state = card["state"].value if card["state"] is not None else None
    return jsonify(month=f"{when:%Y-%m}", manager=card["manager"], name=card["name"],
                   role=card["role"].value, total=str(card["total"]),
                   profit=str(card["profit"]), state=state, lines=card["lines"],
                   trend=[{"month": f"{m:%Y-%m}", "total": str(t), "profit": str(p)}
                          for m, t, p in trend])


@bp.get("/scorecards/<month>/<code>/book")
def book(month: str, code: str) -> Response:
    """The source rows of a manager's month, each with what it adds to the profit."""
    when = _month(month)
    with work() as uow:
        rows = views.book(uow, _scope(), when, code, run_policy(current_runtime().settings)
                          .profit)
    return jsonify(rows=[{k: str(v) if isinstance(v, Decimal | StrEnum) else v
                          for k, v in r.items()} for r in rows], total=len(rows))


def _optional_month() -> date | None:
    text = request.args.get("month", "")
    return _month(text) if text else None


def _page() -> int:
    text = request.args.get("page", "1")
    if not text.isdigit() or not 0 < int(text) < 10_000:
        raise ApiError(422, "invalid", texts.API_NOT_A_CHOICE.format(field="page",
                                                                    choices="1–9999"))
    return int(text)


@bp.get("/scorecards/complaints")
def complaints() -> Response:
    """The complaints in scope, newest first, customers masked: ?month=, ?verdict=, ?page=."""
    verdict = request.args.get("verdict") or None
    if verdict is not None and verdict not in VERDICTS:
        raise ApiError(422, "invalid", texts.API_NOT_A_CHOICE.format(
            field="verdict", choices="、".join(sorted(VERDICTS))))
    with work() as uow:
        rows, total = registers.complaints(uow, _scope(), _optional_month(),
                                           ComplaintVerdict(verdict) if verdict else None,
                                           _page())
    return jsonify(complaints=[{
        "id": r.id, "received_on": r.received_on.isoformat(), "manager": r.manager_code,
        "name": r.manager_name, "branch": r.branch_name, "customer": r.customer,
        "channel": r.channel.value, "summary": r.summary, "detail": r.detail,
        "verdict": r.verdict.value, "reason": r.reason} for r in rows], total=total)


@bp.get("/scorecards/overrides")
def overrides() -> Response:
    """The suitability overrides in scope, newest first, customers masked: ?month=, ?page=."""
    with work() as uow:
        rows, total = registers.overrides(uow, _scope(), _optional_month(), _page())
    return jsonify(overrides=[{
        "id": r.id, "occurred_on": r.occurred_on.isoformat(), "manager": r.manager_code,
        "name": r.manager_name, "branch": r.branch_name, "customer": r.customer,
        "product": r.product_code, "customer_level": r.customer_level,
        "product_level": r.product_level, "reason": r.reason} for r in rows], total=total)
