"""Leads: open one for the right manager, follow it up, remind and escalate when it is late."""

from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Any

from crm_core.model import (
    Customer,
    Lead,
    LeadStatus,
    Manager,
    ManagerCard,
    ManagerState,
    NoticeKind,
)
from crm_core.services.customers import customer_label, ensure_customer
from crm_core.services.notices import enqueue_notice
from crm_core.services.onboarding import assign_in_branch
from crm_core.unit_of_work import UnitOfWork


@dataclass(frozen=True)
class LeadOutcome:
    """The lead a request landed in."""

    lead_id: int
    manager: ManagerCard | None
    duplicate: bool


def open_lead(uow: UnitOfWork, openid: str, source: str, now: datetime, sla: timedelta,
              product_code: str | None = None) -> LeadOutcome:
    """Open a lead for the customer's manager (or the branch's round robin) and notify them.

    A customer asking twice for the same thing while a lead is open gets that lead again.
    """
    customer = ensure_customer(uow, openid, now, source=source)
    existing = uow.leads.open_for(customer, source, product_code)
    if existing is not None:
        return LeadOutcome(existing.id, _card(existing.manager), duplicate=True)
    manager = _handler_for(uow, customer)
    lead = uow.leads.add_unless_open(Lead(
        customer_id=customer.id, manager_id=manager.id if manager else None, source=source,
        product_code=product_code,
        branch_id=manager.branch_id if manager else customer.home_branch_id,
        status=LeadStatus.NEW, created_at=now, due_at=now + sla))
    if lead is None:  # the same request, sent at the same moment, opened it first
        return _existing(uow, customer, source, product_code)
    if manager is not None:
        enqueue_notice(uow, f"lead:{lead.id}:new", NoticeKind.NEW_LEAD, manager,
                       _payload(uow, lead, customer), now)
    return LeadOutcome(lead.id, _card(manager), duplicate=False)


def update_lead(uow: UnitOfWork, lead_id: int, status: LeadStatus, now: datetime,
                note: str | None = None) -> Lead:
    """Move a lead on (contacted, converted, lost), optionally with a note."""
    lead = uow.leads.get(lead_id)
    if lead is None:
        raise LookupError(f"no lead {lead_id}")
    lead.move_to(status, now)
    if note:
        lead.add_note(note)
    return lead


def chase_overdue_leads(uow: UnitOfWork, now: datetime, escalate_after: timedelta) -> int:
    """Remind managers of new leads past due; later, tell the branch heads. Returns notices."""
    queued = 0
    for lead in uow.leads.overdue(now):
        if lead.manager is not None and lead.reminded_at is None:
            queued += _notify(uow, lead, "reminder", NoticeKind.LEAD_REMINDER, [lead.manager], now)
            lead.reminded_at = now
        if lead.branch_id is not None and now >= lead.due_at + escalate_after:
            heads = uow.managers.heads_of(lead.branch_id)
            queued += _notify(uow, lead, "escalation", NoticeKind.LEAD_ESCALATION, heads, now)
            lead.escalated_at = now
    return queued


def queue_digests(uow: UnitOfWork, day: date, now: datetime) -> int:
    """Queue one daily digest per bound manager for `day` (idempotent per manager and day)."""
    counts = uow.leads.open_counts(now)
    queued = 0
    for manager in uow.managers.all_bound():
        open_leads, overdue = counts.get(manager.id, (0, 0))
        queued += enqueue_notice(uow, f"digest:{manager.id}:{day.isoformat()}",
                                 NoticeKind.DAILY_DIGEST, manager,
                                 {"date": day.isoformat(), "open_leads": open_leads,
                                  "overdue_leads": overdue}, now)
    return queued


def _notify(uow: UnitOfWork, lead: Lead, step: str, kind: NoticeKind, to: list[Manager],
            now: datetime) -> int:
    payload = _payload(uow, lead, lead.customer) | {
        "manager": lead.manager.name if lead.manager else None}
    return sum(enqueue_notice(uow, f"lead:{lead.id}:{step}:{m.id}", kind, m, payload, now)
               for m in to)


def _payload(uow: UnitOfWork, lead: Lead, customer: Customer) -> dict[str, Any]:
    # What a manager's notice names: the customer and the product as staff know them.
    product = uow.products.by_code(lead.product_code) if lead.product_code else None
    return {"lead_id": lead.id, "customer_id": customer.id,
            "customer": customer.display_name or customer_label(customer.openid),
            "source": lead.source, "product": lead.product_code,
            "product_name": product.name if product else lead.product_code,
            "due_at": lead.due_at.isoformat()}


def _handler_for(uow: UnitOfWork, customer: Customer) -> Manager | None:
    # A lead needs someone who can act now: the customer's manager if active, else the
    # round robin of that manager's branch (or the customer's home branch).
    link = customer.current_link
    if link is not None and link.manager.state is ManagerState.ACTIVE:
        return link.manager
    branch = link.manager.branch if link else customer.home_branch
    return assign_in_branch(uow, branch) if branch else None


def _existing(uow: UnitOfWork, customer: Customer, source: str,
              product_code: str | None) -> LeadOutcome:
    lead = uow.leads.open_for(customer, source, product_code)
    if lead is None:
        raise LookupError(f"no open {source} lead of customer {customer.id}")
    return LeadOutcome(lead.id, _card(lead.manager), duplicate=True)


def _card(manager: Manager | None) -> ManagerCard | None:
    return ManagerCard.of(manager) if manager else None
