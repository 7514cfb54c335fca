"""Web authorisation in headless Chromium posing as WeChat's browser, through the sandbox."""

import threading
from collections.abc import Iterator
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import pytest
from playwright.sync_api import Browser
from sqlalchemy import select
from werkzeug.serving import make_server

from bot import create_app, texts
from crm_core.model import ShareEvent
from tests.builders import org, subscribe_xml, text_xml
from tests.conftest import make_settings, runtime
from tests.product_support import import_sample, post, reply_of
from tests.sandbox_support import SandboxHandle

WECHAT_UA = ("Mozilla/5.0 (iPhone; CPU iPhone OS 17_0 like Mac OS X) AppleWebKit/605.1.15 "
             "(KHTML, like Gecko) Mobile/15E148 MicroMessenger/8.0.50(0x1800323c) NetType/WIFI")

pytestmark = pytest.mark.slow


@pytest.fixture
def served(database_url: str, tmp_path: Path, sandbox: SandboxHandle) -> Iterator[Any]:
    """The app on a loopback port that is also its public_base_url (the redirect_uri's host)."""
    holder: dict[str, Any] = {}
    server = make_server("127.0.0.1", 0, lambda env, start: holder["app"](env, start),
                         threaded=True)
    base = f"http://127.0.0.1:{server.port}"
    holder["app"] = create_app(make_settings(
        database_url, tmp_path, web={"public_base_url": base}, wechat={
            "app_secret": sandbox.app_secret, "api_base_url": sandbox.base_url,
            "oauth_base_url": sandbox.base_url}))
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield holder["app"], base
    finally:
        server.shutdown()
        thread.join()
        runtime(holder["app"]).engine.dispose()


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
