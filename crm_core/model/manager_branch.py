"""Keeps `customers.current_manager_id` and `manager_branch_id` (the current manager and their
branch) in step with the links and the managers, whichever code writes them: a link started or
ended, a manager moved to another branch.

Each change is one UPDATE in the same flush and transaction as the change itself.
"""

from typing import Any

from sqlalchemy import bindparam, event, inspect, select, update
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


# Built once: a follow writes a link, and building this statement cost more than running it.
_IN_STEP = (update(Customer).where(Customer.id == bindparam("customer"))
            .values(current_manager_id=current_manager(bindparam("customer")),
                    manager_branch_id=current_branch(bindparam("customer"))))


@event.listens_for(ManagerLink, "after_insert")
@event.listens_for(ManagerLink, "after_update")
def _link_written(_mapper: Any, connection: Connection, link: ManagerLink) -> None:
    if link.ended_at is None and link.customer is not None:
        written = inspect(link.customer).attrs  # customers are flushed before their links
        if (written.current_manager_id.history.added == [link.manager_id]
                and written.manager_branch_id.history.added == [link.manager.branch_id]):
            return  # set by `in_step`: they went out with the customer's own UPDATE
    connection.execute(_IN_STEP, {"customer": link.customer_id})


def in_step(customer: Customer, manager: Manager) -> None:
    """Set a customer's current manager and branch as a new link to `manager` will: they go
    out with the customer's own changes, and the link's insert needs no UPDATE of its own."""
    customer.current_manager_id, customer.manager_branch_id = manager.id, manager.branch_id


@event.listens_for(Manager, "after_update")
def _manager_moved(_mapper: Any, connection: Connection, manager: Manager) -> None:
    if not inspect(manager).attrs.branch_id.history.has_changes():
        return
    customers = select(ManagerLink.customer_id).where(ManagerLink.manager_id == manager.id,
                                                      ManagerLink.ended_at.is_(None))
    connection.execute(update(Customer).where(Customer.id.in_(customers))
                       .values(manager_branch_id=manager.branch_id))
