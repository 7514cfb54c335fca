"""Share links and pages opened over real HTTP by clients that keep no cookie, or start afresh
on every visit, with the sandbox as the platform: the share rows, QR codes and `qrcode/create`
calls they cause are bounded, and a normal visitor still gets a follow code."""

import json
import re
from urllib.parse import urljoin, urlsplit

import requests
from sqlalchemy import func, select

from bot import texts
from crm_core.model import QrCode, ShareEvent, ShareLink
from tests.product_support import board, handed_link, rows, share_shop

CREATE = "/cgi-bin/qrcode/create"
PER_ADDRESS = 5
PRODUCTS = {"forwards_per_address_hour": PER_ADDRESS}


def counts(app) -> tuple[int, int, int]:  # type: ignore[no-untyped-def]
    """Share rows, share events and QR code rows."""
    return tuple(rows(app, select(func.count()).select_from(table))[0][0]  # type: ignore[return-value]
                 for table in (ShareLink, ShareEvent, QrCode))


def without_cookies(base: str, path: str) -> requests.Response:
    """Follow the app's redirects as a client that never sends a cookie back."""
    for _ in range(5):
        answer = requests.get(urljoin(base, path), allow_redirects=False, timeout=5)
        if answer.status_code != 302:
            return answer
        path = answer.headers["Location"]
    raise AssertionError("redirect loop")


def follow_code_path(html: str) -> str:
    found = re.search(r'id="follow-code" src="([^"]+)"', html)
    assert found is not None, "no follow code on the page"
    return found.group(1).replace("&amp;", "&")


def own_page(page: requests.Response) -> str:
    """The visitor's own page address: put in the address bar by the page, or where they
    landed (what they forward)."""
    found = re.search(r'history\.replaceState\(null, "", ("[^"]+")\)', page.text)
    landed = urlsplit(page.url)
    return str(json.loads(found.group(1))) if found else f"{landed.path}?{landed.query}"


def is_png(answer: requests.Response) -> bool:
    return answer.status_code == 200 and answer.headers["Content-Type"] == "image/png"


def test_forty_visits_without_cookies_create_nothing_and_a_visitor_still_gets_a_code(
        served, platform, sandbox) -> None:
    app, base = served
    sandbox.reset()
    link = handed_link(share_shop(app, platform), platform)
    requests.get(base + link, timeout=5)  # the customer's own first open
    forwarded = own_page(requests.get(base + link, timeout=5))  # a friend's own page
    before = counts(app)
    for _ in range(40):
        for path in (link, forwarded):
            page = without_cookies(base, path)
            assert page.status_code == 200 and texts.FOLLOW_PROMPT in page.text
            assert "c=1" not in own_page(page)  # forwarded from here, it is a plain link
            assert is_png(without_cookies(base, follow_code_path(page.text)))
    assert counts(app)[:2] == before[:2]  # no share, no open
    assert counts(app)[2] == sandbox.count(CREATE) == 1  # the root share's code, once

    with requests.Session() as visitor:  # a browser: it keeps its cookie
        page = visitor.get(base + forwarded, timeout=5)
        assert page.status_code == 200 and texts.FOLLOW_PROMPT in page.text
        assert is_png(visitor.get(base + follow_code_path(page.text), timeout=5))
    assert counts(app)[0] == before[0] + 1  # the friend's share, first opened by someone
    assert sandbox.count(CREATE) == 2  # and its code


def test_visitors_who_start_afresh_each_time_create_shares_up_to_the_cap_only(
        served, platform, sandbox) -> None:
    app, base = served
    sandbox.reset()
    path = handed_link(share_shop(app, platform), platform)
    requests.get(base + path, timeout=5)  # the customer's own first open
    for _ in range(40):  # each a new browser opening the page the one before forwarded
        with requests.Session() as browser:
            page = browser.get(base + path, timeout=5)
            assert page.status_code == 200
            assert is_png(browser.get(base + follow_code_path(page.text), timeout=5))
        path = own_page(page)
    shares, opens, codes = counts(app)
    assert shares == 1 + PER_ADDRESS and codes == sandbox.count(CREATE) == 1 + PER_ADDRESS
    assert opens == 1 + 40 and board(app)["customers"][0]["opens"] == 40  # all credited
