"""The monthly run: every manager's card computed and stored, then frozen once approved.

A draft month is recomputed whole, so running it twice leaves the same cards; once head office
approves a month it is frozen, and neither a run nor an import may change it (payroll was
given its figures). Ranks are taken across the network per role (同一平台竞争).
"""

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal
from typing import Any

from crm_core.model import AuditEvent, ManagerRole, Refusal
from crm_core.model.performance import MonthState
from crm_core.model.performance.profit import ProfitPolicy
from crm_core.repositories import performance as sql
from crm_core.services.collaboration.policy import ReferralPolicy
from crm_core.services.performance.attribution import ROWS
from crm_core.services.performance.facts import MonthFacts, month_facts
from crm_core.services.performance.imports import open_month
from crm_core.services.performance.scoring import CardInput, rank_percent, score_card
from crm_core.services.performance.templates import current_template
from crm_core.unit_of_work import SqlUnitOfWork

# Where each of BranchLink's own figures comes from (the rest is the imported book); an
# attributed figure names its rows, none when the manager had none that month.
OWN_SOURCES: dict[str, Any] = {
    "new_customers": "links", "leads_in_sla": "leads", "leads_converted": "leads",
    "talk_answered": "conversations", "talk_rating": "conversations",
    **{metric: {"rows": rows, "count": 0, "ids": []} for metric, rows in ROWS.items()}}


@dataclass(frozen=True)
class RunPolicy:
    """How profit is simulated and referral credit shared."""

    profit: ProfitPolicy = field(default_factory=ProfitPolicy)
    referrals: ReferralPolicy = field(default_factory=ReferralPolicy)


def run_month(uow: SqlUnitOfWork, month: date, policy: RunPolicy, staff: str,
              now: datetime) -> int:
    """Compute and store every card of a draft month; return how many (refused if frozen)."""
    record = open_month(uow, month)
    facts = month_facts(uow, month, policy.profit, policy.referrals)
    roles = sql.roles(uow.session)
    by_role: dict[ManagerRole, list[int]] = defaultdict(list)
    for manager_id in facts.values:
        by_role[roles[manager_id][0]].append(manager_id)
    cards: list[dict[str, Any]] = []
    targets: dict[int, dict[str, Decimal]] = defaultdict(dict)  # by manager, then metric
    for (manager_id, metric), value in sql.targets(uow.session, month).items():
        targets[manager_id][metric] = value
    for role, members in by_role.items():
        template = current_template(uow, role, now)
        cards += _cards(month, template.id, template.rules, role, members, facts, targets, now)
    count = sql.replace_cards(uow.session, month, cards)
    record.run_at = now
    uow.audit.add(AuditEvent(actor=staff, action="scorecards_run", at=now,
                             subject=f"scorecards:{month:%Y-%m}", detail={"cards": count}))
    return count


def _cards(month: date, template_id: int, rules: dict[str, Any], role: ManagerRole,
           members: list[int], facts: MonthFacts, targets: dict[int, dict[str, Decimal]],
           now: datetime) -> list[dict[str, Any]]:
    ranked = {rule["metric"]: rank_percent({m: facts.values[m].get(rule["metric"], Decimal(0))
                                            for m in members})
              for rule in rules["lines"] if rule["method"] == "rank"}
    found = []
    for manager_id in members:
        card = CardInput(
            values=facts.values[manager_id],
            targets=targets.get(manager_id, {}),
            ranks={metric: ranks[manager_id] for metric, ranks in ranked.items()},
            breaches=facts.breaches.get(manager_id, {}), peers=len(members),
            sources={**OWN_SOURCES, "referral_credit": facts.referrals.get(manager_id, []),
                     **facts.sources.get(manager_id, {})})
        total, lines = score_card(rules, card)
        profit = facts.profits[manager_id].total if manager_id in facts.profits else Decimal(0)
        found.append({"month": month, "manager_id": manager_id, "role": role,
                      "template_id": template_id, "total": total, "profit": profit,
                      "lines": lines, "computed_at": now})
    return found


def approve_month(uow: SqlUnitOfWork, month: date, staff: str, now: datetime) -> None:
    """Freeze a run month on head office's approval (audited); refused if not run or frozen."""
    record = open_month(uow, month)
    if record.run_at is None:
        raise Refusal("month_not_run", "month has no cards", month=f"{month:%Y-%m}")
    record.state, record.approved_by, record.frozen_at = MonthState.FROZEN, staff, now
    uow.audit.add(AuditEvent(actor=staff, action="scorecards_freeze", at=now,
                             subject=f"scorecards:{month:%Y-%m}", detail={}))
