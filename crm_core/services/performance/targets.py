"""Targets per manager and month, imported by head office: a row names a manager, or a branch
for every manager of it (a manager's own row wins over the branch's). The whole file is
checked first; any bad row and nothing is applied; a month imported again is replaced."""

from collections.abc import Sequence
from datetime import date, datetime
from decimal import Decimal
from typing import Any

from sqlalchemy import delete, insert, select

from crm_core.model import AuditEvent, Branch, Manager, Refusal
from crm_core.model.performance import ScoreTarget
from crm_core.services.catalogue_files import ImportRejected, RowError, SourceRow
from crm_core.services.performance.extracts import amount
from crm_core.services.performance.imports import open_month
from crm_core.services.performance.templates import METRICS
from crm_core.unit_of_work import SqlUnitOfWork

ALIASES = {"客户经理或网点": "subject", "客户经理": "subject", "网点": "subject",
           "指标": "metric", "目标": "target"}


def import_targets(uow: SqlUnitOfWork, month: date, rows: Sequence[SourceRow], staff: str,
                   now: datetime) -> int:
    """Check every row, then replace the month's targets; return how many were set."""
    open_month(uow, month)
    managers = {code: (id_, branch) for code, id_, branch in uow.session.execute(
        select(Manager.code, Manager.id, Manager.branch_id))}
    branches = {code: id_ for code, id_ in uow.session.execute(select(Branch.code, Branch.id))}
    own: dict[tuple[int, str], Decimal] = {}
    by_branch: dict[tuple[int, str], Decimal] = {}
    errors = []
    for row in rows:
        try:
            _target(row, managers, branches, own, by_branch)
        except Refusal as error:
            errors.append(RowError.of(row.line, error))
    if errors or not rows:
        raise ImportRejected(errors or [RowError(0, "no rows", "empty_file")])
    found = _expand(own, by_branch, managers)
    uow.session.execute(delete(ScoreTarget).where(ScoreTarget.month == month))
    if found:
        uow.session.execute(insert(ScoreTarget), [
            {"month": month, "manager_id": m, "metric": k, "target": v}
            for (m, k), v in found.items()])
    uow.audit.add(AuditEvent(actor=staff, action="score_targets", at=now,
                             subject=f"targets:{month:%Y-%m}", detail={"targets": len(found)}))
    return len(found)


def _target(row: SourceRow, managers: dict[str, tuple[int, int]], branches: dict[str, int],
            own: dict[tuple[int, str], Decimal], by_branch: dict[tuple[int, str], Decimal]) -> None:
    fields = {ALIASES.get(k.strip(), k.strip()): (v or "").strip() for k, v in row.fields.items()}
    subject, metric = fields.get("subject", ""), fields.get("metric", "")
    if metric not in METRICS:
        raise Refusal("unknown_target_metric", "unknown metric", metric=metric[:32])
    value = amount(fields.get("target", ""), "target")
    if subject in managers:
        own[(managers[subject][0], metric)] = value
    elif subject in branches:
        by_branch[(branches[subject], metric)] = value
    else:
        raise Refusal("unknown_target_subject", "unknown manager or branch", value=subject[:24])


def _expand(own: dict[tuple[int, str], Decimal], by_branch: dict[tuple[int, str], Decimal],
            managers: dict[str, tuple[int, int]]) -> dict[tuple[int, str], Any]:
    found: dict[tuple[int, str], Any] = {}
    for manager_id, branch_id in managers.values():
        for (branch, metric), value in by_branch.items():
            if branch == branch_id:
                found[(manager_id, metric)] = value
    return found | own
