"""An extract in SQL: staged in a temporary table, checked as a set, then applied at once.

Rows are streamed into the staging table (PostgreSQL: COPY), so a million rows never sit in
memory; duplicates and unknown branches are found by one query each; matching to followers
is a join on the keyed hashes. Everything runs in the caller's transaction: a rejected or
interrupted import leaves the month as it was.
"""

from collections.abc import Iterable, Iterator
from datetime import date, datetime
from itertools import islice
from typing import Any

from sqlalchemy import (
    Column,
    Integer,
    MetaData,
    Numeric,
    String,
    Table,
    and_,
    delete,
    func,
    insert,
    literal,
    select,
    text,
)
from sqlalchemy.orm import Session

from crm_core.model import (
    Branch,
    ClassificationBatch,
    Customer,
    CustomerKey,
    DimensionValue,
    OfflineProspect,
)

__all__ = ["MATCHED", "STAGING", "Staging"]

_SCRATCH = MetaData()


def _scratch(name: str, first: Column[Any]) -> Table:
    # A temporary table of an import's rows (dropped at commit on PostgreSQL).
    return Table(name, _SCRATCH, first,
                 Column("key_hash", String(64)),
                 Column("phone_hash", String(64)),
                 Column("masked_phone", String(16)),
                 Column("branch", String(24)),
                 Column("value", String(64), nullable=False),
                 Column("amount", Numeric(18, 2)),
                 prefixes=["TEMPORARY"],
                 postgresql_on_commit="DROP")


STAGING = _scratch("classify_staging", Column("line", Integer, nullable=False))
COLUMNS = ("line", "key_hash", "phone_hash", "masked_phone", "branch", "value", "amount")
# The staged rows with the follower each matched (None: not yet on WeChat), matched once and
# read by both the insert of the values and that of the offline prospects.
MATCHED = _scratch("classify_matched", Column("customer_id", Integer))
CHUNK = 5000


class Staging:
    """The staging table of one import, in the session's transaction."""

    def __init__(self, session: Session) -> None:
        self.session = session
        self.postgres = session.get_bind().dialect.name == "postgresql"

    def create(self) -> None:
        """Create the (empty) staging table; PostgreSQL lets the import run past the timeout."""
        connection = self.session.connection()
        if self.postgres:
            # A batch job, not a request: the service's per-statement cut does not apply.
            connection.execute(text("SET LOCAL statement_timeout = 0"))
            # Room to hash a month of customers: the tier rule's windows and the matching
            # joins spill to disk at the default 4 MB.
            connection.execute(text("SET LOCAL work_mem = '128MB'"))
            # Compiling each statement costs seconds under load and saves less.
            connection.execute(text("SET LOCAL jit = off"))
        for table in (STAGING, MATCHED):
            table.drop(connection, checkfirst=True)
            table.create(connection)

    def load(self, rows: Iterable[tuple[Any, ...]]) -> None:
        """Stream rows (in COLUMNS order) into the staging table."""
        if self.postgres:
            self._copy(rows)
            # A temporary table has no statistics until asked: the joins need them.
            self.session.execute(text("ANALYZE classify_staging"))
            return
        for chunk in _chunks(rows):
            self.session.execute(insert(STAGING), [dict(zip(COLUMNS, r, strict=True))
                                                   for r in chunk])

    def _copy(self, rows: Iterable[tuple[Any, ...]]) -> None:
        raw = self.session.connection().connection.driver_connection
        assert raw is not None  # noqa: S101 - an open connection has a driver connection
        with raw.cursor() as cursor, cursor.copy(
                f"COPY classify_staging ({', '.join(COLUMNS)}) FROM STDIN") as copy:
            for row in rows:
                copy.write_row(row)

    def duplicates(self, limit: int) -> list[tuple[int, int, str]]:
        """Return (line, first line, value) of rows repeating a key (and value) above them."""
        found: list[tuple[int, int, str]] = []
        for key in ("key_hash", "phone_hash"):
            column = STAGING.c[key]
            first = (select(column, STAGING.c.value, func.min(STAGING.c.line).label("first"))
                     .where(column.is_not(None)).group_by(column, STAGING.c.value)
                     .having(func.count() > 1).subquery())
            stmt = (select(STAGING.c.line, first.c.first, STAGING.c.value)
                    .join(first, and_(column == first.c[key], STAGING.c.value == first.c.value))
                    .where(STAGING.c.line != first.c.first).order_by(STAGING.c.line).limit(limit))
            found += [(r[0], r[1], r[2]) for r in self.session.execute(stmt)]
        return sorted(set(found))[:limit]

    def unknown_branches(self, limit: int) -> list[tuple[int, str]]:
        """Return (line, code) of rows naming a branch that does not exist."""
        stmt = (select(STAGING.c.line, STAGING.c.branch)
                .outerjoin(Branch, Branch.code == STAGING.c.branch)
                .where(STAGING.c.branch.is_not(None), Branch.id.is_(None))
                .order_by(STAGING.c.line).limit(limit))
        return [(r[0], r[1]) for r in self.session.execute(stmt)]

    def drop(self) -> None:
        """Drop the staging table (PostgreSQL drops it at commit anyway)."""
        if not self.postgres:
            for table in (MATCHED, STAGING):
                table.drop(self.session.connection(), checkfirst=True)

    def matched(self) -> Table:
        """Match every staged row to its follower (or None) once; return the matched table."""
        phones = (select(Customer.phone_hash, func.min(Customer.id).label("customer_id"))
                  .where(Customer.phone_hash.in_(select(STAGING.c.phone_hash)))
                  .group_by(Customer.phone_hash).subquery())
        rows = (select(func.coalesce(CustomerKey.customer_id, phones.c.customer_id),
                       *(STAGING.c[name] for name in MATCHED.c.keys()[1:]))
                .outerjoin(CustomerKey, CustomerKey.key_hash == STAGING.c.key_hash)
                .outerjoin(phones, phones.c.phone_hash == STAGING.c.phone_hash))
        self.session.execute(insert(MATCHED).from_select(MATCHED.c.keys(), rows))
        if self.postgres:
            self.session.execute(text("ANALYZE classify_matched"))
        return MATCHED


def replace_values(session: Session, dimension: str, month: date, value: str | None) -> int:
    """Delete a dimension's values for a month (only one list's, for a list); return how many."""
    stmt = delete(DimensionValue).where(DimensionValue.dimension == dimension,
                                        DimensionValue.month == month)
    if value is not None and dimension == "group":
        stmt = stmt.where(DimensionValue.value == value)
    return int(session.execute(stmt).rowcount)  # type: ignore[attr-defined]


def replace_prospects(session: Session, kind: str, list_name: str | None, month: date) -> None:
    """Delete the customers not yet on WeChat kept from earlier imports of the same file."""
    earlier = select(ClassificationBatch.id).where(
        ClassificationBatch.kind == kind, ClassificationBatch.month == month,
        ClassificationBatch.list_name.is_(None) if list_name is None
        else ClassificationBatch.list_name == list_name)
    session.execute(delete(OfflineProspect).where(OfflineProspect.batch_id.in_(earlier)))


def insert_values(session: Session, matched: Any, dimension: str, month: date,
                  value: str | None, batch_id: int) -> int:
    """Insert the matched rows as the dimension's values (one per customer and value)."""
    rows = (select(matched.c.customer_id, literal(dimension), literal(month), matched.c.value,
                   func.max(matched.c.amount), literal(batch_id))
            .where(matched.c.customer_id.is_not(None))
            .group_by(matched.c.customer_id, matched.c.value)
            # In key order: each leaf of the primary key is written once, not at random
            # (twice as fast on a table larger than the server's buffers).
            .order_by(matched.c.customer_id, matched.c.value))
    session.execute(insert(DimensionValue).from_select(
        ["customer_id", "dimension", "month", "value", "amount", "batch_id"], rows))
    if session.get_bind().dialect.name == "postgresql":
        # A new month has no statistics: the planner would take it for one row and loop the
        # tier rule's aggregates once per customer. ANALYZE counts this transaction's rows.
        session.execute(text("ANALYZE dimension_values"))
    # Counted, not the cursor's rowcount: psycopg reports -1 for a bound INSERT … SELECT.
    return count_values(session, dimension, month, value)


def insert_prospects(session: Session, matched: Any, kind: str, month: date,
                     batch_id: int) -> int:
    """Keep the rows that matched no follower (hashed key, masked phone, branch)."""
    rows = (select(literal(batch_id), func.coalesce(matched.c.key_hash, matched.c.phone_hash),
                   matched.c.masked_phone, Branch.id, literal(kind), literal(month))
            .select_from(matched).outerjoin(Branch, Branch.code == matched.c.branch)
            .where(matched.c.customer_id.is_(None)))
    session.execute(insert(OfflineProspect).from_select(
        ["batch_id", "key_hash", "masked_phone", "branch_id", "kind", "month"], rows))
    return int(session.scalar(select(func.count()).where(
        OfflineProspect.batch_id == batch_id)) or 0)


def record_keys(session: Session, staff: str, now: datetime) -> int:
    """Record the customer numbers of a mapping file for the followers its mobiles matched."""
    by_phone = (select(func.min(Customer.id)).where(
        Customer.phone_hash == STAGING.c.phone_hash).scalar_subquery())
    rows = (select(STAGING.c.key_hash, by_phone.label("customer_id"), literal("mapping"),
                   literal(staff), literal(now))
            .outerjoin(CustomerKey, CustomerKey.key_hash == STAGING.c.key_hash)
            .where(CustomerKey.key_hash.is_(None), by_phone.is_not(None)))
    before = session.scalar(select(func.count()).select_from(CustomerKey)) or 0
    session.execute(insert(CustomerKey).from_select(
        ["key_hash", "customer_id", "source", "recorded_by", "recorded_at"], rows))
    return int(session.scalar(select(func.count()).select_from(CustomerKey)) or 0) - before


def count_values(session: Session, dimension: str, month: date, value: str | None) -> int:
    """Return how many values a dimension holds in a month (one list's, for a list)."""
    stmt = select(func.count()).where(DimensionValue.dimension == dimension,
                                      DimensionValue.month == month)
    if value is not None and dimension == "group":
        stmt = stmt.where(DimensionValue.value == value)
    return int(session.scalar(stmt) or 0)


def unmatched_by_branch(session: Session, batch_id: int) -> list[tuple[str | None, int]]:
    """Return (branch name, count) of the batch's rows that matched no follower."""
    stmt = (select(Branch.name, func.count()).select_from(OfflineProspect)
            .outerjoin(Branch, Branch.id == OfflineProspect.branch_id)
            .where(OfflineProspect.batch_id == batch_id)
            .group_by(Branch.name).order_by(func.count().desc()))
    return [(r[0], int(r[1])) for r in session.execute(stmt)]


def _chunks(rows: Iterable[tuple[Any, ...]]) -> Iterator[list[tuple[Any, ...]]]:
    iterator = iter(rows)
    while chunk := list(islice(iterator, CHUNK)):
        yield chunk
