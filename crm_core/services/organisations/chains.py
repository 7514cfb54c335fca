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
from typing import Any, NamedTuple

from crm_core.model import (
    ChainLead,
    LeadStatus,
    Manager,
    Notice,
    NoticeKind,
    NoticeStatus,
    Organisation,
    ProductFamily,
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


class Trade(NamedTuple):
    """One relationship as the run reads it."""

    organisation_id: int
    counterparty_id: int
    kind: str
    monthly_volume: int | None


@dataclass(frozen=True)
class ChainReport:
    """What a run found: leads made, counterparties skipped for an open lead already."""

    created: list[int]
    already_open: int


def make_chain_leads(uow: SqlUnitOfWork, now: datetime, sla: timedelta,
                     key_link_ids: list[int] | None = None) -> ChainReport:
    """Turn the counterparties of key links (all, or those given) into chain leads."""
    keys = uow.organisations.key_links(key_link_ids)
    # Plain rows, not objects: a thousand key links touch tens of thousands of relationships.
    relations = [Trade(*edge[1:]) for edge in
                 (uow.organisations.edges_of([k.id for k in keys]) if keys else [])]
    # The biggest trade first: an organisation reached twice keeps its strongest reason.
    relations.sort(key=lambda r: (-(r.monthly_volume or 0), r.organisation_id, r.counterparty_id))
    by_id = {o.id: o for o in uow.organisations.by_ids(
        sorted({i for r in relations for i in (r.organisation_id, r.counterparty_id)}))}
    taken, desks = uow.organisations.open_chain_leads(), _Desks(uow)
    made: list[ChainLead] = []
    already, key_ids = 0, {k.id for k in keys}
    for rel in relations:
        for key_id, other_id in _ends(rel, key_ids):
            other = by_id[other_id]
            missing = _missing(other)
            if missing is None:
                continue
            if other.id in taken:
                already += 1
                continue
            made.append(_lead(uow, by_id[key_id], other, rel, missing, desks.pick(other), now,
                              sla))
            taken.add(other.id)
    uow.flush()  # one batch of inserts; then the leads' notices, keyed by their ids, in one
    uow.organisations.queue_notices([
        Notice(key=f"chain:{lead.id}:new", kind=NoticeKind.NEW_LEAD, manager_id=lead.manager.id,
               payload=chain_payload(lead, by_id[lead.organisation_id]),
               status=NoticeStatus.PENDING if lead.manager.openid else NoticeStatus.HELD,
               next_attempt_at=now, created_at=now)
        for lead in made if lead.manager is not None])
    return ChainReport([lead.id for lead in made], already)


def _ends(rel: Trade, keys: set[int]) -> list[tuple[int, int]]:
    ends = []
    if rel.organisation_id in keys:
        ends.append((rel.organisation_id, rel.counterparty_id))
    if rel.counterparty_id in keys:
        ends.append((rel.counterparty_id, rel.organisation_id))
    return ends


def _missing(organisation: Organisation) -> list[str] | None:
    """Return what the organisation lacks ([] : everything, it is no customer), or None."""
    if organisation.manager_id is None and not organisation.products:
        return []
    if organisation.lacks(ProductFamily.SETTLEMENT):
        return [ProductFamily.SETTLEMENT.value]
    return None


def reason(key: Organisation, rel: Trade, missing: list[str]) -> str:
    """Say in words why the counterparty is worth a call."""
    role = (FROM_KEY if rel.organisation_id == key.id else TO_KEY)[TradeKind(rel.kind)]
    volume = rel.monthly_volume
    trade = "交易额未知" if volume is None else (
        f"月交易额约 {volume / 10000:.0f} 万元" if volume >= 10000 else f"月交易额约 {volume} 元")
    gap = NOT_A_CUSTOMER if not missing else NO_SETTLEMENT
    return f"{key.name}的{role}，{trade}，{gap}"


def _lead(uow: SqlUnitOfWork, key: Organisation, other: Organisation, rel: Trade,
          missing: list[str], manager: Manager | None, now: datetime,
          sla: timedelta) -> ChainLead:
    lead = ChainLead(organisation_id=other.id, key_link_id=key.id, manager=manager,
                     branch_id=other.branch_id, reason=reason(key, rel, missing),
                     missing=missing, monthly_volume=rel.monthly_volume,
                     status=LeadStatus.NEW, created_at=now, due_at=now + sla)
    uow.organisations.add(lead)
    return lead


def chain_payload(lead: ChainLead, organisation: Organisation) -> dict[str, Any]:
    """Return what a chain lead's notice says (as a lead's: whom, where from, due when)."""
    return {"chain_lead_id": lead.id, "organisation": organisation.code,
            "customer": organisation.name, "source": "chain",
            "due_at": lead.due_at.isoformat()}


class _Desks:
    """The branch and industry rule, with each branch's corporate managers read once."""

    def __init__(self, uow: SqlUnitOfWork) -> None:
        self.uow = uow
        self.branches: dict[int, list[tuple[Manager, dict[str, int], int]]] = {}
        self.given: dict[int, int] = {}

    def pick(self, organisation: Organisation) -> Manager | None:
        owner = organisation.manager
        if owner is not None and owner.takes_customers:
            return owner
        if organisation.branch_id not in self.branches:
            self.branches[organisation.branch_id] = self.uow.organisations.corporate_desks(
                organisation.branch_id)
        desks = self.branches[organisation.branch_id]
        if not desks:
            return None
        industry = organisation.industry or ""
        chosen = min(desks, key=lambda d: (-d[1].get(industry, 0),
                                           d[2] + self.given.get(d[0].id, 0), d[0].id))[0]
        self.given[chosen.id] = self.given.get(chosen.id, 0) + 1
        return chosen


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
            "due_at": lead.due_at, "overdue": lead.status is LeadStatus.NEW and lead.due_at <= now}


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
