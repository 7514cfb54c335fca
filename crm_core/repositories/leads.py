"""Leads and the notice outbox in SQL."""

from datetime import datetime

from sqlalchemy import and_, case, func, select, update
from sqlalchemy.orm import Session

from crm_core.model import (
    OPEN_STATUSES,
    Customer,
    Lead,
    LeadStatus,
    Manager,
    Notice,
    NoticeStatus,
)
from crm_core.repositories.base import insert_or_skip


class SqlLeads:
    """Leads in SQL."""

    def __init__(self, session: Session) -> None:
        self.session = session

    def add_unless_open(self, lead: Lead) -> Lead | None:
        """Insert a new lead unless the same request is open already (then return None)."""
        values = {column.key: getattr(lead, column.key) for column in Lead.__table__.c
                  if getattr(lead, column.key) is not None}
        # A concurrent request that opened the lead first makes this insert wait for it and
        # then skip: the unique indexes on open leads decide, whatever the isolation level.
        new_id = self.session.scalar(insert_or_skip(self.session, Lead).values(**values)
                                     .on_conflict_do_nothing().returning(Lead.id))
        return self.session.get(Lead, new_id) if new_id is not None else None

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

    def open_of(self, customer_ids: list[int], manager_id: int) -> list[Lead]:
        """Return the open leads of these customers that a manager holds."""
        stmt = select(Lead).where(Lead.customer_id.in_(customer_ids),
                                  Lead.manager_id == manager_id,
                                  Lead.status.in_(OPEN_STATUSES))
        return list(self.session.scalars(stmt.order_by(Lead.id)))

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

    def next_due(self, now: datetime) -> Notice | None:
        """Lock and return the oldest due notice; rows other workers hold are skipped
        (PostgreSQL)."""
        stmt = (select(Notice).where(Notice.status == NoticeStatus.PENDING,
                                     Notice.next_attempt_at <= now)
                .order_by(Notice.id).limit(1).with_for_update(skip_locked=True))
        return self.session.scalars(stmt).first()

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
