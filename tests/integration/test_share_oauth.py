"""Share opens inside WeChat: silent web authorisation through the sandbox decides who opened.

The app runs in Flask's test client; every platform step (authorize page, code exchange) is real
HTTP to the loopback sandbox. The case that used to be wrong: the customer forwards the link the
bot gave them before opening it, and the friend was taken for the customer.
"""

import logging
import re
from datetime import timedelta
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

import pytest
import requests
from sqlalchemy import select, update

from bot import create_app
from bot.config import Settings
from crm_core.model import Lead, ShareEvent, utcnow
from crm_core.services import ShareClaim
from tests.builders import org, subscribe_xml
from tests.conftest import APP_ID, make_settings, runtime
from tests.product_support import (
    SHARER,
    board,
    handed_link,
    import_sample,
    open_link,
    post,
    share_shop,
)
from tests.sandbox_support import SandboxHandle

WECHAT = {"User-Agent": "Mozilla/5.0 (iPhone) AppleWebKit/605.1.15 MicroMessenger/8.0.50"}
EXCHANGE = "/sns/oauth2/access_token"
OWNER, FRIEND = SHARER, "o-friend-who-follows"


SANDBOX_CONFIG = {"app_id": APP_ID}  # the account the app is configured for


@pytest.fixture
def settings(database_url: str, tmp_path: Path, sandbox: SandboxHandle) -> Settings:
    return make_settings(database_url, tmp_path, wechat={
        "app_secret": sandbox.app_secret, "api_base_url": sandbox.base_url,
        "oauth_base_url": sandbox.base_url, "connect_timeout": 0.5, "read_timeout": 0.5})


@pytest.fixture
def shop(app, platform):  # type: ignore[no-untyped-def]
    return share_shop(app, platform)


def local(url: str) -> str:
    parts = urlsplit(url)
    return f"{parts.path}?{parts.query}" if parts.query else parts.path


def authorize_location(client, link: str, sandbox: SandboxHandle) -> str:  # type: ignore[no-untyped-def]
    opened = client.get(link, headers=WECHAT)
    assert opened.status_code == 302, opened.text
    location = opened.headers["Location"]
    assert location.startswith(f"{sandbox.base_url}/connect/oauth2/authorize?appid={APP_ID}&")
    assert "scope=snsapi_base" in location and location.endswith("#wechat_redirect")
    return location


def callback_url(http: requests.Session, location: str) -> str:
    """What the sandbox's authorize page sends the browser back to."""
    answer = http.get(location, allow_redirects=False, timeout=5)
    assert answer.status_code == 302, answer.text
    return local(answer.headers["Location"])


def land(client, path: str):  # type: ignore[no-untyped-def]
    """Follow the app's own redirects as a WeChat browser; return the final answer."""
    for _ in range(5):
        answer = client.get(path, headers=WECHAT)
        if answer.status_code != 302:
            return answer
        path = local(answer.headers["Location"])
        assert urlsplit(path).path != "/connect/oauth2/authorize", "sent to authorise again"
    raise AssertionError("redirect loop")


def open_in_wechat(client, link, sandbox, http, openid):  # type: ignore[no-untyped-def]
    sandbox.oauth_user(openid)
    return land(client, callback_url(http, authorize_location(client, link, sandbox)))


def contact(client, page) -> str:  # type: ignore[no-untyped-def]
    csrf = re.search(r'name="csrf_token" value="([^"]+)"', page.text).group(1)  # type: ignore[union-attr]
    token = re.search(r'name="t" value="([^"]+)"', page.text).group(1)  # type: ignore[union-attr]
    done = client.post("/p/WM001/contact", data={"csrf_token": csrf, "t": token}, headers=WECHAT)
    assert done.status_code == 200
    return str(done.text)


def leads(app) -> list[tuple[int, str]]:  # type: ignore[no-untyped-def]
    with runtime(app).engine.connect() as connection:
        return [tuple(r) for r in connection.execute(select(Lead.customer_id, Lead.product_code))]


def opens(app) -> list[tuple[str, int | None]]:  # type: ignore[no-untyped-def]
    with runtime(app).engine.connect() as connection:
        stmt = select(ShareEvent.kind, ShareEvent.customer_id).order_by(ShareEvent.id)
        return [tuple(r) for r in connection.execute(stmt)]


def test_a_link_forwarded_before_its_owner_opened_it_identifies_the_friend(
        shop, platform, sandbox, http) -> None:
    link = handed_link(shop, platform)
    friend = shop.test_client()
    page = open_in_wechat(friend, link, sandbox, http, "o-not-a-follower-of-the-account")
    assert page.status_code == 200 and "/p/WM001" in page.request.path
    assert opens(shop) == [("open", None)]  # counted for the owner's share, not as the owner
    assert "interest.png?t=" in contact(friend, page)  # asked to follow: no lead for the owner
    assert leads(shop) == []
    owner = shop.test_client()
    page = open_in_wechat(owner, link, sandbox, http, OWNER)
    assert opens(shop) == [("open", None), ("self", 1)]
    assert "会尽快与您联系" in contact(owner, page)
    assert leads(shop) == [(1, "WM001")]
    assert sandbox.count(EXCHANGE) == 2


def test_a_friend_who_is_a_customer_is_known_as_themselves(shop, platform, sandbox,
                                                           http) -> None:
    post(shop.test_client(), platform, subscribe_xml(FRIEND, "m:SH002-01"))
    link = handed_link(shop, platform)
    friend = shop.test_client()
    page = open_in_wechat(friend, link, sandbox, http, FRIEND)
    assert opens(shop) == [("open", 2)]
    assert "会尽快与您联系" in contact(friend, page)
    assert leads(shop) == [(2, "WM001")]
    again = friend.get(link, headers=WECHAT)  # verified: no second trip to the platform
    assert again.status_code == 302 and again.headers["Location"].startswith("/p/WM001")


def test_a_browser_outside_wechat_is_never_redirected(shop, platform, sandbox) -> None:
    owner = shop.test_client()
    opened = owner.get(handed_link(shop, platform))
    assert opened.status_code == 302 and opened.headers["Location"].startswith("/p/WM001")
    assert owner.get(opened.headers["Location"]).status_code == 200  # with its new cookie
    assert opens(shop) == [("self", 1)]  # cookie only: the first open is still the owner's
    assert sandbox.count(EXCHANGE) == 0


def test_a_forged_state_is_refused_and_the_open_is_cookie_only(shop, platform, sandbox, http,
                                                                caplog) -> None:
    link = handed_link(shop, platform)
    victim = shop.test_client()
    back = callback_url(http, authorize_location(victim, link, sandbox))
    forged = re.sub(r"state=[^&]+", "state=AAAAAAAAAAAAAAAA.BBBBBBBBBBBBBBBBBBBBBBBB", back)
    with caplog.at_level(logging.INFO, logger="bot.web.visitors"):
        page = land(victim, forged)
    assert page.status_code == 200 and sandbox.count(EXCHANGE) == 0
    ours = "\n".join(r.getMessage() for r in caplog.records if r.name == "bot.web.visitors")
    assert "state refused" in ours and "o-" not in ours  # the servers' access logs aside
    assert opens(shop) == [("self", 1)]  # fell back to the cookie-only guess


def test_a_replayed_callback_gives_another_browser_no_identity(shop, platform, sandbox,
                                                               http) -> None:
    link = handed_link(shop, platform)
    open_link(shop.test_client(), link)  # the owner, outside WeChat
    sandbox.oauth_user(OWNER)
    back = callback_url(http, authorize_location(shop.test_client(), link, sandbox))
    attacker = shop.test_client()  # never started a round trip: no state cookie
    page = land(attacker, back)
    assert page.status_code == 200 and sandbox.count(EXCHANGE) == 0
    assert opens(shop) == [("self", 1), ("open", None)]  # a stranger, not the owner
    assert "interest.png?t=" in contact(attacker, page) and leads(shop) == []


@pytest.mark.parametrize("fault", [{"errcode": 40163}, {"errcode": -1},
                                   {"http_status": 503}, {"delay_seconds": 1.0}])
def test_a_failed_code_exchange_falls_back_without_an_error_or_a_loop(
        shop, platform, sandbox, http, fault) -> None:
    link = handed_link(shop, platform)
    sandbox.inject({"path": EXCHANGE, **fault})
    friend = shop.test_client()
    page = open_in_wechat(friend, link, sandbox, http, "o-not-a-follower-of-the-account")
    assert page.status_code == 200 and "/p/WM001" in page.request.path
    assert opens(shop) == [("self", 1)]  # cookie only, as before
    again = friend.get(link, headers=WECHAT)  # tried today already: straight to the page
    assert again.status_code == 302 and again.headers["Location"].startswith("/p/WM001")


def test_a_refusal_without_a_code_falls_back(shop, platform, sandbox, http) -> None:
    link = handed_link(shop, platform)
    friend = shop.test_client()
    page = open_in_wechat(friend, link, sandbox, http, None)
    assert page.status_code == 200 and sandbox.count(EXCHANGE) == 0
    assert opens(shop) == [("self", 1)]


def test_a_code_used_twice_is_refused_by_the_platform(shop, platform, sandbox, http) -> None:
    link = handed_link(shop, platform)
    client = shop.test_client()
    sandbox.oauth_user(OWNER)
    location = authorize_location(client, link, sandbox)
    back = callback_url(http, location)
    code = parse_qs(urlsplit(back).query)["code"][0]
    land(client, back)
    reuse = http.get(f"{sandbox.base_url}{EXCHANGE}", timeout=5, params={
        "appid": APP_ID, "secret": sandbox.app_secret, "code": code,
        "grant_type": "authorization_code"}).json()
    assert reuse["errcode"] == 40163


@pytest.mark.parametrize("tables", [{"products": {"oauth": False}},
                                    {"wechat": {"app_secret": ""}}])
def test_no_redirect_when_oauth_is_off_or_cannot_work(database_url, tmp_path, sandbox,
                                                      tables) -> None:
    wechat = {"app_secret": sandbox.app_secret, "oauth_base_url": sandbox.base_url,
              **tables.get("wechat", {})}
    app = create_app(make_settings(database_url, tmp_path, wechat=wechat,
                                   products=tables.get("products", {})))
    try:
        with runtime(app).uow() as uow:
            org(uow, {"SH001": ["SH001-01"], "SH002": ["SH002-01"]})
            import_sample(uow)
            uow.commit()
        link = runtime(app).links.share_url(ShareClaim("mSH001-01", "WM001"))
        opened = app.test_client().get(urlsplit(link).path, headers=WECHAT)
        assert opened.status_code == 302 and opened.headers["Location"].startswith("/p/WM001")
    finally:
        runtime(app).engine.dispose()


def test_a_bad_token_is_refused_before_any_redirect(shop, sandbox) -> None:
    assert shop.test_client().get("/s/forged.token", headers=WECHAT).status_code == 404
    assert shop.test_client().get("/oauth/wechat?state=x&code=y").status_code == 404


def manager_of(app, openid: str) -> str | None:  # type: ignore[no-untyped-def]
    with runtime(app).uow() as uow:
        customer = uow.customers.by_openid(openid)
        link = customer.current_link if customer else None
        return link.manager.code if link else None


def test_a_follow_without_a_code_is_credited_to_the_share_the_reader_opened(
        shop, platform, sandbox, http) -> None:
    link = handed_link(shop, platform)
    open_in_wechat(shop.test_client(), link, sandbox, http, "o-reader")
    open_in_wechat(shop.test_client(), link, sandbox, http, "o-old-reader")
    with runtime(shop).engine.begin() as connection:  # o-old-reader opened it 8 days ago
        connection.execute(update(ShareEvent).where(ShareEvent.id == 2).values(
            first_at=utcnow() - timedelta(days=8)))
    for openid in ("o-reader", "o-old-reader", "o-never-opened-anything"):
        post(shop.test_client(), platform, subscribe_xml(openid))  # the account searched
    assert manager_of(shop, "o-reader") == "SH001-01"  # the sharer's manager
    assert manager_of(shop, "o-old-reader") is None  # outside [products] follow_window_days
    assert manager_of(shop, "o-never-opened-anything") is None
    follows = [row for row in opens(shop) if row[0] == "follow"]
    assert len(follows) == 1 and board(shop)["managers"][0]["follows"] == 1
