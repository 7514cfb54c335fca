"""Scorecard templates per role, kept by head office and versioned.

A template is a list of lines (metric, weight, scoring method, default target, floor and cap),
vetoes that zero or cut a line when a ratio passes a threshold, and penalties that deduct
points per recorded breach. Weights sum to 100; every metric must be one the run computes.
A saved template is never edited: a change is a new version, and cards name the version they
were scored with.
"""

from datetime import datetime
from decimal import Decimal, InvalidOperation
from typing import Any

from crm_core.model import AuditEvent, ManagerRole, Refusal
from crm_core.model.performance import ScoreTemplate
from crm_core.repositories import performance as sql
from crm_core.unit_of_work import SqlUnitOfWork

# Every metric a card can score, per manager and month (facts.py computes them).
METRICS = ("profit", "deposits", "loans", "aum_growth", "loan_growth", "deposit_loan",
           "asset_quality", "bad_ratio", "customers", "quality", "families", "fees",
           "events", "new_customers", "referral_credit", "leads_in_sla", "leads_converted",
           "talk_answered", "talk_rating", "campaign_follows", "campaign_leads",
           "campaign_conversions", "share_follows", "share_leads")
# The attribution metrics (campaign and share-driven follows, leads and conversions) are not
# in the default templates: their weights already sum to 100, and reweighting a role is head
# office's call; head office adds them to a role's template as a new version.
METHODS = ("completion", "rank")
EFFECTS = ("zero", "cut")
PENALTY_FACTS = ("complaints", "suitability")


def _line(metric: str, weight: int, method: str = "completion", target: int = 0,
          floor: int = 60, cap: int = 120) -> dict[str, Any]:
    return {"metric": metric, "weight": weight, "method": method, "target": target,
            "floor": floor, "cap": cap}


PENALTIES = [{"fact": "complaints", "points": 5}, {"fact": "suitability", "points": 10}]
DEFAULTS: dict[ManagerRole, dict[str, Any]] = {
    # 个贷业务拓展, 存贷比管理, 资产质量, 管户客户品质
    ManagerRole.LOAN: {"lines": [
        _line("loan_growth", 35, target=1_000_000), _line("deposit_loan", 20, target=30),
        _line("asset_quality", 25, target=100, floor=0, cap=100),
        _line("quality", 20, "rank")],
        "vetoes": [{"metric": "bad_ratio", "above": 3, "line": "asset_quality", "effect": "zero"},
                   {"metric": "bad_ratio", "above": 1.5, "line": "asset_quality",
                    "effect": "cut", "cut": 50}],
        "penalties": PENALTIES},
    ManagerRole.WEALTH: {"lines": [
        _line("profit", 35, target=50_000), _line("aum_growth", 20, target=2_000_000),
        _line("customers", 15, target=150), _line("families", 15, target=4),
        _line("fees", 15, "rank")], "vetoes": [], "penalties": PENALTIES},
    ManagerRole.RETAIL: {"lines": [
        _line("new_customers", 30, target=20), _line("referral_credit", 20, target=100_000),
        _line("deposits", 30, "rank"), _line("fees", 20, target=5_000)],
        "vetoes": [], "penalties": PENALTIES},
    ManagerRole.CORPORATE: {"lines": [
        _line("profit", 40, target=100_000), _line("deposits", 25, "rank"),
        _line("loans", 20, "rank"), _line("referral_credit", 15, target=500_000)],
        "vetoes": [], "penalties": PENALTIES},
}


def save_template(uow: SqlUnitOfWork, role: ManagerRole, rules: dict[str, Any], staff: str,
                  now: datetime) -> ScoreTemplate:
    """Check a role's template and keep it as the role's next version (audited)."""
    checked = check_rules(rules)
    latest = sql.latest_template(uow.session, role)
    template = ScoreTemplate(role=role, version=(latest.version + 1) if latest else 1,
                             rules=checked, created_by=staff, created_at=now)
    uow.session.add(template)
    uow.flush()
    uow.audit.add(AuditEvent(actor=staff, action="score_template", at=now,
                             subject=f"template:{role.value}:{template.version}",
                             detail={"lines": len(checked["lines"])}))
    return template


def current_template(uow: SqlUnitOfWork, role: ManagerRole, now: datetime) -> ScoreTemplate:
    """Return a role's newest template, keeping the default as version 1 if it has none."""
    found = sql.latest_template(uow.session, role)
    return found or save_template(uow, role, DEFAULTS[role], "system", now)


def check_rules(rules: dict[str, Any]) -> dict[str, Any]:
    """Return a template's rules with numbers as text, or refuse the first bad field."""
    lines = [_check_line(i, line) for i, line in enumerate(rules.get("lines") or [], 1)]
    total = sum(line["weight"] for line in lines)
    if total != 100:
        raise Refusal("weights_not_100", "weights do not sum to 100", total=total)
    metrics = {line["metric"] for line in lines}
    vetoes = [_check_veto(i, v, metrics) for i, v in enumerate(rules.get("vetoes") or [], 1)]
    penalties = [_check_penalty(i, p) for i, p in enumerate(rules.get("penalties") or [], 1)]
    return {"lines": lines, "vetoes": vetoes, "penalties": penalties}


def _check_line(at: int, line: dict[str, Any]) -> dict[str, Any]:
    metric, method = str(line.get("metric", "")), str(line.get("method", "completion"))
    if metric not in METRICS:
        raise Refusal("unknown_metric", "unknown metric", line=at, metric=metric[:32])
    if method not in METHODS:
        raise Refusal("unknown_method", "unknown scoring method", line=at, method=method[:32])
    weight = _number(line.get("weight"), at, "weight")
    floor = _number(line.get("floor", 0), at, "floor")
    cap = _number(line.get("cap", 100), at, "cap")
    if weight != int(weight) or not 0 < weight <= 100 or floor < 0 or cap < 1 or cap < floor:
        raise Refusal("bad_template_line", "bad weight, floor or cap", line=at)
    target = _number(line.get("target", 0), at, "target")
    return {"metric": metric, "weight": int(weight), "method": method, "target": str(target),
            "floor": str(floor), "cap": str(cap)}


def _check_veto(at: int, veto: dict[str, Any], metrics: set[str]) -> dict[str, Any]:
    effect, line = str(veto.get("effect", "")), str(veto.get("line", ""))
    if str(veto.get("metric", "")) not in METRICS or line not in metrics or effect not in EFFECTS:
        raise Refusal("bad_veto", "bad veto", line=at)
    cut = _number(veto.get("cut", 100 if effect == "zero" else 0), at, "cut")
    if not 0 < cut <= 100:
        raise Refusal("bad_veto", "bad veto", line=at)
    return {"metric": str(veto["metric"]), "above": str(_number(veto.get("above"), at, "above")),
            "line": line, "effect": effect, "cut": str(cut)}


def _check_penalty(at: int, penalty: dict[str, Any]) -> dict[str, Any]:
    if str(penalty.get("fact", "")) not in PENALTY_FACTS:
        raise Refusal("bad_penalty", "bad penalty", line=at)
    return {"fact": str(penalty["fact"]), "points": str(_number(penalty.get("points"), at,
                                                                 "points"))}


def _number(value: object, at: int, field: str) -> Decimal:
    try:
        found = Decimal(str(value))
    except InvalidOperation:
        raise Refusal("bad_template_number", "not a number", line=at, field=field) from None
    if not found.is_finite():
        raise Refusal("bad_template_number", "not a number", line=at, field=field)
    return found
