"""Keeps `customers.current_manager_id` and `manager_branch_id` (the current manager and their
branch) in step with the links and the managers, whichever code writes them: a link started or
ended, a manager moved to another branch.

Each change is one UPDATE in the same flush and transaction as the change itself.
"""

from typing import Any

from sqlalchemy import event, inspect, select, update
from sqlalchemy.engine import Connection

from crm_core.model.customer import Customer, ManagerLink
from crm_core.model.org import Manager


def current_branch(customer_id: Any) -> Any:
    """Return SQL for the branch of a customer's current manager (NULL: none)."""
    return (select(Manager.branch_id).join(ManagerLink, ManagerLink.manager_id == Manager.id)
            .where(ManagerLink.customer_id == customer_id, ManagerLink.ended_at.is_(None))
            .scalar_subquery())


def current_manager(customer_id: Any) -> Any:
    """Return SQL for a customer's current manager (NULL: none)."""
    return (select(ManagerLink.manager_id)
            .where(ManagerLink.customer_id == customer_id, ManagerLink.ended_at.is_(None))
            .scalar_subquery())


@event.listens_for(ManagerLink, "after_insert")
@event.listens_for(ManagerLink, "after_update")
def _link_written(_mapper: Any, connection: Connection, link: ManagerLink) -> None:
    connection.execute(update(Customer).where(Customer.id == link.customer_id)
                       .values(current_manager_id=current_manager(link.customer_id),
                               manager_branch_id=current_branch(link.customer_id)))


@event.listens_for(Manager, "after_update")
def _manager_moved(_mapper: Any, connection: Connection, manager: Manager) -> None:
    if not inspect(manager).attrs.branch_id.history.has_changes():
        return
    customers = select(ManagerLink.customer_id).where(ManagerLink.manager_id == manager.id,
                                                      ManagerLink.ended_at.is_(None))
    connection.execute(update(Customer).where(Customer.id.in_(customers))
                       .values(manager_branch_id=manager.branch_id))
