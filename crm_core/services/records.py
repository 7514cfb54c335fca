"""Record pages: a customer's whole record and a lead's, and what staff change on them.

Each reads and writes within the asker's scope (OutOfScope otherwise). A change to what the
bank knows about a person (name, phone, a note) is audited with who made it.
"""

import unicodedata
from datetime import date, datetime, timedelta
from typing import Any

from crm_core.model import (
    NOTE_MAX_LENGTH,
    OPEN_STATUSES,
    BadNote,
    Customer,
    CustomerNote,
    Lead,
    LeadStatus,
    OutOfScope,
    Scope,
    SealedPhone,
    StaffRole,
)
from crm_core.queries.console import SqlConsole
from crm_core.queries.records import SqlRecords
from crm_core.services.customers import customer_label
from crm_core.services.staff import audit
from crm_core.services.suitability import current_assessment
from crm_core.unit_of_work import SqlUnitOfWork

NAME_MAX_LENGTH = 50  # customers.display_name
TIMELINE = 50
# Staff at the branch keep a customer's details; head office reads them.
EDITORS = (StaffRole.MANAGER, StaffRole.BRANCH_HEAD)


class BadName(ValueError):
    """A customer name that is empty, too long or holds control characters."""


def visible_customer(uow: SqlUnitOfWork, scope: Scope, customer_id: int) -> Customer:
    """Return the customer if the scope sees them (LookupError, OutOfScope otherwise)."""
    customer = uow.session.get(Customer, customer_id)
    if customer is None:
        raise LookupError(f"no customer {customer_id}")
    if not SqlConsole(uow.session).customer_visible(scope, customer_id):
        raise OutOfScope(f"customer {customer_id}")
    return customer


def customer_record(uow: SqlUnitOfWork, scope: Scope, customer_id: int, now: datetime,
                    today: date, validity: timedelta) -> dict[str, Any]:
    """Return a customer's profile, assessment, leads, notes, timeline and manager history."""
    customer = visible_customer(uow, scope, customer_id)
    records, link = SqlRecords(uow.session), customer.current_link
    leads = records.leads_of(customer_id)
    names = records.product_names({lead.product_code for lead in leads if lead.product_code})
    rows = [lead_row(lead, names, now) for lead in leads]
    assessment = current_assessment(uow, customer, today, validity)
    branch = link.manager.branch if link else customer.home_branch
    return {
        "id": customer.id, "label": customer_name(customer), "name": customer.display_name,
        "follow_state": customer.follow_state.value, "phone_last4": customer.phone_last4,
        "phone_cipher": customer.phone_cipher if scope.sees_phone_numbers else None,
        "manager": link.manager.name if link else None,
        "manager_code": link.manager.code if link else None,
        "branch": branch.name if branch else None, "assessment": assessment,
        "open_leads": [row for row in rows if row["open"]],
        "past_leads": [row for row in rows if not row["open"]],
        "notes": [{"at": n.created_at, "author": n.author, "body": n.body}
                  for n in records.notes_of(customer_id)],
        "timeline": [{"at": i.occurred_at, "direction": i.direction.value, "summary": i.summary}
                     for i in SqlConsole(uow.session).timeline(customer_id, TIMELINE)],
        "history": [{"manager": k.manager.name, "branch": k.manager.branch.name,
                     "reason": k.reason.value, "since": k.started_at, "until": k.ended_at}
                    for k in reversed(customer.links)],
    }


def lead_record(uow: SqlUnitOfWork, scope: Scope, lead_id: int,
                now: datetime) -> dict[str, Any]:
    """Return a lead with its customer, product name, SLA state and notes, if in scope."""
    lead = uow.leads.get(lead_id)
    if lead is None:
        raise LookupError(f"no lead {lead_id}")
    if not SqlConsole(uow.session).lead_visible(scope, lead_id):
        raise OutOfScope(f"lead {lead_id}")
    names = SqlRecords(uow.session).product_names({lead.product_code} if lead.product_code
                                                  else set())
    row = lead_row(lead, names, now)
    customer = lead.customer
    row |= {"phone_cipher": customer.phone_cipher if scope.sees_phone_numbers else None,
            "phone_last4": customer.phone_last4, "created_at": lead.created_at,
            "contacted_at": lead.contacted_at, "closed_at": lead.closed_at,
            "notes": (lead.note or "").splitlines()}
    return row


def lead_row(lead: Lead, product_names: dict[str, str], now: datetime) -> dict[str, Any]:
    """Describe a lead for staff: customer and product by name, SLA state."""
    code = lead.product_code
    return {"id": lead.id, "status": lead.status.value, "source": lead.source,
            "product": product_names.get(code, code) if code else None, "product_code": code,
            "customer_id": lead.customer_id, "customer": customer_name(lead.customer),
            "manager": lead.manager.name if lead.manager else None, "due_at": lead.due_at,
            "seconds_left": int((lead.due_at - now).total_seconds()),
            "open": lead.status in OPEN_STATUSES,
            "overdue": lead.status is LeadStatus.NEW and lead.due_at <= now}


def customer_name(customer: Customer) -> str:
    """Name a customer for staff: the name staff gave them, else a short label."""
    return customer.display_name or customer_label(customer.openid)


def rename_customer(uow: SqlUnitOfWork, scope: Scope, customer_id: int, name: str,
                    now: datetime) -> str:
    """Give a customer in scope the name staff know them by; return it (BadName if unfit)."""
    customer = _editable(uow, scope, customer_id)
    name = name.strip()
    if not 0 < len(name) <= NAME_MAX_LENGTH or _has_control(name):
        raise BadName(f"a name is 1..{NAME_MAX_LENGTH} printable characters")
    customer.display_name = name
    audit(uow, now, scope.username, "customer_renamed", str(customer_id))
    return name


def record_phone(uow: SqlUnitOfWork, scope: Scope, customer_id: int,
                 phone: SealedPhone, now: datetime) -> None:
    """Keep a customer's phone (encrypted, last 4 digits, keyed search hash), audited."""
    customer = _editable(uow, scope, customer_id)
    customer.set_phone(phone)
    audit(uow, now, scope.username, "phone_recorded", str(customer_id))


def add_customer_note(uow: SqlUnitOfWork, scope: Scope, customer_id: int, body: str,
                      now: datetime) -> None:
    """Write a note on a customer in scope (BadNote if empty, too long or with NUL)."""
    visible_customer(uow, scope, customer_id)
    body = body.strip()
    if not 0 < len(body) <= NOTE_MAX_LENGTH or "\x00" in body:
        raise BadNote(f"a note is 1..{NOTE_MAX_LENGTH} characters without NUL")
    uow.session.add(CustomerNote(customer_id=customer_id, author=scope.display_name[:64],
                                 body=body, created_at=now))
    audit(uow, now, scope.username, "note_added", str(customer_id))


def _editable(uow: SqlUnitOfWork, scope: Scope, customer_id: int) -> Customer:
    customer = visible_customer(uow, scope, customer_id)
    if scope.role not in EDITORS:
        raise OutOfScope(f"customer {customer_id} is read-only for {scope.role.value}")
    return customer


def _has_control(text: str) -> bool:
    return any(unicodedata.category(ch).startswith("C") for ch in text)
