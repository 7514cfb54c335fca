"""Campaign fixtures: the segments population, a segment over everyone and its snapshot."""

from collections.abc import Iterator
from datetime import datetime

import pytest

from crm_core import services
from crm_core.db import make_engine, make_session_factory
from crm_core.model import Scope, StaffRole, utcnow
from crm_core.services import campaigns, segments
from crm_core.services.campaigns import sending
from crm_core.unit_of_work import SqlUnitOfWork
from tests.segments_support import HEAD_OFFICE, Population, populate_segments

EVERYONE = {"dim": "branch", "op": "in", "value": ["SH001", "SH002"]}
RICH = {"dim": "tier", "op": "in", "value": ["vip", "private", "affluent", "mass"]}
TEXT = "本月网点开放日，欢迎到店咨询。"
APPROVER = Scope(9, "ho-approver", "总行审批", HEAD_OFFICE.role, None, None)
# 10:00 in Beijing, a Wednesday: outside the quiet hours.
DAY = datetime(2026, 11, 18, 2, 0)


@pytest.fixture
def uow(database_url: str) -> Iterator[SqlUnitOfWork]:
    """A unit of work on the test database, open for the whole test."""
    engine = make_engine(database_url)
    with SqlUnitOfWork(make_session_factory(engine)) as unit:
        yield unit
    engine.dispose()


@pytest.fixture
def people(uow: SqlUnitOfWork) -> Population:
    """The segments population, committed, as of DAY."""
    population = populate_segments(uow, DAY)
    uow.commit()
    return population


def snapshot(uow: SqlUnitOfWork, scope: Scope = HEAD_OFFICE, rule: object = EVERYONE,
             now: datetime | None = None) -> int:
    """Save a segment in `scope` and freeze it; return the snapshot's id."""
    now = now or utcnow()
    card = segments.create_segment(uow, scope, "全部客户", rule, now)
    return segments.take_snapshot(uow, scope, card.id,
                                  segments.moment(now, "Asia/Shanghai")).id


def draft(uow: SqlUnitOfWork, snapshot_id: int, scope: Scope = HEAD_OFFICE,
          now: datetime | None = None, **fields: object) -> int:
    """Draft a campaign to a snapshot; return its id."""
    values: dict[str, object] = {"name": "开放日", "purpose": "marketing",
                                 "snapshot_id": snapshot_id, "content": TEXT, **fields}
    made = campaigns.create_campaign(uow, scope, campaigns.Draft(**values),  # type: ignore[arg-type]
                                     now or utcnow())
    return made.id


def live(uow: SqlUnitOfWork, snapshot_id: int, now: datetime,
         policy: campaigns.ContactPolicy, **fields: object) -> dict[str, int]:
    """Draft, submit and approve a campaign; return its audience figures."""
    campaign_id = draft(uow, snapshot_id, now=now, **fields)
    figures = campaigns.submit(uow, HEAD_OFFICE, campaign_id, now, policy)
    campaigns.approve(uow, APPROVER, campaign_id, now)
    return figures


def with_tasks(uow: SqlUnitOfWork, now: datetime) -> int:
    """Run a campaign with calls as a channel to everyone; return its id (p4 becomes a task)."""
    campaign_id = draft(uow, snapshot(uow, now=now), now=now, channels=("mass", "task"))
    campaigns.submit(uow, HEAD_OFFICE, campaign_id, now, campaigns.ContactPolicy())
    campaigns.approve(uow, APPROVER, campaign_id, now)
    campaigns.start(uow, APPROVER, campaign_id, now)
    sending.finish_if_done(uow, campaign_id, now)
    return campaign_id


def staff_for_tasks(uow: SqlUnitOfWork, password_hash: str, now: datetime) -> None:
    """Add accounts: managers SH001-01 and SH001-02, the heads of SH001 and SH002, head office."""
    for username, role, manager, branch in (
            ("mgr1", StaffRole.MANAGER, "SH001-01", None),
            ("mgr2", StaffRole.MANAGER, "SH001-02", None),
            ("head1", StaffRole.BRANCH_HEAD, None, "SH001"),
            ("head2", StaffRole.BRANCH_HEAD, None, "SH002"),
            ("ho", StaffRole.HEAD_OFFICE, None, None)):
        services.add_staff(uow, username, f"员工{username}", password_hash, role, manager,
                           branch, "test", now)
