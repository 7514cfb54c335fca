"""The home pages' figures: refreshed in a few set-based statements, read by primary key.

A branch's customers are those its head sees: homed at the branch, or in the care of one of
its managers (each counted once). A branch's leads are those with its `branch_id`, a manager's
those with their `manager_id`; overdue means still new past its due time, as on the lead list.
Chain leads (organisations along trade chains) are leads of their branch and manager as much
as customers' requests are, and are counted with them.
"""

from datetime import datetime
from typing import Any

from sqlalchemy import (
    ColumnElement,
    Integer,
    and_,
    case,
    delete,
    func,
    insert,
    literal,
    or_,
    select,
    true,
    union_all,
)
from sqlalchemy.orm import Session

from crm_core.model import (
    OPEN_STATUSES,
    Branch,
    BranchFigures,
    ChainLead,
    Customer,
    Lead,
    LeadStatus,
    Manager,
    ManagerFigures,
    ManagerLink,
    NetworkFigures,
)
from crm_core.model.figures import COUNTS

NETWORK = 1  # the network's row of figures


class SqlFigures:
    """The figures tables: their refresh and their reads."""

    def __init__(self, session: Session) -> None:
        self.session = session

    def refresh(self, now: datetime, week_start: datetime) -> None:
        """Recount every branch's and manager's figures as of `now` (replacing the old ones)."""
        self.session.execute(delete(ManagerFigures))
        self.session.execute(insert(ManagerFigures).from_select(
            ["manager_id", "customers", "open_leads", "overdue_leads", "updated_at"],
            manager_statement(now)))
        self.session.execute(delete(BranchFigures))
        self.session.execute(insert(BranchFigures).from_select(
            ["branch_id", *COUNTS, "updated_at"], branch_statement(now, week_start)))
        self.session.execute(delete(NetworkFigures))
        self.session.execute(insert(NetworkFigures).from_select(
            ["id", *COUNTS, "updated_at"], network_statement(now, week_start)))

    def network(self) -> NetworkFigures | None:
        """Return the network's figures (None before the first refresh)."""
        return self.session.get(NetworkFigures, NETWORK)

    def branches(self) -> list[tuple[Branch, BranchFigures | None]]:
        """Return every branch with its figures (None before the first refresh), by code."""
        stmt = (select(Branch, BranchFigures)
                .outerjoin(BranchFigures, BranchFigures.branch_id == Branch.id)
                .order_by(Branch.code))
        return [(branch, figures) for branch, figures in self.session.execute(stmt)]

    def branch(self, branch_id: int) -> BranchFigures | None:
        """Return one branch's figures."""
        return self.session.get(BranchFigures, branch_id)

    def managers(self, branch_id: int) -> list[tuple[Manager, ManagerFigures | None]]:
        """Return a branch's managers with their figures, by code."""
        stmt = (select(Manager, ManagerFigures)
                .outerjoin(ManagerFigures, ManagerFigures.manager_id == Manager.id)
                .where(Manager.branch_id == branch_id).order_by(Manager.code))
        return [(manager, figures) for manager, figures in self.session.execute(stmt)]


def manager_statement(now: datetime) -> Any:
    """Return the SELECT of every manager's figures (for the refresh and for plans)."""
    links = (select(ManagerLink.manager_id, func.count().label("n"))
             .where(ManagerLink.ended_at.is_(None)).group_by(ManagerLink.manager_id).subquery())
    every = _every_lead()
    leads = (select(every.c.manager_id, func.count().label("open"),
                    _sum(_overdue(every, now)).label("late"))
             .where(every.c.status.in_(OPEN_STATUSES), every.c.manager_id.is_not(None))
             .group_by(every.c.manager_id).subquery())
    return (select(Manager.id, func.coalesce(links.c.n, 0), func.coalesce(leads.c.open, 0),
                   func.coalesce(leads.c.late, 0), literal(now))
            .outerjoin(links, links.c.manager_id == Manager.id)
            .outerjoin(leads, leads.c.manager_id == Manager.id))


def branch_statement(now: datetime, week_start: datetime) -> Any:
    """Return the SELECT of every branch's figures (for the refresh and for plans)."""
    people = _branch_customers().subquery()
    customers = (select(people.c.branch_id, func.count().label("n"),
                        _sum(people.c.followed_at >= week_start).label("follows"))
                 .group_by(people.c.branch_id).subquery())
    every = _every_lead()
    leads = (select(every.c.branch_id,
                    *(_sum(every.c.status == s).label(s.value) for s in LeadStatus),
                    _sum(_overdue(every, now)).label("late"))
             .where(every.c.branch_id.is_not(None)).group_by(every.c.branch_id).subquery())
    counts = [customers.c.n, customers.c.follows, *(leads.c[s.value] for s in LeadStatus),
              leads.c.late]
    return (select(Branch.id, *(func.coalesce(c, 0) for c in counts), literal(now))
            .outerjoin(customers, customers.c.branch_id == Branch.id)
            .outerjoin(leads, leads.c.branch_id == Branch.id))


def network_statement(now: datetime, week_start: datetime) -> Any:
    """Return the SELECT of the network's one row of figures: every customer and lead."""
    customers = select(func.count().label("n"),
                       _sum(Customer.followed_at >= week_start).label("follows")).subquery()
    every = _every_lead()
    leads = select(*(_sum(every.c.status == s).label(s.value) for s in LeadStatus),
                   _sum(_overdue(every, now)).label("late")).subquery()
    return select(literal(NETWORK), customers.c.n, customers.c.follows,
                  *(leads.c[s.value] for s in LeadStatus), leads.c.late,
                  literal(now)).select_from(customers.join(leads, true()))


def _branch_customers() -> Any:
    # Each customer once per branch that sees them: their home branch, and their manager's
    # branch when it is another.
    homed = (select(Customer.home_branch_id.label("branch_id"), Customer.followed_at)
             .where(Customer.home_branch_id.is_not(None)))
    cared = (select(Manager.branch_id, Customer.followed_at).select_from(ManagerLink)
             .join(Manager, Manager.id == ManagerLink.manager_id)
             .join(Customer, Customer.id == ManagerLink.customer_id)
             .where(ManagerLink.ended_at.is_(None),
                    or_(Customer.home_branch_id.is_(None),
                        Customer.home_branch_id != Manager.branch_id)))
    return union_all(homed, cared)


def _every_lead() -> Any:
    """Customers' leads and chain leads alike: branch, manager, status, due time."""
    return union_all(
        *(select(kind.branch_id, kind.manager_id, kind.status, kind.due_at)
          for kind in (Lead, ChainLead))).subquery()


def _overdue(every: Any, now: datetime) -> ColumnElement[bool]:
    return and_(every.c.status == LeadStatus.NEW, every.c.due_at <= now)


def _sum(condition: ColumnElement[bool]) -> ColumnElement[Any]:
    return func.coalesce(func.sum(case((condition, 1), else_=0)), 0).cast(Integer)
