"""The audit trail, bind codes, shared values and rate counters in memory."""

from datetime import datetime

from crm_core.model import AuditEvent, BindCode, RateCounter, SharedValue
from tests.fakes.store import FakeStore


class FakeAudit:
    """The audit trail and bind codes in memory."""

    def __init__(self, store: FakeStore) -> None:
        self.store = store

    @property
    def events(self) -> list[AuditEvent]:
        """Return the trail in the order it was written (for assertions)."""
        return self.store.rows(AuditEvent)

    def add(self, item: AuditEvent | BindCode) -> None:
        self.store.add(item)

    def count(self, action: str, subject: str, since: datetime) -> int:
        return sum(e.action == action and e.subject == subject and e.at >= since
                   for e in self.events)

    def bind_code(self, code_hash: str) -> BindCode | None:
        return next((c for c in self.store.rows(BindCode) if c.code_hash == code_hash), None)


class FakeSharedValues:
    """Shared values and rate counters in memory; each change applies only under the SQL
    class's condition."""

    def __init__(self, store: FakeStore) -> None:
        self.store = store

    def get(self, key: str) -> SharedValue | None:
        return self.store.get(SharedValue, key)

    def values(self, keys: tuple[str, ...]) -> dict[str, str | None]:
        rows = {key: self.get(key) for key in keys}
        return {key: row.value if row else None for key, row in rows.items()}

    def take_lease(self, key: str, owner: str, until: datetime, now: datetime) -> bool:
        row = self.ensure(key)
        lapsed = row.lease_until is not None and row.lease_until < now
        if row.lease_owner not in (None, owner) and not lapsed:
            return False
        row.lease_owner, row.lease_until = owner, until
        return True

    def set_if_owner(self, key: str, owner: str, value: str, expires_at: datetime,
                     now: datetime) -> bool:
        row = self.get(key)
        if row is None or row.lease_owner != owner or row.lease_until is None \
                or row.lease_until < now:
            return False
        row.value, row.expires_at = value, expires_at
        return True

    def release(self, key: str, owner: str) -> None:
        row = self.get(key)
        if row is not None and row.lease_owner == owner:
            row.lease_owner = row.lease_until = None

    def hit(self, key: str, expires_at: datetime, now: datetime) -> int:
        counter = self.store.get(RateCounter, key)
        if counter is not None:  # ON CONFLICT DO UPDATE: the window's end stays as it was
            counter.hits += 1
            return counter.hits
        self.store.add(RateCounter(key=key, hits=1, expires_at=expires_at))
        for over in self.store.rows(RateCounter):
            if over.expires_at <= now:
                self.store.delete(over)
        return 1

    def ensure(self, key: str) -> SharedValue:
        """Return the row of `key`, inserting an empty one first if there is none."""
        row = self.get(key)
        if row is None:
            row = SharedValue(key=key)
            self.store.add(row)
            self.store.flush()
        return row
