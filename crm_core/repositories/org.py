"""Branches and managers in SQL."""

from typing import cast

from sqlalchemy import Table, bindparam, select, update
from sqlalchemy.orm import Session

from crm_core.model import (
    Branch,
    Manager,
    ManagerState,
)


class SqlBranches:
    """Branches in SQL."""

    def __init__(self, session: Session) -> None:
        self.session = session

    def by_code(self, code: str) -> Branch | None:
        """Return the branch with this code."""
        return self.session.scalar(_BRANCH_BY_CODE, {"code": code})

    def add(self, branch: Branch) -> None:
        """Add a branch."""
        self.session.add(branch)

    def all(self) -> list[Branch]:
        """Return every branch by code."""
        return list(self.session.scalars(select(Branch).order_by(Branch.code)))

    def get(self, branch_id: int) -> Branch | None:
        """Return a branch by id."""
        return self.session.get(Branch, branch_id)

    def next_ticket(self, branch: Branch) -> int:
        """Bump and return the branch's ticket atomically.

        On PostgreSQL the ticket is taken in a statement of its own, committed at once, so
        the branch's row is locked only for that statement: follows through one branch code
        no longer wait for each other's whole transaction. A transaction that fails after
        taking one leaves that turn unused (the next follow takes the next manager); the
        turns stay even. A branch this transaction created, or already took a ticket of in
        its own transaction, takes it here again (no other connection sees or may lock it
        before the commit); so does every branch on SQLite, which has one writer anyway.
        """
        bind = self.session.get_bind()
        inside = self.session.info.setdefault("tickets_inside", set())
        if bind.dialect.name == "postgresql" and branch.id not in inside:
            with bind.engine.connect() as connection:
                row = connection.execution_options(isolation_level="AUTOCOMMIT").execute(
                    _BUMP, {"branch": branch.id}).first()
            if row is not None:
                return int(row[0])
        inside.add(branch.id)
        ticket = self.session.execute(_BUMP, {"branch": branch.id},
                                      execution_options={"synchronize_session": False})
        return int(ticket.scalar_one())


# The lookups of a follow, built once with their cache keys (see repositories/customers.py).
BRANCHES = cast(Table, Branch.__table__)
_BUMP = (update(BRANCHES).where(BRANCHES.c.id == bindparam("branch"))
         .values(rr_counter=BRANCHES.c.rr_counter + 1).returning(BRANCHES.c.rr_counter))
_BRANCH_BY_CODE = select(Branch).where(Branch.code == bindparam("code"))
_MANAGER_BY_CODE = select(Manager).where(Manager.code == bindparam("code"))
_TAKING_CUSTOMERS = (select(Manager).where(Manager.branch_id == bindparam("branch"),
                                           Manager.state == ManagerState.ACTIVE)
                     .order_by(Manager.id))


class SqlManagers:
    """Managers in SQL."""

    def __init__(self, session: Session) -> None:
        self.session = session

    def by_code(self, code: str) -> Manager | None:
        """Return the manager with this code."""
        return self.session.scalar(_MANAGER_BY_CODE, {"code": code})

    def add(self, manager: Manager) -> None:
        """Add a manager."""
        self.session.add(manager)

    def taking_customers(self, branch: Branch) -> list[Manager]:
        """Return the branch's active managers in id order."""
        return list(self.session.scalars(_TAKING_CUSTOMERS, {"branch": branch.id}))

    def get(self, manager_id: int) -> Manager | None:
        """Return a manager by id."""
        return self.session.get(Manager, manager_id)

    def bound_to(self, openid: str) -> Manager | None:
        """Return the manager whose WeChat account this is."""
        return self.session.scalar(select(Manager).where(Manager.openid == openid))

    def heads_of(self, branch_id: int) -> list[Manager]:
        """Return the heads of a branch."""
        stmt = select(Manager).where(Manager.branch_id == branch_id, Manager.is_branch_head)
        return list(self.session.scalars(stmt.order_by(Manager.id)))

    def all_bound(self) -> list[Manager]:
        """Return every manager with a bound WeChat account."""
        stmt = select(Manager).where(Manager.openid.is_not(None)).order_by(Manager.id)
        return list(self.session.scalars(stmt))
