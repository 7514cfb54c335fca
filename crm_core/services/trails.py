"""The console's notices and audit lists: filters read from a page request, rows for staff."""

from typing import Any

from crm_core.model import NoticeKind, NoticeStatus, OutOfScope, Scope, StaffRole
from crm_core.queries.paging import Page, PageRequest
from crm_core.queries.trails import AuditFilter, audit_page, notices_page
from crm_core.services.customers import customer_label
from crm_core.services.lists import day_window
from crm_core.unit_of_work import SqlUnitOfWork


def notice_list(uow: SqlUnitOfWork, scope: Scope, request: PageRequest) -> Page[dict[str, Any]]:
    """Return one page of the notices in scope (branch heads: their branch's; not managers)."""
    if scope.role is StaffRole.MANAGER:
        raise OutOfScope("notices")
    status, kind = request.get("status"), request.get("kind")
    page = notices_page(uow.session, scope,
                        NoticeStatus(status) if status in set(NoticeStatus) else None,
                        NoticeKind(kind) if kind in set(NoticeKind) else None, request)
    return page.map(lambda n: {
        "id": n.id, "kind": n.kind.value, "status": n.status.value,
        "manager": n.manager.name if n.manager else None,
        "customer": (n.customer.display_name or customer_label(n.customer.openid))
        if n.customer else None,
        "attempts": n.attempts, "error_code": n.error_code, "error": n.error,
        "created_at": n.created_at, "sent_at": n.sent_at})


def audit_list(uow: SqlUnitOfWork, scope: Scope, request: PageRequest,
               timezone: str) -> Page[dict[str, Any]]:
    """Return one page of the audit trail (head office only)."""
    if scope.role is not StaffRole.HEAD_OFFICE:
        raise OutOfScope("audit trail")
    start, end = day_window(request, timezone)
    wanted = AuditFilter(request.get("action") or None, request.get("actor") or None,
                         start, end)
    return audit_page(uow.session, wanted, request).map(lambda e: {
        "at": e.at, "actor": e.actor, "action": e.action, "subject": e.subject,
        "detail": e.detail})
