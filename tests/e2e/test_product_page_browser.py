"""The product page in real headless Chromium at a phone viewport."""

import io
from datetime import date
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from PIL import Image
from playwright.sync_api import Browser, Page
from sqlalchemy import select

from bot import texts
from bot.config import Settings
from crm_core import services
from crm_core.model import Lead, Notice, NoticeKind, utcnow
from tests.builders import org, subscribe_xml, text_xml
from tests.conftest import make_settings, runtime
from tests.console_support import live_server
from tests.e2e.conftest import blocked, watched_page
from tests.product_support import import_sample, open_link, post, reply_of
from tests.sandbox_support import SandboxHandle
from tests.unit.qr.readback import decode_qr

PHONE = {"width": 390, "height": 844}


pytestmark = pytest.mark.slow


@pytest.fixture
def settings(database_url: str, tmp_path: Path, sandbox: SandboxHandle) -> Settings:
    return make_settings(database_url, tmp_path, wechat={
        "app_secret": sandbox.app_secret, "api_base_url": sandbox.base_url})


def handed_link(app, platform) -> str:  # type: ignore[no-untyped-def]
    with runtime(app).uow() as uow:
        org(uow, {"SH001": ["SH001-01"], "SH002": ["SH002-01"]})
        import_sample(uow)
        uow.commit()
    client = app.test_client()
    post(client, platform, subscribe_xml("o-phone", "m:SH001-01"))
    with runtime(app).uow() as uow:
        services.set_risk_level(uow, "o-phone", 3, date.today(), "test", utcnow())
        uow.commit()
    card = reply_of(platform, post(client, platform, text_xml("o-phone", "详情 WM003")))
    return urlsplit(card["Url"]).path


def test_the_page_shows_the_disclosure_on_a_phone_and_contact_creates_a_lead(
        app, platform, browser: Browser) -> None:
    link = handed_link(app, platform)
    context = browser.new_context(viewport=PHONE, locale="zh-CN", is_mobile=True)
    page, errors = watched_page(context)
    with live_server(app) as base:
        page.goto(base + link)
        assert "/p/WM003" in page.url and blocked(page) == []
        disclosure = page.locator("[data-disclosure]").first
        assert disclosure.is_visible()
        assert disclosure.inner_text() == "理财非存款、产品有风险、投资须谨慎"
        box = disclosure.bounding_box()
        assert box is not None and box["y"] + box["height"] <= PHONE["height"]  # first screen
        assert page.get_by_text("过往业绩不代表其未来表现", exact=True).is_visible()
        page.click("#contact")
        page.wait_for_selector("#result")
        assert "会尽快与您联系" in page.inner_text("#result")
        assert blocked(page) == []
    context.close()
    assert errors == []
    with runtime(app).engine.connect() as connection:
        leads = connection.execute(select(Lead.product_code, Lead.source)).all()
        kinds = connection.scalars(select(Notice.kind)).all()
    assert [tuple(row) for row in leads] == [("WM003", "product_interest")]
    assert NoticeKind.NEW_LEAD in kinds


def test_an_unknown_visitor_sees_the_follow_code_and_contact_shows_the_interest_code(
        app, platform, browser: Browser, sandbox: SandboxHandle) -> None:
    sandbox.reset()
    link = handed_link(app, platform)
    open_link(app.test_client(), link)  # the customer's own first open: the browser is a friend's
    context = browser.new_context(viewport=PHONE, locale="zh-CN", is_mobile=True)
    page, errors = watched_page(context)
    with live_server(app) as base:
        page.goto(base + link)
        assert page.get_by_text(texts.FOLLOW_PROMPT).is_visible()
        follow = read_code(page, "#follow-code")
        assert blocked(page) == []
        page.click("#contact")
        page.wait_for_selector("#result")
        interest = read_code(page, "#interest-code")
        assert blocked(page) == []
    context.close()
    assert errors == []
    with runtime(app).uow() as uow:
        urls = {code["scene"]: code["url"] for code in services.list_codes(uow)}
    key = services.share_key("c1", "WM003", None)
    assert follow == urls[f"m:SH001-01;c:S-{key}"]
    assert interest == urls[f"m:SH001-01;c:L-{key}"]


def read_code(page: Page, selector: str) -> str:
    """Wait for the QR image to load, then decode what the browser painted."""
    image = page.locator(selector)
    image.scroll_into_view_if_needed()
    page.wait_for_function("s => { const i = document.querySelector(s); "
                           "return i.complete && i.naturalWidth > 0; }", arg=selector)
    assert image.evaluate("i => i.naturalWidth") > 0
    painted = Image.open(io.BytesIO(image.screenshot()))
    decoded = decode_qr(painted)
    assert len(decoded) == 1, decoded
    return decoded[0]
