"""Channel statistics: follows and scans per Shanghai day and per code, branch, manager."""

from datetime import date, datetime

import pytest

from crm_core import services
from crm_core.services import UnknownRecord
from crm_core.services.code_stats import local_day
from tests.builders import org
from tests.fakes import FakeUnitOfWork

# 15:59 UTC is 23:59 in Shanghai; 16:00 UTC is already the next local day.
LATE_ON_THE_1ST = datetime(2026, 12, 1, 15, 59)
EARLY_ON_THE_2ND = datetime(2026, 12, 1, 16, 0)


@pytest.fixture
def uow() -> FakeUnitOfWork:
    uow = FakeUnitOfWork()
    org(uow, {"SH001": ["SH001-01", "SH001-02"], "BJ001": ["BJ001-01"]})
    services.follow(uow, "o1", "b:SH001", LATE_ON_THE_1ST)
    services.follow(uow, "o2", "m:SH001-02;c:XMAS", EARLY_ON_THE_2ND)
    services.scan(uow, "o1", "m:SH001-02;c:XMAS", EARLY_ON_THE_2ND)
    services.follow(uow, "o3", "m:BJ001-01", EARLY_ON_THE_2ND)
    services.follow(uow, "o4", "foreign-scene", EARLY_ON_THE_2ND)
    return uow


def test_days_are_counted_in_shanghai_time() -> None:
    assert local_day(LATE_ON_THE_1ST) == date(2026, 12, 1)
    assert local_day(EARLY_ON_THE_2ND) == date(2026, 12, 2)


def test_per_code_rows_carry_branch_manager_and_campaign(uow: FakeUnitOfWork) -> None:
    rows = services.channel_stats(uow)
    assert rows == [
        {"day": "2026-12-01", "code": "b:SH001", "branch": "SH001", "manager": None,
         "campaign": None, "follows": 1, "scans": 0},
        {"day": "2026-12-02", "code": "foreign-scene", "branch": None, "manager": None,
         "campaign": None, "follows": 1, "scans": 0},
        {"day": "2026-12-02", "code": "m:BJ001-01", "branch": "BJ001", "manager": "BJ001-01",
         "campaign": None, "follows": 1, "scans": 0},
        {"day": "2026-12-02", "code": "m:SH001-02;c:XMAS", "branch": "SH001",
         "manager": "SH001-02", "campaign": "XMAS", "follows": 1, "scans": 1},
    ]


@pytest.mark.parametrize(("by", "expected"), [
    ("branch", [("2026-12-01", "SH001", 1, 0), ("2026-12-02", None, 1, 0),
                ("2026-12-02", "BJ001", 1, 0), ("2026-12-02", "SH001", 1, 1)]),
    ("manager", [("2026-12-01", None, 1, 0), ("2026-12-02", None, 1, 0),
                 ("2026-12-02", "BJ001-01", 1, 0), ("2026-12-02", "SH001-02", 1, 1)]),
    ("campaign", [("2026-12-01", None, 1, 0), ("2026-12-02", None, 2, 0),
                  ("2026-12-02", "XMAS", 1, 1)]),
])
def test_rows_group_by_branch_manager_or_campaign(uow: FakeUnitOfWork, by: str,
                                                   expected: list[tuple[object, ...]]) -> None:
    rows = services.channel_stats(uow, by=by)
    assert [(r["day"], r[by], r["follows"], r["scans"]) for r in rows] == expected


def test_date_range_is_inclusive_in_local_days_and_branch_filter_applies(
        uow: FakeUnitOfWork) -> None:
    first = services.channel_stats(uow, until=date(2026, 12, 1))
    assert [r["code"] for r in first] == ["b:SH001"]
    second = services.channel_stats(uow, since=date(2026, 12, 2), branch="SH001")
    assert [(r["code"], r["follows"], r["scans"]) for r in second] == [
        ("m:SH001-02;c:XMAS", 1, 1)]


def test_unknown_branch_or_grouping_is_refused(uow: FakeUnitOfWork) -> None:
    with pytest.raises(UnknownRecord):
        services.channel_stats(uow, branch="NOPE")
    with pytest.raises(ValueError, match="group by"):
        services.channel_stats(uow, by="weekday")
