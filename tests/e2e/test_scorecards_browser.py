"""Scorecards in headless Chromium, on a phone and a laptop: the league chart and the trend
are drawn, the pages fit the screen, nothing is blocked by the security policy."""

from collections.abc import Iterator

import pytest
from flask import Flask
from playwright.sync_api import Browser

from tests.console_support import live_server
from tests.e2e.conftest import blocked, fits, open_as
from tests.integration.test_console_scorecards import ran  # noqa: F401

pytestmark = pytest.mark.slow
SHOTS = "/tmp/shots-scorecards"  # noqa: S108 - screenshots to look at, not test data
WIDTHS = [390, 1366]


@pytest.fixture
def site(ran: Flask) -> Iterator[str]:  # noqa: F811
    with live_server(ran) as base:
        yield base


@pytest.mark.parametrize("width", WIDTHS)
def test_a_manager_reaches_their_card_from_home_and_sees_the_charts(
        site: str, browser: Browser, width: int) -> None:
    page, errors = open_as(browser, site, "m1", width)
    page.click("#scorecards-link")
    page.wait_for_selector("#league-retail svg", state="attached", timeout=5000)
    page.screenshot(path=f"{SHOTS}/scorecards-{width}.png", full_page=True)
    assert fits(page, width) and blocked(page) == [] and errors == []
    page.locator("#cards a").first.click()
    page.wait_for_selector("#trend-chart svg", state="attached", timeout=5000)
    assert "833.33" in page.inner_text("#book-rows")
    page.screenshot(path=f"{SHOTS}/scorecard-{width}.png", full_page=True)
    assert fits(page, width) and errors == []
    page.context.close()
