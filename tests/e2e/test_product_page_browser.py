"""The product page in real headless Chromium at a phone viewport."""

from datetime import date
from urllib.parse import urlsplit

import pytest
from playwright.sync_api import Browser
from sqlalchemy import select

from crm_core import services
from crm_core.model import Lead, Notice, NoticeKind, utcnow
from tests.builders import org, subscribe_xml, text_xml
from tests.conftest import runtime
from tests.console_support import live_server
from tests.product_support import import_sample, post, reply_of

PHONE = {"width": 390, "height": 844}


pytestmark = pytest.mark.slow


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
    page = context.new_page()
    with live_server(app) as base:
        page.goto(base + link)
        assert "/p/WM003" in page.url
        disclosure = page.locator("[data-disclosure]").first
        assert disclosure.is_visible()
        assert disclosure.inner_text() == "理财非存款、产品有风险、投资须谨慎"
        box = disclosure.bounding_box()
        assert box is not None and box["y"] + box["height"] <= PHONE["height"]  # first screen
        assert page.get_by_text("过往业绩不代表其未来表现", exact=True).is_visible()
        page.click("#contact")
        page.wait_for_selector("#result")
        assert "会尽快与您联系" in page.inner_text("#result")
    context.close()
    with runtime(app).engine.connect() as connection:
        leads = connection.execute(select(Lead.product_code, Lead.source)).all()
        kinds = connection.scalars(select(Notice.kind)).all()
    assert [tuple(row) for row in leads] == [("WM003", "product_interest")]
    assert NoticeKind.NEW_LEAD in kinds
