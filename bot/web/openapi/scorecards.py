"""Scorecards (bot/web/staff_api/scorecards.py)."""

from typing import Any

from bot.web.openapi.parts import (
    CODE_PATH,
    INT,
    MONTH,
    WHOLE_OR_NULL,
    op,
    query,
    record,
    ref,
    text,
)
from crm_core.model import ManagerRole
from crm_core.model.performance.registers import ComplaintChannel, ComplaintVerdict

SCHEMAS: dict[str, Any] = {}

_ROLE = {"type": "string", "enum": [r.value for r in ManagerRole]}
_MONEY = {"type": "string", "description": "yuan, as decimal text"}
SCHEMAS["ScorecardRow"] = record(month=text(), manager=text(), name=text(), branch=text(),
                                 role=_ROLE, rank=INT, total=_MONEY, profit=_MONEY)
SCHEMAS["LeagueRow"] = record(rank=INT, name=text(), branch=text(), role=_ROLE,
                              total=_MONEY)
SCHEMAS["Scorecard"] = record(
    month=text(), manager=text(), name=text(), role=_ROLE, total=_MONEY, profit=_MONEY,
    state={"type": ["string", "null"], "enum": ["draft", "frozen", None]},
    lines={"type": "array", "items": {
        "type": "object", "required": ["metric", "method", "weight", "score"],
        "description": "metric, value, target, method, percent, score, weight, the veto "
                       "applied and the source (book rows, links or referral ids)"}},
    trend={"type": "array", "items": record(month=text(), total=_MONEY, profit=_MONEY)})
SCHEMAS["BookRow"] = record(
    line=INT, customer=text(), kind=text(), product=text(), balance=_MONEY,
    customer_rate=_MONEY, ftp_rate=_MONEY, fee=_MONEY, overdue=_MONEY, npl=_MONEY,
    profit=_MONEY)
_VERDICT = {"type": "string", "enum": [v.value for v in ComplaintVerdict]}
SCHEMAS["Complaint"] = record(
    id=INT, received_on={"type": "string", "format": "date"}, manager=text(), name=text(),
    branch=text(), customer={"type": "string", "description": "masked: 张** or 客户 #id"},
    channel={"type": "string", "enum": [c.value for c in ComplaintChannel]}, summary=text(),
    detail=text(), verdict=_VERDICT, reason=text())
SCHEMAS["SuitabilityOverride"] = record(
    id=INT, occurred_on={"type": "string", "format": "date"}, manager=text(), name=text(),
    branch=text(), customer={"type": "string", "description": "masked: 张** or 客户 #id"},
    product=text(), customer_level=WHOLE_OR_NULL, product_level=INT, reason=text())
_PAGE = query("page", {"type": "integer", "minimum": 1, "maximum": 9999})
_MONTH_PATH = {"name": "month", "in": "path", "required": True, "schema": MONTH}
_MONTH_QUERY = {**query("month", MONTH), "required": True}

PATHS: dict[str, Any] = {
    "/api/v1/scorecards": {"get": op(
        "The month's cards in scope (a manager their own, a branch head the branch's, a "
        "head-office account on a business line that line's managers)",
        record(cards={"type": "array", "items": ref("ScorecardRow")}, total=INT), "422",
        params=[_MONTH_QUERY, query("role", _ROLE)])},
    "/api/v1/scorecards/league": {"get": op(
        "A role's published league table across the network (ties share a rank); a "
        "business line's account reads its own line's only",
        record(cards={"type": "array", "items": ref("LeagueRow")}, total=INT), "403", "422",
        params=[_MONTH_QUERY, {**query("role", _ROLE), "required": True}])},
    "/api/v1/scorecards/complaints": {"get": op(
        "The complaints in scope, newest first, 20 a page (a substantiated one deducts on the "
        "card of the month received)",
        record(complaints={"type": "array", "items": ref("Complaint")}, total=INT), "422",
        params=[query("month", MONTH), query("verdict", _VERDICT), _PAGE])},
    "/api/v1/scorecards/overrides": {"get": op(
        "The suitability overrides in scope, newest first, 20 a page (each deducts on the "
        "card of its month)",
        record(overrides={"type": "array", "items": ref("SuitabilityOverride")}, total=INT),
        "422", params=[query("month", MONTH), _PAGE])},
    "/api/v1/scorecards/{month}/{code}": {"get": op(
        "One card, every line explained, with the manager's trend", ref("Scorecard"),
        "403", "404", "422", params=[_MONTH_PATH, CODE_PATH])},
    "/api/v1/scorecards/{month}/{code}/book": {"get": op(
        "The source rows of a manager's month, each with its simulated profit",
        record(rows={"type": "array", "items": ref("BookRow")}, total=INT),
        "403", "404", "422", params=[_MONTH_PATH, CODE_PATH])},
}
