"""Importing a month's book extract: every row checked first, then the month replaced at once.

Any bad row (its line and reason) and nothing is applied. Importing a month again replaces
that month, so the same file twice leaves the same rows; a frozen month is refused whole, as
its cards are what payroll was given. Reading CSV (UTF-8/GBK) and workbooks is the channel's
import machinery; this module sees numbered rows only.
"""

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from crm_core.model import AuditEvent, Refusal
from crm_core.model.performance import MonthState, PerformanceMonth
from crm_core.repositories import performance as sql
from crm_core.services.catalogue_files import ImportRejected, RowError, SourceRow
from crm_core.services.classification.extracts import KeyHasher
from crm_core.services.performance.extracts import BookChecker, check_header
from crm_core.unit_of_work import SqlUnitOfWork

REPORTED = 1000  # bad rows listed at most


@dataclass(frozen=True)
class BookFile:
    """A file as the channel read it: name, digest and numbered rows."""

    filename: str
    sha256: str
    rows: Sequence[SourceRow]


def open_month(uow: SqlUnitOfWork, month: date) -> PerformanceMonth:
    """Return a draft month's record (made if new), refusing a frozen month."""
    found = sql.month_of(uow.session, month)
    if found is None:
        found = PerformanceMonth(month=month, state=MonthState.DRAFT, rows=0)
        uow.session.add(found)
        uow.flush()
    if found.state is MonthState.FROZEN:
        raise Refusal("month_frozen", "month is frozen", month=f"{month:%Y-%m}")
    return found


def is_draft(uow: SqlUnitOfWork, month: date) -> bool:
    """Return True unless the month is frozen."""
    found = sql.month_of(uow.session, month)
    return found is None or found.state is MonthState.DRAFT


def import_book(uow: SqlUnitOfWork, month: date, book: BookFile, hasher: KeyHasher,
                staff: str, now: datetime) -> int:
    """Check every row of a month's extract, then replace the month (or raise ImportRejected);
    return the rows imported."""
    record = open_month(uow, month)
    if not book.rows:
        raise ImportRejected([RowError(0, "no rows", "empty_file")])
    check_header(list(book.rows[0].fields))
    checked = _checked(BookChecker(month, sql.manager_codes(uow.session), hasher), book.rows)
    count = sql.replace_rows(uow.session, month, checked)
    record.rows, record.filename, record.sha256 = count, book.filename[:255], book.sha256
    record.imported_by, record.imported_at = staff, now
    uow.audit.add(AuditEvent(actor=staff, action="book_import", at=now,
                             subject=f"book:{month:%Y-%m}",
                             detail={"file": book.filename, "sha256": book.sha256,
                                     "rows": count}))
    return count


def _checked(checker: BookChecker, rows: Sequence[SourceRow]) -> list[dict[str, Any]]:
    good, errors, bad = [], list[RowError](), 0
    for row in rows:
        try:
            good.append(checker.check(row.line, row.fields))
        except Refusal as error:
            bad += 1
            if len(errors) < REPORTED:
                errors.append(RowError.of(row.line, error))
    if errors:
        if bad > len(errors):
            errors.append(RowError(0, "more bad rows", "more_rows", {"count": bad - len(errors)}))
        raise ImportRejected(errors)
    return good
