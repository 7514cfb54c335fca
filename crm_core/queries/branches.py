"""Head office's list of branches, each with its managers and open and overdue leads (not its
customers: counting a million of them per view is not cheap; the customers list estimates)."""

from datetime import datetime
from typing import Any

from sqlalchemy import and_, case, func, select
from sqlalchemy.orm import Session

from crm_core.model import OPEN_STATUSES, Branch, Lead, LeadStatus, Manager


def branch_counts(session: Session, now: datetime) -> list[dict[str, Any]]:
    """Return every branch with its number of managers and of open and overdue leads."""
    managers = (select(Manager.branch_id.label("b"), func.count().label("n"))
                .group_by(Manager.branch_id).subquery())
    late = case((and_(Lead.status == LeadStatus.NEW, Lead.due_at <= now), 1), else_=0)
    leads = (select(Lead.branch_id.label("b"), func.count().label("n"),
                    func.sum(late).label("late"))
             .where(Lead.status.in_(OPEN_STATUSES)).group_by(Lead.branch_id).subquery())
    stmt = (select(Branch.code, Branch.name, func.coalesce(managers.c.n, 0),
                   func.coalesce(leads.c.n, 0), func.coalesce(leads.c.late, 0))
            .outerjoin(managers, managers.c.b == Branch.id)
            .outerjoin(leads, leads.c.b == Branch.id).order_by(Branch.code))
    return [{"code": code, "name": name, "managers": int(m), "open_leads": int(o),
             "overdue_leads": int(late)} for code, name, m, o, late in session.execute(stmt)]
