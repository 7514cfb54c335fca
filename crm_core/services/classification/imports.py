"""Importing the bank's extracts: the whole file checked first, then applied in one go.

Every row is checked and staged before anything changes; any bad row (its line and reason)
and nothing is applied. A month imported again replaces that month (one list's month, for a
list), so importing the same file twice leaves the same values. It all happens in the
caller's single transaction, so an import cut off midway leaves the previous month intact.
Rows that match no follower are kept as customers not yet on WeChat, counted per branch.
"""

import time
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from crm_core.model import AuditEvent, BatchKind, ClassificationBatch, Dimension, Refusal
from crm_core.repositories import classification as sql
from crm_core.repositories.classification import derived
from crm_core.services.catalogue_files import ImportRejected, RowError
from crm_core.services.classification.extracts import ExtractSpec, KeyHasher, RowChecker
from crm_core.unit_of_work import SqlUnitOfWork

REPORTED = 1000  # bad rows listed at most (the count says how many more there were)


@dataclass(frozen=True)
class ExtractFile:
    """A file as read by the channel: its name, digest, header and (line, values) rows."""

    filename: str
    sha256: str
    header: Sequence[str]
    rows: Iterable[tuple[int, Sequence[str]]]


@dataclass(frozen=True)
class ExtractReport:
    """What an import did."""

    batch_id: int
    rows: int
    matched: int
    unmatched: int
    unmatched_by_branch: list[tuple[str | None, int]] = field(default_factory=list)
    derived_months: int = 0
    seconds: dict[str, float] = field(default_factory=dict)  # per step: checked, applied, …


@dataclass
class _Checked:
    rows: int = 0
    errors: list[RowError] = field(default_factory=list)
    bad: int = 0

    def refuse(self, line: int, error: Refusal) -> None:
        self.bad += 1
        if len(self.errors) < REPORTED:
            self.errors.append(RowError.of(line, error))


def import_extract(uow: SqlUnitOfWork, spec: ExtractSpec, extract: ExtractFile,
                   hasher: KeyHasher, staff: str, now: datetime,
                   progress: Callable[[int], None] | None = None) -> ExtractReport:
    """Check every row of an extract, then apply it all (or raise ImportRejected)."""
    staging, clock = sql.Staging(uow.session), _Clock()
    staging.create()
    checked = _Checked()
    staging.load(_staged(spec, extract, hasher, checked, progress))
    _reject_if_bad(staging, checked)
    clock.lap("checked")
    batch = _batch(uow, spec, extract, checked.rows, staff, now)
    report = _apply(uow, staging, spec, batch, now, clock)
    staging.drop()
    uow.audit.add(AuditEvent(actor=staff, action="classify_import", at=now,
                             subject=f"{spec.kind.value}:{spec.month:%Y-%m}"[:64],
                             detail={"file": extract.filename, "sha256": extract.sha256,
                                     "list": spec.list_name, "rows": report.rows,
                                     "matched": report.matched,
                                     "unmatched": report.unmatched}))
    return report


def _staged(spec: ExtractSpec, extract: ExtractFile, hasher: KeyHasher, checked: _Checked,
            progress: Callable[[int], None] | None) -> Iterator[tuple[Any, ...]]:
    check, count = RowChecker(spec, extract.header, hasher).check, 0
    for line, values in extract.rows:  # the tight loop of a million rows: locals only
        count += 1
        try:
            yield check(line, values)
        except Refusal as error:
            checked.refuse(line, error)
        if progress is not None and not count % 10000:
            progress(count)
    checked.rows = count
    if checked.rows == 0:
        raise ImportRejected([RowError(0, "no rows", "empty_file")])


def _reject_if_bad(staging: sql.Staging, checked: _Checked) -> None:
    errors = list(checked.errors)  # and the set checks over the rows that passed alone
    errors += [RowError(line, "duplicate key", "duplicate_key", {"first": first})
               for line, first, _ in staging.duplicates(REPORTED)]
    errors += [RowError(line, "unknown branch", "unknown_sale_branch", {"branch": code})
               for line, code in staging.unknown_branches(REPORTED)]
    if errors:
        more = checked.bad - len(checked.errors)
        if more > 0:
            errors.append(RowError(0, "more bad rows", "more_rows", {"count": more}))
        raise ImportRejected(sorted(errors, key=lambda e: e.line or 10**12), checked.rows)


def _batch(uow: SqlUnitOfWork, spec: ExtractSpec, extract: ExtractFile, rows: int,
           staff: str, now: datetime) -> ClassificationBatch:
    sql.replace_prospects(uow.session, spec.kind.value, spec.list_name, spec.month)
    batch = ClassificationBatch(kind=spec.kind.value, list_name=spec.list_name,
                                month=spec.month, filename=extract.filename[:255],
                                sha256=extract.sha256, rows=rows, staff=staff,
                                created_at=now)
    uow.session.add(batch)
    uow.flush()
    return batch


def _apply(uow: SqlUnitOfWork, staging: sql.Staging, spec: ExtractSpec,
           batch: ClassificationBatch, now: datetime, clock: "_Clock") -> ExtractReport:
    session = uow.session
    if spec.dimension is None:  # a mapping: customer numbers of followers found by mobile
        batch.matched = sql.record_keys(session, batch.staff, now)
    matched_rows = staging.matched()  # once, after a mapping's new keys
    if spec.dimension is not None:
        sql.replace_values(session, spec.dimension, spec.month, spec.value)
        batch.matched = sql.insert_values(session, matched_rows, spec.dimension, spec.month,
                                          spec.value, batch.id)
    batch.unmatched = sql.insert_prospects(session, matched_rows, spec.kind.value,
                                           spec.month, batch.id)
    clock.lap("applied")
    months = derive_after_balances(uow, spec, now) if spec.kind is BatchKind.BALANCES else 0
    clock.lap("derived")
    return ExtractReport(batch.id, batch.rows, batch.matched, batch.unmatched,
                         sql.unmatched_by_branch(session, batch.id), months, clock.laps)


class _Clock:
    # Seconds each step took, for the operator's report (a month of balances is minutes).
    def __init__(self) -> None:
        self.laps: dict[str, float] = {}
        self.started = time.perf_counter()

    def lap(self, name: str) -> None:
        at = time.perf_counter()
        self.laps[name], self.started = round(at - self.started, 2), at


def derive_after_balances(uow: SqlUnitOfWork, spec: ExtractSpec, now: datetime) -> int:
    """Rederive tiers and lifecycles from this month's balances on; return the months done."""
    tier = uow.session.get(Dimension, "tier")
    lifecycle = uow.session.get(Dimension, "lifecycle")
    months = derived.aum_months_from(uow.session, spec.month)
    for month in months:
        derived.derive_tiers(uow.session, month, tier.settings if tier else {})
        start = datetime.combine(derived.add_months(month, 1), datetime.min.time())
        derived.derive_lifecycle(uow.session, month, lifecycle.settings if lifecycle else {},
                                 min(start, now))
    return len(months)
