"""The home pages' figures: the worker's refresh counts what each scope sees, in Beijing weeks,
again and again alike, and picks up new follows, leads and transfers on its next run."""

from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from apscheduler.schedulers.background import BackgroundScheduler
from flask import Flask
from sqlalchemy import select, text

from bot.runtime import Runtime
from bot.worker import jobs
from bot.worker.scheduler import Leadership
from crm_core import services
from crm_core.model import (
    BranchFigures,
    LeadStatus,
    Manager,
    ManagerFigures,
    NetworkFigures,
    Scope,
    StaffRole,
    utcnow,
)
from crm_core.model.figures import COUNTS
from crm_core.queries.console import SqlConsole
from tests.builders import org
from tests.conftest import APP_ID, TOKEN, WEB_SECRET, runtime

ZONE = "Asia/Shanghai"
# Monday 30 November 2026, 01:00 in Beijing: the week began an hour ago.
NOW = datetime(2026, 11, 29, 17, 0)
ADMIN = Scope(0, "admin", "admin", StaffRole.HEAD_OFFICE, None, None)
SLA = timedelta(hours=2)


@pytest.fixture
def rt(app: Flask) -> Runtime:
    """The app's runtime with two branches, three managers, five customers and five leads."""
    rt = runtime(app)
    with rt.uow() as uow:
        org(uow, {"SH001": ["SH001-01", "SH001-02"], "SH002": ["SH002-01"]})
        for openid, scene, ago in [("a1", "m:SH001-01", 30), ("a2", "m:SH001-02", 90),
                                   ("a3", "m:SH001-01", 20), ("b1", "m:SH002-01", 24 * 60),
                                   ("x", None, 10)]:
            services.follow(uow, openid, scene, NOW - timedelta(minutes=ago))
        uow.flush()
        a3 = uow.customers.by_openid("a3").id  # type: ignore[union-attr]
        services.transfer_customers(uow, ADMIN, "SH001-01", "SH002-01", [a3], NOW)
        services.open_lead(uow, "a1", "contact_request", NOW - timedelta(hours=3), SLA)
        for openid in ("a2", "x", "b1"):
            services.open_lead(uow, openid, "contact_request", NOW, SLA)
        late = services.open_lead(uow, "b1", "product_interest", NOW, SLA, "WM001").lead_id
        services.update_lead(uow, late, LeadStatus.CONVERTED, NOW)
        uow.flush()
        first = uow.leads.open_for(uow.customers.by_openid("b1"), "contact_request", None)
        services.update_lead(uow, first.id, LeadStatus.CONTACTED, NOW)  # type: ignore[union-attr]
        uow.commit()
    return rt


def refresh(rt: Runtime, now: datetime = NOW) -> None:
    with rt.uow() as uow:
        services.refresh_home_figures(uow, now, ZONE)
        uow.commit()


def figures(rt: Runtime) -> dict[str, Any]:
    """Every stored figure: by branch code, by manager code, and the network's."""
    with rt.uow() as uow:
        session = uow.session
        branches = {uow.branches.get(row.branch_id).code: _counts(row)  # type: ignore[union-attr]
                    for row in session.scalars(select(BranchFigures))}
        managers = {code: (row.customers, row.open_leads, row.overdue_leads)
                    for code, row in session.execute(
                        select(Manager.code, ManagerFigures)
                        .join(Manager, Manager.id == ManagerFigures.manager_id))}
        network = [_counts(row) for row in session.scalars(select(NetworkFigures))]
        stamps = {row.updated_at for row in session.scalars(select(BranchFigures))}
    return {"branches": branches, "managers": managers, "network": network, "stamps": stamps}


def _counts(row: Any) -> dict[str, int]:
    return {key: getattr(row, key) for key in COUNTS}


def test_each_branch_counts_the_customers_and_leads_its_head_sees(rt: Runtime) -> None:
    refresh(rt)
    found = figures(rt)
    # a3, homed at SH001, moved into the care of SH002's manager: both branches see them.
    assert found["branches"]["SH001"] == {
        "customers": 3, "follows_week": 2, "leads_new": 2, "leads_contacted": 0,
        "leads_converted": 0, "leads_lost": 0, "leads_overdue": 1}
    assert found["branches"]["SH002"] == {
        "customers": 2, "follows_week": 1, "leads_new": 0, "leads_contacted": 1,
        "leads_converted": 1, "leads_lost": 0, "leads_overdue": 0}
    # The network counts everyone once, x (who came by no code, so has no branch) included.
    assert found["network"] == [{
        "customers": 5, "follows_week": 3, "leads_new": 3, "leads_contacted": 1,
        "leads_converted": 1, "leads_lost": 0, "leads_overdue": 1}]
    assert found["managers"] == {"SH001-01": (1, 1, 1), "SH001-02": (1, 1, 0),
                                 "SH002-01": (2, 1, 0)}
    assert found["stamps"] == {NOW}


def test_the_figures_match_what_each_scope_lists(rt: Runtime) -> None:
    refresh(rt)
    found = figures(rt)
    with rt.uow() as uow:
        console = SqlConsole(uow.session)
        for code, counted in found["branches"].items():
            head = Scope(0, "h", "h", StaffRole.BRANCH_HEAD, None, uow.branches.by_code(code).id)  # type: ignore[union-attr]
            assert counted["customers"] == len(console.customers(head, "", 1000)), code
            for status in LeadStatus:
                assert counted[f"leads_{status.value}"] == len(
                    console.leads(head, status, 1000)), (code, status)
        assert found["network"][0]["customers"] == len(console.customers(ADMIN, "", 1000))


def test_a_follow_counts_in_the_beijing_week_it_happened(rt: Runtime) -> None:
    # At NOW (Monday 01:00 in Beijing, still Sunday in UTC) a2 (Sunday 23:30 in Beijing) and
    # b1 (Sunday 01:00) followed last week; an hour earlier, on Beijing's Sunday, this week.
    refresh(rt)
    assert figures(rt)["branches"]["SH001"]["follows_week"] == 2
    assert figures(rt)["network"][0]["follows_week"] == 3
    refresh(rt, NOW - timedelta(minutes=65))
    assert figures(rt)["branches"]["SH001"]["follows_week"] == 3
    assert figures(rt)["network"][0]["follows_week"] == 5


def test_a_second_run_replaces_the_figures_and_a_later_one_sees_new_work(rt: Runtime) -> None:
    refresh(rt)
    first = figures(rt)
    refresh(rt)
    assert figures(rt) == first
    later = NOW + timedelta(hours=3)
    with rt.uow() as uow:
        services.follow(uow, "a4", "m:SH001-02", later)
        services.open_lead(uow, "a4", "contact_request", later, SLA)
        uow.commit()
    refresh(rt, later)
    again = figures(rt)
    assert again["branches"]["SH001"] == first["branches"]["SH001"] | {
        "customers": 4, "follows_week": 3, "leads_new": 3, "leads_overdue": 2}  # a2's is late now
    assert again["managers"]["SH001-02"] == (2, 2, 1)
    assert again["network"][0]["customers"] == 6
    assert again["stamps"] == {later}


def test_the_worker_job_refreshes_from_its_configuration(rt: Runtime, tmp_path: Path) -> None:
    config = tmp_path / "worker.toml"
    config.write_text(f'[wechat]\napp_id = "{APP_ID}"\ntoken = "{TOKEN}"\n'
                      f'[database]\nurl = "{rt.settings.database.url}"\n'
                      f'[web]\nsecret_key = "{WEB_SECRET}"\n'
                      f'[webhook]\nspool_dir = "{tmp_path / "spool"}"\n', encoding="utf-8")
    before = utcnow()
    jobs.refresh_figures(str(config))
    sessions = jobs._figure_sessions(str(config))
    if rt.settings.database.url.startswith("postgresql"):  # a recount may take minutes
        with sessions() as session:
            assert session.execute(text("SHOW statement_timeout")).scalar() == "5min"
    sessions.kw["bind"].dispose()
    jobs._runtime(str(config)).engine.dispose()
    stamps = figures(rt)["stamps"]
    assert len(stamps) == 1 and before <= stamps.pop() <= utcnow()


def test_the_leader_schedules_the_refresh_to_run_at_once(rt: Runtime) -> None:
    scheduler = BackgroundScheduler()
    Leadership(rt, scheduler, "worker-1", None).check()
    job = scheduler.get_job("refresh_figures")
    assert job is not None
    assert job.trigger.interval == timedelta(minutes=services.FIGURES_EVERY_MINUTES)
    assert abs((job.next_run_time.replace(tzinfo=None) - datetime.now()).total_seconds()) < 60
