"""The console under its security headers in headless Chromium: every page renders with no
policy violation and no console error, and no other site can frame it (clickjacking)."""

from collections.abc import Iterator

import pytest
from playwright.sync_api import Browser

from tests.conftest import runtime
from tests.console_support import World, live_server, populate
from tests.e2e.conftest import blocked, log_in, watched_page

pytestmark = pytest.mark.slow
HEAD_OFFICE_PAGES = ["/console/", "/console/home/SH001", "/console/leads", "/console/customers",
                     "/console/shares", "/console/branches", "/console/transfer", "/console/codes",
                     "/console/products", "/console/outbox", "/console/audit", "/console/staff",
                     "/console/misses"]


@pytest.fixture
def site(app) -> Iterator[tuple[str, World]]:  # type: ignore[no-untyped-def]
    world = populate(runtime(app))
    with live_server(app) as base:
        yield base, world


@pytest.mark.parametrize("width", [390, 1366])
def test_every_console_page_renders_within_the_policy(site, browser: Browser,  # type: ignore[no-untyped-def]
                                                      width: int) -> None:
    base, world = site
    context = browser.new_context(viewport={"width": width, "height": 900}, locale="zh-CN")
    page, errors = watched_page(context)
    log_in(page, base, "admin")
    customer = world.customers["c1-sh001-01"]
    lead = world.leads["c1-sh001-01"]
    for path in [*HEAD_OFFICE_PAGES, f"/console/customers/{customer}", f"/console/leads/{lead}"]:
        response = page.goto(base + path)
        assert response is not None and response.status == 200, path
        assert blocked(page) == [], path
        # The inline style sheet applied: the header is the bank's red, not the default.
        assert page.eval_on_selector("header", "h => getComputedStyle(h).backgroundColor") \
            == "rgb(179, 32, 42)", path
    context.close()
    assert errors == []


def test_another_site_cannot_frame_the_transfer_form(site, browser: Browser) -> None:  # type: ignore[no-untyped-def]
    base, _ = site
    context = browser.new_context()
    page = context.new_page()
    log_in(page, base, "head")
    page.set_content(f'<iframe src="{base}/console/transfer" width="600" height="400"></iframe>')
    frame = page.frames[1]
    frame.wait_for_load_state()
    assert "BranchLink" not in frame.content()  # neither the form nor the login page
    context.close()
