"""The notices (outbox) and audit lists: filtered, newest first, paged in SQL."""

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import ColumnElement, Select, select
from sqlalchemy.orm import Session, selectinload

from crm_core.model import AuditEvent, Notice, NoticeKind, NoticeStatus, Scope
from crm_core.queries.paging import ListSpec, Page, PageRequest, page_of
from crm_core.queries.scopes import notice_scope

NOTICES = ListSpec(sorts=("id",), filters=("status", "kind"), default_descending=True)
AUDIT = ListSpec(sorts=("at",), filters=("action", "actor", "from", "to"),
                 default_descending=True)


def notices_statement(scope: Scope, status: NoticeStatus | None,
                      kind: NoticeKind | None) -> Select[Any]:
    """Return the SQL of the notices in scope with a status and kind (None: any)."""
    stmt = select(Notice).where(notice_scope(scope))
    if status is not None:
        stmt = stmt.where(Notice.status == status)
    if kind is not None:
        stmt = stmt.where(Notice.kind == kind)
    return stmt


def notices_page(session: Session, scope: Scope, status: NoticeStatus | None,
                 kind: NoticeKind | None, request: PageRequest) -> Page[Notice]:
    """Return one page of the notices in scope, newest (or oldest) first."""
    stmt = notices_statement(scope, status, kind).options(
        selectinload(Notice.manager), selectinload(Notice.customer))
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
    order: list[Any] = [AuditEvent.at.desc(), AuditEvent.id.desc()] if request.descending \
        else [AuditEvent.at, AuditEvent.id]
    return page_of(session, audit_statement(wanted), request, order)


def audit_statement(wanted: AuditFilter) -> Select[Any]:
    """Return the SQL of the audit events asked for."""
    conditions: list[ColumnElement[bool]] = []
    if wanted.action:
        conditions.append(AuditEvent.action == wanted.action)
    if wanted.actor:
        conditions.append(AuditEvent.actor == wanted.actor)
    if wanted.start is not None:
        conditions.append(AuditEvent.at >= wanted.start)
    if wanted.end is not None:
        conditions.append(AuditEvent.at < wanted.end)
    return select(AuditEvent).where(*conditions)
