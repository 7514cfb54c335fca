"""The error pages in real headless Chromium, on a phone and a desktop: a customer opening a bad
product or share link reads a Chinese page that fits the screen (never "Not Found"); staff
meet the console's own Chinese page, inside its layout with the menu."""

import os
from collections.abc import Iterator
from pathlib import Path

import pytest
from playwright.sync_api import Browser, Page

from bot import texts
from tests.conftest import runtime
from tests.console_support import PASSWORD, live_server, populate
from tests.e2e.conftest import blocked, watched_page

pytestmark = pytest.mark.slow
PHONE, DESKTOP = {"width": 390, "height": 844}, {"width": 1366, "height": 900}
SHOTS = os.environ.get("BRANCHLINK_SHOTS")  # a folder to keep screenshots in, when set


@pytest.fixture
def base(app) -> Iterator[str]:  # type: ignore[no-untyped-def]
    populate(runtime(app))
    with live_server(app) as url:
        yield url


def shot(page: Page, name: str) -> None:
    if SHOTS:
        page.screenshot(path=str(Path(SHOTS) / f"{name}.png"), full_page=True)


def real(errors: list[str]) -> list[str]:
    """The console errors other than Chromium's note that the page itself came with an error
    status, which these pages do on purpose."""
    return [e for e in errors if not e.startswith("Failed to load resource: the server "
                                                  "responded with a status of 4")]


def fits(page: Page) -> bool:
    """No sideways scrolling: the page is no wider than the screen."""
    return bool(page.evaluate("document.documentElement.scrollWidth <= window.innerWidth"))


@pytest.mark.parametrize("path", ["/p/NOPE", "/s/not-a-real-token"])
@pytest.mark.parametrize("viewport", [PHONE, DESKTOP], ids=["phone", "desktop"])
def test_a_bad_product_link_shows_the_chinese_page(base: str, browser: Browser, path: str,
                                                   viewport: dict[str, int]) -> None:
    context = browser.new_context(viewport=viewport, locale="zh-CN")  # type: ignore[arg-type]
    page, errors = watched_page(context)
    response = page.goto(base + path)
    assert response is not None and response.status == 404
    assert page.locator("#refused h1").inner_text() == texts.PAGE_ERROR_TITLE
    body = page.locator("body").inner_text()
    assert texts.PAGE_ERRORS[404] in body and texts.PAGE_ERROR_HINT in body
    assert "Not Found" not in body and fits(page)
    assert page.title() == texts.PAGE_ERROR_TITLE and blocked(page) == [] and real(errors) == []
    shot(page, f"public-404-{viewport['width']}{path.replace('/', '-')}")
    context.close()


@pytest.mark.parametrize("viewport", [PHONE, DESKTOP], ids=["phone", "desktop"])
def test_staff_meet_the_consoles_chinese_page_with_its_menu(base: str, browser: Browser,
                                                             viewport: dict[str, int]) -> None:
    context = browser.new_context(viewport=viewport, locale="zh-CN")  # type: ignore[arg-type]
    page, errors = watched_page(context)
    page.goto(f"{base}/console/login")
    page.fill("input[name=username]", "m1")
    page.fill("input[name=password]", PASSWORD)
    page.click("button[type=submit]")
    page.wait_for_load_state()
    for path, status in (("/console/customers/999999", 404), ("/console/audit", 403)):
        response = page.goto(base + path)
        assert response is not None and response.status == status
        error = page.locator("#error")
        assert error.locator(".empty-title").inner_text() == texts.HTTP_ERROR_TITLES[status]
        assert texts.HTTP_ERRORS[status] in error.inner_text() and fits(page)
        assert page.locator("header .navbar-brand").is_visible()  # inside the console
        shot(page, f"console-{status}-{viewport['width']}")
    page.get_by_role("link", name="返回工作台").click()
    page.wait_for_load_state()
    assert "/console/" in page.url and page.locator("#error").count() == 0
    assert blocked(page) == [] and real(errors) == [], errors
    context.close()
