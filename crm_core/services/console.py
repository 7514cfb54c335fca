"""What staff see and do in the console and the API, always within their scope."""

from datetime import date, datetime
from typing import Any

from crm_core.model import (
    Customer,
    Lead,
    LeadStatus,
    ManagerLink,
    NoticeStatus,
    OutOfScope,
    Scope,
    StaffRole,
)
from crm_core.queries.console import SqlConsole
from crm_core.services.customers import customer_label
from crm_core.services.listings import notice_row
from crm_core.services.notices import retry_notice
from crm_core.services.records import visible_customer
from crm_core.services.staff import audit
from crm_core.services.suitability import record_staff_assessment
from crm_core.unit_of_work import SqlUnitOfWork

TIMELINE = 50
# An `unknown` notice may have gone out. The platform drops a resend with the same
# client_msg_id for ten minutes only, and customer-service messages have none: staff retry
# failed and dead notices only (an operator may still resend one from the command line).
STAFF_RETRYABLE = (NoticeStatus.DEAD, NoticeStatus.FAILED)


def leads_view(uow: SqlUnitOfWork, scope: Scope, status: LeadStatus | None, now: datetime,
               limit: int = 200) -> list[dict[str, Any]]:
    """Return the leads in scope with their SLA state."""
    return [_lead(lead, now) for lead in SqlConsole(uow.session).leads(scope, status, limit)]


def set_lead_status(uow: SqlUnitOfWork, scope: Scope, lead_id: int, status: LeadStatus,
                    note: str | None, now: datetime) -> None:
    """Move a lead on, if it lies in scope."""
    lead = uow.leads.get(lead_id)
    if lead is None:
        raise LookupError(f"no lead {lead_id}")
    if not SqlConsole(uow.session).lead_visible(scope, lead_id):
        raise OutOfScope(f"lead {lead_id}")
    lead.move_to(status, now)
    if note:
        lead.add_note(note)
    audit(uow, now, scope.username, "lead_updated", str(lead_id), {"status": status.value})


def find_customers(uow: SqlUnitOfWork, scope: Scope, query: str,
                   limit: int = 50) -> list[dict[str, Any]]:
    """Search customers in scope; phone numbers come masked."""
    return [_customer(c) for c in SqlConsole(uow.session).customers(scope, query, limit)]


def customer_card(uow: SqlUnitOfWork, scope: Scope, customer_id: int) -> dict[str, Any]:
    """Return one customer with timeline and manager history, if in scope."""
    console = SqlConsole(uow.session)
    customer = visible_customer(uow, scope, customer_id)
    card = _customer(customer)
    card["phone_cipher"] = customer.phone_cipher if scope.sees_phone_numbers else None
    card["history"] = [_link(link) for link in customer.links]
    card["timeline"] = [{"at": _iso(i.occurred_at), "direction": i.direction.value,
                         "kind": i.kind, "summary": i.summary}
                        for i in console.timeline(customer_id, TIMELINE)]
    return card


def record_assessment(uow: SqlUnitOfWork, scope: Scope, customer_id: int, level: int,
                      assessed_on: date, now: datetime, today: date) -> None:
    """Record the risk assessment a member of staff took of a customer in their scope, on
    or before `today` (the bank's local date)."""
    customer = visible_customer(uow, scope, customer_id)
    record_staff_assessment(uow, customer, level, assessed_on, scope.username, now, today)


def branch_overview(uow: SqlUnitOfWork, scope: Scope, branch_code: str,
                    now: datetime) -> dict[str, Any]:
    """Managers and their load, overdue leads and unmanaged customers of one branch."""
    branch = uow.branches.by_code(branch_code)
    if branch is None:
        raise LookupError(f"no branch {branch_code!r}")
    if scope.role is StaffRole.MANAGER or (
            scope.role is StaffRole.BRANCH_HEAD and scope.branch_id != branch.id):
        raise OutOfScope(f"branch {branch_code}")
    console = SqlConsole(uow.session)
    branch_scope = Scope(scope.staff_id, scope.username, scope.display_name,
                         StaffRole.BRANCH_HEAD, None, branch.id)
    overdue = [lead for lead in leads_view(uow, branch_scope, LeadStatus.NEW, now)
               if lead["overdue"]]
    return {"branch": {"code": branch.code, "name": branch.name},
            "managers": [{"code": m.code, "name": m.name, "state": m.state.value,
                          "customers": n, "open_leads": o, "overdue_leads": late}
                         for m, n, o, late in console.manager_loads(branch.id, now)],
            "overdue_leads": overdue,
            "unmanaged_customers": [_customer(c) for c in console.orphans(branch.id, 200)]}


def notices_view(uow: SqlUnitOfWork, scope: Scope, status: NoticeStatus | None,
                 limit: int = 200) -> list[dict[str, Any]]:
    """Return the notices in scope, newest first (branch heads: their branch's)."""
    if scope.role is StaffRole.MANAGER:
        raise OutOfScope("notices")
    return [notice_row(n) for n in SqlConsole(uow.session).notices(scope, status, limit)]


def retry_notice_in_scope(uow: SqlUnitOfWork, scope: Scope, notice_id: int,
                          now: datetime) -> None:
    """Queue a failed or dead notice in scope again; refuse an unknown one (NotRetryable)."""
    if uow.notices.get(notice_id) is None:
        raise LookupError(f"no notice {notice_id}")
    if scope.role is StaffRole.MANAGER or not SqlConsole(uow.session).notice_visible(
            scope, notice_id):
        raise OutOfScope(f"notice {notice_id}")
    retry_notice(uow, notice_id, now, STAFF_RETRYABLE)
    audit(uow, now, scope.username, "notice_retried", str(notice_id))


def audit_trail(uow: SqlUnitOfWork, scope: Scope, action: str | None,
                limit: int = 200) -> list[dict[str, Any]]:
    """Return the audit trail (head office only)."""
    if scope.role is not StaffRole.HEAD_OFFICE:
        raise OutOfScope("audit trail")
    return [{"at": _iso(e.at), "actor": e.actor, "action": e.action, "subject": e.subject,
             "detail": e.detail} for e in SqlConsole(uow.session).audit(limit, action)]


def _iso(at: datetime | None) -> str | None:
    return at.isoformat(timespec="seconds") + "Z" if at else None


def _lead(lead: Lead, now: datetime) -> dict[str, Any]:
    return {"id": lead.id, "status": lead.status.value, "source": lead.source,
            "product": lead.product_code, "customer_id": lead.customer_id,
            "customer": customer_label(lead.customer.openid),
            "manager": lead.manager.name if lead.manager else None,
            "due_at": _iso(lead.due_at), "seconds_left": int((lead.due_at - now).total_seconds()),
            "overdue": lead.status is LeadStatus.NEW and lead.due_at <= now, "note": lead.note}


def _customer(customer: Customer) -> dict[str, Any]:
    current = customer.current_link
    return {"id": customer.id, "label": customer.display_name or customer_label(customer.openid),
            "follow_state": customer.follow_state.value,
            "phone_masked": f"*******{customer.phone_last4}" if customer.phone_last4 else None,
            "manager": current.manager.name if current else None,
            "last_touch_at": _iso(customer.last_touch_at)}


def _link(link: ManagerLink) -> dict[str, Any]:
    return {"manager": link.manager.name, "branch": link.manager.branch.name,
            "reason": link.reason.value, "since": _iso(link.started_at),
            "until": _iso(link.ended_at)}
