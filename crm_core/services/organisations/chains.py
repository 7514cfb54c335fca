"""Chain marketing: the counterparties of key links that are not customers of the bank, or
hold no settlement account, become chain leads for corporate managers.

Each lead says why in words ("顺达物流有限公司的下游客户，月交易额约 12 万元，尚未开立结算
账户"). An organisation with an open chain lead gets no second one. The lead goes to the
organisation's own corporate manager; failing that, to the corporate manager of its branch
who already serves most organisations of its industry (the fewest open chain leads breaking
a tie); with none, it waits for the branch head. It is due as any lead is, and is reminded
and escalated the same way.
"""

from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from crm_core.model import (
    ChainLead,
    LeadStatus,
    NoticeKind,
    Organisation,
    Refusal,
    Scope,
    StaffRole,
    TradeKind,
)
from crm_core.services.notices import enqueue_notice
from crm_core.unit_of_work import SqlUnitOfWork

# What the counterparty is to the key link: by the relationship's kind, seen from the key
# link's side (it recorded the relationship) or from the counterparty's.
FROM_KEY = {TradeKind.SUPPLIER: "上游供应商", TradeKind.BUYER: "下游客户",
            TradeKind.LOGISTICS: "物流服务商", TradeKind.LANDLORD: "出租方"}
TO_KEY = {TradeKind.SUPPLIER: "下游客户", TradeKind.BUYER: "上游供应商",
          TradeKind.LOGISTICS: "物流客户", TradeKind.LANDLORD: "租户"}
NOT_A_CUSTOMER = "尚未在我行开户"
NO_SETTLEMENT = "尚未开立结算账户"


@dataclass(frozen=True)
class ChainReport:
    """What a run found: leads made, counterparties skipped for an open lead already."""

    created: list[int]
    already_open: int


def reason(key_name: str, from_key: bool, kind: str, volume: int | None,
           missing: list[str]) -> str:
    """Say in words why the counterparty is worth a call (from_key: the key link recorded
    the relationship, so `kind` is what the counterparty is to it)."""
    role = (FROM_KEY if from_key else TO_KEY)[TradeKind(kind)]
    trade = "交易额未知" if volume is None else (
        f"月交易额约 {volume / 10000:.0f} 万元" if volume >= 10000 else f"月交易额约 {volume} 元")
    gap = NOT_A_CUSTOMER if not missing else NO_SETTLEMENT
    return f"{key_name}的{role}，{trade}，{gap}"


def chain_payload(lead: ChainLead, organisation: Organisation) -> dict[str, Any]:
    """Return what a chain lead's notice says (as a lead's: whom, where from, due when)."""
    return {"chain_lead_id": lead.id, "organisation": organisation.code,
            "customer": organisation.name, "source": "chain",
            "due_at": lead.due_at.isoformat()}


def chase_chain_leads(uow: SqlUnitOfWork, now: datetime, escalate_after: timedelta) -> int:
    """Remind managers of chain leads past due; later, tell the branch heads."""
    queued = 0
    for lead in uow.organisations.overdue_chain_leads(now):
        payload = chain_payload(lead, lead.organisation)
        if lead.manager is not None and lead.reminded_at is None:
            queued += enqueue_notice(uow, f"chain:{lead.id}:reminder", NoticeKind.LEAD_REMINDER,
                                     lead.manager, payload, now)
            lead.reminded_at = now
        if lead.escalated_at is None and now >= lead.due_at + escalate_after:
            for head in uow.managers.heads_of(lead.branch_id):
                queued += enqueue_notice(uow, f"chain:{lead.id}:escalation:{head.id}",
                                         NoticeKind.LEAD_ESCALATION, head,
                                         {**payload, "manager": lead.manager.name
                                          if lead.manager else None}, now)
            lead.escalated_at = now
    return queued


# The steps staff may take from each open status of a chain lead.
CHAIN_STEPS = {LeadStatus.NEW: (LeadStatus.CONTACTED, LeadStatus.CONVERTED, LeadStatus.LOST),
               LeadStatus.CONTACTED: (LeadStatus.CONVERTED, LeadStatus.LOST)}


def step_chain_lead(uow: SqlUnitOfWork, scope: Scope, lead_id: int, status: LeadStatus,
                    now: datetime) -> ChainLead:
    """Move a chain lead on for staff who work it: its manager, its branch's head, head
    office (Refusal with the reason otherwise, or for a step its status does not allow)."""
    lead = uow.organisations.chain_lead(lead_id)
    if lead is None:
        raise LookupError(f"no chain lead {lead_id}")
    if not works_chain_lead(scope, lead):
        raise Refusal("chain_lead_not_yours", "the scope does not work this chain lead")
    if status not in CHAIN_STEPS.get(lead.status, ()):
        raise Refusal("chain_lead_step", "the lead's status does not allow this step",
                      status=lead.status.value)
    return move_chain_lead(uow, lead_id, status, now)


def works_chain_lead(scope: Scope, lead: ChainLead) -> bool:
    """Say whether the scope works a chain lead: its manager, its branch's head, head office."""
    if scope.role is StaffRole.HEAD_OFFICE:
        return True
    if scope.role is StaffRole.BRANCH_HEAD:
        return lead.branch_id == scope.branch_id
    return scope.manager_id is not None and lead.manager_id == scope.manager_id


def move_chain_lead(uow: SqlUnitOfWork, lead_id: int, status: LeadStatus,
                    now: datetime) -> ChainLead:
    """Mark a chain lead contacted, converted or lost."""
    lead = uow.organisations.chain_lead(lead_id)
    if lead is None:
        raise LookupError(f"no chain lead {lead_id}")
    lead.status = status
    if status is LeadStatus.CONTACTED:
        lead.contacted_at = lead.contacted_at or now
    if status in (LeadStatus.CONVERTED, LeadStatus.LOST):
        lead.contacted_at, lead.closed_at = lead.contacted_at or now, now
    return lead


def chain_lead_row(lead: ChainLead, now: datetime) -> dict[str, Any]:
    """Return a chain lead as staff read it."""
    return {"id": lead.id, "organisation": lead.organisation.code,
            "name": lead.organisation.name, "key_link": lead.key_link.name,
            "reason": lead.reason, "status": lead.status.value,
            "manager": lead.manager.name if lead.manager else None,
            "due_at": lead.due_at, "overdue": lead.status is LeadStatus.NEW and lead.due_at <= now,
            "steps": [step.value for step in CHAIN_STEPS.get(lead.status, ())]}


def chain_leads_in(uow: SqlUnitOfWork, scope: Scope, now: datetime,
                   limit: int = 20) -> list[dict[str, Any]]:
    """Return the open chain leads the scope works: a manager's, a branch's, or all."""
    manager = scope.manager_id if scope.role is StaffRole.MANAGER else None
    branch = scope.branch_id if scope.role is StaffRole.BRANCH_HEAD else None
    if scope.role is StaffRole.MANAGER and manager is None:
        return []
    return [chain_lead_row(lead, now)
            for lead in uow.organisations.open_chain_leads_for(manager, branch, limit)]


def key_links_in(uow: SqlUnitOfWork, scope: Scope) -> list[int] | None:
    """Return the key links a run started by the scope covers (None: every one)."""
    if scope.role is StaffRole.HEAD_OFFICE:
        return None
    return [o.id for o in uow.organisations.key_links()
            if (scope.role is StaffRole.BRANCH_HEAD and o.branch_id == scope.branch_id)
            or (scope.manager_id is not None and o.manager_id == scope.manager_id)]
