"""Declarative base, naming convention and time helpers shared by every model."""

import enum
from datetime import UTC, date, datetime
from zoneinfo import ZoneInfo

from sqlalchemy import BigInteger, Enum, Integer, MetaData
from sqlalchemy.orm import DeclarativeBase

NAMING = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}

# SQLite only auto-increments INTEGER PRIMARY KEY; PostgreSQL gets a real BIGINT.
BigId = BigInteger().with_variant(Integer(), "sqlite")
# The largest key of an Integer (PostgreSQL: 4-byte) and of a BigId column: a larger id names
# no row, and PostgreSQL refuses to compare it with the column.
ID_MAX = 2**31 - 1
BIG_ID_MAX = 2**63 - 1


class Base(DeclarativeBase):
    """Base of every CRM table."""

    metadata = MetaData(naming_convention=NAMING)


def local_time(at: datetime, timezone: str) -> datetime:
    """Return a naive UTC time as the time in `timezone` (an IANA name)."""
    return at.replace(tzinfo=UTC).astimezone(ZoneInfo(timezone))


def local_date(now: datetime, timezone: str) -> date:
    """Return the calendar date in `timezone` (an IANA name) of a naive UTC time."""
    return local_time(now, timezone).date()


def utcnow() -> datetime:
    """Return the current time as naive UTC, the form every timestamp is stored in."""
    return datetime.now(UTC).replace(tzinfo=None)


def seconds_since(then: datetime | None, now: datetime) -> float:
    """Return how long ago a stored timestamp was, in seconds (never negative; 0 for none)."""
    return max((now - then).total_seconds(), 0.0) if then else 0.0


def str_enum(cls: type[enum.StrEnum]) -> Enum:
    """Store a StrEnum by value as VARCHAR + CHECK, portable across SQLite and PostgreSQL."""
    return Enum(cls, native_enum=False, length=16, values_callable=lambda e: [m.value for m in e])
