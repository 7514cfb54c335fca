"""Web authorisation in headless Chromium posing as WeChat's browser, through the sandbox."""

from urllib.parse import urlsplit

import pytest
from playwright.sync_api import Browser
from sqlalchemy import select

from bot import texts
from crm_core.model import ShareEvent
from tests.builders import org, subscribe_xml, text_xml
from tests.conftest import runtime
from tests.product_support import import_sample, post, reply_of
from tests.sandbox_support import SandboxHandle

WECHAT_UA = ("Mozilla/5.0 (iPhone; CPU iPhone OS 17_0 like Mac OS X) AppleWebKit/605.1.15 "
             "(KHTML, like Gecko) Mobile/15E148 MicroMessenger/8.0.50(0x1800323c) NetType/WIFI")

pytestmark = pytest.mark.slow


def test_a_wechat_browser_is_authorised_silently_and_lands_as_the_friend(
        served, platform, browser: Browser, sandbox: SandboxHandle) -> None:
    app, base = served
    sandbox.reset()
    with runtime(app).uow() as uow:
        org(uow, {"SH001": ["SH001-01"], "SH002": ["SH002-01"]})
        import_sample(uow)
        uow.commit()
    post(app.test_client(), platform, subscribe_xml("o-phone", "m:SH001-01"))
    card = reply_of(platform, post(app.test_client(), platform, text_xml("o-phone", "详情 DP001")))
    sandbox.oauth_user("o-friend-not-following")
    context = browser.new_context(user_agent=WECHAT_UA, is_mobile=True, locale="zh-CN")
    page = context.new_page()
    page.goto(base + urlsplit(card["Url"]).path)
    assert urlsplit(page.url).path == "/p/DP001"
    assert page.get_by_text(texts.FOLLOW_PROMPT).is_visible()  # not taken for the owner
    context.close()
    assert sandbox.count("/sns/oauth2/access_token") == 1
    with runtime(app).engine.connect() as connection:
        events = connection.execute(select(ShareEvent.kind, ShareEvent.customer_id)).all()
    assert [tuple(e) for e in events] == [("open", None)]
