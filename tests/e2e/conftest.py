"""Headless Chromium for the browser tests (skipped with the reason when it is missing, but a
failure in CI, where the browser tests must run), the WeChat sandbox and a served app."""

import os
import shutil
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest
from flask import Flask
from playwright.sync_api import Browser, BrowserContext, Page, sync_playwright
from werkzeug.serving import make_server

from bot import create_app
from tests.conftest import APP_ID, make_settings, runtime
from tests.console_support import PASSWORD
from tests.sandbox_support import SandboxHandle, running_sandbox

CHROMIUM = "/usr/bin/chromium"
# Without the networking flags Chromium keeps reaching for hosts this machine cannot reach.
FLAGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking",
         "--disable-component-update", "--disable-sync", "--no-first-run"]


# Collects what the content security policy blocked, from before any script of the page runs.
_REPORT_VIOLATIONS = """window.__violations = [];
document.addEventListener("securitypolicyviolation", function (e) {
  window.__violations.push(e.violatedDirective + " " + (e.blockedURI || "inline")); });"""


def watched_page(context: BrowserContext) -> tuple[Page, list[str]]:
    """Open a page that records console errors and uncaught exceptions in the returned list;
    read what the security policy blocked with `blocked(page)`."""
    context.add_init_script(_REPORT_VIOLATIONS)
    page = context.new_page()
    errors: list[str] = []
    page.on("console", lambda message: errors.append(message.text)
            if message.type == "error" else None)
    page.on("pageerror", lambda error: errors.append(str(error)))
    return page, errors


def log_in(page: Page, base: str, username: str, password: str = PASSWORD) -> None:
    """Log in to the console through its form and wait for the page it lands on."""
    page.goto(f"{base}/console/login")
    page.fill("input[name=username]", username)
    page.fill("input[name=password]", password)
    page.click("button[type=submit]")
    page.wait_for_url(lambda url: "/console/login" not in url)


def open_as(browser: Browser, base: str, username: str, width: int) -> tuple[Page, list[str]]:
    """A fresh browser context `width` pixels wide, logged in to the console as `username`."""
    context = browser.new_context(viewport={"width": width, "height": 900}, locale="zh-CN")
    page, errors = watched_page(context)
    log_in(page, base, username)
    return page, errors


def fits(page: Page, width: int) -> bool:
    """No sideways scrolling: the page is no wider than `width`."""
    return bool(page.evaluate(f"document.documentElement.scrollWidth <= {width}"))


def blocked(page: Page) -> list[str]:
    """Return what the content security policy blocked on the page's current document."""
    found: list[str] = page.evaluate("window.__violations || []")
    return found


@pytest.fixture(scope="module")
def browser() -> Iterator[Browser]:
    """Debian's Chromium driven by Playwright (never a downloaded browser)."""
    if not shutil.which(CHROMIUM):
        reason = f"browser tests need {CHROMIUM} (apt-get install chromium)"
        if os.environ.get("CI") == "true":
            pytest.fail(reason, pytrace=False)
        pytest.skip(f"browser tests skipped: {reason}")
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=FLAGS)
        yield browser
        browser.close()


@pytest.fixture(scope="module")
def sandbox() -> Iterator[SandboxHandle]:
    """The WeChat platform stand-in the pages' QR codes and web authorisation go to."""
    with running_sandbox(app_id=APP_ID) as sandbox:
        yield sandbox


@pytest.fixture
def served(request: pytest.FixtureRequest, database_url: str, tmp_path: Path,
           sandbox: SandboxHandle) -> Iterator[tuple[Flask, str]]:
    """The app against the sandbox, on a loopback port that is also its public_base_url (the
    host of signed pages and of the web authorisation callback). A module sets `OAUTH = False`
    to keep web authorisation off, and `PRODUCTS` to override other `[products]` keys."""
    holder: dict[str, Flask] = {}
    server = make_server("127.0.0.1", 0, lambda env, start: holder["app"](env, start),
                         threaded=True)
    base = f"http://127.0.0.1:{server.port}"
    holder["app"] = app = create_app(make_settings(
        database_url, tmp_path, web={"public_base_url": base},
        products={"oauth": getattr(request.module, "OAUTH", True),
                  **getattr(request.module, "PRODUCTS", {})},
        wechat={"app_secret": sandbox.app_secret, "api_base_url": sandbox.base_url,
                "oauth_base_url": sandbox.base_url}))
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield app, base
    finally:
        server.shutdown()
        thread.join()
        runtime(app).engine.dispose()
