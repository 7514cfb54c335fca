"""Organisations, their chain and referrals in headless Chromium, on a phone and a laptop:
the chain is drawn, the pages fit the screen, nothing is blocked by the security policy."""

from collections.abc import Iterator
from datetime import timedelta

import pytest
from flask import Flask
from playwright.sync_api import Browser

from crm_core.model import ManagerRole, utcnow
from crm_core.services import collaboration
from crm_core.services.organisations import import_relationships, make_chain_leads
from tests.conftest import runtime
from tests.console_support import live_server
from tests.e2e.conftest import blocked, fits, open_as
from tests.integration.test_chain_leads import RELATIONSHIPS
from tests.integration.test_console_referrals import staffed  # noqa: F401
from tests.organisation_support import T0, rows

pytestmark = pytest.mark.slow
SHOTS = "/tmp/shots-collaboration"  # noqa: S108 - screenshots to look at, not test data
WIDTHS = [390, 1366]


@pytest.fixture
def site(staffed: Flask) -> Iterator[str]:  # noqa: F811
    with runtime(staffed).uow() as uow:
        import_relationships(uow, rows("\n".join(  # type: ignore[arg-type]
            line for line in RELATIONSHIPS.splitlines() if "NEW" not in line)), "x.csv", T0)
        make_chain_leads(uow, utcnow(), timedelta(hours=2))  # type: ignore[arg-type]
        boss = uow.customers.by_openid("boss-zhang")
        referrer = uow.managers.by_code("SH001-01")
        assert boss is not None and referrer is not None
        collaboration.refer(uow, referrer, collaboration.subject_of(uow, boss.id, None),
                            collaboration.ReferralRequest(ManagerRole.CORPORATE, note="三家店"),
                            collaboration.ReferralPolicy(), utcnow())
        uow.commit()
    with live_server(staffed) as base:
        yield base


@pytest.mark.parametrize("width", WIDTHS)
def test_the_corporate_manager_reads_an_organisations_chain(site: str, browser: Browser,
                                                            width: int) -> None:
    page, errors = open_as(browser, site, "c1", width)
    page.goto(f"{site}/console/organisations/LOG01")
    page.wait_for_selector("#chain svg, #chain canvas", state="attached", timeout=5000)
    drawn = page.eval_on_selector("#chain", "div => div.getBoundingClientRect().width")
    assert drawn > 300
    assert "李氏干货" in page.inner_text("#organisation-chain")
    page.screenshot(path=f"{SHOTS}/organisation-{width}.png", full_page=True)
    assert fits(page, width) and blocked(page) == [] and errors == []
    page.goto(f"{site}/console/organisations")
    assert "尚未在我行开户" in page.inner_text("#chain-leads")
    page.screenshot(path=f"{SHOTS}/organisations-{width}.png", full_page=True)
    assert fits(page, width) and errors == []
    page.context.close()


@pytest.mark.parametrize("width", WIDTHS)
def test_the_receiver_accepts_a_referral_from_the_home_page(site: str, browser: Browser,
                                                            width: int) -> None:
    page, errors = open_as(browser, site, "c1", width)
    page.locator("#referrals-waiting a").first.click()
    page.wait_for_url(f"{site}/console/referrals/1")
    page.screenshot(path=f"{SHOTS}/referral-{width}.png", full_page=True)
    assert fits(page, width) and errors == []
    page.select_option("#referral-status", "accepted")
    page.click("#referral-steps button[type=submit]")
    page.wait_for_url(f"{site}/console/referrals/1")
    assert "已接收" in page.inner_text("#referral-profile") + page.inner_text("h2 + .badge")
    page.goto(f"{site}/console/referrals")
    page.screenshot(path=f"{SHOTS}/referrals-{width}.png", full_page=True)
    assert fits(page, width) and blocked(page) == [] and errors == []
    page.context.close()


@pytest.mark.parametrize("width", WIDTHS)
def test_a_manager_picks_the_receiver_by_name_and_moves_a_chain_lead_on(
        site: str, browser: Browser, width: int) -> None:
    page, errors = open_as(browser, site, "c1", width)
    page.goto(f"{site}/console/organisations/M001")
    page.select_option("#refer-line", "零售")
    page.click("#refer-receiver-ts-control")
    page.fill("#refer-receiver-ts-control", "SH001-02")
    page.locator(".ts-dropdown .option", has_text="SH001-02").first.click()
    page.click("#refer button[type=submit]")
    page.wait_for_selector(".alert", timeout=5000)
    assert "已提交转介" in page.inner_text("body") and "经理SH001-02" in page.inner_text("body")
    page.goto(f"{site}/console/organisations")
    row = page.locator("[data-chain-step]").first
    row.locator("select").select_option("contacted")
    row.locator("button").click()
    page.wait_for_selector(".alert", timeout=5000)
    assert "已更新为“已联系”" in page.inner_text("body")
    assert fits(page, width) and blocked(page) == [] and errors == []
    page.context.close()
