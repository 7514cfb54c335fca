"""The classification pages in headless Chromium, on a phone and a desktop: the catalogue fits
the screen, a manager tags a customer in place (htmx), the manager's home shows the tiers."""

from collections.abc import Iterator
from datetime import date

import pytest
from flask import Flask
from playwright.sync_api import Browser

from crm_core.model import ClassificationBatch
from tests.conftest import runtime
from tests.console_support import World, live_server
from tests.e2e.conftest import blocked, fits, open_as
from tests.integration.test_console_classification import world  # noqa: F401 - fixture

pytestmark = pytest.mark.slow
SHOTS = "/tmp/shots-classify"  # noqa: S108 - screenshots to look at, not test data
WIDTHS = [390, 1366]


@pytest.fixture
def site(app: Flask, world: World) -> Iterator[tuple[str, World]]:  # noqa: F811
    """The console with tiers for two months, served on a loopback port."""
    with live_server(app) as base:
        yield base, world


@pytest.mark.parametrize("width", WIDTHS)
def test_head_office_reads_the_catalogue_on_any_screen(site, browser: Browser,  # type: ignore[no-untyped-def]
                                                       app: Flask, width: int) -> None:
    base, _ = site
    with runtime(app).uow() as uow:
        uow.session.add(ClassificationBatch(  # type: ignore[attr-defined]
            kind="balances", month=date(2026, 11, 1), filename="十一月月日均资产（有误）.csv",
            sha256="0" * 64, rows=1200, staff="admin", status="refused", error_count=31,
            errors=[{"line": 3, "code": "bad_balance",
                     "reason": "“月日均资产（aum）”的值“abc”不是金额。"}] * 20))
        uow.commit()
    page, errors = open_as(browser, base, "admin", width)
    page.goto(f"{base}/console/classification")
    assert page.locator("#catalogue [data-dimension]").count() == 11
    refused = page.locator('#batches tr[data-status="refused"]')
    assert "已拒绝" in refused.inner_text()
    refused.locator("summary").click()
    assert "列出前 20 处" in refused.inner_text() and "第 3 行" in refused.inner_text()
    assert page.locator("#extract-import").is_visible()
    assert fits(page, width) and not errors and not blocked(page)
    if width == 1366:  # the menu still fits one line beside the new entry
        heights = page.eval_on_selector_all(
            "#console-menu .nav-item", "items => items.map(i => i.getBoundingClientRect().top)")
        assert len(set(heights)) == 1
    page.screenshot(path=f"{SHOTS}/catalogue-{width}.png", full_page=True)


@pytest.mark.parametrize("width", WIDTHS)
def test_a_manager_tags_a_customer_in_place(site, browser: Browser, app: Flask,  # type: ignore[no-untyped-def]
                                            width: int) -> None:
    base, ids = site
    page, errors = open_as(browser, base, "m1", width)
    page.goto(f"{base}/console/customers/{ids.customers['c1-sh001-01']}")
    assert page.inner_text("#class-tier") == "富裕"
    page.fill("#tag-input", "有房贷需求")
    page.click("#tag-form button[type=submit]")
    page.locator('#tag-list [data-tag="有房贷需求"]').wait_for()
    assert "已添加标签" in page.inner_text("#classes")
    assert fits(page, width) and not errors and not blocked(page)
    page.screenshot(path=f"{SHOTS}/customer-{width}.png", full_page=True)
    with runtime(app).engine.connect() as connection:
        assert connection.exec_driver_sql("SELECT count(*) FROM customer_tags").scalar() == 1


@pytest.mark.parametrize("width", WIDTHS)
def test_the_manager_home_shows_tiers_and_moves(site, browser: Browser,  # type: ignore[no-untyped-def]
                                                width: int) -> None:
    base, _ = site
    page, errors = open_as(browser, base, "m1", width)
    assert page.locator('#tier-moves [data-move="up"]').count() == 1
    assert "富裕" in page.inner_text("#tier-counts")
    assert fits(page, width) and not errors and not blocked(page)
    page.screenshot(path=f"{SHOTS}/home-{width}.png", full_page=True)
