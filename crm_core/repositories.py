"""Repositories: the only code that turns CRM questions into SQL."""

from datetime import datetime
from typing import Protocol

from sqlalchemy import Update, or_, select, update
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session, joinedload

from crm_core.model import (
    Branch,
    Customer,
    InboundDelivery,
    Interaction,
    Manager,
    ManagerLink,
    ManagerState,
    SharedValue,
    Touch,
)


class DuplicateError(Exception):
    """A unique row (such as a delivery's dedupe key) already exists."""


class BranchRepository(Protocol):
    """Branches by code, and their round-robin ticket."""

    def by_code(self, code: str) -> Branch | None: ...
    def add(self, branch: Branch) -> None: ...
    def next_ticket(self, branch: Branch) -> int: ...


class ManagerRepository(Protocol):
    """Managers by code and by branch."""

    def by_code(self, code: str) -> Manager | None: ...
    def add(self, manager: Manager) -> None: ...
    def taking_customers(self, branch: Branch) -> list[Manager]: ...


class CustomerRepository(Protocol):
    """Customers by channel identity."""

    def by_openid(self, openid: str) -> Customer | None: ...
    def add(self, customer: Customer) -> None: ...


class ActivityRepository(Protocol):
    """Interactions and touches."""

    def add(self, item: Interaction | Touch | ManagerLink) -> None: ...
    def interactions_of(self, customer: Customer, limit: int) -> list[Interaction]: ...
    def touches_of(self, customer: Customer) -> list[Touch]: ...


class DeliveryRepository(Protocol):
    """Processed inbound deliveries, for dedupe."""

    def get(self, channel: str, key: str) -> InboundDelivery | None: ...
    def claim(self, delivery: InboundDelivery) -> None: ...


class SharedValueRepository(Protocol):
    """Named values with an owner lease, shared by all processes."""

    def get(self, key: str) -> SharedValue | None: ...
    def take_lease(self, key: str, owner: str, until: datetime, now: datetime) -> bool: ...
    def set_if_owner(self, key: str, owner: str, value: str, expires_at: datetime,
                     now: datetime) -> bool: ...
    def release(self, key: str, owner: str) -> None: ...


class SqlBranches:
    """Branches in SQL."""

    def __init__(self, session: Session) -> None:
        self.session = session

    def by_code(self, code: str) -> Branch | None:
        """Return the branch with this code."""
        return self.session.scalar(select(Branch).where(Branch.code == code))

    def add(self, branch: Branch) -> None:
        """Add a branch."""
        self.session.add(branch)

    def next_ticket(self, branch: Branch) -> int:
        """Bump and return the branch's ticket atomically (row-locked until commit)."""
        stmt = (update(Branch).where(Branch.id == branch.id)
                .values(rr_counter=Branch.rr_counter + 1).returning(Branch.rr_counter))
        ticket = self.session.execute(stmt, execution_options={"synchronize_session": False})
        return int(ticket.scalar_one())


class SqlManagers:
    """Managers in SQL."""

    def __init__(self, session: Session) -> None:
        self.session = session

    def by_code(self, code: str) -> Manager | None:
        """Return the manager with this code."""
        return self.session.scalar(select(Manager).where(Manager.code == code))

    def add(self, manager: Manager) -> None:
        """Add a manager."""
        self.session.add(manager)

    def taking_customers(self, branch: Branch) -> list[Manager]:
        """Return the branch's active managers in id order."""
        stmt = (select(Manager).where(Manager.branch_id == branch.id,
                                      Manager.state == ManagerState.ACTIVE).order_by(Manager.id))
        return list(self.session.scalars(stmt))


class SqlCustomers:
    """Customers in SQL, remembered by openid for the rest of the unit of work."""

    def __init__(self, session: Session) -> None:
        self.session = session
        self.seen: dict[str, Customer] = {}

    def by_openid(self, openid: str) -> Customer | None:
        """Return the customer with this openid, with links, managers and branches, in one query."""
        if openid in self.seen:
            return self.seen[openid]
        stmt = (select(Customer).where(Customer.openid == openid)
                .options(joinedload(Customer.links).joinedload(ManagerLink.manager)
                         .joinedload(Manager.branch)))
        customer = self.session.scalars(stmt).unique().one_or_none()
        if customer is not None:
            self.seen[openid] = customer
        return customer

    def add(self, customer: Customer) -> None:
        """Add a customer."""
        self.session.add(customer)
        self.seen[customer.openid] = customer


class SqlActivity:
    """Interactions and touches in SQL."""

    def __init__(self, session: Session) -> None:
        self.session = session

    def add(self, item: Interaction | Touch | ManagerLink) -> None:
        """Add an interaction, touch or link."""
        self.session.add(item)

    def interactions_of(self, customer: Customer, limit: int) -> list[Interaction]:
        """Return the customer's latest interactions, newest first."""
        stmt = (select(Interaction).where(Interaction.customer_id == customer.id)
                .order_by(Interaction.occurred_at.desc(), Interaction.id.desc()).limit(limit))
        return list(self.session.scalars(stmt))

    def touches_of(self, customer: Customer) -> list[Touch]:
        """Return the customer's touches, oldest first."""
        stmt = (select(Touch).where(Touch.customer_id == customer.id)
                .order_by(Touch.occurred_at, Touch.id))
        return list(self.session.scalars(stmt))


class SqlDeliveries:
    """Processed deliveries in SQL."""

    def __init__(self, session: Session) -> None:
        self.session = session

    def get(self, channel: str, key: str) -> InboundDelivery | None:
        """Return the delivery already processed under this key."""
        stmt = select(InboundDelivery).where(InboundDelivery.channel == channel,
                                             InboundDelivery.key == key)
        return self.session.scalar(stmt)

    def claim(self, delivery: InboundDelivery) -> None:
        """Insert the dedupe row now, so a concurrent twin fails before any side effect."""
        self.session.add(delivery)
        try:
            self.session.flush([delivery])
        except IntegrityError as error:
            raise DuplicateError(str(error.orig)) from error


class SqlSharedValues:
    """Shared values in SQL; every change is one atomic conditional UPDATE."""

    def __init__(self, session: Session) -> None:
        self.session = session

    def get(self, key: str) -> SharedValue | None:
        """Return the value row, read fresh from the database."""
        return self.session.get(SharedValue, key, populate_existing=True)

    def take_lease(self, key: str, owner: str, until: datetime, now: datetime) -> bool:
        """Take (or renew) the lease on `key` unless another live owner holds it."""
        self._ensure(key)
        free = or_(SharedValue.lease_owner.is_(None), SharedValue.lease_until < now,
                   SharedValue.lease_owner == owner)
        stmt = (update(SharedValue).where(SharedValue.key == key, free)
                .values(lease_owner=owner, lease_until=until))
        return self._changed(stmt)

    def set_if_owner(self, key: str, owner: str, value: str, expires_at: datetime,
                     now: datetime) -> bool:
        """Store the value only while `owner` holds a live lease."""
        stmt = (update(SharedValue)
                .where(SharedValue.key == key, SharedValue.lease_owner == owner,
                       SharedValue.lease_until >= now)
                .values(value=value, expires_at=expires_at))
        return self._changed(stmt)

    def release(self, key: str, owner: str) -> None:
        """Give the lease up if `owner` holds it."""
        stmt = (update(SharedValue).where(SharedValue.key == key, SharedValue.lease_owner == owner)
                .values(lease_owner=None, lease_until=None))
        self._changed(stmt)

    def _ensure(self, key: str) -> None:
        dialect = postgresql if self.session.bind and \
            self.session.bind.dialect.name == "postgresql" else sqlite
        self.session.execute(dialect.insert(SharedValue).values(key=key)
                             .on_conflict_do_nothing(index_elements=["key"]))

    def _changed(self, stmt: Update) -> bool:
        result = self.session.execute(stmt, execution_options={"synchronize_session": False})
        return bool(getattr(result, "rowcount", 0) == 1)
