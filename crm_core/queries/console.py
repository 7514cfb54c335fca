"""Scoped read queries for the staff console and API: every query filters by the scope.

The read side of the console (CQRS style): plain SQL over the unit of work's session, no fakes.
"""

from datetime import datetime
from typing import Any

from sqlalchemy import ColumnElement, Select, and_, case, false, func, or_, select, true
from sqlalchemy.orm import Session, aliased, selectinload

from crm_core.model import (
    OPEN_STATUSES,
    AuditEvent,
    Customer,
    Interaction,
    Lead,
    LeadStatus,
    Manager,
    ManagerLink,
    ManagerState,
    Notice,
    NoticeStatus,
    Scope,
    StaffRole,
)


class SqlConsole:
    """Read-side SQL for staff screens."""

    def __init__(self, session: Session) -> None:
        self.session = session

    def leads(self, scope: Scope, status: LeadStatus | None, limit: int) -> list[Lead]:
        """Return leads in scope, open ones by due time first."""
        return list(self.session.scalars(self.leads_statement(scope, status, limit)))

    def leads_statement(self, scope: Scope, status: LeadStatus | None,
                        limit: int) -> Select[tuple[Lead]]:
        """Return the SQL of `leads` (for plans)."""
        stmt = select(Lead).where(self._lead_scope(scope))
        stmt = stmt.where(Lead.status == status) if status else stmt.where(
            Lead.status.in_(OPEN_STATUSES))
        # selectin, not joined: a join would make PostgreSQL hash the whole customers table.
        return stmt.options(selectinload(Lead.customer), selectinload(Lead.manager)).order_by(
            Lead.due_at, Lead.id).limit(limit)

    def lead_visible(self, scope: Scope, lead_id: int) -> bool:
        """Return whether the lead lies in scope."""
        stmt = select(Lead.id).where(Lead.id == lead_id, self._lead_scope(scope))
        return self.session.scalar(stmt) is not None

    def customers(self, scope: Scope, query: str, limit: int) -> list[Customer]:
        """Search customers in scope by phone's last 4 digits, name or openid prefix."""
        return list(self.session.scalars(self.customers_statement(scope, query, limit)))

    def customers_statement(self, scope: Scope, query: str, limit: int) -> Select[Any]:
        """Return the SQL of `customers` (for plans)."""
        stmt = self._customers_in(scope)
        if query:
            stmt = stmt.where(_matches(query))
        return stmt.options(selectinload(Customer.links).joinedload(ManagerLink.manager)).order_by(
            Customer.last_touch_at.desc(), Customer.id.desc()).limit(limit)

    def customer_visible(self, scope: Scope, customer_id: int) -> bool:
        """Return whether the customer lies in scope."""
        stmt = self._customers_in(scope).where(Customer.id == customer_id)
        return self.session.scalar(stmt.with_only_columns(Customer.id)) is not None

    def timeline(self, customer_id: int, limit: int) -> list[Interaction]:
        """Return a customer's latest interactions."""
        stmt = (select(Interaction).where(Interaction.customer_id == customer_id)
                .order_by(Interaction.occurred_at.desc(), Interaction.id.desc()).limit(limit))
        return list(self.session.scalars(stmt))

    def manager_loads(self, branch_id: int, now: datetime) -> list[tuple[Manager, int, int, int]]:
        """Return each manager of a branch with customers, open leads and overdue leads."""
        # Counted for the branch's managers only (a branch's share of a million customers).
        staff = select(Manager.id).where(Manager.branch_id == branch_id)
        current = select(Customer.current_manager_id.label("manager_id"),
                         func.count().label("n")).where(
            Customer.current_manager_id.in_(staff)).group_by(Customer.current_manager_id).subquery()
        late = case((and_(Lead.status == LeadStatus.NEW, Lead.due_at <= now), 1), else_=0)
        leads = select(Lead.manager_id, func.count().label("open"),
                       func.sum(late).label("late")).where(
            Lead.status.in_(OPEN_STATUSES), Lead.manager_id.in_(staff)).group_by(
            Lead.manager_id).subquery()
        stmt = (select(Manager, func.coalesce(current.c.n, 0), func.coalesce(leads.c.open, 0),
                       func.coalesce(leads.c.late, 0))
                .outerjoin(current, current.c.manager_id == Manager.id)
                .outerjoin(leads, leads.c.manager_id == Manager.id)
                .where(Manager.branch_id == branch_id).order_by(Manager.code))
        return [(m, int(n), int(o), int(la)) for m, n, o, la in self.session.execute(stmt)]

    def orphans(self, branch_id: int, limit: int) -> list[Customer]:
        """Return customers of a branch without an active manager: none at all (a partial
        index holds them) or one who is on leave or has left (their few customers)."""
        away = select(Manager.id).where(Manager.state != ManagerState.ACTIVE)
        unmanaged = select(Customer.id).where(Customer.home_branch_id == branch_id,
                                              Customer.current_manager_id.is_(None))
        orphaned = select(Customer.id).where(Customer.home_branch_id == branch_id,
                                             Customer.current_manager_id.in_(away))
        chosen = unmanaged.union_all(orphaned).subquery()
        stmt = select(Customer).where(Customer.id.in_(
            select(chosen.c.id).order_by(chosen.c.id).limit(limit))).order_by(Customer.id)
        return list(self.session.scalars(stmt))

    def notices(self, scope: Scope, status: NoticeStatus | None, limit: int) -> list[Notice]:
        """Return the notices in scope, newest first."""
        stmt = select(Notice).where(self._notice_scope(scope))
        if status is not None:
            stmt = stmt.where(Notice.status == status)
        stmt = stmt.options(selectinload(Notice.manager), selectinload(Notice.customer))
        return list(self.session.scalars(stmt.order_by(Notice.id.desc()).limit(limit)))

    def notice_visible(self, scope: Scope, notice_id: int) -> bool:
        """Return whether the notice lies in scope."""
        stmt = select(Notice.id).where(Notice.id == notice_id, self._notice_scope(scope))
        return self.session.scalar(stmt) is not None

    def audit(self, limit: int, action: str | None) -> list[AuditEvent]:
        """Return the latest audit events."""
        stmt = select(AuditEvent).order_by(AuditEvent.at.desc(), AuditEvent.id.desc())
        if action:
            stmt = stmt.where(AuditEvent.action == action)
        return list(self.session.scalars(stmt.limit(limit)))

    def _lead_scope(self, scope: Scope) -> ColumnElement[bool]:
        if scope.role is StaffRole.MANAGER:
            return Lead.manager_id == scope.manager_id
        if scope.role is StaffRole.BRANCH_HEAD:
            return Lead.branch_id == scope.branch_id
        return true()

    def _notice_scope(self, scope: Scope) -> ColumnElement[bool]:
        # A branch head sees the notices to the branch's managers and to the customers the
        # branch sees; managers get theirs in WeChat and see none here.
        if scope.role is StaffRole.HEAD_OFFICE:
            return true()
        if scope.role is not StaffRole.BRANCH_HEAD or scope.branch_id is None:
            return false()
        managers = select(Manager.id).where(Manager.branch_id == scope.branch_id)
        customers = self._customers_in(scope).with_only_columns(Customer.id)
        return or_(Notice.manager_id.in_(managers), Notice.customer_id.in_(customers))

    def customers_in(self, scope: Scope) -> Select[Any]:
        """Return a SELECT of the customers the scope sees (to narrow further)."""
        return self._customers_in(scope)

    def _customers_in(self, scope: Scope) -> Select[Any]:
        stmt = select(Customer)
        if scope.role is StaffRole.HEAD_OFFICE:
            return stmt
        link = aliased(ManagerLink)
        stmt = stmt.outerjoin(link, and_(link.customer_id == Customer.id,
                                         link.ended_at.is_(None)))
        if scope.role is StaffRole.MANAGER:
            return stmt.where(link.manager_id == scope.manager_id)
        manager = aliased(Manager)
        stmt = stmt.outerjoin(manager, manager.id == link.manager_id)
        if scope.branch_id is None:
            return stmt.where(false())
        return stmt.where(or_(manager.branch_id == scope.branch_id,
                              Customer.home_branch_id == scope.branch_id))


def _matches(query: str) -> ColumnElement[bool]:
    query = query.strip()
    if query.isdigit() and len(query) == 4:
        return Customer.phone_last4 == query
    # Openids contain `_` (and a name may contain `%`): they are matched as written, not as
    # LIKE wildcards.
    return or_(Customer.display_name.startswith(query, autoescape=True),
               Customer.openid.startswith(query, autoescape=True))
