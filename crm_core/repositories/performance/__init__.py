"""Reading and writing the performance tables in set-based SQL: a month's rows are replaced
in bulk, and every figure of a run comes from one aggregate per month, not a loop per row."""

from collections.abc import Iterable, Sequence
from datetime import date, datetime
from decimal import Decimal
from typing import Any

from sqlalchemy import Row, and_, case, delete, func, insert, or_, select
from sqlalchemy.orm import Session

from crm_core.model import (
    Lead,
    LeadStatus,
    Manager,
    ManagerLink,
    Referral,
    ReferralStatus,
    StaffAccount,
)
from crm_core.model.org import ManagerRole
from crm_core.model.performance import (
    BookKind,
    BookRow,
    PerformanceMonth,
    Scorecard,
    ScoreTarget,
    ScoreTemplate,
)

CHUNK = 5000  # rows per INSERT statement


def manager_codes(session: Session) -> dict[str, int]:
    """Return every manager's id by code."""
    return {code: id_ for code, id_ in session.execute(select(Manager.code, Manager.id))}


def month_of(session: Session, month: date) -> PerformanceMonth | None:
    """Return a month's record, if it has one."""
    return session.get(PerformanceMonth, month)


def replace_rows(session: Session, month: date, rows: Iterable[dict[str, Any]]) -> int:
    """Replace a month's book rows (and its now stale cards) with `rows`; return the count."""
    session.execute(delete(Scorecard).where(Scorecard.month == month))
    session.execute(delete(BookRow).where(BookRow.month == month))
    count, chunk = 0, []
    for row in rows:
        chunk.append(row)
        if len(chunk) == CHUNK:
            count += _insert(session, chunk)
            chunk = []
    return count + _insert(session, chunk)


def _insert(session: Session, chunk: list[dict[str, Any]]) -> int:
    if chunk:
        session.execute(insert(BookRow), chunk)
    return len(chunk)


def _kind_sum(kind: BookKind, value: Any) -> Any:
    return func.coalesce(func.sum(case((BookRow.kind == kind, value), else_=0)), 0)


def book_totals(session: Session, month: date) -> Sequence[Row[Any]]:
    """Return per manager: deposit and loan spreads (balance x rate gap, in percent points),
    balances, fees, overdue, NPL and customers, for one month."""
    stmt = select(
        BookRow.manager_id,
        _kind_sum(BookKind.DEPOSIT, BookRow.balance * (BookRow.ftp_rate - BookRow.customer_rate)
                  ).label("deposit_spread"),
        _kind_sum(BookKind.LOAN, BookRow.balance * (BookRow.customer_rate - BookRow.ftp_rate)
                  ).label("loan_spread"),
        _kind_sum(BookKind.DEPOSIT, BookRow.balance).label("deposits"),
        _kind_sum(BookKind.LOAN, BookRow.balance).label("loans"),
        func.coalesce(func.sum(BookRow.fee), 0).label("fees"),
        func.coalesce(func.sum(BookRow.overdue), 0).label("overdue"),
        func.coalesce(func.sum(BookRow.npl), 0).label("npl"),
        func.count(func.distinct(BookRow.customer_key)).label("customers"),
        func.count(func.distinct(case((BookRow.kind == BookKind.FEE, BookRow.product)))
                   ).label("families"),
    ).where(BookRow.month == month).group_by(BookRow.manager_id)
    return session.execute(stmt).all()


def customer_rows(session: Session, month: date, manager_id: int) -> Sequence[BookRow]:
    """Return the book rows of one manager's month, by customer then kind."""
    stmt = (select(BookRow).where(BookRow.month == month, BookRow.manager_id == manager_id)
            .order_by(BookRow.customer_tail, BookRow.customer_key, BookRow.kind, BookRow.line))
    return session.scalars(stmt).all()


def managers_of(session: Session, ids: Iterable[int]) -> dict[int, Manager]:
    """Return the managers with these ids."""
    wanted = list(ids)
    found: dict[int, Manager] = {}
    for start in range(0, len(wanted), CHUNK):
        stmt = select(Manager).where(Manager.id.in_(wanted[start:start + CHUNK]))
        found.update({m.id: m for m in session.scalars(stmt)})
    return found


def latest_template(session: Session, role: ManagerRole) -> ScoreTemplate | None:
    """Return the newest version of a role's template."""
    stmt = (select(ScoreTemplate).where(ScoreTemplate.role == role)
            .order_by(ScoreTemplate.version.desc()).limit(1))
    return session.scalars(stmt).first()


def targets(session: Session, month: date) -> dict[tuple[int, str], Decimal]:
    """Return a month's targets by (manager id, metric)."""
    stmt = select(ScoreTarget).where(ScoreTarget.month == month)
    return {(t.manager_id, t.metric): t.target for t in session.scalars(stmt)}


def replace_cards(session: Session, month: date, cards: list[dict[str, Any]]) -> int:
    """Replace a month's cards with `cards`; return the count."""
    session.execute(delete(Scorecard).where(Scorecard.month == month))
    for start in range(0, len(cards), CHUNK):
        session.execute(insert(Scorecard), cards[start:start + CHUNK])
    return len(cards)


def cards_of(session: Session, month: date, manager_ids: Iterable[int] | None = None,
             role: ManagerRole | None = None) -> Sequence[Scorecard]:
    """Return a month's cards (of these managers, or of a role), best total first."""
    stmt = select(Scorecard).where(Scorecard.month == month)
    if manager_ids is not None:
        stmt = stmt.where(Scorecard.manager_id.in_(list(manager_ids)))
    if role is not None:
        stmt = stmt.where(Scorecard.role == role)
    return session.scalars(stmt.order_by(Scorecard.total.desc(), Scorecard.manager_id)).all()


def event_counts(session: Session, month: date) -> Sequence[Row[Any]]:
    """Return (manager id, event name, count) of a month's outcome events."""
    stmt = (select(BookRow.manager_id, BookRow.product, func.count())
            .where(BookRow.month == month, BookRow.kind == BookKind.EVENT)
            .group_by(BookRow.manager_id, BookRow.product))
    return session.execute(stmt).all()


def new_links(session: Session, start: datetime, end: datetime) -> dict[int, int]:
    """Return per manager the customers newly linked to them between `start` and `end`."""
    stmt = (select(ManagerLink.manager_id, func.count(func.distinct(ManagerLink.customer_id)))
            .where(ManagerLink.started_at >= start, ManagerLink.started_at < end)
            .group_by(ManagerLink.manager_id))
    return {manager_id: count for manager_id, count in session.execute(stmt)}


def conversions(session: Session, start: datetime, end: datetime) -> Sequence[Referral]:
    """Return the referrals converted between `start` and `end`."""
    stmt = (select(Referral).where(Referral.status == ReferralStatus.CONVERTED,
                                   Referral.closed_at >= start, Referral.closed_at < end)
            .order_by(Referral.id))
    return session.scalars(stmt).all()


def roles(session: Session) -> dict[int, tuple[ManagerRole, int]]:
    """Return every manager's role and branch by id."""
    stmt = select(Manager.id, Manager.role, Manager.branch_id)
    return {id_: (role, branch) for id_, role, branch in session.execute(stmt)}


def lead_figures(session: Session, start: datetime, end: datetime) -> Sequence[Row[Any]]:
    """Return per manager: leads opened in the window and contacted within their SLA, and
    leads converted in the window."""
    in_sla = case((and_(Lead.created_at >= start, Lead.created_at < end,
                        Lead.contacted_at.is_not(None), Lead.contacted_at <= Lead.due_at), 1),
                  else_=0)
    converted = case((and_(Lead.status == LeadStatus.CONVERTED, Lead.closed_at >= start,
                           Lead.closed_at < end), 1), else_=0)
    stmt = (select(Lead.manager_id, func.sum(in_sla).label("in_sla"),
                   func.sum(converted).label("converted"))
            .where(Lead.manager_id.is_not(None),
                   or_(and_(Lead.created_at >= start, Lead.created_at < end),
                       and_(Lead.closed_at >= start, Lead.closed_at < end)))
            .group_by(Lead.manager_id))
    return session.execute(stmt).all()


def staff_managers(session: Session) -> dict[str, int]:
    """Return the manager id of every staff account that is a manager's, by username."""
    stmt = select(StaffAccount.username, StaffAccount.manager_id).where(
        StaffAccount.manager_id.is_not(None))
    return {username: manager_id for username, manager_id in session.execute(stmt)}
