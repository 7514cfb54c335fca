"""The campaign pages in headless Chromium, on a phone and on a laptop: a draft submitted from
the form shows its compliance check and its audience after suppressions, with no page error; a
manager on a phone records a call's outcome from the home page; a campaign's page follows its
state without a reload; its buttons are only the actions its state allows the viewer."""

from collections.abc import Iterator
from datetime import datetime, timedelta
from pathlib import Path

import pytest
from flask import Flask
from playwright.sync_api import Browser, expect

from bot.web.staff_auth import hash_password
from crm_core import services
from crm_core.model import StaffRole, utcnow
from tests.campaigns_support import (
    APPROVER,
    TEXT,
    draft,
    live,
    snapshot,
    staff_for_tasks,
    with_tasks,
)
from tests.conftest import runtime
from tests.console_support import PASSWORD, live_server
from tests.e2e.conftest import fits, log_in, open_as, watched_page
from tests.segments_support import HEAD_OFFICE, populate_segments

pytestmark = pytest.mark.slow


@pytest.fixture
def site(app: Flask) -> Iterator[str]:
    with runtime(app).uow() as uow:
        populate_segments(uow)  # type: ignore[arg-type]
        services.campaigns.opt_out(uow, "p2", utcnow())
        snapshot(uow)  # type: ignore[arg-type]
        services.add_staff(uow, "admin", "总行管理员", hash_password(PASSWORD),
                           StaffRole.HEAD_OFFICE, None, None, "test", utcnow())
        uow.commit()
    with live_server(app) as base:
        yield base


@pytest.mark.parametrize("width", [390, 1366])
def test_a_draft_is_submitted_from_the_form_and_shows_its_audience(
        site: str, browser: Browser, width: int, tmp_path: Path) -> None:
    context = browser.new_context(viewport={"width": width, "height": 900}, locale="zh-CN")
    page, errors = watched_page(context)
    log_in(page, site, "admin")
    page.goto(f"{site}/console/campaigns")
    page.fill("#campaign-name", "开放日")
    page.fill("#campaign-content", TEXT)
    page.click("#campaign-draft button[type=submit]")
    page.click("button:has-text(\"提交审批\")")
    expect(page.locator("#campaign-state")).to_have_text("待审批")
    expect(page.locator("#audience")).to_contain_text("已剔除：客户退订")
    expect(page.locator("#compliance")).to_contain_text("合规检查通过")
    page.screenshot(path=str(tmp_path / f"campaign-{width}.png"), full_page=True)
    overflow = page.evaluate("document.documentElement.scrollWidth > window.innerWidth")
    assert not overflow and errors == []
    context.close()


def test_a_manager_records_a_call_from_the_home_page_on_a_phone(
        app: Flask, browser: Browser, tmp_path: Path) -> None:
    day = datetime(2026, 11, 18, 2, 0)  # 10:00 in Beijing: calls are due
    with runtime(app).uow() as uow:
        populate_segments(uow, day)  # type: ignore[arg-type]
        with_tasks(uow, day)  # type: ignore[arg-type]
        staff_for_tasks(uow, hash_password(PASSWORD), day)  # type: ignore[arg-type]
        uow.commit()
    context = browser.new_context(viewport={"width": 390, "height": 844}, locale="zh-CN")
    page, errors = watched_page(context)
    with live_server(app) as base:
        log_in(page, base, "mgr2")
        page.click("#campaign-tasks-link")
        expect(page.locator("#task-count")).to_contain_text("待处理 1 条")
        expect(page.locator(".task-script")).to_contain_text(TEXT)
        page.screenshot(path=str(tmp_path / "tasks-390.png"), full_page=True)
        overflow = page.evaluate("document.documentElement.scrollWidth > window.innerWidth")
        page.click("button:has-text(\"有意向\")")
        expect(page.locator(".flash")).to_contain_text("已记录结果")
        expect(page.locator("#task-count")).to_contain_text("待处理 0 条")
    assert not overflow and errors == []
    context.close()


def test_the_campaign_page_shows_a_change_of_state_without_a_reload(
        app: Flask, browser: Browser) -> None:
    now = utcnow()
    with runtime(app).uow() as uow:
        populate_segments(uow, now)  # type: ignore[arg-type]
        live(uow, snapshot(uow, now=now), now, services.campaigns.ContactPolicy(),  # type: ignore[arg-type]
             scheduled_at=now + timedelta(days=1))
        staff_for_tasks(uow, hash_password(PASSWORD), now)  # type: ignore[arg-type]
        uow.commit()
    context = browser.new_context(viewport={"width": 1366, "height": 900}, locale="zh-CN")
    page, errors = watched_page(context)
    with live_server(app) as base:
        log_in(page, base, "ho")
        page.goto(f"{base}/console/campaigns/1")
        expect(page.locator("#campaign-state")).to_have_text("已排期")
        expect(page.locator("#campaign-actions button")).to_have_text(
            ["开始发送", "暂停", "取消活动"])
        with runtime(app).uow() as uow:
            services.campaigns.cancel(uow, APPROVER, 1, utcnow())  # type: ignore[arg-type]
            uow.commit()
        expect(page.locator("#campaign-state")).to_have_text("已取消", timeout=12_000)
        expect(page.locator("#progress-note")).to_have_count(0)
        expect(page.locator("#campaign-actions button")).to_have_count(0)
    assert errors == []
    context.close()


@pytest.mark.parametrize("width", [390, 1366])
def test_the_campaign_page_offers_only_the_actions_its_state_allows(
        app: Flask, browser: Browser, width: int) -> None:
    now = utcnow()
    with runtime(app).uow() as uow:
        populate_segments(uow, now)  # type: ignore[arg-type]
        campaign_id = draft(uow, snapshot(uow, now=now), now=now)  # type: ignore[arg-type]
        services.campaigns.submit(uow, HEAD_OFFICE, campaign_id, now,  # type: ignore[arg-type]
                                  services.campaigns.ContactPolicy())
        services.add_staff(uow, "admin", "总行起草人", hash_password(PASSWORD),
                           StaffRole.HEAD_OFFICE, None, None, "test", now)
        staff_for_tasks(uow, hash_password(PASSWORD), now)  # type: ignore[arg-type]
        uow.commit()
    with live_server(app) as base:
        drafter, drafter_errors = open_as(browser, base, "admin", width)
        drafter.goto(f"{base}/console/campaigns/{campaign_id}")
        expect(drafter.locator("#campaign-actions button")).to_have_text(["取消活动"])
        page, errors = open_as(browser, base, "ho", width)
        page.goto(f"{base}/console/campaigns/{campaign_id}")
        buttons = page.locator("#campaign-actions button")
        expect(buttons).to_have_text(["审批通过", "退回修改", "取消活动"])
        assert fits(page, width)
        page.click("#campaign-actions button:has-text(\"审批通过\")")
        expect(page.locator("#campaign-state")).to_have_text("已审批")
        expect(buttons).to_have_text(["开始发送", "暂停", "取消活动"])
        page.click("#campaign-actions button:has-text(\"取消活动\")")
        expect(page.locator("#campaign-state")).to_have_text("已取消")
        expect(buttons).to_have_count(0)
        expect(page.locator("#campaign-actions")).to_contain_text("没有可执行的操作")
        assert fits(page, width)
    assert errors == [] and drafter_errors == []
    drafter.context.close()
    page.context.close()
