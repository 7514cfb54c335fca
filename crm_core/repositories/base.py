"""What every repository shares: the duplicate error and an upsert-capable INSERT."""

from typing import Any

from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import Session


class DuplicateError(Exception):
    """A unique row (such as a delivery's dedupe key) already exists."""


def insert_or_skip(session: Session, table: Any) -> Any:
    """Return an INSERT of the session's dialect that supports ON CONFLICT DO NOTHING."""
    # Both dialects have it; concurrent twins then collapse on the key instead of failing.
    if session.get_bind().dialect.name == "postgresql":
        return postgresql.insert(table)
    return sqlite.insert(table)
