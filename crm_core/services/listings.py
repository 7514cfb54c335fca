"""Read models of leads and notices for staff tools."""

from datetime import datetime
from typing import Any

from crm_core.model import Lead, LeadStatus, Notice, NoticeStatus
from crm_core.unit_of_work import UnitOfWork


def list_leads(uow: UnitOfWork, manager_code: str | None, status: LeadStatus | None,
               limit: int) -> list[dict[str, Any]]:
    """Return leads as plain data, newest first."""
    manager = uow.managers.by_code(manager_code) if manager_code else None
    if manager_code and manager is None:
        raise LookupError(f"no manager with code {manager_code!r}")
    return [_lead(lead) for lead in uow.leads.listing(manager, status, limit)]


def list_notices(uow: UnitOfWork, status: NoticeStatus | None,
                 limit: int) -> list[dict[str, Any]]:
    """Return notices as plain data, newest first."""
    return [notice_row(notice) for notice in uow.notices.listing(status, limit)]


def _iso(at: datetime | None) -> str | None:
    return at.isoformat(timespec="seconds") + "Z" if at else None


def _lead(lead: Lead) -> dict[str, Any]:
    return {"id": lead.id, "status": lead.status.value, "source": lead.source,
            "product": lead.product_code, "manager": lead.manager.code if lead.manager else None,
            "customer": lead.customer.openid, "created_at": _iso(lead.created_at),
            "due_at": _iso(lead.due_at), "contacted_at": _iso(lead.contacted_at),
            "reminded_at": _iso(lead.reminded_at), "escalated_at": _iso(lead.escalated_at)}


def notice_row(notice: Notice) -> dict[str, Any]:
    """Describe a notice as plain data."""
    return {"id": notice.id, "kind": notice.kind.value, "status": notice.status.value,
            "manager": notice.manager.code if notice.manager else None,
            "customer": notice.customer.openid if notice.customer else None,
            "attempts": notice.attempts,
            "error_code": notice.error_code, "error": notice.error,
            "msgid": notice.wechat_msgid, "created_at": _iso(notice.created_at),
            "sent_at": _iso(notice.sent_at), "next_attempt_at": _iso(notice.next_attempt_at)}
