"""Malformed share tokens, visitor cookies and web authorisation states, sent to the served app
over real HTTP: each is refused like a forged one (a Chinese page, or the cookie ignored),
never answered with 500."""

import pytest
import requests

from bot import texts
from bot.web.visitors import CALLBACK, COOKIE, STATE_COOKIE
from tests.product_support import SHARER, handed_link, share_shop

WECHAT_UA = "Mozilla/5.0 (iPhone) Mobile/15E148 MicroMessenger/8.0.50 NetType/WIFI"


@pytest.fixture
def shop(served, platform):  # type: ignore[no-untyped-def]
    app, base = served
    share_shop(app, platform)
    return app, base


def malformed(token: str) -> list[str]:
    """Variants of a genuine token: non-ASCII signatures, bad base64, wrong lengths."""
    payload, _, signature = token.partition(".")
    return [f"{payload}.{signature[:-1]}é", f"{payload}.{'签' * len(signature)}",
            f"{payload}é.{signature}", f"@@@!!!.{signature}", f"{payload}.{signature}A",
            f"{payload}.{signature[:-3]}", f"{payload}.", "é.é", "é"]


def get(base: str, path: str, **kwargs) -> requests.Response:  # type: ignore[no-untyped-def]
    return requests.get(base + path, allow_redirects=False, timeout=5, **kwargs)


def refused_in_chinese(response: requests.Response, status: int = 404) -> bool:
    return (response.status_code == status and texts.PAGE_ERROR_TITLE in response.text
            and texts.PAGE_ERRORS[status] in response.text)


def test_a_malformed_share_token_gets_the_chinese_refusal_on_every_route(shop,
                                                                         platform) -> None:
    app, base = shop
    token = handed_link(app, platform).removeprefix("/s/")
    assert get(base, f"/s/{token}").status_code == 302  # the genuine one works
    for bad in malformed(token):
        for path in (f"/s/{bad}", f"/p/WM001?t={bad}"):
            assert refused_in_chinese(get(base, path)), path
        for path in (f"/p/WM001/follow.png?t={bad}", f"/p/WM001/interest.png?t={bad}",
                     f"/p/WM001/share-config?t={bad}&url={base}/p/WM001"):
            assert get(base, path).status_code == 404, path


def test_a_visitor_cookie_with_a_malformed_signature_is_ignored(shop, platform) -> None:
    app, base = shop
    link = handed_link(app, platform)
    genuine = get(base, link).cookies[COOKIE]
    value, _, signature = genuine.rpartition(".")
    for cookie in (f"{value}.{signature[:-1]}é", f"{value}.签名", f"é.{signature}", "é"):
        header = f"{COOKIE}={cookie}".encode()
        for path in (link, f"/p/WM001?t={link.removeprefix('/s/')}"):
            answer = get(base, path, headers={"Cookie": header})
            assert answer.status_code in (200, 302), (path, cookie)
            assert answer.cookies[COOKIE] not in (cookie, genuine)  # a new visitor


def test_a_malformed_web_authorisation_state_or_cookie_falls_back(shop, platform) -> None:
    app, base = shop
    link = handed_link(app, platform)
    started = get(base, link, headers={"User-Agent": WECHAT_UA})
    assert started.status_code == 302 and STATE_COOKIE in started.cookies
    genuine = started.cookies[STATE_COOKIE]
    for state, cookie in (("é.é", genuine), ("abc.签名", genuine),
                          ("abc.def", f"{genuine[:-1]}é"), ("é", "é.é")):
        header = f"{STATE_COOKIE}={cookie}".encode()
        back = get(base, f"{CALLBACK}?code=x&state={state}&next={link}",
                   headers={"Cookie": header, "User-Agent": WECHAT_UA})
        assert back.status_code == 302 and back.headers["Location"] == f"{link}?o=1", state
    stray = get(base, f"{CALLBACK}?code=x&state=é&next=/elsewhere")
    assert refused_in_chinese(stray)
    assert SHARER not in stray.text
