"""Channel statistics: follows and scans per local day and per code, branch, manager or campaign."""

from collections import Counter
from datetime import UTC, date, datetime, timedelta, timezone
from typing import Any

from crm_core.model import TouchFact, TouchKind
from crm_core.services.org import UnknownRecord
from crm_core.unit_of_work import UnitOfWork

# China has kept UTC+8 without daylight saving since 1991, so a fixed offset is exact and
# needs no tz database on the host.
SHANGHAI = timezone(timedelta(hours=8), "Asia/Shanghai")
#: What a row may be grouped by, and the columns each grouping shows.
DIMENSIONS: dict[str, tuple[str, ...]] = {
    "code": ("code", "branch", "manager", "campaign"),
    "branch": ("branch",),
    "manager": ("manager", "branch"),
    "campaign": ("campaign",),
}


def local_day(at: datetime) -> date:
    """Return the Asia/Shanghai calendar day of a naive UTC timestamp."""
    return at.replace(tzinfo=UTC).astimezone(SHANGHAI).date()


def channel_stats(uow: UnitOfWork, *, since: date | None = None, until: date | None = None,
                  branch: str | None = None, by: str = "code") -> list[dict[str, Any]]:
    """Count follows and scans per Shanghai day (since..until inclusive) and per `by` value."""
    if by not in DIMENSIONS:
        raise ValueError(f"group by one of {', '.join(DIMENSIONS)}, not {by!r}")
    branch_id = _branch_id(uow, branch)
    facts = uow.codes.touch_facts(_utc_start(since), _utc_start(until, 1), branch_id)
    counts: dict[tuple[date, tuple[str | None, ...]], Counter[TouchKind]] = {}
    for fact in facts:
        key = (local_day(fact.occurred_at), _key(fact, by))
        counts.setdefault(key, Counter())[fact.kind] += 1
    return [_row(day, by, key, counter) for (day, key), counter in
            sorted(counts.items(), key=lambda item: (item[0][0], _sortable(item[0][1])))]


def _branch_id(uow: UnitOfWork, code: str | None) -> int | None:
    if code is None:
        return None
    branch = uow.branches.by_code(code)
    if branch is None:
        raise UnknownRecord("branch", code)
    return branch.id


def _utc_start(day: date | None, plus_days: int = 0) -> datetime | None:
    # The first instant of a Shanghai day, as the naive UTC every timestamp is stored in.
    if day is None:
        return None
    local = datetime.combine(day + timedelta(days=plus_days), datetime.min.time(), SHANGHAI)
    return local.astimezone(UTC).replace(tzinfo=None)


def _key(fact: TouchFact, by: str) -> tuple[str | None, ...]:
    values = {"code": fact.scene, "branch": fact.branch, "manager": fact.manager,
              "campaign": fact.campaign}
    return tuple(values[column] for column in DIMENSIONS[by])


def _sortable(key: tuple[str | None, ...]) -> tuple[str, ...]:
    return tuple(value or "" for value in key)


def _row(day: date, by: str, key: tuple[str | None, ...],
         counter: Counter[TouchKind]) -> dict[str, Any]:
    return {"day": day.isoformat(), **dict(zip(DIMENSIONS[by], key, strict=True)),
            "follows": counter[TouchKind.FOLLOW], "scans": counter[TouchKind.SCAN]}
