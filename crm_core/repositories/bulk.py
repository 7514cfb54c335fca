"""Inserting thousands of rows in one statement on PostgreSQL: each column goes as one array
and the database unnests them, so the driver neither builds nor parses a statement with a
parameter per value (a batch of 20,000 chain leads spent most of its time doing that).
Elsewhere (SQLite, in process) an executemany is as quick."""

import enum
import json
from typing import Any

from sqlalchemy import JSON, Row, insert, text
from sqlalchemy.dialects import postgresql
from sqlalchemy.orm import Session

from crm_core.repositories.base import insert_or_skip


def insert_rows(session: Session, table: Any, rows: list[dict[str, Any]],
                returning: tuple[str, ...] = (), skip_on: str | None = None) -> list[Row[Any]]:
    """Insert rows (all with the same keys), skipping those whose `skip_on` key is taken;
    return the `returning` columns of the rows inserted."""
    if not rows:
        return []
    if session.get_bind().dialect.name == "postgresql":
        return _unnest(session, table, rows, returning, skip_on)
    stmt: Any = insert(table)
    if skip_on:
        stmt = insert_or_skip(session, table).on_conflict_do_nothing(index_elements=[skip_on])
    if not returning:
        session.execute(stmt, rows)
        return []
    return list(session.execute(stmt.returning(*(table.c[n] for n in returning)), rows))


def _unnest(session: Session, table: Any, rows: list[dict[str, Any]],
            returning: tuple[str, ...], skip_on: str | None) -> list[Row[Any]]:
    names, dialect = list(rows[0]), postgresql.dialect()  # type: ignore[no-untyped-call]
    quote = dialect.identifier_preparer.quote
    arrays = ", ".join(f"CAST(:{n} AS {table.c[n].type.compile(dialect=dialect)}[])"
                       for n in names)
    # Only the model's own table and column names are written into the statement; every
    # value goes as a parameter.
    sql = (f"INSERT INTO {quote(table.name)} ({', '.join(map(quote, names))}) "  # noqa: S608
           f"SELECT * FROM unnest({arrays})"
           + (f" ON CONFLICT ({quote(skip_on)}) DO NOTHING" if skip_on else "")
           + (f" RETURNING {', '.join(map(quote, returning))}" if returning else ""))
    values = {n: [_plain(table, n, row[n]) for row in rows] for n in names}
    result = session.execute(text(sql), values)
    return list(result) if returning else []


def _plain(table: Any, name: str, value: Any) -> Any:
    """Return a value as the array of its column carries it (JSON as text, enums by value)."""
    if isinstance(table.c[name].type, JSON):
        return json.dumps(value, ensure_ascii=False)
    if isinstance(value, enum.Enum):
        return value.value
    return value
