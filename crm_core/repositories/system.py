"""The audit trail, bind codes, shared values and rate counters in SQL."""

from datetime import datetime
from typing import cast

from sqlalchemy import Table, Update, bindparam, delete, func, insert, or_, select, update
from sqlalchemy.orm import Session

from crm_core.model import (
    AuditEvent,
    BindCode,
    RateCounter,
    SharedValue,
)
from crm_core.model.base import utcnow
from crm_core.repositories.base import insert_or_skip

AUDIT = cast(Table, AuditEvent.__table__)

# Built once: the webhook reads the matcher's stamps on every question.
_VALUES = select(SharedValue.key, SharedValue.value).where(
    SharedValue.key.in_(bindparam("keys", expanding=True)))


class SqlAudit:
    """The audit trail and bind codes in SQL."""

    def __init__(self, session: Session) -> None:
        self.session = session

    def add(self, item: AuditEvent | BindCode) -> None:
        """Append an audit event or a bind code."""
        if isinstance(item, AuditEvent):
            # Nothing reads an event back before the commit: one INSERT, no flush bookkeeping
            # (every product answer writes one).
            self.session.execute(insert(AUDIT), {
                "at": item.at or utcnow(), "actor": item.actor, "action": item.action,
                "subject": item.subject, "detail": item.detail})
        else:
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


class SqlSharedValues:
    """Shared values in SQL; every change is one atomic conditional UPDATE."""

    def __init__(self, session: Session) -> None:
        self.session = session

    def get(self, key: str) -> SharedValue | None:
        """Return the value row, read fresh from the database."""
        return self.session.get(SharedValue, key, populate_existing=True)

    def values(self, keys: tuple[str, ...]) -> dict[str, str | None]:
        """Return the values of `keys` (None where unset) in one statement."""
        found = dict(self.session.execute(_VALUES, {"keys": keys}).tuples().all())
        return {key: found.get(key) for key in keys}

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

    def hit(self, key: str, expires_at: datetime, now: datetime) -> int:
        """Count one hit on a rate counter atomically; return its hits so far."""
        stmt = insert_or_skip(self.session, RateCounter).values(key=key, hits=1,
                                                                expires_at=expires_at)
        stmt = stmt.on_conflict_do_update(index_elements=["key"],
                                          set_={"hits": RateCounter.hits + 1})
        hits = int(self.session.execute(stmt.returning(RateCounter.hits)).scalar_one())
        if hits == 1:  # a new window: forget the ones that are over (each row once)
            self.session.execute(delete(RateCounter).where(RateCounter.expires_at <= now),
                                 execution_options={"synchronize_session": False})
        return hits

    def _ensure(self, key: str) -> None:
        self.session.execute(insert_or_skip(self.session, SharedValue).values(key=key)
                             .on_conflict_do_nothing(index_elements=["key"]))

    def _changed(self, stmt: Update) -> bool:
        result = self.session.execute(stmt, execution_options={"synchronize_session": False})
        return bool(getattr(result, "rowcount", 0) == 1)
