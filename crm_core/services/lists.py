"""The console's leads and customers lists: filters read from a page request, rows for staff.

Filters name branches and managers by code; one outside the caller's scope matches nothing
(the scope is applied in SQL whatever is asked). Dates are the staff's local calendar days.
"""

from datetime import date, datetime, time, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from sqlalchemy import select

from crm_core.model import (
    OPEN_STATUSES,
    Branch,
    Customer,
    FollowState,
    LeadStatus,
    Manager,
    Scope,
    StaffRole,
)
from crm_core.queries.branches import branch_counts
from crm_core.queries.customers import CustomerFilter, customers_page
from crm_core.queries.leads import EVERY, LeadFilter, leads_page
from crm_core.queries.paging import Page, PageRequest
from crm_core.services.customers import customer_label
from crm_core.unit_of_work import SqlUnitOfWork

# What a manager most likely does next with a lead in each status.
NEXT_STATUS = {LeadStatus.NEW: LeadStatus.CONTACTED, LeadStatus.CONTACTED: LeadStatus.CONVERTED,
               LeadStatus.CONVERTED: LeadStatus.CONVERTED, LeadStatus.LOST: LeadStatus.LOST}
NO_ID = -1  # a filter naming nothing known matches no row


def lead_list(uow: SqlUnitOfWork, scope: Scope, request: PageRequest, now: datetime,
              timezone: str) -> Page[dict[str, Any]]:
    """Return one page of the leads in scope that match the request's filters."""
    start, end = day_window(request, timezone)
    wanted = LeadFilter(_statuses(request.get("status")), _branch(uow, request.get("branch")),
                        _manager(uow, request.get("manager")), request.get("source") or None,
                        start, end)
    page = leads_page(uow.session, scope, wanted, request)
    return page.map(lambda row: _lead(scope, row, now))


def customer_list(uow: SqlUnitOfWork, scope: Scope, request: PageRequest, timezone: str,
                  phone_hashes: tuple[str, ...] = ()) -> Page[dict[str, Any]]:
    """Return one page of the customers in scope that match the request's search and filters
    (`phone_hashes`: the keyed hashes of a whole phone number searched for)."""
    start, end = day_window(request, timezone)
    follow = request.get("follow")
    wanted = CustomerFilter(request.get("q"), phone_hashes, _branch(uow, request.get("branch")),
                            _manager(uow, request.get("manager")),
                            FollowState(follow) if follow in set(FollowState) else None,
                            start, end)
    return customers_page(uow.session, scope, wanted, request).map(_customer)


def filter_choices(uow: SqlUnitOfWork, scope: Scope, branch_code: str) -> dict[str, Any]:
    """Return the branches and managers a filter bar offers the scope (codes and names)."""
    if scope.role is StaffRole.MANAGER:
        return {"branches": [], "managers": []}
    branches = [] if scope.role is StaffRole.BRANCH_HEAD else list(uow.session.execute(
        select(Branch.code, Branch.name).order_by(Branch.code)))
    branch_id = scope.branch_id if scope.role is StaffRole.BRANCH_HEAD else \
        _branch(uow, branch_code)
    managers = select(Manager.code, Manager.name).order_by(Manager.code)
    if branch_id is not None:
        managers = managers.where(Manager.branch_id == branch_id)
    return {"branches": [{"code": c, "name": n} for c, n in branches],
            "managers": [{"code": c, "name": n} for c, n in uow.session.execute(managers)]}


def branch_list_counts(uow: SqlUnitOfWork, now: datetime) -> list[dict[str, Any]]:
    """Return every branch with its number of managers and of open and overdue leads."""
    return branch_counts(uow.session, now)


def day_window(request: PageRequest, timezone: str) -> tuple[datetime | None, datetime | None]:
    """Return the request's `from`/`to` local days as a half-open naive UTC window."""
    first, last = _day(request.get("from")), _day(request.get("to"))
    return (_utc(first, timezone) if first else None,
            _utc(last + timedelta(days=1), timezone) if last else None)


def last_note(note: str | None) -> str | None:
    """Return the latest follow-up note of a lead (notes are kept one per line)."""
    return note.rstrip().rsplit("\n", 1)[-1] if note else None


def _lead(scope: Scope, row: Any, now: datetime) -> dict[str, Any]:
    lead, name, openid, cipher, last4, current, product, manager = row
    own = scope.sees_phone_numbers and current is not None and current == scope.manager_id
    return {"id": lead.id, "status": lead.status.value, "source": lead.source,
            "product": product or lead.product_code, "customer_id": lead.customer_id,
            "customer": name or customer_label(openid), "manager": manager,
            "created_at": lead.created_at, "due_at": lead.due_at,
            "seconds_left": int((lead.due_at - now).total_seconds()),
            "overdue": lead.status is LeadStatus.NEW and lead.due_at <= now,
            "note": last_note(lead.note), "phone_cipher": cipher if own else None,
            "phone_masked": f"*******{last4}" if last4 else None,
            "next_status": NEXT_STATUS[lead.status].value}


def _customer(row: Any) -> dict[str, Any]:
    customer, manager = row
    assert isinstance(customer, Customer)  # noqa: S101 - the statement's first column
    return {"id": customer.id, "label": customer.display_name or customer_label(customer.openid),
            "follow_state": customer.follow_state.value,
            "phone_masked": f"*******{customer.phone_last4}" if customer.phone_last4 else None,
            "manager": manager, "last_touch_at": customer.last_touch_at,
            "followed_at": customer.followed_at, "first_touch_at": customer.first_touch_at}


def _statuses(value: str) -> tuple[LeadStatus, ...]:
    if value == EVERY:
        return tuple(LeadStatus)
    return (LeadStatus(value),) if value in set(LeadStatus) else OPEN_STATUSES


def _branch(uow: SqlUnitOfWork, code: str) -> int | None:
    if not code:
        return None
    found = uow.branches.by_code(code)
    return found.id if found else NO_ID


def _manager(uow: SqlUnitOfWork, code: str) -> int | None:
    if not code:
        return None
    found = uow.managers.by_code(code)
    return found.id if found else NO_ID


def _day(value: str) -> date | None:
    try:
        return date.fromisoformat(value) if value else None
    except ValueError:
        return None


def _utc(day: date, timezone: str) -> datetime:
    local = datetime.combine(day, time(), ZoneInfo(timezone))
    return local.astimezone(ZoneInfo("UTC")).replace(tzinfo=None)
