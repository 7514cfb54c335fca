"""Headless Chromium for the browser tests: skipped with the reason when it is missing, but a
failure in CI, where the browser tests must run."""

import os
import shutil
from collections.abc import Iterator

import pytest
from playwright.sync_api import Browser, sync_playwright

from tests.conftest import APP_ID
from tests.sandbox_support import SandboxHandle, running_sandbox

CHROMIUM = "/usr/bin/chromium"
# Without the networking flags Chromium keeps reaching for hosts this machine cannot reach.
FLAGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking",
         "--disable-component-update", "--disable-sync", "--no-first-run"]


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
