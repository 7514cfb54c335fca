"""Each role's home page (工作台): where login lands, what it shows, and who may see which."""

from datetime import datetime, timedelta

import pytest
from flask import Flask
from flask.testing import FlaskClient

from bot.web.console.support import relative_time
from crm_core import services
from crm_core.model import utcnow
from tests.conftest import runtime
from tests.console_support import World, login, populate


@pytest.fixture
def world(app: Flask) -> World:
    return populate(runtime(app))


def logged_in(app: Flask, username: str) -> FlaskClient:
    client = app.test_client()
    assert login(client, username).headers["Location"] == "/console/"
    return client


def refresh(app: Flask, now: datetime | None = None) -> None:
    with runtime(app).uow() as uow:
        services.refresh_home_figures(uow, now or utcnow(), "Asia/Shanghai")
        uow.commit()


def test_a_manager_sees_their_own_late_lead_with_how_late_it_is(app: Flask,
                                                                world: World) -> None:
    page = logged_in(app, "m1").get("/console/").text
    assert f'data-lead="{world.leads["c1-sh001-01"]}"' in page
    assert f'data-lead="{world.leads["c2-sh001-02"]}"' not in page  # m2's
    assert "已超时 2 小时" in page
    assert f'href="/console/customers/{world.customers["c1-sh001-01"]}"' in page


def test_a_lead_due_later_today_counts_down(app: Flask, world: World) -> None:
    # Due in 25 minutes, or sooner when Beijing's day ends first: the home lists today's leads.
    now = utcnow()
    to_midnight = _next_beijing_midnight(now) - now
    if to_midnight < timedelta(minutes=3):
        pytest.skip("too close to midnight in Beijing for a lead due later today")
    minutes = min(25, int(to_midnight.total_seconds() // 60) - 2)
    with runtime(app).uow() as uow:
        services.open_lead(uow, "c1-sh001-01", "product_interest", now,
                           timedelta(minutes=minutes, seconds=30))
        uow.commit()
    page = logged_in(app, "m1").get("/console/").text
    assert f"剩余 {minutes} 分钟" in page


def test_the_branch_figures_say_when_they_were_counted_or_that_they_are_not_yet(
        app: Flask, world: World) -> None:
    head = logged_in(app, "head")
    assert "统计数据尚未生成" in head.get("/console/").text
    refresh(app, utcnow() - timedelta(hours=1))
    page = head.get("/console/").text
    assert "1 小时前" in page and "已超过 15 分钟未更新" in page
    refresh(app)
    page = head.get("/console/").text
    assert "刚刚" in page and "未更新" not in page


@pytest.mark.parametrize(("username", "path", "status"), [
    ("head", "/console/home/SH001", 200),
    ("head", "/console/home/SH002", 403),
    ("m1", "/console/home/SH001", 403),
    ("admin", "/console/home/SH002", 200),
    ("admin", "/console/home/NOPE", 404),
])
def test_a_branch_home_is_for_its_head_and_head_office(app: Flask, world: World, username: str,
                                                       path: str, status: int) -> None:
    refresh(app)
    assert logged_in(app, username).get(path).status_code == status


def test_head_office_drills_down_from_the_network_to_a_branch(app: Flask, world: World) -> None:
    refresh(app)
    admin = logged_in(app, "admin")
    network = admin.get("/console/").text
    assert "全行概况" in network and 'href="/console/home/SH002"' in network
    branch = admin.get("/console/home/SH002").text
    assert "SH002支行" in branch and 'data-manager="SH002-01"' in branch


def test_a_time_beyond_a_month_is_shown_as_its_beijing_date(app: Flask) -> None:
    with app.app_context():
        assert relative_time(datetime(2026, 10, 22, 20, 0), datetime(2026, 12, 2)) == "2026-10-23"


def _next_beijing_midnight(now: datetime) -> datetime:
    """The end of today in Beijing (UTC+8, no daylight saving), as naive UTC like `now`."""
    local = now + timedelta(hours=8)
    return datetime(local.year, local.month, local.day) + timedelta(days=1, hours=-8)
