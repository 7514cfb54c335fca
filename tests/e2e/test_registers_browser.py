"""The complaints and suitability-override pages in headless Chromium, on a phone and a
laptop: reached from the scorecards page, a branch head judges a complaint in place, and the
pages fit the screen with nothing blocked by the security policy."""

from collections.abc import Iterator
from datetime import date, timedelta

import pytest
from flask import Flask
from playwright.sync_api import Browser

from crm_core.model import Scope, StaffRole, utcnow
from crm_core.model.performance.registers import ComplaintChannel
from crm_core.services.performance.registers import (
    ComplaintForm,
    OverrideForm,
    record_complaint,
    record_override,
)
from tests.conftest import runtime
from tests.console_support import live_server
from tests.e2e.conftest import blocked, fits, open_as
from tests.integration.test_console_registers import world

pytestmark = pytest.mark.slow
SHOTS = "/tmp/shots-registers"  # noqa: S108 - screenshots to look at, not test data
WIDTHS = [390, 1366]
HEAD = Scope(0, "test", "总行", StaffRole.HEAD_OFFICE, None, None)


@pytest.fixture
def site(app: Flask) -> Iterator[str]:
    ids = world(app)
    today = date.today()
    with runtime(app).uow() as uow:
        record_complaint(uow, HEAD, ComplaintForm(  # type: ignore[arg-type]
            ids["c1-sh001-01"], "SH001-01", today, ComplaintChannel.COUNTER,
            "办理理财时未提示风险", "客户称经理只介绍收益，没有说明可能亏损本金，要求退款。"),
            today, utcnow())
        record_override(uow, HEAD, OverrideForm(  # type: ignore[arg-type]
            ids["c1-sh001-01"], "SH001-01", "FD001", today, "客户主动要求购买，已签署风险确认书"),
            today, timedelta(days=365), utcnow())
        uow.commit()
    with live_server(app) as base:
        yield base


@pytest.mark.parametrize("width", WIDTHS)
def test_a_branch_head_judges_a_complaint_from_the_scorecards_page(
        site: str, browser: Browser, width: int) -> None:
    page, errors = open_as(browser, site, "head", width)
    page.goto(f"{site}/console/scorecards")
    page.click("#register-links >> text=投诉登记")
    page.wait_for_selector("#complaints")
    assert fits(page, width)
    row = page.locator("tr[data-complaint]").first
    row.locator("input[name=reason]").fill("调阅录音，确未做风险提示")
    row.locator("button[type=submit]").click()
    page.wait_for_selector("text=已认定第")
    assert "投诉成立" in page.inner_text("tr[data-complaint] .verdict")
    page.screenshot(path=f"{SHOTS}/complaints-{width}.png", full_page=True)
    assert fits(page, width) and blocked(page) == [] and errors == []
    page.goto(f"{site}/console/suitability-overrides")
    assert "无有效评估 / R4" in page.inner_text("#overrides")
    page.screenshot(path=f"{SHOTS}/overrides-{width}.png", full_page=True)
    assert fits(page, width) and blocked(page) == [] and errors == []
    page.context.close()
