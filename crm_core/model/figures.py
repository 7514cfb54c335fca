"""Home-page figures: per-branch, per-manager and network counts the worker refreshes, each
row with the time it was counted."""

from datetime import datetime

from sqlalchemy import ForeignKey
from sqlalchemy.orm import Mapped, mapped_column

from crm_core.model.base import Base

LEAD_COUNTS = ("leads_new", "leads_contacted", "leads_converted", "leads_lost", "leads_overdue")
COUNTS = ("customers", "follows_week", *LEAD_COUNTS)


class _Counts:
    """Customers, this week's follows and leads by status (overdue: new past their due time)."""

    customers: Mapped[int] = mapped_column()
    follows_week: Mapped[int] = mapped_column()
    leads_new: Mapped[int] = mapped_column()
    leads_contacted: Mapped[int] = mapped_column()
    leads_converted: Mapped[int] = mapped_column()
    leads_lost: Mapped[int] = mapped_column()
    leads_overdue: Mapped[int] = mapped_column()
    updated_at: Mapped[datetime] = mapped_column()


class BranchFigures(_Counts, Base):
    """A branch's figures: what its head sees."""

    __tablename__ = "branch_figures"

    branch_id: Mapped[int] = mapped_column(ForeignKey("branches.id"), primary_key=True)


class NetworkFigures(_Counts, Base):
    """The whole network's figures (one row): what head office sees."""

    __tablename__ = "network_figures"

    id: Mapped[int] = mapped_column(primary_key=True)


class ManagerFigures(Base):
    """A manager's load: customers in their care, open and overdue leads, as of `updated_at`."""

    __tablename__ = "manager_figures"

    manager_id: Mapped[int] = mapped_column(ForeignKey("managers.id"), primary_key=True)
    customers: Mapped[int]
    open_leads: Mapped[int]
    overdue_leads: Mapped[int]
    updated_at: Mapped[datetime]
