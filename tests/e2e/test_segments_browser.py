"""The segment builder in headless Chromium on a phone: pick conditions, watch the live count
follow, save, preview the masked members with their breakdown charts."""

from collections.abc import Iterator
from datetime import date

import pytest
from flask import Flask
from playwright.sync_api import Browser, Page, expect
from sqlalchemy import select

from bot.web.staff_auth import hash_password
from crm_core import services
from crm_core.model import Customer, DimensionValue, StaffRole, utcnow
from tests.conftest import runtime
from tests.console_support import PASSWORD, live_server
from tests.e2e.conftest import blocked, log_in, watched_page
from tests.segments_support import populate_segments

pytestmark = pytest.mark.slow


@pytest.fixture
def site(app: Flask) -> Iterator[str]:
    with runtime(app).uow() as uow:
        populate_segments(uow)  # type: ignore[arg-type]
        services.add_staff(uow, "admin", "总行管理员", hash_password(PASSWORD),
                           StaffRole.HEAD_OFFICE, None, None, "test", utcnow())
        uow.commit()
    with live_server(app) as base:
        yield base


@pytest.fixture
def phone(browser: Browser) -> Iterator[tuple[Page, list[str]]]:
    context = browser.new_context(viewport={"width": 390, "height": 844}, locale="zh-CN")
    yield watched_page(context)
    context.close()


def members(page: Page, expected: int) -> None:
    expect(page.locator("#segment-count .segment-members")).to_have_attribute(
        "data-members", str(expected))


def test_the_builder_counts_as_conditions_are_picked_and_previews_the_saved_segment(
        site: str, phone: tuple[Page, list[str]]) -> None:
    page, errors = phone
    log_in(page, site, "admin")
    page.goto(f"{site}/console/segments/new")
    members(page, 7)  # the first condition offered: following (p4 unfollowed)
    first = page.locator("#conditions .condition").nth(0)
    first.locator("[data-part=dim]").select_option("tier")
    first.locator("[data-part=op]").select_option("in")
    first.locator("[data-part=choice]").select_option(["vip", "private"])
    members(page, 5)  # p1 p2 p3 p4 p8; p6 opted out of personalisation
    expect(page.locator("#segment-count .segment-excluded")).to_have_attribute(
        "data-excluded", "1")
    page.click("#add-condition")
    second = page.locator("#conditions .condition").nth(1)
    second.locator("[data-part=dim]").select_option("group")
    second.locator("[data-part=choice]").select_option("新市民")
    members(page, 2)  # p1 p4
    second.locator("[data-part=not]").select_option("not")
    members(page, 3)  # p2 p3 p8
    page.fill("#segment-name", "贵宾非新市民")
    page.click("#save-segment")
    page.wait_for_url("**/console/segments/1")
    assert "非（特定客户群 在名单中 新市民）" in page.inner_text("#segment-words")
    members(page, 3)
    page.click("#preview-segment")
    expect(page.locator("#segment-preview tbody tr[data-customer]")).to_have_count(3)
    expect(page.locator("#segment-tier[data-drawn]")).to_have_count(1)
    assert errors == [] and blocked(page) == []


def test_the_builder_picks_mobile_banking_under_channel_by_last_login_month(
        site: str, app: Flask, phone: tuple[Page, list[str]]) -> None:
    with runtime(app).uow() as uow:
        ids = {c.openid: c.id for c in uow.session.scalars(select(Customer))}  # type: ignore[attr-defined]
        uow.session.add_all([DimensionValue(  # type: ignore[attr-defined]
            customer_id=ids[openid], dimension="mobile", month=date(2026, month, 1), value=state)
            for openid, month, state in [("p1", 10, "active"), ("p2", 8, "active"),
                                         ("p2", 10, "inactive"), ("p3", 10, "inactive")]])
        uow.commit()
    page, errors = phone
    log_in(page, site, "admin")
    page.goto(f"{site}/console/segments/new")
    row = page.locator("#conditions .condition").nth(0)
    row.locator("[data-part=dim]").select_option("channel")
    row.locator("[data-part=op]").select_option("gte")
    assert row.locator("[data-part=op] option:checked").inner_text() == "手机银行最近登录不早于"
    row.locator("[data-part=login]").fill("2026-09")
    members(page, 1)  # p1, last active in 2026-10
    row.locator("[data-part=op]").select_option("in")
    row.locator("[data-part=choice]").select_option(["mobile:active"])
    row.locator("[data-part=month]").fill("2026-08")
    members(page, 1)  # p2, active in 2026-08
    assert '"mobile:active"' in page.input_value("#segment-rule")
    assert errors == [] and blocked(page) == []
    page.screenshot(path="/tmp/shots-segments/channel-mobile-390.png", full_page=True)  # noqa: S108 - to look at
