"""Reading cards: a manager their own, a branch head the branch's, head office every one;
the league table per role is published to all, as the managers compete on one platform. A
head-office account on a business line (双线管理) sees that line's managers across branches,
their league table, and no one else's figures."""

from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import Any

from sqlalchemy import ColumnElement, false, select, true

from crm_core.model import Branch, Manager, ManagerRole, OutOfScope, Scope, StaffRole
from crm_core.model.performance import PerformanceMonth, Scorecard
from crm_core.model.performance.profit import ProfitPolicy, row_profit
from crm_core.repositories import performance as sql
from crm_core.unit_of_work import SqlUnitOfWork


def card_scope(scope: Scope) -> ColumnElement[bool]:
    """Return the cards the scope sees in full."""
    if scope.role is StaffRole.HEAD_OFFICE:
        return true() if scope.line is None else Scorecard.role == scope.line
    if scope.role is StaffRole.MANAGER:
        return false() if scope.manager_id is None else Scorecard.manager_id == scope.manager_id
    if scope.role is StaffRole.BRANCH_HEAD and scope.branch_id is not None:
        return Scorecard.manager_id.in_(select(Manager.id)
                                        .where(Manager.branch_id == scope.branch_id))
    return false()


@dataclass(frozen=True)
class CardRow:
    """One card in a list: who, their branch, the total and the simulated profit."""

    month: date
    manager_code: str
    manager_name: str
    branch_name: str
    role: ManagerRole
    total: Decimal
    profit: Decimal
    rank: int


def _listed(uow: SqlUnitOfWork, where: ColumnElement[bool]) -> list[CardRow]:
    stmt = (select(Scorecard, Manager.code, Manager.name, Branch.name)
            .join(Manager, Manager.id == Scorecard.manager_id)
            .join(Branch, Branch.id == Manager.branch_id).where(where)
            .order_by(Scorecard.month, Scorecard.role, Scorecard.total.desc(), Manager.code))
    found: list[CardRow] = []
    place = 0
    for card, code, name, branch in uow.session.execute(stmt):
        before = found[-1] if found else None
        same = before is not None and (before.month, before.role) == (card.month, card.role)
        place = place + 1 if same else 1
        rank = before.rank if same and before and before.total == card.total else place
        found.append(CardRow(card.month, code, name, branch, card.role, card.total,
                             card.profit, rank))
    return found


def cards(uow: SqlUnitOfWork, scope: Scope, month: date,
          role: ManagerRole | None = None) -> list[CardRow]:
    """Return the month's cards the scope sees, best first per role."""
    where = card_scope(scope) & (Scorecard.month == month)
    return _listed(uow, where if role is None else where & (Scorecard.role == role))


def leagues_seen(scope: Scope) -> tuple[ManagerRole, ...]:
    """Return the roles whose league tables the scope reads: all, or a business line's own."""
    return tuple(ManagerRole) if scope.line is None else (scope.line,)


def league(uow: SqlUnitOfWork, month: date, role: ManagerRole,
           scope: Scope | None = None) -> list[CardRow]:
    """Return a role's published league table across the network (ties share a rank);
    OutOfScope for a business line's account asking for another line's."""
    if scope is not None and role not in leagues_seen(scope):
        raise OutOfScope(role.value)
    return _listed(uow, (Scorecard.month == month) & (Scorecard.role == role))


def trend(uow: SqlUnitOfWork, scope: Scope, manager_code: str) -> list[tuple[date, Decimal,
                                                                             Decimal]]:
    """Return a manager's totals and profits by month (OutOfScope if not theirs to see)."""
    manager = _visible_manager(uow, scope, manager_code)
    stmt = (select(Scorecard.month, Scorecard.total, Scorecard.profit)
            .where(Scorecard.manager_id == manager.id).order_by(Scorecard.month))
    return [(m, t, p) for m, t, p in uow.session.execute(stmt)]


def card(uow: SqlUnitOfWork, scope: Scope, month: date, manager_code: str) -> dict[str, Any]:
    """Return one card in full: total, profit, each line explained, and the month's state."""
    manager = _visible_manager(uow, scope, manager_code)
    found = uow.session.scalars(select(Scorecard).where(
        Scorecard.month == month, Scorecard.manager_id == manager.id)).first()
    if found is None:
        raise LookupError(manager_code)
    record = uow.session.get(PerformanceMonth, month)
    return {"month": month, "manager": manager.code, "name": manager.name,
            "role": found.role, "total": found.total, "profit": found.profit,
            "lines": found.lines, "state": record.state if record else None}


def book(uow: SqlUnitOfWork, scope: Scope, month: date, manager_code: str,
         policy: ProfitPolicy) -> list[dict[str, Any]]:
    """Return the source rows of a manager's month, each with what it adds to the profit."""
    manager = _visible_manager(uow, scope, manager_code)
    return [{"line": r.line, "customer": f"****{r.customer_tail}", "kind": r.kind,
             "product": r.product, "balance": r.balance, "customer_rate": r.customer_rate,
             "ftp_rate": r.ftp_rate, "fee": r.fee, "overdue": r.overdue, "npl": r.npl,
             "profit": row_profit(r, month, policy)}
            for r in sql.customer_rows(uow.session, month, manager.id)]


def _visible_manager(uow: SqlUnitOfWork, scope: Scope, code: str) -> Manager:
    manager = uow.managers.by_code(code)
    if manager is None:
        raise LookupError(code)
    sees = ((scope.role is StaffRole.HEAD_OFFICE and scope.line in (None, manager.role))
            or (scope.role is StaffRole.MANAGER and scope.manager_id == manager.id)
            or (scope.role is StaffRole.BRANCH_HEAD and scope.branch_id == manager.branch_id))
    if not sees:
        raise OutOfScope(code)
    return manager


def months(uow: SqlUnitOfWork) -> list[tuple[date, str]]:
    """Return every month with an import or a run and its state, newest first."""
    stmt = select(PerformanceMonth.month, PerformanceMonth.state).order_by(
        PerformanceMonth.month.desc())
    return [(month, state.value) for month, state in uow.session.execute(stmt)]
