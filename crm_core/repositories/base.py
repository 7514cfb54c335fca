"""What every repository shares: the duplicate errors and an upsert-capable INSERT."""

from typing import Any

from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session


class DuplicateError(Exception):
    """A unique row already exists: a concurrent writer took it first."""


class DuplicateDelivery(DuplicateError):
    """The delivery's dedupe key is taken: the delivery was processed (or is in flight)."""


def unique_violation(error: IntegrityError) -> str:
    """Describe a violation by the driver's first line (PostgreSQL's DETAIL names the values)."""
    lines = str(error.orig).splitlines()
    return lines[0] if lines else type(error.orig).__name__


def insert_or_skip(session: Session, table: Any) -> Any:
    """Return an INSERT of the session's dialect that supports ON CONFLICT DO NOTHING."""
    return dialect_insert(session.get_bind().dialect.name, table)


def dialect_insert(dialect: str, table: Any) -> Any:
    """Return an INSERT of the named dialect that supports ON CONFLICT DO NOTHING."""
    # Both dialects have it; concurrent twins then collapse on the key instead of failing.
    return postgresql.insert(table) if dialect == "postgresql" else sqlite.insert(table)
