"""Reading the registers in scope: a manager the records about themselves, a branch head
their branch's, head office every one (a business line's account: its line's managers).
Customers are named masked (first character and stars), never by phone or openid, and any
mobile or ID number written in the free text is masked too."""

from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from sqlalchemy import ColumnElement, Select, false, func, select, true
from sqlalchemy.orm import InstrumentedAttribute

from crm_core.model import Branch, Customer, Manager, Product, Scope, StaffRole
from crm_core.model.performance.registers import (
    Complaint,
    ComplaintChannel,
    ComplaintVerdict,
    SuitabilityOverride,
)
from crm_core.pii import mask_text
from crm_core.unit_of_work import SqlUnitOfWork

PAGE = 20


def register_scope(scope: Scope, manager_id: InstrumentedAttribute[int],
                   branch_id: InstrumentedAttribute[int]) -> ColumnElement[bool]:
    """Return the register rows the scope sees (by the manager concerned and their branch)."""
    if scope.role is StaffRole.HEAD_OFFICE:
        if scope.line is None:
            return true()
        return manager_id.in_(select(Manager.id).where(Manager.role == scope.line))
    if scope.role is StaffRole.BRANCH_HEAD and scope.branch_id is not None:
        return branch_id == scope.branch_id
    if scope.role is StaffRole.MANAGER and scope.manager_id is not None:
        return manager_id == scope.manager_id
    return false()


@dataclass(frozen=True)
class ComplaintRow:
    """One complaint as listed: who it is about, the masked customer, where it stands."""

    id: int
    received_on: date
    channel: ComplaintChannel
    summary: str
    detail: str
    customer: str
    manager_code: str
    manager_name: str
    branch_name: str
    verdict: ComplaintVerdict
    reason: str
    recorded_by: str
    decided_by: str | None
    decided_at: datetime | None


@dataclass(frozen=True)
class OverrideRow:
    """One override as listed: who, the masked customer, the product and the two levels."""

    id: int
    occurred_on: date
    customer: str
    manager_code: str
    manager_name: str
    branch_name: str
    product_code: str
    product_name: str
    customer_level: int | None
    product_level: int
    reason: str
    recorded_by: str


def masked(name: str | None, customer_id: int) -> str:
    """Name a customer by the first character of their name and stars, or by their number."""
    return name[0] + "*" * max(1, len(name) - 1) if name else f"客户 #{customer_id}"


def _month(column: InstrumentedAttribute[date], month: date | None) -> ColumnElement[bool]:
    if month is None:
        return true()
    end = date(month.year + month.month // 12, month.month % 12 + 1, 1)
    return (column >= month) & (column < end)


def complaints(uow: SqlUnitOfWork, scope: Scope, month: date | None = None,
               verdict: ComplaintVerdict | None = None,
               page: int = 1) -> tuple[list[ComplaintRow], int]:
    """Return a page of the complaints in scope, newest first, and how many there are."""
    where = register_scope(scope, Complaint.manager_id, Complaint.branch_id) & _month(
        Complaint.received_on, month)
    if verdict is not None:
        where = where & (Complaint.verdict == verdict)
    stmt = (select(Complaint, Customer.display_name, Customer.id, Manager.code,
                   Manager.name, Branch.name)
            .join(Customer, Customer.id == Complaint.customer_id)
            .join(Manager, Manager.id == Complaint.manager_id)
            .join(Branch, Branch.id == Complaint.branch_id).where(where)
            .order_by(Complaint.received_on.desc(), Complaint.id.desc()))
    rows = [ComplaintRow(c.id, c.received_on, c.channel, mask_text(c.summary),
                         mask_text(c.detail), masked(name, customer_id), code, manager, branch,
                         c.verdict, mask_text(c.reason),
                         c.recorded_by, c.decided_by, c.decided_at)
            for c, name, customer_id, code, manager, branch in _page(uow, stmt, page)]
    return rows, _count(uow, select(Complaint.id).where(where))


def overrides(uow: SqlUnitOfWork, scope: Scope, month: date | None = None,
              page: int = 1) -> tuple[list[OverrideRow], int]:
    """Return a page of the suitability overrides in scope, newest first, and the count."""
    where = register_scope(scope, SuitabilityOverride.manager_id,
                           SuitabilityOverride.branch_id) & _month(
        SuitabilityOverride.occurred_on, month)
    stmt = (select(SuitabilityOverride, Customer.display_name, Customer.id, Manager.code,
                   Manager.name, Branch.name, Product.code, Product.name)
            .join(Customer, Customer.id == SuitabilityOverride.customer_id)
            .join(Manager, Manager.id == SuitabilityOverride.manager_id)
            .join(Branch, Branch.id == SuitabilityOverride.branch_id)
            .join(Product, Product.id == SuitabilityOverride.product_id).where(where)
            .order_by(SuitabilityOverride.occurred_on.desc(), SuitabilityOverride.id.desc()))
    rows = [OverrideRow(o.id, o.occurred_on, masked(name, customer_id), code, manager, branch,
                        product_code, product_name, o.customer_level, o.product_level,
                        mask_text(o.reason), o.recorded_by)
            for o, name, customer_id, code, manager, branch, product_code, product_name
            in _page(uow, stmt, page)]
    return rows, _count(uow, select(SuitabilityOverride.id).where(where))


def _page(uow: SqlUnitOfWork, stmt: Select[Any], page: int) -> list[Any]:
    return list(uow.session.execute(stmt.limit(PAGE).offset((max(page, 1) - 1) * PAGE)))


def _count(uow: SqlUnitOfWork, stmt: Select[Any]) -> int:
    return int(uow.session.scalar(select(func.count()).select_from(stmt.subquery())) or 0)
