"""A manager's workbench read live: their leads due by a time and customers new to them.

Every query starts from one manager's rows through an index (leads by manager and status,
current links by manager and start), so it costs what that manager's own work costs.
"""

from datetime import datetime
from typing import Any

from sqlalchemy import ColumnElement, Integer, and_, case, func, select, true
from sqlalchemy.orm import Session, contains_eager

from crm_core.model import OPEN_STATUSES, Customer, Lead, LeadStatus, ManagerLink


class SqlWorkbench:
    """Read-side SQL of one manager's home page."""

    def __init__(self, session: Session, manager_id: int) -> None:
        self.session, self.manager_id = session, manager_id

    def due_leads(self, until: datetime, limit: int) -> list[Lead]:
        """Return the manager's new leads due by `until` (overdue ones first), with customers."""
        return list(self.session.scalars(self.due_statement(until, limit)))

    def due_statement(self, until: datetime, limit: int) -> Any:
        """Return the SQL of `due_leads` (for plans)."""
        return (select(Lead).join(Lead.customer).options(contains_eager(Lead.customer))
                .where(Lead.manager_id == self.manager_id, Lead.status == LeadStatus.NEW,
                       Lead.due_at <= until)
                .order_by(Lead.due_at, Lead.id).limit(limit))

    def counts(self, now: datetime, until: datetime, since: datetime) -> dict[str, int]:
        """Count the manager's open leads (overdue, due by `until`, contacted, all open) and
        customers (all in their care, and those new to them since `since`), in one trip."""
        return dict(self.session.execute(self.counts_statement(now, until, since)).one()._mapping)

    def counts_statement(self, now: datetime, until: datetime, since: datetime) -> Any:
        """Return the SQL of `counts` (for plans)."""
        new = Lead.status == LeadStatus.NEW
        leads = select(_sum(and_(new, Lead.due_at <= now)).label("overdue"),
                       _sum(and_(new, Lead.due_at > now, Lead.due_at <= until)).label("due"),
                       _sum(Lead.status == LeadStatus.CONTACTED).label("contacted"),
                       func.count().label("open")).where(
            Lead.manager_id == self.manager_id, Lead.status.in_(OPEN_STATUSES)).subquery()
        people = select(func.count().label("customers"),
                        _sum(ManagerLink.started_at >= since).label("newcomers")).where(
            *self._current()).subquery()
        return select(leads, people).select_from(leads.join(people, true()))

    def new_customers(self, since: datetime, limit: int) -> list[tuple[Customer, ManagerLink]]:
        """Return customers who came into the manager's care since `since`, newest first."""
        rows = self.session.execute(self.new_customers_statement(since, limit))
        return [(customer, link) for customer, link in rows]

    def new_customers_statement(self, since: datetime, limit: int) -> Any:
        """Return the SQL of `new_customers` (for plans)."""
        return (select(Customer, ManagerLink).join(ManagerLink,
                                                   ManagerLink.customer_id == Customer.id)
                .where(*self._current(), ManagerLink.started_at >= since)
                .order_by(ManagerLink.started_at.desc(), ManagerLink.id.desc()).limit(limit))

    def _current(self) -> tuple[ColumnElement[bool], ...]:
        return ManagerLink.manager_id == self.manager_id, ManagerLink.ended_at.is_(None)


def _sum(condition: ColumnElement[bool]) -> ColumnElement[Any]:
    return func.coalesce(func.sum(case((condition, 1), else_=0)), 0).cast(Integer)
