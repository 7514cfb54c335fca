"""What every repository shares: the duplicate errors and upsert-capable INSERTs."""

from functools import cache
from typing import Any

from sqlalchemy import Table, TextualSelect, bindparam, text
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


@cache
def insert_unless_taken(table: Table, columns: tuple[str, ...], key: tuple[str, ...],
                        returning: tuple[str, ...], rows: int = 0) -> TextualSelect:
    """Return `INSERT … ON CONFLICT (key) DO NOTHING RETURNING …`, the same SQL in both
    dialects, with typed parameters (`:column`) and result columns; with `rows`, one
    statement for that many rows, their parameters numbered (`:column_0`, `:column_1`…).

    For the webhook's path: SQLAlchemy gives its own ON CONFLICT statements no cache key,
    so they are compiled anew on every execution, which costs more CPU than running them.
    """
    def quoted(names: tuple[str, ...]) -> str:
        return ", ".join(f'"{name}"' for name in names)

    suffixes = [f"_{n}" for n in range(rows)] if rows else [""]
    values = ", ".join(f"({', '.join(f':{name}{end}' for name in columns)})" for end in suffixes)
    # Names come from the table's metadata, never from input; values are bound parameters.
    sql = (f"INSERT INTO {table.name} ({quoted(columns)}) VALUES {values} "  # noqa: S608
           f"ON CONFLICT ({quoted(key)}) DO NOTHING RETURNING {quoted(returning)}")
    return (text(sql).bindparams(*(bindparam(name + end, type_=table.c[name].type)
                                   for end in suffixes for name in columns))
            .columns(*(table.c[name] for name in returning)))
