"""Follow and interest QR codes on product pages, issued through the real registry and sandbox.

A visitor who does not follow the account scans the page's code: the follow is credited to the
share they opened. The contact button's code also asks for a contact: a lead for the product.
"""

import io
import logging
import re
import time
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from PIL import Image
from sqlalchemy import select

from bot import texts
from bot.config import Settings
from bot.share_tokens import ShareTokens
from crm_core import services
from crm_core.model import Customer, Lead, Manager, Notice, NoticeKind, utcnow
from tests.builders import event_xml, subscribe_xml, text_xml
from tests.conftest import APP_ID, WEB_SECRET, make_settings, runtime
from tests.product_support import (
    SHARED,
    board,
    handed_link,
    open_link,
    post,
    reply_of,
    rows,
    share_shop,
)
from tests.sandbox_support import SandboxHandle
from tests.unit.qr.readback import decode_qr

CREATE = "/cgi-bin/qrcode/create"
ACCOUNT = "示例银行"
PRODUCT = SHARED


SANDBOX_CONFIG = {"app_id": APP_ID}  # the account the app is configured for


@pytest.fixture
def settings(database_url: str, tmp_path: Path, sandbox: SandboxHandle) -> Settings:
    return make_settings(database_url, tmp_path, wechat={
        "app_secret": sandbox.app_secret, "api_base_url": sandbox.base_url,
        "connect_timeout": 0.5, "read_timeout": 0.5, "account_name": ACCOUNT})


@pytest.fixture
def shop(app, platform):  # type: ignore[no-untyped-def]
    return share_shop(app, platform)


def opened_link(app, platform) -> str:  # type: ignore[no-untyped-def]
    """The sharer asks the bot, gets a link, and opens it first (so it is known as theirs)."""
    link = handed_link(app, platform)
    open_link(app.test_client(), link)
    return link


def visit(client, link: str):  # type: ignore[no-untyped-def]
    """Open a share link as a browser does; return the product page."""
    return open_link(client, link)


def image_src(html: str, element_id: str) -> str:
    found = re.search(rf'id="{element_id}" src="([^"]+)"', html)
    assert found is not None, f"no #{element_id} image on the page"
    return found.group(1)


def created_scenes(sandbox: SandboxHandle) -> list[str]:
    return [r["json"]["action_info"]["scene"]["scene_str"] for r in sandbox.requests(CREATE)]


def registry_url(app, scene: str) -> str:  # type: ignore[no-untyped-def]
    with runtime(app).uow() as uow:
        return next(str(c["url"]) for c in services.list_codes(uow) if c["scene"] == scene)


def root_key() -> str:
    return services.share_key("c1", "WM001", None)  # the sharer is the first customer


def contact(client, page) -> str:  # type: ignore[no-untyped-def]
    """Press the page's contact button; return the answer page."""
    csrf = re.search(r'name="csrf_token" value="([^"]+)"', page.text)
    token = re.search(r'name="t" value="([^"]+)"', page.text)
    assert csrf and token
    done = client.post("/p/WM001/contact", data={"csrf_token": csrf.group(1),
                                                 "t": token.group(1)})
    assert done.status_code == 200
    return str(done.text)


def test_an_unknown_visitor_gets_a_follow_code_for_the_share_they_opened(shop, platform,
                                                                        sandbox) -> None:
    link = opened_link(shop, platform)
    friend = shop.test_client()
    page = visit(friend, link)
    assert page.status_code == 200 and texts.FOLLOW_PROMPT in page.text
    first = friend.get(image_src(page.text, "follow-code"))
    assert first.status_code == 200 and first.mimetype == "image/png"
    assert re.fullmatch(r"private, max-age=[1-9]\d*", first.headers["Cache-Control"])
    scene = f"m:SH001-01;c:S-{root_key()}"
    assert created_scenes(sandbox) == [scene]
    body = sandbox.requests(CREATE)[0]["json"]
    assert (body["action_name"], body["expire_seconds"]) == ("QR_STR_SCENE", 7 * 86_400)
    assert decode_qr(Image.open(io.BytesIO(first.data))) == [registry_url(shop, scene)]
    again = friend.get(image_src(page.text, "follow-code"))
    assert again.data == first.data and sandbox.count(CREATE) == 1  # reused from the registry


def test_a_customer_we_know_sees_no_follow_code(shop, platform) -> None:
    card = reply_of(platform, post(shop.test_client(), platform, text_xml("o-sharer", PRODUCT)))
    sharer = shop.test_client()
    page = visit(sharer, urlsplit(card["Url"]).path)
    assert page.status_code == 200 and 'id="follow-code"' not in page.text


def test_a_forwarded_page_credits_the_forwarders_share(shop, platform, sandbox) -> None:
    link = opened_link(shop, platform)
    friend = shop.test_client()
    friends_page = visit(friend, link)
    forwarded = friend.get(link).headers["Location"]  # the friend's own page, forwarded
    claim = ShareTokens(WEB_SECRET, 60).verify(forwarded.split("?t=")[1])
    stranger = shop.test_client()
    strangers_page = open_link(stranger, forwarded)
    assert stranger.get(image_src(strangers_page.text, "follow-code")).status_code == 200
    # The friend's own share now exists; their own follow still goes to the share they opened.
    assert friend.get(image_src(friends_page.text, "follow-code")).status_code == 200
    friends_share = services.share_key(claim.sharer, "WM001", claim.parent)
    assert claim.parent == root_key() and created_scenes(sandbox) == [
        f"m:SH001-01;c:S-{friends_share}", f"m:SH001-01;c:S-{root_key()}"]


def test_forged_tampered_expired_or_mismatched_tokens_get_no_code(shop, platform,
                                                                  sandbox) -> None:
    link = opened_link(shop, platform)
    friend = shop.test_client()
    src = image_src(visit(friend, link).text, "follow-code")
    old = ShareTokens(WEB_SECRET, 60, clock=lambda: 1_000.0).issue(services.ShareClaim(
        "c1", "WM001"))
    other = ShareTokens(WEB_SECRET, 60).issue(services.ShareClaim("c1", "DP001"))
    for path, status in ((src[:-3] + "xyz", 404), ("/p/WM001/follow.png?t=forged.token", 404),
                         ("/p/WM001/follow.png", 404), (f"/p/WM001/follow.png?t={old}", 410),
                         (f"/p/WM001/follow.png?t={other}", 404),
                         (f"/p/WM001/interest.png?t={other}", 404),
                         (f"/p/WM001/interest.png?t={old}", 410)):
        assert friend.get(path).status_code == status, path
    assert sandbox.count(CREATE) == 0


@pytest.mark.parametrize(("fault", "pauses"), [({"http_status": 503}, True),
                                               ({"errcode": -1}, True),
                                               ({"errcode": 40013}, False),
                                               ({"delay_seconds": 1.0}, True)],
                         ids=["http-503", "busy", "refused", "timeout"])
def test_the_platform_failing_gives_503_no_store_and_the_page_still_works(
        shop, platform, sandbox, caplog, fault, pauses) -> None:
    link = opened_link(shop, platform)
    sandbox.inject({"path": CREATE, **fault})
    friend = shop.test_client()
    page = visit(friend, link)
    assert page.status_code == 200 and texts.follow_search(ACCOUNT) in page.text
    assert f'alt="{texts.FOLLOW_CODE_ALT}"' in page.text
    with caplog.at_level(logging.WARNING, logger="bot.web.product_pages"):
        failed = friend.get(image_src(page.text, "follow-code"))
    assert failed.status_code == 503 and failed.headers["Cache-Control"] == "no-store"
    assert "503" in caplog.text and "o-sharer" not in caplog.text
    calls, breaker = sandbox.count(CREATE), runtime(shop).breaker
    if pauses:  # an outage: the next views are refused at once, without a platform call
        again = friend.get(image_src(page.text, "follow-code"))
        assert again.status_code == 503 and sandbox.count(CREATE) == calls
        later = time.monotonic() + breaker.pause_seconds + 1
        breaker.clock = lambda: later
    assert friend.get(image_src(page.text, "follow-code")).status_code == 200  # next time


def test_a_share_without_a_manager_or_unknown_gives_no_code(shop, sandbox) -> None:
    with runtime(shop).uow() as uow:
        services.follow(uow, "o-lonely", None, utcnow(), None)  # no code, no default branch
        lonely = uow.customers.by_openid("o-lonely")
        uow.commit()
    tokens = ShareTokens(WEB_SECRET, 3600)
    no_manager = tokens.issue(services.ShareClaim(f"c{lonely.id}", "WM001"))  # type: ignore[union-attr]
    visitor = shop.test_client()
    page = visit(visitor, f"/s/{no_manager}")
    failed = visitor.get(image_src(page.text, "follow-code"))
    assert failed.status_code == 503 and failed.headers["Cache-Control"] == "no-store"
    never_opened = tokens.issue(services.ShareClaim("mSH001-01", "WM001"))
    missing = shop.test_client().get(f"/p/WM001/follow.png?t={never_opened}")
    assert missing.status_code == 404 and missing.headers["Cache-Control"] == "no-store"
    assert sandbox.count(CREATE) == 0


def test_the_contact_button_shows_an_interest_code_and_following_it_opens_one_lead(
        shop, platform, sandbox) -> None:
    link = opened_link(shop, platform)
    friend = shop.test_client()
    answer = contact(friend, visit(friend, link))
    assert texts.INTEREST_PROMPT.format(product=PRODUCT) in answer
    code = friend.get(image_src(answer, "interest-code"))
    scene = f"m:SH001-01;c:L-{root_key()}"
    assert code.status_code == 200 and created_scenes(sandbox) == [scene]
    assert decode_qr(Image.open(io.BytesIO(code.data))) == [registry_url(shop, scene)]

    reply = reply_of(platform, post(shop.test_client(), platform,
                                    subscribe_xml("o-newcomer", scene)))["Content"]
    assert f"已收到您对「{PRODUCT}」的咨询预约" in reply and "经理SH001-01" in reply
    with runtime(shop).uow() as uow:
        assert services.my_manager(uow, "o-newcomer").code == "SH001-01"  # type: ignore[union-attr]
    assert lead_rows(shop) == [("o-newcomer", "WM001", "product_interest", "SH001-01")]
    assert notices(shop) == [("SH001-01", "WM001")]
    scores = board(shop)["customers"][0]
    assert (scores["follows"], scores["leads"]) == (1, 1)

    again = reply_of(platform, post(shop.test_client(), platform, event_xml(
        "o-newcomer", "SCAN", scene, at=int(time.time()) + 5)))["Content"]
    assert f"您对「{PRODUCT}」的咨询预约已经收到" in again
    assert len(lead_rows(shop)) == 1 and len(notices(shop)) == 1


def test_a_follow_code_credits_the_share_but_opens_no_lead(shop, platform) -> None:
    opened_link(shop, platform)
    with runtime(shop).uow() as uow:
        scene = services.share_scene(uow, root_key())
    assert scene == f"m:SH001-01;c:S-{root_key()}"
    reply = reply_of(platform, post(shop.test_client(), platform,
                                    subscribe_xml("o-newcomer", scene)))["Content"]
    assert "咨询预约" not in reply and "经理SH001-01" in reply
    assert lead_rows(shop) == [] and notices(shop) == []
    assert board(shop)["customers"][0]["follows"] == 1


def test_a_follower_of_another_manager_scanning_an_interest_code_keeps_their_manager(
        shop, platform) -> None:
    opened_link(shop, platform)
    post(shop.test_client(), platform, subscribe_xml("o-other", "m:SH002-01"))
    with runtime(shop).uow() as uow:
        scene = services.share_scene(uow, root_key(), interest=True)
    assert scene is not None
    reply = reply_of(platform, post(shop.test_client(), platform, event_xml(
        "o-other", "SCAN", scene, at=int(time.time()) + 5)))["Content"]
    assert f"已收到您对「{PRODUCT}」的咨询预约" in reply and "经理SH002-01" in reply
    with runtime(shop).uow() as uow:
        assert services.my_manager(uow, "o-other").code == "SH002-01"  # type: ignore[union-attr]
    assert lead_rows(shop) == [("o-other", "WM001", "product_interest", "SH002-01")]
    assert board(shop)["customers"][0]["leads"] == 1


def lead_rows(app) -> list[tuple]:  # type: ignore[no-untyped-def,type-arg]
    return rows(app, select(Customer.openid, Lead.product_code, Lead.source, Manager.code)
                .join(Customer, Lead.customer_id == Customer.id)
                .join(Manager, Lead.manager_id == Manager.id))


def notices(app) -> list[tuple]:  # type: ignore[no-untyped-def,type-arg]
    found = rows(app, select(Manager.code, Notice.payload)
                 .join(Manager, Notice.manager_id == Manager.id)
                 .where(Notice.kind == NoticeKind.NEW_LEAD))
    return [(code, payload["product"]) for code, payload in found]
