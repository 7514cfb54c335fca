"""A list worked in headless Chromium on a phone: filter, sort, page 2, and the CSV export."""

from collections.abc import Iterator
from pathlib import Path

import pytest
from playwright.sync_api import Browser, Page
from sqlalchemy import select

from crm_core.model import AuditEvent
from tests.conftest import runtime
from tests.console_support import live_server, populate
from tests.e2e.conftest import blocked, log_in, watched_page
from tests.lists_support import CROWD, crowd

pytestmark = pytest.mark.slow


@pytest.fixture
def site(app) -> Iterator[str]:  # type: ignore[no-untyped-def]
    populate(runtime(app))
    crowd(runtime(app))
    with live_server(app) as base:
        yield base


@pytest.fixture
def phone(browser: Browser) -> Iterator[tuple[Page, list[str]]]:
    context = browser.new_context(viewport={"width": 390, "height": 844}, locale="zh-CN",
                                  accept_downloads=True)
    yield watched_page(context)
    context.close()


def lead_ids(page: Page) -> list[str]:
    rows = page.locator("#leads tbody tr[data-lead]").all()
    return [row.get_attribute("data-lead") or "" for row in rows]


def test_a_branch_head_filters_sorts_and_pages_the_leads_on_a_phone(site: str, phone) -> None:  # type: ignore[no-untyped-def]
    page, errors = phone
    log_in(page, site, "head")
    page.goto(f"{site}/console/leads")
    page.select_option("#f-manager", "SH001-01")
    page.click("#filters button[type=submit]")
    page.wait_for_url("**manager=SH001-01**")
    total = CROWD + 1
    assert f"共 {total} 条" in page.inner_text(".list-count")
    assert "status=" not in page.url and "sort=" not in page.url  # no empty filters
    page.click("#sort-menu a[data-sort=created][data-order=desc]")  # newest first
    page.wait_for_url("**sort=created**")
    first = lead_ids(page)
    page.click("#pager a[rel=next]")
    page.wait_for_url("**page=2**")
    assert "manager=SH001-01" in page.url and "sort=created" in page.url
    assert f"第 21–40 条，共 {total} 条" in page.inner_text(".list-count")
    second = lead_ids(page)
    assert len(first) == len(second) == 20 and not set(first) & set(second)
    assert [int(i) for i in first + second] == sorted((int(i) for i in first + second),
                                                      reverse=True)
    label = page.locator("#leads tbody tr td[data-label]").first
    assert label.evaluate("td => getComputedStyle(td, '::before').content") != "none"
    assert errors == [] and blocked(page) == []


def test_the_export_downloads_a_csv_and_is_audited(site: str, phone, app) -> None:  # type: ignore[no-untyped-def]
    page, _ = phone
    log_in(page, site, "head")
    page.goto(f"{site}/console/customers?q=王")
    with page.expect_download() as download:
        page.click("#export")
    content = Path(download.value.path()).read_bytes()
    assert content.startswith(b"\xef\xbb\xbf") and "王小明" in content.decode("utf-8-sig")
    with runtime(app).engine.connect() as connection:
        detail = connection.scalar(select(AuditEvent.detail).where(
            AuditEvent.action == "customers_exported"))
    assert detail == {"rows": 1, "filters": {"q": "王"}}
