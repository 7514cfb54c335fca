"""Values shared by every process, each with a lease so one process at a time may change it;
and rate caps, counted for every process alike."""

from dataclasses import dataclass
from datetime import datetime, timedelta

from crm_core.unit_of_work import UnitOfWork

EPOCH = datetime(1970, 1, 1)


@dataclass(frozen=True)
class SharedEntry:
    """A shared value and when it expires (None: never)."""

    value: str
    expires_at: datetime | None


def read_shared(uow: UnitOfWork, key: str, now: datetime) -> SharedEntry | None:
    """Return the shared value under `key`, or None when absent or expired."""
    row = uow.shared.get(key)
    if row is None or row.value is None or (row.expires_at and row.expires_at <= now):
        return None
    return SharedEntry(row.value, row.expires_at)


def take_lease(uow: UnitOfWork, key: str, owner: str, seconds: float, now: datetime) -> bool:
    """Take or renew the lease on `key` for `seconds`; False if another live owner has it."""
    return uow.shared.take_lease(key, owner, now + timedelta(seconds=seconds), now)


def write_shared(uow: UnitOfWork, key: str, owner: str, value: str, seconds: float,
                 now: datetime) -> bool:
    """Store a value valid for `seconds`, only while `owner` still holds the lease."""
    return uow.shared.set_if_owner(key, owner, value, now + timedelta(seconds=seconds), now)


def release_lease(uow: UnitOfWork, key: str, owner: str) -> None:
    """Give up the lease if `owner` holds it."""
    uow.shared.release(key, owner)


def within_cap(uow: UnitOfWork, key: str, cap: int, window: timedelta, now: datetime) -> bool:
    """Count one try on `key` in the current window; False once the window has had `cap`."""
    number = int((now - EPOCH) / window)
    hits = uow.shared.hit(f"{key}@{number}", EPOCH + window * (number + 1), now)
    return hits <= cap
