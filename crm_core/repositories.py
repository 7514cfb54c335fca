"""Repositories: the only code that turns CRM questions into SQL."""

from collections.abc import Sequence
from datetime import datetime
from typing import Protocol

from sqlalchemy import Update, and_, case, func, or_, select, update
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session, joinedload, selectinload

from crm_core.model import (
    OPEN_STATUSES,
    ApiToken,
    AuditEvent,
    BindCode,
    Branch,
    CodeKind,
    Customer,
    InboundDelivery,
    Interaction,
    Lead,
    LeadStatus,
    Manager,
    ManagerLink,
    ManagerState,
    Notice,
    NoticeStatus,
    QrCode,
    SharedValue,
    StaffAccount,
    Touch,
    TouchFact,
)


class DuplicateError(Exception):
    """A unique row (such as a delivery's dedupe key) already exists."""


class BranchRepository(Protocol):
    """Branches by code, and their round-robin ticket."""

    def by_code(self, code: str) -> Branch | None: ...
    def add(self, branch: Branch) -> None: ...
    def next_ticket(self, branch: Branch) -> int: ...
    def all(self) -> list[Branch]: ...


class ManagerRepository(Protocol):
    """Managers by code, by branch and by their bound WeChat account."""

    def by_code(self, code: str) -> Manager | None: ...
    def get(self, manager_id: int) -> Manager | None: ...
    def add(self, manager: Manager) -> None: ...
    def taking_customers(self, branch: Branch) -> list[Manager]: ...
    def bound_to(self, openid: str) -> Manager | None: ...
    def heads_of(self, branch_id: int) -> list[Manager]: ...
    def all_bound(self) -> list[Manager]: ...


class CustomerRepository(Protocol):
    """Customers by channel identity."""

    def by_openid(self, openid: str) -> Customer | None: ...
    def add(self, customer: Customer) -> None: ...


class ActivityRepository(Protocol):
    """Interactions and touches."""

    def add(self, item: Interaction | Touch | ManagerLink) -> None: ...
    def interactions_of(self, customer: Customer, limit: int) -> list[Interaction]: ...
    def touches_of(self, customer: Customer) -> list[Touch]: ...
    def current_links(self, manager_id: int,
                      customer_ids: list[int] | None) -> list[ManagerLink]: ...


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


class LeadRepository(Protocol):
    """Leads."""

    def add(self, lead: Lead) -> None: ...
    def get(self, lead_id: int) -> Lead | None: ...
    def open_for(self, customer: Customer, source: str, product: str | None) -> Lead | None: ...
    def overdue(self, now: datetime) -> list[Lead]: ...
    def listing(self, manager: Manager | None, status: LeadStatus | None,
                limit: int) -> list[Lead]: ...
    def open_counts(self, now: datetime) -> dict[int, tuple[int, int]]: ...


class NoticeRepository(Protocol):
    """The outbox of notices."""

    def add(self, notice: Notice) -> None: ...
    def by_key(self, key: str) -> Notice | None: ...
    def get(self, notice_id: int) -> Notice | None: ...
    def by_msgid(self, msgid: int) -> Notice | None: ...
    def due(self, now: datetime, limit: int) -> list[Notice]: ...
    def stale_claims(self, now: datetime) -> list[Notice]: ...
    def held_for(self, manager: Manager) -> list[Notice]: ...
    def listing(self, status: NoticeStatus | None, limit: int) -> list[Notice]: ...
    def postpone_pending(self, until: datetime) -> int: ...


class AuditRepository(Protocol):
    """The audit trail and one-time bind codes."""

    def add(self, item: AuditEvent | BindCode) -> None: ...
    def count(self, action: str, subject: str, since: datetime) -> int: ...
    def bind_code(self, code_hash: str) -> BindCode | None: ...


class StaffRepository(Protocol):
    """Staff accounts and their API tokens."""

    def add(self, item: StaffAccount | ApiToken) -> None: ...
    def by_username(self, username: str) -> StaffAccount | None: ...
    def get(self, staff_id: int) -> StaffAccount | None: ...
    def token(self, token_hash: str) -> ApiToken | None: ...


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

    def all(self) -> list[Branch]:
        """Return every branch by code."""
        return list(self.session.scalars(select(Branch).order_by(Branch.code)))

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

    def current_links(self, manager_id: int,
                      customer_ids: list[int] | None) -> list[ManagerLink]:
        """Return the links in force of a manager (only those customers', if given)."""
        stmt = select(ManagerLink).where(ManagerLink.manager_id == manager_id,
                                         ManagerLink.ended_at.is_(None))
        if customer_ids is not None:
            stmt = stmt.where(ManagerLink.customer_id.in_(customer_ids))
        return list(self.session.scalars(stmt.order_by(ManagerLink.id)))

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


class SqlLeads:
    """Leads in SQL."""

    def __init__(self, session: Session) -> None:
        self.session = session

    def add(self, lead: Lead) -> None:
        """Add a lead."""
        self.session.add(lead)

    def get(self, lead_id: int) -> Lead | None:
        """Return a lead by id."""
        return self.session.get(Lead, lead_id)

    def open_for(self, customer: Customer, source: str, product: str | None) -> Lead | None:
        """Return the customer's open lead of this source and product, if any."""
        stmt = select(Lead).where(Lead.customer_id == customer.id, Lead.source == source,
                                  Lead.product_code.is_(None) if product is None
                                  else Lead.product_code == product,
                                  Lead.status.in_(OPEN_STATUSES))
        return self.session.scalars(stmt.limit(1)).first()

    def overdue(self, now: datetime) -> list[Lead]:
        """Return new leads past their due time that still need a reminder or escalation."""
        stmt = select(Lead).where(Lead.status == LeadStatus.NEW, Lead.due_at <= now,
                                  Lead.escalated_at.is_(None))
        return list(self.session.scalars(stmt.order_by(Lead.due_at)))

    def listing(self, manager: Manager | None, status: LeadStatus | None,
                limit: int) -> list[Lead]:
        """Return leads, newest first, optionally of one manager and status."""
        stmt = select(Lead)
        if manager is not None:
            stmt = stmt.where(Lead.manager_id == manager.id)
        if status is not None:
            stmt = stmt.where(Lead.status == status)
        return list(self.session.scalars(stmt.order_by(Lead.id.desc()).limit(limit)))

    def open_counts(self, now: datetime) -> dict[int, tuple[int, int]]:
        """Return {manager id: (open leads, new leads past due)}."""
        overdue = func.sum(case((and_(Lead.status == LeadStatus.NEW, Lead.due_at <= now), 1),
                                else_=0))
        stmt = (select(Lead.manager_id, func.count(), overdue)
                .where(Lead.status.in_(OPEN_STATUSES), Lead.manager_id.is_not(None))
                .group_by(Lead.manager_id))
        return {int(m): (int(n), int(late or 0)) for m, n, late in self.session.execute(stmt)}


class SqlNotices:
    """The outbox in SQL."""

    def __init__(self, session: Session) -> None:
        self.session = session

    def add(self, notice: Notice) -> None:
        """Add a notice."""
        self.session.add(notice)

    def by_key(self, key: str) -> Notice | None:
        """Return the notice with this idempotency key."""
        return self.session.scalar(select(Notice).where(Notice.key == key))

    def get(self, notice_id: int) -> Notice | None:
        """Return a notice by id."""
        return self.session.get(Notice, notice_id)

    def by_msgid(self, msgid: int) -> Notice | None:
        """Return the notice the platform gave this msgid."""
        return self.session.scalar(select(Notice).where(Notice.wechat_msgid == msgid))

    def due(self, now: datetime, limit: int) -> list[Notice]:
        """Lock and return due notices; rows other workers hold are skipped (PostgreSQL)."""
        stmt = (select(Notice).where(Notice.status == NoticeStatus.PENDING,
                                     Notice.next_attempt_at <= now)
                .order_by(Notice.id).limit(limit).with_for_update(skip_locked=True))
        return list(self.session.scalars(stmt))

    def stale_claims(self, now: datetime) -> list[Notice]:
        """Return notices whose worker vanished while sending them."""
        stmt = select(Notice).where(Notice.status == NoticeStatus.SENDING,
                                    Notice.claimed_until < now)
        return list(self.session.scalars(stmt.with_for_update(skip_locked=True)))

    def held_for(self, manager: Manager) -> list[Notice]:
        """Return the notices waiting for this manager to bind WeChat."""
        stmt = select(Notice).where(Notice.manager_id == manager.id,
                                    Notice.status == NoticeStatus.HELD)
        return list(self.session.scalars(stmt))

    def postpone_pending(self, until: datetime) -> int:
        """Move every pending notice due before `until` to `until`."""
        stmt = (update(Notice).where(Notice.status == NoticeStatus.PENDING,
                                     Notice.next_attempt_at < until)
                .values(next_attempt_at=until))
        result = self.session.execute(stmt, execution_options={"synchronize_session": False})
        return int(getattr(result, "rowcount", 0))

    def listing(self, status: NoticeStatus | None, limit: int) -> list[Notice]:
        """Return notices, newest first, optionally of one status."""
        stmt = select(Notice).order_by(Notice.id.desc()).limit(limit)
        if status is not None:
            stmt = stmt.where(Notice.status == status)
        return list(self.session.scalars(stmt))


class SqlAudit:
    """The audit trail and bind codes in SQL."""

    def __init__(self, session: Session) -> None:
        self.session = session

    def add(self, item: AuditEvent | BindCode) -> None:
        """Append an audit event or a bind code."""
        self.session.add(item)

    def count(self, action: str, subject: str, since: datetime) -> int:
        """Count events of one action on one subject since a time."""
        stmt = (select(func.count()).select_from(AuditEvent)
                .where(AuditEvent.action == action, AuditEvent.subject == subject,
                       AuditEvent.at >= since))
        return int(self.session.scalar(stmt) or 0)

    def bind_code(self, code_hash: str) -> BindCode | None:
        """Return the bind code with this hash."""
        return self.session.scalar(select(BindCode).where(BindCode.code_hash == code_hash))


class CodeRepository(Protocol):
    """Issued QR codes, what to print them for, and the touches they brought."""

    def latest(self, scene: str) -> QrCode | None: ...
    def add(self, code: QrCode) -> None: ...
    def count_permanent(self) -> int: ...
    def listing(self, branch_id: int | None) -> list[QrCode]: ...
    def print_targets(self, branch_codes: Sequence[str] | None) -> list[Branch]: ...
    def touch_facts(self, start: datetime | None, end: datetime | None,
                    branch_id: int | None) -> list[TouchFact]: ...


class SqlCodes:
    """The QR code registry in SQL."""

    def __init__(self, session: Session) -> None:
        self.session = session

    def latest(self, scene: str) -> QrCode | None:
        """Return the newest code issued for `scene`."""
        stmt = (select(QrCode).where(QrCode.scene == scene)
                .order_by(QrCode.created_at.desc(), QrCode.id.desc()).limit(1))
        return self.session.scalar(stmt)

    def add(self, code: QrCode) -> None:
        """Add an issued code."""
        self.session.add(code)

    def count_permanent(self) -> int:
        """Count the permanent codes ever issued (the platform never takes one back)."""
        stmt = select(func.count()).select_from(QrCode).where(QrCode.kind == CodeKind.PERMANENT)
        return int(self.session.scalar(stmt) or 0)

    def listing(self, branch_id: int | None) -> list[QrCode]:
        """Return every code (of one branch if given), by scene then newest first."""
        stmt = select(QrCode).order_by(QrCode.scene, QrCode.created_at.desc(), QrCode.id.desc())
        if branch_id is not None:
            stmt = stmt.where(QrCode.branch_id == branch_id)
        return list(self.session.scalars(stmt))

    def print_targets(self, branch_codes: Sequence[str] | None) -> list[Branch]:
        """Return the branches (all, or those named) with their managers loaded, by code."""
        stmt = select(Branch).options(selectinload(Branch.managers)).order_by(Branch.code)
        if branch_codes is not None:
            stmt = stmt.where(Branch.code.in_(branch_codes))
        return list(self.session.scalars(stmt))

    def touch_facts(self, start: datetime | None, end: datetime | None,
                    branch_id: int | None) -> list[TouchFact]:
        """Return touches in [start, end) with branch and manager codes, oldest first."""
        stmt = (select(Touch.kind, Touch.scene, Branch.code, Manager.code, Touch.campaign,
                       Touch.occurred_at)
                .outerjoin(Branch, Branch.id == Touch.branch_id)
                .outerjoin(Manager, Manager.id == Touch.manager_id)
                .order_by(Touch.occurred_at, Touch.id))
        if start is not None:
            stmt = stmt.where(Touch.occurred_at >= start)
        if end is not None:
            stmt = stmt.where(Touch.occurred_at < end)
        if branch_id is not None:
            stmt = stmt.where(Touch.branch_id == branch_id)
        return [TouchFact(*row) for row in self.session.execute(stmt)]


class SqlStaff:
    """Staff accounts in SQL."""

    def __init__(self, session: Session) -> None:
        self.session = session

    def add(self, item: StaffAccount | ApiToken) -> None:
        """Add an account or a token."""
        self.session.add(item)

    def by_username(self, username: str) -> StaffAccount | None:
        """Return the account with this username."""
        return self.session.scalar(select(StaffAccount).where(StaffAccount.username == username))

    def get(self, staff_id: int) -> StaffAccount | None:
        """Return an account by id."""
        return self.session.get(StaffAccount, staff_id)

    def token(self, token_hash: str) -> ApiToken | None:
        """Return the API token with this hash."""
        return self.session.scalar(select(ApiToken).where(ApiToken.token_hash == token_hash))
