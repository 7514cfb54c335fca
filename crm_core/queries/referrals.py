"""Referrals as staff list them: scoped, by box (received, sent, the branch's queue) and
status, paged in SQL; and the referrers' board, counted in SQL."""

from typing import Any

from sqlalchemy import ColumnElement, and_, case, false, func, or_, select, true
from sqlalchemy.orm import Session

from crm_core.model import (
    OPEN_REFERRALS,
    Manager,
    Referral,
    ReferralStatus,
    Scope,
    StaffRole,
)
from crm_core.queries.paging import ListSpec, Page, PageRequest, page_of

REFERRALS = ListSpec(sorts=("created", "due"), filters=("box", "status"),
                     default_descending=True)
BOXES = ("received", "sent", "queue", "all")


def referral_scope(scope: Scope) -> ColumnElement[bool]:
    """Return the referrals the scope sees: a manager those they sent or received, a branch
    head those of the branch or sent from it, head office every one."""
    if scope.role is StaffRole.HEAD_OFFICE:
        return true()
    if scope.role is StaffRole.MANAGER:
        return false() if scope.manager_id is None else or_(
            Referral.referrer_id == scope.manager_id, Referral.receiver_id == scope.manager_id)
    if scope.branch_id is None:
        return false()
    sent_here = select(Manager.id).where(Manager.branch_id == scope.branch_id)
    return or_(Referral.branch_id == scope.branch_id, Referral.referrer_id.in_(sent_here))


def referrals_page(session: Session, scope: Scope, box: str, status: str,
                   request: PageRequest) -> Page[Any]:
    """Return one page of the referrals in scope in a box, optionally of one status."""
    stmt = select(Referral).where(referral_scope(scope), *_box(scope, box))
    if status in set(ReferralStatus):
        stmt = stmt.where(Referral.status == ReferralStatus(status))
    column = Referral.due_at if request.sort == "due" else Referral.created_at
    order = [column.desc() if request.descending else column, Referral.id.desc()]
    return page_of(session, stmt, request, order)


def _box(scope: Scope, box: str) -> list[ColumnElement[bool]]:
    if box == "received" and scope.manager_id is not None:
        return [Referral.receiver_id == scope.manager_id]
    if box == "sent" and scope.manager_id is not None:
        return [Referral.referrer_id == scope.manager_id]
    if box == "queue":
        return [Referral.receiver_id.is_(None), Referral.status == ReferralStatus.SUBMITTED]
    return []


def referrer_board(session: Session, scope: Scope, limit: int = 20) -> list[dict[str, Any]]:
    """Return the referrers of the scope's referrals, most converted value first: sent,
    accepted, converted and converted value (credit is computed by the service)."""
    converted = Referral.status == ReferralStatus.CONVERTED
    stmt = (select(Manager.code, Manager.name, func.count(Referral.id).label("sent"),
                   func.count(Referral.accepted_at).label("accepted"),
                   func.sum(case((converted, 1), else_=0)).label("converted"),
                   func.coalesce(func.sum(case((converted, Referral.converted_value),
                                               else_=0)), 0).label("value"),
                   func.sum(case((and_(Referral.status.in_(OPEN_REFERRALS)), 1),
                                 else_=0)).label("open"))
            .join(Manager, Manager.id == Referral.referrer_id)
            .where(referral_scope(scope))
            .group_by(Manager.code, Manager.name)
            .order_by(func.coalesce(func.sum(case((converted, Referral.converted_value),
                                                  else_=0)), 0).desc(), Manager.code)
            .limit(limit))
    return [dict(row._mapping) for row in session.execute(stmt)]
