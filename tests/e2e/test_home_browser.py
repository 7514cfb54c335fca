"""Each role's home page (工作台) in headless Chromium, on a phone and a desktop: the figures
are the database's, the charts are drawn, nothing is blocked by the security policy."""

import re
from collections.abc import Iterator
from datetime import timedelta
from typing import Any

import pytest
from flask import Flask
from playwright.sync_api import Browser, Page
from sqlalchemy import bindparam, text

from crm_core import services
from crm_core.model import LeadStatus, utcnow
from tests.conftest import runtime
from tests.console_support import PASSWORD, World, live_server, populate
from tests.e2e.conftest import blocked, fits, watched_page

pytestmark = pytest.mark.slow
SHOTS = "/tmp/shots-homes"  # noqa: S108 - screenshots to look at, not test data
WIDTHS = [390, 1366]
# A branch's customers as its head's scope reads them: homed there, or cared for there.
BRANCH_CUSTOMERS = """SELECT count(*) FROM customers c
    LEFT JOIN manager_links l ON l.customer_id = c.id AND l.ended_at IS NULL
    LEFT JOIN managers m ON m.id = l.manager_id
    JOIN branches b ON b.code = :code
    WHERE c.home_branch_id = b.id OR m.branch_id = b.id"""
BRANCH_LEADS = """SELECT count(*) FROM leads JOIN branches b ON b.id = leads.branch_id
    WHERE b.code = :code AND status IN :statuses"""


@pytest.fixture
def site(app: Flask) -> Iterator[tuple[str, World]]:
    """The populated console, with a lead due later today, leads of every status, figures."""
    rt, now = runtime(app), utcnow()
    world = populate(rt)
    with rt.uow() as uow:
        services.follow(uow, "c5-sh001-01", "m:SH001-01", now)
        for openid, source, status in [("c5-sh001-01", "product_interest", LeadStatus.CONTACTED),
                                       ("c2-sh001-02", "product_interest", LeadStatus.CONVERTED),
                                       ("c3-sh002-01", "product_interest", LeadStatus.LOST)]:
            lead = services.open_lead(uow, openid, source, now, timedelta(days=2)).lead_id
            services.update_lead(uow, lead, status, now)
        # Due later today (in Beijing): within half an hour, or before midnight if sooner.
        soon = min(timedelta(minutes=30), (services.day_end(now, "Asia/Shanghai") - now) / 2)
        services.open_lead(uow, "c5-sh001-01", "contact_request", now, soon)
        services.refresh_home_figures(uow, now, "Asia/Shanghai")
        uow.commit()
    with live_server(app) as base:
        yield base, world


def scalar(app: Flask, sql: str, **values: Any) -> int:
    statement = text(sql)
    if "statuses" in values:
        statement = statement.bindparams(bindparam("statuses", expanding=True))
    with runtime(app).engine.connect() as connection:
        return int(connection.execute(statement, values).scalar_one())


def open_home(browser: Browser, base: str, username: str, width: int) -> tuple[Page, list[str]]:
    context = browser.new_context(viewport={"width": width, "height": 900}, locale="zh-CN")
    page, errors = watched_page(context)
    page.goto(f"{base}/console/login")
    page.fill("input[name=username]", username)
    page.fill("input[name=password]", PASSWORD)
    page.click("button[type=submit]")
    page.wait_for_url(f"{base}/console/")
    return page, errors


def figure(page: Page, name: str) -> int:
    return int(page.inner_text(f"#figures [data-figure={name}] .h1").replace(",", ""))


def charts_drawn(page: Page, *ids: str) -> None:
    for chart in ids:
        page.wait_for_selector(f"#{chart} svg", state="attached", timeout=5000)
        width = page.eval_on_selector(f"#{chart} svg", "svg => svg.getBoundingClientRect().width")
        assert width > 100, chart


@pytest.mark.parametrize("width", WIDTHS)
def test_a_manager_sees_todays_leads_and_new_customers(site, browser: Browser, app: Flask,  # type: ignore[no-untyped-def]
                                                       width: int) -> None:
    base, world = site
    page, errors = open_home(browser, base, "m1", width)
    mine = "SELECT count(*) FROM leads JOIN managers m ON m.id = leads.manager_id " \
           "WHERE m.code = 'SH001-01' AND status = :status"
    assert figure(page, "overdue") == scalar(app, mine + " AND due_at <= :now", status="new",
                                             now=utcnow()) == 1
    assert figure(page, "due") == 1 and figure(page, "contacted") == scalar(
        app, mine, status="contacted") == 1
    rows = page.locator("#due-leads tbody tr")
    assert rows.count() == scalar(app, mine, status="new") == 2
    assert "已超时 2 小时" in rows.nth(0).inner_text()  # the late one first
    assert re.search(r"剩余 \d+ 分钟", rows.nth(1).inner_text())
    assert page.locator("#newcomers tbody tr").count() == 2
    page.screenshot(path=f"{SHOTS}/manager-{width}.png", full_page=True)
    assert fits(page, width) and blocked(page) == [] and errors == []
    rows.nth(0).locator("a").first.click()
    page.wait_for_url(f"{base}/console/customers/{world.customers['c1-sh001-01']}")
    page.context.close()


@pytest.mark.parametrize("width", WIDTHS)
def test_a_branch_head_sees_the_branch_figures_and_charts(site, browser: Browser, app: Flask,  # type: ignore[no-untyped-def]
                                                          width: int) -> None:
    base, _ = site
    page, errors = open_home(browser, base, "head", width)
    assert figure(page, "customers") == scalar(app, BRANCH_CUSTOMERS, code="SH001") == 3
    assert figure(page, "leads_open") == scalar(app, BRANCH_LEADS, code="SH001",
                                                statuses=["new", "contacted"]) == 4
    assert figure(page, "leads_overdue") == 2
    assert "北京时间" in page.inner_text("#updated-at")
    load = page.locator("#load tbody tr[data-manager='SH001-01'] td")
    assert [load.nth(i).inner_text() for i in (2, 3, 4)] == ["2", "3", "1"]
    charts_drawn(page, "status-chart", "load-chart")
    page.screenshot(path=f"{SHOTS}/branch-head-{width}.png", full_page=True)
    assert fits(page, width) and blocked(page) == [] and errors == []
    page.context.close()


@pytest.mark.parametrize("width", WIDTHS)
def test_head_office_sees_the_network_and_drills_into_a_branch(site, browser: Browser,  # type: ignore[no-untyped-def]
                                                               app: Flask, width: int) -> None:
    base, _ = site
    page, errors = open_home(browser, base, "admin", width)
    assert figure(page, "customers") == scalar(app, "SELECT count(*) FROM customers") == 4
    rows = page.locator("#network tbody tr")
    assert rows.count() == scalar(app, "SELECT count(*) FROM branches") == 2
    sh002 = page.locator("#network tr[data-branch='SH002'] td")
    assert int(sh002.nth(1).inner_text()) == scalar(app, BRANCH_CUSTOMERS, code="SH002")
    charts_drawn(page, "network-chart")
    page.screenshot(path=f"{SHOTS}/head-office-{width}.png", full_page=True)
    assert fits(page, width) and blocked(page) == []
    page.click("#network tr[data-branch='SH001'] a")
    page.wait_for_url(f"{base}/console/home/SH001")
    assert figure(page, "customers") == scalar(app, BRANCH_CUSTOMERS, code="SH001")
    charts_drawn(page, "status-chart", "load-chart")
    page.screenshot(path=f"{SHOTS}/drill-down-{width}.png", full_page=True)
    assert fits(page, width) and blocked(page) == [] and errors == []
    page.context.close()
