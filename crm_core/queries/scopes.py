"""What each role may see, as SQL predicates: a manager their own, a branch head their branch."""

from typing import Any

from sqlalchemy import ColumnElement, Select, false, or_, select, true

from crm_core.model import Customer, Lead, Manager, ManagerLink, Notice, Scope, StaffRole


def lead_scope(scope: Scope) -> ColumnElement[bool]:
    """Return the leads the scope sees."""
    if scope.role is StaffRole.MANAGER:
        return Lead.manager_id == scope.manager_id
    if scope.role is StaffRole.BRANCH_HEAD:
        return Lead.branch_id == scope.branch_id
    return true()


def current_customers_of(manager_ids: Select[Any] | int) -> Select[Any]:
    """Return the ids of the customers whose current manager is one of `manager_ids`."""
    link = select(ManagerLink.customer_id).where(ManagerLink.ended_at.is_(None))
    if isinstance(manager_ids, int):
        return link.where(ManagerLink.manager_id == manager_ids)
    return link.where(ManagerLink.manager_id.in_(manager_ids))


def customer_scope(scope: Scope) -> ColumnElement[bool]:
    """Return the customers the scope sees: a manager's current ones; a branch head's branch's
    (by current manager or by home branch); every customer for head office."""
    if scope.role is StaffRole.HEAD_OFFICE:
        return true()
    if scope.role is StaffRole.MANAGER:
        if scope.manager_id is None:
            return false()
        return Customer.id.in_(current_customers_of(scope.manager_id))
    return false() if scope.branch_id is None else in_branch(scope.branch_id)


def notice_scope(scope: Scope) -> ColumnElement[bool]:
    """Return the notices the scope sees: a branch head those to the branch's managers and to
    the customers the branch sees; managers get theirs in WeChat and see none here."""
    if scope.role is StaffRole.HEAD_OFFICE:
        return true()
    if scope.role is not StaffRole.BRANCH_HEAD or scope.branch_id is None:
        return false()
    managers = select(Manager.id).where(Manager.branch_id == scope.branch_id)
    customer = select(Customer.id).where(Customer.id == Notice.customer_id,
                                         in_branch(scope.branch_id)).correlate(Notice)
    return or_(Notice.manager_id.in_(managers), customer.exists())


def current_manager() -> Any:
    """Return a correlated subquery: the id of a customer's current manager."""
    return (select(ManagerLink.manager_id)
            .where(ManagerLink.customer_id == Customer.id, ManagerLink.ended_at.is_(None))
            .correlate(Customer).scalar_subquery())


def in_branch(branch_id: int) -> ColumnElement[bool]:
    """Return customers of a branch by current manager or home branch."""
    return or_(Customer.home_branch_id == branch_id, Customer.manager_branch_id == branch_id)

