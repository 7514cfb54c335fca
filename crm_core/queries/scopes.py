"""What each role may see, as SQL predicates: a manager their own, a branch head their branch."""

from typing import Any

from sqlalchemy import ColumnElement, and_, false, or_, select, true

from crm_core.model import Customer, Lead, Manager, ManagerLink, Notice, Scope, StaffRole


def lead_scope(scope: Scope) -> ColumnElement[bool]:
    """Return the leads the scope sees."""
    if scope.role is StaffRole.MANAGER:
        return Lead.manager_id == scope.manager_id
    if scope.role is StaffRole.BRANCH_HEAD:
        return Lead.branch_id == scope.branch_id
    return true()


def customer_scope(scope: Scope) -> ColumnElement[bool]:
    """Return the customers the scope sees: a manager's current ones; a branch head's branch's
    (by current manager or by home branch); every customer for head office."""
    if scope.role is StaffRole.HEAD_OFFICE:
        return true()
    if scope.role is StaffRole.MANAGER:
        if scope.manager_id is None:
            return false()
        return Customer.current_manager_id == scope.manager_id
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
    # Evaluated left to right: the customer is looked up only for a notice to a customer.
    return or_(Notice.manager_id.in_(managers),
               and_(Notice.customer_id.is_not(None), customer.exists()))


def current_manager() -> Any:
    """Return a correlated subquery: the id of a customer's current manager."""
    return (select(ManagerLink.manager_id)
            .where(ManagerLink.customer_id == Customer.id, ManagerLink.ended_at.is_(None))
            .correlate(Customer).scalar_subquery())


def in_branch(branch_id: int) -> ColumnElement[bool]:
    """Return customers of a branch by current manager or home branch."""
    return or_(Customer.home_branch_id == branch_id, Customer.manager_branch_id == branch_id)

