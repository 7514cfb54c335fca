"""What staff may choose from in a picker: managers, branches, customers and products by name
or code, each within the asker's scope.

A picker's value is what a form posts: a manager's or branch's code, a customer's id, a
product's code. Searching is by prefix of the code and by any part of the name, as typed (a
customer's name by its beginning: surnames come first).
"""

from typing import Any

from sqlalchemy import ColumnElement, Select, false, or_, select, true
from sqlalchemy.orm import Session, selectinload

from crm_core.model import (
    Branch,
    Customer,
    Manager,
    ManagerLink,
    ManagerRole,
    ManagerState,
    Organisation,
    Product,
    Scope,
    StaffRole,
)
from crm_core.queries.console import SqlConsole

PICK_LIMIT = 20


class SqlPicks:
    """Read-side SQL for the console's pickers."""

    def __init__(self, session: Session) -> None:
        self.session = session

    def managers(self, scope: Scope, query: str, active_only: bool = False,
                 limit: int = PICK_LIMIT) -> list[Manager]:
        """Return managers in scope matching `query` (name or code), by code."""
        stmt = (select(Manager).where(self._manager_scope(scope), _named(Manager, query))
                .options(selectinload(Manager.branch)).order_by(Manager.code).limit(limit))
        if active_only:
            stmt = stmt.where(Manager.state == ManagerState.ACTIVE)
        return list(self.session.scalars(stmt))

    def receivers(self, scope: Scope, query: str, line: ManagerRole,
                  limit: int = PICK_LIMIT) -> list[Manager]:
        """Return the active managers of a line who may receive a referral or an assignment,
        matching `query`, by code: a branch head's own branch, anyone's otherwise (never the
        caller)."""
        stmt = (select(Manager).where(Manager.role == line, Manager.state == ManagerState.ACTIVE,
                                      _named(Manager, query))
                .options(selectinload(Manager.branch)).order_by(Manager.code).limit(limit))
        if scope.role is StaffRole.BRANCH_HEAD:
            stmt = stmt.where(Manager.branch_id == (scope.branch_id or -1))
        if scope.manager_id is not None:
            stmt = stmt.where(Manager.id != scope.manager_id)
        return list(self.session.scalars(stmt))

    def organisations(self, query: str, limit: int = PICK_LIMIT) -> list[Organisation]:
        """Return organisations matching `query` (name or code), by code: any one the bank
        knows may be a counterparty, whoever serves it."""
        stmt = select(Organisation).where(_named(Organisation, query))
        return list(self.session.scalars(stmt.order_by(Organisation.code).limit(limit)))

    def manager(self, scope: Scope, code: str) -> Manager | None:
        """Return the manager with this code if the scope sees them (else None)."""
        stmt = select(Manager).where(Manager.code == code, self._manager_scope(scope))
        return self.session.scalar(stmt)

    def branches(self, scope: Scope, query: str, limit: int = PICK_LIMIT) -> list[Branch]:
        """Return branches in scope matching `query` (name or code), by code."""
        stmt = select(Branch).where(_named(Branch, query)).order_by(Branch.code).limit(limit)
        if scope.role is not StaffRole.HEAD_OFFICE:
            stmt = stmt.where(Branch.id == (scope.branch_id or -1))
        return list(self.session.scalars(stmt))

    def customers(self, scope: Scope, query: str, manager: str | None = None,
                  limit: int = PICK_LIMIT, ids: list[int] | None = None) -> list[Customer]:
        """Return customers in scope matching `query` (name, phone's last 4, openid prefix),
        optionally only those a manager (by code) holds now, or only those of `ids`."""
        stmt = SqlConsole(self.session).customers_in(scope)
        if ids is not None:
            stmt, limit = stmt.where(Customer.id.in_(ids)), len(ids)
        if query:
            stmt = stmt.where(_customer_matches(query))
        if manager:
            stmt = _held_by(stmt, manager)
        stmt = stmt.options(selectinload(Customer.links).selectinload(ManagerLink.manager))
        return list(self.session.scalars(stmt.order_by(Customer.id).limit(limit)))

    def products(self, query: str, limit: int = PICK_LIMIT) -> list[Product]:
        """Return the products that may be shared (no private placement) matching `query`."""
        stmt = (select(Product).where(Product.private_placement.is_(False),
                                      _named(Product, query))
                .order_by(Product.code).limit(limit))
        return list(self.session.scalars(stmt))

    def _manager_scope(self, scope: Scope) -> ColumnElement[bool]:
        if scope.role is StaffRole.HEAD_OFFICE:
            return true()
        if scope.role is StaffRole.MANAGER:
            return Manager.id == scope.manager_id if scope.manager_id else false()
        return Manager.branch_id == scope.branch_id if scope.branch_id else false()


def _named(table: Any, query: str) -> ColumnElement[bool]:
    query = query.strip()
    if not query:
        return true()
    return or_(table.code.startswith(query.upper(), autoescape=True),
               table.code.startswith(query, autoescape=True),
               table.name.contains(query, autoescape=True))


def _customer_matches(query: str) -> ColumnElement[bool]:
    query = query.strip()
    if query.isdigit() and len(query) == 4:
        return Customer.phone_last4 == query
    # Prefixes only: both columns have a prefix index, and a branch has 200,000 customers.
    return or_(Customer.display_name.startswith(query, autoescape=True),
               Customer.openid.startswith(query, autoescape=True))


def _held_by(stmt: Select[Any], manager: str) -> Select[Any]:
    held = (select(ManagerLink.customer_id).join(Manager, Manager.id == ManagerLink.manager_id)
            .where(Manager.code == manager, ManagerLink.ended_at.is_(None)))
    return stmt.where(Customer.id.in_(held))
