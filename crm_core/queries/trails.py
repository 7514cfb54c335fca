"""The notices (outbox) and audit lists: filtered, newest first, paged in SQL."""

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import ColumnElement, select
from sqlalchemy.orm import Session, selectinload

from crm_core.model import AuditEvent, Notice, NoticeKind, NoticeStatus, Scope
from crm_core.queries.paging import ListSpec, Page, PageRequest, page_of
from crm_core.queries.scopes import notice_scope

NOTICES = ListSpec(sorts=("id",), filters=("status", "kind"), default_descending=True)
AUDIT = ListSpec(sorts=("at",), filters=("action", "actor", "from", "to"),
                 default_descending=True)


def notices_page(session: Session, scope: Scope, status: NoticeStatus | None,
                 kind: NoticeKind | None, request: PageRequest) -> Page[Notice]:
    """Return one page of the notices in scope, newest (or oldest) first."""
    stmt = select(Notice).where(notice_scope(scope))
    if status is not None:
        stmt = stmt.where(Notice.status == status)
    if kind is not None:
        stmt = stmt.where(Notice.kind == kind)
    stmt = stmt.options(selectinload(Notice.manager), selectinload(Notice.customer))
    order = Notice.id.desc() if request.descending else Notice.id.asc()
    return page_of(session, stmt, request, [order])


@dataclass(frozen=True)
class AuditFilter:
    """The audit events asked for: an action, who acted, and a window of time (UTC)."""

    action: str | None = None
    actor: str | None = None
    start: datetime | None = None
    end: datetime | None = None


def audit_page(session: Session, wanted: AuditFilter, request: PageRequest) -> Page[AuditEvent]:
    """Return one page of audit events, latest (or earliest) first."""
    conditions: list[ColumnElement[bool]] = []
    if wanted.action:
        conditions.append(AuditEvent.action == wanted.action)
    if wanted.actor:
        conditions.append(AuditEvent.actor == wanted.actor)
    if wanted.start is not None:
        conditions.append(AuditEvent.at >= wanted.start)
    if wanted.end is not None:
        conditions.append(AuditEvent.at < wanted.end)
    order: list[Any] = [AuditEvent.at.desc(), AuditEvent.id.desc()] if request.descending \
        else [AuditEvent.at, AuditEvent.id]
    return page_of(session, select(AuditEvent).where(*conditions), request, order)
