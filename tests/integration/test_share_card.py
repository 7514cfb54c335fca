"""The card WeChat shows for a forwarded product page: a JS-SDK config signed with the account's
ticket (fetched through the real client from the sandbox, cached), the page's disclosures and
the visitor's own link."""

import hashlib
import logging
import re
import time
from pathlib import Path

import pytest
from sqlalchemy import select

from bot import texts
from bot.config import Settings
from bot.share_tokens import ShareTokens
from crm_core.model import SharedValue
from crm_core.services import ShareClaim
from tests.conftest import APP_ID, WEB_SECRET, make_settings
from tests.product_support import handed_link, open_link, rows, share_shop
from tests.sandbox_support import GETTICKET, SandboxHandle

BASE = "http://bank.example"
WECHAT = {"User-Agent": "Mozilla/5.0 (iPhone) AppleWebKit/605.1.15 MicroMessenger/8.0.50"}
TTL = 30 * 86400


SANDBOX_CONFIG = {"app_id": APP_ID}  # the account the app is configured for


@pytest.fixture
def settings(database_url: str, tmp_path: Path, sandbox: SandboxHandle) -> Settings:
    return make_settings(database_url, tmp_path, wechat={
        "app_secret": sandbox.app_secret, "api_base_url": sandbox.base_url,
        "connect_timeout": 0.5, "read_timeout": 0.5},
        web={"secret_key": WEB_SECRET, "public_base_url": BASE}, products={"oauth": False})


@pytest.fixture
def shop(app, platform):  # type: ignore[no-untyped-def]
    return share_shop(app, platform)


def page_token(app, platform) -> str:  # type: ignore[no-untyped-def]
    """Open the link the bot handed out, as a friend; return the token their page carries."""
    client = app.test_client()
    page = client.get(client.get(handed_link(app, platform)).headers["Location"])
    found = re.search(r'name="t" value="([^"]+)"', page.text)
    assert page.status_code == 200 and found
    return found.group(1)


def token_for(product: str, clock: float | None = None) -> str:
    tokens = ShareTokens(WEB_SECRET, TTL, clock=lambda: clock or time.time())
    return tokens.issue(ShareClaim("c1", product, None, True))


def share_config(app, code: str, token: str, url: str | None = None):  # type: ignore[no-untyped-def]
    url = f"{BASE}/p/{code}?t={token}" if url is None else url
    return app.test_client().get(f"/p/{code}/share-config", query_string={"t": token, "url": url})


def test_a_wealth_page_gets_a_signed_config_and_a_card_with_the_disclosure(
        shop, platform, sandbox) -> None:
    token = page_token(shop, platform)
    url = f"{BASE}/p/WM001?t={token}&from=singlemessage"  # WeChat adds `from` to forwarded links
    answer = share_config(shop, "WM001", token, url)
    assert answer.status_code == 200 and answer.headers["Cache-Control"] == "no-store"
    config = answer.get_json()
    [ticket] = sandbox.tickets()
    signed = (f"jsapi_ticket={ticket}&noncestr={config['nonceStr']}"
              f"&timestamp={config['timestamp']}&url={url}")
    assert config["signature"] == hashlib.sha1(signed.encode()).hexdigest()  # noqa: S324
    assert config["appId"] == APP_ID and abs(config["timestamp"] - time.time()) < 60
    assert config["jsApiList"] == ["updateAppMessageShareData", "updateTimelineShareData"]
    assert config["share"]["title"] == "稳盈90天理财"
    assert config["share"]["desc"].startswith(texts.RISK_DISCLOSURE)
    assert config["share"]["link"] == config["timeline"]["link"] == f"{BASE}/p/WM001?t={token}"
    assert texts.RISK_DISCLOSURE in config["timeline"]["title"]


def test_the_ticket_is_fetched_once_for_many_pages(shop, platform, sandbox) -> None:
    token = page_token(shop, platform)
    first, second = share_config(shop, "WM001", token), share_config(shop, "WM001", token)
    assert first.status_code == second.status_code == 200
    assert first.get_json()["nonceStr"] != second.get_json()["nonceStr"]
    assert sandbox.count(GETTICKET) == 1
    assert sandbox.requests(GETTICKET)[0]["query"]["type"] == "jsapi"
    stored = dict(rows(shop, select(SharedValue.key, SharedValue.value)))  # shared by workers
    assert stored[f"wechat:jsapi_ticket:{APP_ID}"] == sandbox.tickets()[0]
    assert stored[f"wechat:access_token:{APP_ID}"] != sandbox.tickets()[0]


def test_a_rejected_access_token_is_replaced_before_the_ticket_is_fetched(shop, sandbox) -> None:
    sandbox.inject({"path": GETTICKET, "errcode": 40001})
    assert share_config(shop, "WM001", token_for("WM001")).status_code == 200
    assert [r["status"] for r in sandbox.requests(GETTICKET)] == [200, 200]
    assert len(sandbox.tickets()) == 1


def test_a_deposit_card_carries_no_risk_disclosure(shop) -> None:
    config = share_config(shop, "DP002", token_for("DP002")).get_json()
    assert texts.RISK_DISCLOSURE not in config["share"]["desc"]
    assert config["timeline"]["title"] == config["share"]["title"] == "一年期整存整取定期存款"


@pytest.mark.parametrize(("code", "token", "status"), [
    ("WM001", token_for("WM001")[:-2] + "xx", 404),  # forged
    ("WM001", token_for("WM001", clock=time.time() - 2 * TTL), 410),  # expired
    ("DP002", token_for("WM001"), 404),  # another product's token
    ("WM005", token_for("WM005"), 404),  # a private placement is never shared
])
def test_a_bad_token_or_unshareable_product_gets_no_config(shop, sandbox, code, token,
                                                           status) -> None:
    answer = share_config(shop, code, token)
    assert answer.status_code == status and answer.headers["Cache-Control"] == "no-store"
    assert sandbox.count(GETTICKET) == 0


@pytest.mark.parametrize("url", [
    "https://evil.example/p/WM001?t=x", f"{BASE}.evil.example/p/WM001", f"{BASE}/p/WM0011",
    f"{BASE}/p/DP002?t=x", f"{BASE}/p/WM001?t=x#top", f"{BASE}/s/abc", "", f"{BASE}/p/WM001/x",
])
def test_only_the_products_own_page_address_is_signed(shop, sandbox, url) -> None:
    answer = share_config(shop, "WM001", token_for("WM001"), url)
    assert answer.status_code == 400 and answer.headers["Cache-Control"] == "no-store"
    assert sandbox.count(GETTICKET) == 0


@pytest.mark.parametrize("fault", [{"errcode": -1}, {"errcode": 40014, "times": 5},
                                   {"http_status": 502}, {"delay_seconds": 1.0}])
def test_the_platform_failing_answers_503_and_the_page_still_shows(shop, platform, sandbox,
                                                                   caplog, fault) -> None:
    token = page_token(shop, platform)
    sandbox.inject({"path": GETTICKET, **fault})
    with caplog.at_level(logging.WARNING, logger="bot.web.share_card"):
        answer = share_config(shop, "WM001", token)
    assert answer.status_code == 503 and answer.headers["Cache-Control"] == "no-store"
    assert answer.is_json
    assert caplog.records and token not in caplog.text and "c1" not in caplog.text
    page = open_link(shop.test_client(), f"/p/WM001?t={token}", **WECHAT)
    assert page.status_code == 200 and texts.RISK_DISCLOSURE in page.text


def test_only_wechats_browser_gets_the_share_script(shop, platform) -> None:
    token = page_token(shop, platform)
    inside = open_link(shop.test_client(), f"/p/WM001?t={token}", **WECHAT).text
    outside = open_link(shop.test_client(), f"/p/WM001?t={token}").text
    assert '<script src="https://res.wx.qq.com/open/js/jweixin-1.6.0.js"></script>' in inside
    assert "/p/WM001/share-config?t=" in inside
    assert "jweixin" not in outside and "share-config" not in outside
