"""The forwarded card in headless Chromium posing as WeChat's browser: the page's script asks
for the signed config and hands the share data to the JS-SDK (a stub standing in for
jweixin, which cannot load offline); without the JS-SDK the page still works."""


import pytest
from playwright.sync_api import Browser, Page, Route

from bot import texts
from tests.e2e.conftest import blocked, watched_page
from tests.product_support import handed_link, open_link, share_shop
from tests.sandbox_support import GETTICKET, SandboxHandle

WECHAT_UA = ("Mozilla/5.0 (iPhone; CPU iPhone OS 17_0 like Mac OS X) AppleWebKit/605.1.15 "
             "(KHTML, like Gecko) Mobile/15E148 MicroMessenger/8.0.50(0x1800323c) NetType/WIFI")
JWEIXIN = "https://res.wx.qq.com/open/js/jweixin-1.6.0.js"
# Records what the page asks of the JS-SDK; `ready` fires at once, as after a good config.
STUB = """window.wx = {calls: [],
  config: function (c) { this.calls.push(["config", c]); },
  ready: function (f) { f(); }, error: function () {},
  updateAppMessageShareData: function (d) { this.calls.push(["friend", d]); },
  updateTimelineShareData: function (d) { this.calls.push(["timeline", d]); }};"""

pytestmark = pytest.mark.slow
OAUTH = False  # the page is opened directly: no web authorisation round trip


def wealth_link(app, platform) -> str:  # type: ignore[no-untyped-def]
    """The WM001 link the bot hands a customer, opened by them first (the browser is a friend's)."""
    link = handed_link(share_shop(app, platform), platform)
    open_link(app.test_client(), link)
    return link


def open_in_wechat(browser: Browser, url: str, jweixin: str | None) -> tuple[Page, list[str]]:
    """Open a page as WeChat's browser, jweixin served by `jweixin` (None: it fails to load);
    the list collects console errors and uncaught exceptions."""
    context = browser.new_context(user_agent=WECHAT_UA, is_mobile=True, locale="zh-CN")
    page, errors = watched_page(context)

    def serve(route: Route) -> None:
        if jweixin is None:
            route.abort()
        else:
            route.fulfill(body=jweixin, content_type="application/javascript")

    page.route(JWEIXIN, serve)
    page.goto(url)
    return page, errors


def test_a_friend_in_wechat_forwards_a_card_with_the_disclosure_and_their_own_link(
        served, platform, browser: Browser, sandbox: SandboxHandle) -> None:
    app, base = served
    sandbox.reset()
    page, errors = open_in_wechat(browser, base + wealth_link(app, platform), STUB)
    # A function, not a bare expression: the page's policy forbids evaluating strings.
    page.wait_for_function("() => window.wx.calls.length >= 3")
    calls = dict(page.evaluate("window.wx.calls"))
    own_page = page.url  # the friend's own token, put in the address bar
    violations = blocked(page)
    page.context.close()
    assert set(calls["config"]) >= {"appId", "timestamp", "nonceStr", "signature"}
    assert calls["config"]["jsApiList"] == ["updateAppMessageShareData",
                                            "updateTimelineShareData"]
    assert calls["friend"]["desc"].startswith(texts.RISK_DISCLOSURE)
    assert calls["friend"]["link"] == calls["timeline"]["link"] == own_page
    assert texts.RISK_DISCLOSURE in calls["timeline"]["title"]
    assert errors == [] and violations == [] and sandbox.count(GETTICKET) == 1


def test_without_the_js_sdk_the_page_works_as_before(served, platform, browser: Browser,
                                                      sandbox: SandboxHandle) -> None:
    app, base = served
    sandbox.reset()
    page, errors = open_in_wechat(browser, base + wealth_link(app, platform), None)
    assert page.locator("[data-disclosure]").first.inner_text() == texts.RISK_DISCLOSURE
    assert page.locator("#contact").is_visible()
    violations = blocked(page)
    page.context.close()
    # The only console error is the JS-SDK that could not load; the policy blocked nothing.
    assert all(error.startswith("Failed to load resource") for error in errors)
    assert violations == [] and sandbox.count(GETTICKET) == 0
