"""Leads and the notice outbox in SQL."""

from collections.abc import Sequence
from datetime import datetime
from typing import cast

from sqlalchemy import (
    String,
    Table,
    and_,
    bindparam,
    case,
    func,
    literal_column,
    select,
    update,
)
from sqlalchemy.orm import Session

from crm_core.model import (
    OPEN_STATUSES,
    Customer,
    DueNotice,
    Lead,
    LeadStatus,
    Manager,
    Notice,
    NoticeStatus,
)
from crm_core.repositories.base import insert_or_skip, insert_unless_taken

NOTICE_COLUMNS = ("key", "kind", "payload", "status", "attempts", "next_attempt_at",
                  "created_at")
_INSERT_NOTICE = insert_unless_taken(cast(Table, Notice.__table__),
                                     (*NOTICE_COLUMNS, "manager_id", "customer_id"), ("key",),
                                     ("id",))


# The outbox's hot path works on the tables themselves: plain statements, nothing loaded into
# (or refreshed in) the session's objects.
_NOTICES = cast(Table, Notice.__table__)
# Written out, and a COALESCE rather than a CASE: SQLite (3.40) compiles RETURNING without
# table names, which its subqueries then resolve wrongly, and there evaluates a CASE over the
# row's columns wrongly too. A notice goes to a manager or to a customer, never both.
_RECIPIENT_OPENID = literal_column(
    "COALESCE((SELECT managers.openid FROM managers WHERE managers.id = notices.manager_id),"
    " (SELECT customers.openid FROM customers WHERE customers.id = notices.customer_id))",
    String)
_MARK_SENT = (update(_NOTICES).where(_NOTICES.c.id == bindparam("notice_id"))
              .values(status=NoticeStatus.SENT, wechat_msgid=bindparam("msgid"),
                      sent_at=bindparam("at"), error_code=None, error=None, claimed_by=None,
                      claimed_until=None))

# Built once (so compiled and cached once): the claim of the next due notice, held instead if
# its recipient has no openid; and on PostgreSQL the same with the previous send in a WITH.
_UNBOUND = _RECIPIENT_OPENID.is_(None)
_DUE = (select(_NOTICES.c.id)
        .where(_NOTICES.c.status == NoticeStatus.PENDING,
               _NOTICES.c.next_attempt_at <= bindparam("due_by"))
        .order_by(_NOTICES.c.id).limit(1).with_for_update(skip_locked=True))
_CLAIM = (update(_NOTICES).where(_NOTICES.c.id == _DUE.scalar_subquery())
          .values(status=case((_UNBOUND, NoticeStatus.HELD.value),
                              else_=NoticeStatus.SENDING.value),
                  claimed_by=case((_UNBOUND, None),
                                  else_=bindparam("worker", type_=_NOTICES.c.claimed_by.type)),
                  claimed_until=case((_UNBOUND, None), else_=bindparam(
                      "until", type_=_NOTICES.c.claimed_until.type)),
                  attempts=_NOTICES.c.attempts + case((_UNBOUND, 0), else_=1))
          .returning(_NOTICES.c.id, _NOTICES.c.key, _NOTICES.c.kind, _NOTICES.c.payload,
                     _NOTICES.c.attempts, _RECIPIENT_OPENID))
_CLAIM_RECORDING = _CLAIM.add_cte(_MARK_SENT.cte("sent"))


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

    def add_unless_taken(self, notice: Notice) -> bool:
        """Insert a notice now unless its key is taken (one statement, no read before);
        return whether it was inserted."""
        recipient = notice.manager or notice.customer
        if recipient is not None and recipient.id is None:
            self.session.flush()  # a recipient added in this unit of work needs its id
        values = {column: getattr(notice, column) for column in NOTICE_COLUMNS}
        values["manager_id"] = notice.manager.id if notice.manager else None
        values["customer_id"] = notice.customer.id if notice.customer else None
        return self.session.scalar(_INSERT_NOTICE, values) is not None

    def by_key(self, key: str) -> Notice | None:
        """Return the notice with this idempotency key."""
        return self.session.scalar(select(Notice).where(Notice.key == key))

    def get(self, notice_id: int) -> Notice | None:
        """Return a notice by id."""
        return self.session.get(Notice, notice_id)

    def by_msgid(self, msgid: int) -> Notice | None:
        """Return the notice the platform gave this msgid."""
        return self.session.scalar(select(Notice).where(Notice.wechat_msgid == msgid))

    def claim_next(self, due_by: datetime, worker: str, until: datetime,
                   sent: Sequence[tuple[int, int | None, datetime]] = ()) -> DueNotice | None:
        """Record `sent` (see `mark_sent`), then claim the oldest notice due by `due_by` for
        `worker` until `until` (one attempt more) and return it with its recipient's openid;
        a notice whose recipient has no openid is held instead (no attempt, no claim).
        None if nothing is due.

        The outbox's hot path: no row is loaded into an object, and each statement is whole
        by itself, so the unit may commit each one as it goes. On PostgreSQL one statement does
        all (a single send recorded in a WITH); rows other workers hold are skipped there.
        SQLite's writers are serialised already.
        """
        params: dict[str, object] = {"due_by": due_by, "worker": worker, "until": until}
        stmt = _CLAIM
        if len(sent) == 1 and self.session.get_bind().dialect.name == "postgresql":
            stmt = _CLAIM_RECORDING
            params |= dict(zip(("notice_id", "msgid", "at"), sent[0], strict=True))
        else:
            self.mark_sent(sent)
        row = self.session.execute(stmt, params).first()
        return None if row is None else DueNotice(*row)

    def mark_sent(self, sent: Sequence[tuple[int, int | None, datetime]]) -> None:
        """Record sends the platform accepted: (notice id, msgid to keep, when), in one
        statement by primary key."""
        if sent:
            self.session.execute(_MARK_SENT, [{"notice_id": notice_id, "msgid": msgid, "at": at}
                                              for notice_id, msgid, at in sent])

    def expire_claims(self, now: datetime, error: str) -> int:
        """Mark notices whose claim ran out while sending as unknown; return how many.
        Rows another transaction holds are skipped (PostgreSQL): the next sweep sees them."""
        stale = (select(_NOTICES.c.id).where(_NOTICES.c.status == NoticeStatus.SENDING,
                                             _NOTICES.c.claimed_until < now)
                 .with_for_update(skip_locked=True))
        stmt = (update(_NOTICES).where(_NOTICES.c.id.in_(stale.scalar_subquery()))
                .values(status=NoticeStatus.UNKNOWN, error_code=None, error=error,
                        claimed_by=None, claimed_until=None, finished_at=now))
        return int(getattr(self.session.execute(stmt), "rowcount", 0))

    def backlog(self, now: datetime) -> tuple[int, datetime | None]:
        """Return how many notices are due and when the oldest of them fell due."""
        stmt = select(func.count(), func.min(Notice.next_attempt_at)).where(
            Notice.status == NoticeStatus.PENDING, Notice.next_attempt_at <= now)
        count, oldest = self.session.execute(stmt).one()
        return int(count), oldest

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
