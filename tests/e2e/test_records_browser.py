"""Record pages in real headless Chromium: the customer page's actions in place, a transfer
previewed then confirmed moving the customer's lead, and a risk assessment recorded at 07:30
Beijing time (a frozen clock), at a phone's width."""

import os
from collections.abc import Iterator
from datetime import datetime
from pathlib import Path

import pytest
from flask import Flask
from playwright.sync_api import Browser, Page

from bot import create_app
from bot.config import Settings
from crm_core.model import Product
from tests.conftest import runtime
from tests.console_support import World, live_server, populate
from tests.e2e.conftest import blocked, log_in, watched_page

pytestmark = pytest.mark.slow
# Set to a folder to keep screenshots of the pages at both widths (to look at them).
SHOTS = os.environ.get("BRANCHLINK_SHOTS")
# 07:30 in Beijing on 2 December is still 1 December in UTC.
BEIJING_0730 = datetime(2026, 12, 1, 23, 30)


@pytest.fixture
def site(app: Flask) -> Iterator[tuple[str, World]]:
    world = populate(runtime(app))
    with runtime(app).uow() as uow:
        uow.products.add(Product(code="WM001", name="稳盈90天理财", category="理财",
                                 risk_level=2, summary="示例"))
        uow.commit()
    with live_server(app) as base:
        yield base, world


@pytest.fixture
def phone(browser: Browser) -> Iterator[tuple[Page, list[str]]]:
    context = browser.new_context(viewport={"width": 390, "height": 844}, locale="zh-CN")
    page, errors = watched_page(context)
    page.on("dialog", lambda dialog: dialog.accept())  # the data-confirm questions
    yield page, errors
    context.close()


def pick(page: Page, select_id: str, typed: str, choose: str) -> None:
    """Choose in a Tom Select picker as staff do: type part of a name, click the match."""
    control = page.locator(f"#{select_id}-ts-control")
    control.click()
    control.fill(typed)
    page.locator(f"#{select_id}-ts-dropdown .option", has_text=choose).first.click()
    # On a loaded machine a search answered late opens the dropdown again after Escape, and
    # the open dropdown covers the form's button: close it until it stays closed.
    dropdown = page.locator(f"#{select_id}-ts-dropdown")
    for _ in range(20):
        page.keyboard.press("Escape")
        page.wait_for_timeout(250)
        if not dropdown.is_visible():
            page.wait_for_timeout(250)
            if not dropdown.is_visible():
                return
    raise AssertionError(f"the {select_id} picker's dropdown stays open")


def shot(page: Page, name: str) -> None:
    if SHOTS:
        Path(SHOTS).mkdir(exist_ok=True)
        page.screenshot(path=str(Path(SHOTS) / f"{name}.png"), full_page=True)


def test_a_manager_names_a_customer_records_the_phone_notes_and_shares_in_place(
        site: tuple[str, World], phone: tuple[Page, list[str]]) -> None:
    (base, world), (page, errors) = site, phone
    log_in(page, base, "m1")
    page.goto(f"{base}/console/customers/{world.customers['c1-sh001-01']}")
    page.fill("#name-input", "王女士")
    page.click("#name-form button[type=submit]")
    page.locator("#profile .alert", has_text="王女士").wait_for()
    assert page.locator("#name").inner_text() == "王女士"
    assert page.locator("#customer-title").inner_text() == "王女士"
    page.fill("#phone-input", "138-1234-5678")
    page.click("#phone-form button[type=submit]")
    page.locator("#phone a[href='tel:13812345678']").wait_for()
    page.fill("#note-input", "电话联系，周五到网点")
    page.click("#note-form button[type=submit]")
    page.locator("#note-list", has_text="电话联系，周五到网点").wait_for()
    pick(page, "share-product", "稳盈", "稳盈90天理财")
    page.click("#share-form button[type=submit]")
    url = page.locator("#share-url").input_value()
    assert url.startswith("http://127.0.0.1:8000/s/")
    assert "/console/customers/" in page.url  # every change happened in place
    shot(page, "customer-390")
    page.set_viewport_size({"width": 1366, "height": 900})
    shot(page, "customer-1366")
    assert blocked(page) == [] and errors == []


def test_a_transfer_is_previewed_then_confirmed_and_the_lead_moves_with_the_customer(
        site: tuple[str, World], phone: tuple[Page, list[str]], app: Flask) -> None:
    (base, world), (page, errors) = site, phone
    lead = world.leads["c2-sh001-02"]
    log_in(page, base, "head")
    page.goto(f"{base}/console/transfer")
    pick(page, "transfer-from", "SH001-02", "经理SH001-02")
    pick(page, "transfer-to", "经理SH001-01", "经理SH001-01")
    pick(page, "transfer-customers", "客户", "…001-02")
    shot(page, "transfer-form-390")
    page.click("#transfer button[type=submit]")
    summary = page.locator("#preview-summary").inner_text()
    assert "将转移 1 位客户，连同他们的 1 条未结线索" in summary
    assert page.locator(f"#moving [data-lead='{lead}']").count() == 1
    with runtime(app).uow() as uow:
        assert uow.leads.get(lead).manager.code == "SH001-02"  # type: ignore[union-attr]
    shot(page, "transfer-preview-390")
    page.click("#confirm button[type=submit]")
    assert "已转移 1 位客户及其 1 条未结线索" in page.locator(".flash").inner_text()
    with runtime(app).uow() as uow:
        assert uow.leads.get(lead).manager.code == "SH001-01"  # type: ignore[union-attr]
    page.goto(f"{base}/console/leads/{lead}")
    assert "经理SH001-01" in page.locator("#lead").inner_text()
    assert blocked(page) == [] and errors == []


@pytest.fixture
def frozen_site(settings: Settings) -> Iterator[tuple[str, World]]:
    app = create_app(settings, clock=lambda: BEIJING_0730)
    world = populate(runtime(app))
    with live_server(app) as base:
        yield base, world
    runtime(app).engine.dispose()


def test_a_risk_assessment_is_recorded_at_0730_beijing_time(
        frozen_site: tuple[str, World], phone: tuple[Page, list[str]]) -> None:
    (base, world), (page, errors) = frozen_site, phone
    log_in(page, base, "m1")
    page.goto(f"{base}/console/customers/{world.customers['c1-sh001-01']}")
    assert page.locator("#assess-on").input_value() == "2026-12-02"  # Beijing's date
    page.select_option("#assess-level", "3")
    page.click("#assess button[type=submit]")
    assert "已记录风险承受能力评估：C3（2026-12-02）" in page.locator(".flash").inner_text()
    assert "C3（2026-12-02评估，有效）" in page.locator("#assessment").inner_text()
    assert blocked(page) == [] and errors == []
