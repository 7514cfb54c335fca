"""Share links: opens by distinct visitors, chains, follows and leads credited to the sharer."""

import json
import re
from urllib.parse import urlsplit

import pytest
from click.testing import CliRunner
from sqlalchemy import select

from bot.cli.base import Cli
from bot.cli.products import products
from bot.share_tokens import ShareTokens
from crm_core import services
from crm_core.model import Lead, Notice, NoticeKind, ShareLink, utcnow
from tests.builders import subscribe_xml
from tests.conftest import WEB_SECRET, runtime
from tests.product_support import board, handed_link, open_link, post, rows, share_shop

RISK = "理财非存款、产品有风险、投资须谨慎"


@pytest.fixture
def shop(app, platform):  # type: ignore[no-untyped-def]
    return share_shop(app, platform)


def test_the_sharer_opening_their_own_link_is_not_counted(shop, platform) -> None:
    sharer = shop.test_client()
    opened = sharer.get(handed_link(shop, platform))
    assert opened.status_code == 302 and "/p/WM001?t=" in opened.headers["Location"]
    page = sharer.get(opened.headers["Location"])
    assert page.status_code == 200 and RISK in page.text
    assert board(shop)["customers"] == []


def test_repeated_opens_by_one_visitor_count_once(shop, platform) -> None:
    link = handed_link(shop, platform)
    open_link(shop.test_client(), link)  # the sharer's own first open
    friend, other = shop.test_client(), shop.test_client()
    for _ in range(3):
        assert open_link(friend, link).status_code == 200
    open_link(other, link)
    managers = board(shop)["managers"]
    assert managers == [{"manager": "SH001-01", "name": "经理SH001-01", "opens": 2,
                         "follows": 0, "leads": 0}]
    assert board(shop)["customers"][0]["opens"] == 2


def test_the_chain_of_shares_is_kept_and_credits_the_first_sharer(shop, platform) -> None:
    link = handed_link(shop, platform)
    open_link(shop.test_client(), link)
    friend = shop.test_client()
    open_link(friend, link)
    forwarded = friend.get(link).headers["Location"]  # the friend's own page, with their token
    stranger = shop.test_client()
    page = open_link(stranger, forwarded)
    assert page.status_code == 200 and "history.replaceState" in page.text
    links = rows(shop, select(ShareLink.sharer, ShareLink.parent_id, ShareLink.root_customer_id))
    root = next(r for r in links if r[0].startswith("c"))
    child = next(r for r in links if r[0].startswith("v"))
    assert child[1] is not None and child[2] == root[2]
    assert board(shop)["customers"][0]["opens"] == 2  # the friend and the stranger


def test_the_manager_gets_one_batched_notice_with_the_current_count(shop, platform) -> None:
    link = handed_link(shop, platform)
    for _ in range(4):  # the sharer's own open first, then three friends
        open_link(shop.test_client(), link)
    notices = rows(shop, select(Notice.payload, Notice.next_attempt_at)
                   .where(Notice.kind == NoticeKind.SHARE_OPENS))
    assert len(notices) == 1
    payload, due = notices[0]
    assert payload["opens"] == 3 and payload["product"] == "稳盈90天理财"
    assert due > utcnow()  # sent at the end of the batch window


def test_a_visitor_who_follows_is_credited_and_linked_to_the_sharers_manager(shop,
                                                                           platform) -> None:
    link = handed_link(shop, platform)
    open_link(shop.test_client(), link)
    open_link(shop.test_client(), link)
    with runtime(shop).uow() as uow:
        key = uow.shares.by_key(services.share_key("c1", "WM001", None))
        scene = services.share_scene(uow, key.key if key else "")
    assert scene is not None and scene.startswith("m:SH001-01;c:S-")
    post(shop.test_client(), platform, subscribe_xml("o-newcomer", scene))
    with runtime(shop).uow() as uow:
        assert services.my_manager(uow, "o-newcomer").code == "SH001-01"  # type: ignore[union-attr]
    assert board(shop)["customers"][0]["follows"] == 1


@pytest.mark.parametrize(("path", "status"), [("/s/forged.token", 404), ("/s/", 404),
                                              ("/p/WM001?t=bad", 404), ("/p/WM001", 404)])
def test_forged_or_missing_tokens_are_refused(shop, path: str, status: int) -> None:
    assert shop.test_client().get(path).status_code == status


def test_a_tampered_or_expired_token_is_refused(shop, platform) -> None:
    link = handed_link(shop, platform)
    assert shop.test_client().get(link[:-3] + "xyz").status_code == 404
    old = ShareTokens(WEB_SECRET, 60, clock=lambda: 1_000.0).issue(services.ShareClaim(
        "c1", "WM001"))
    assert shop.test_client().get(f"/s/{old}").status_code == 410
    other = ShareTokens(WEB_SECRET, 60).issue(services.ShareClaim("c1", "DP001"))
    assert shop.test_client().get(f"/p/WM001?t={other}").status_code == 404


def test_private_placements_are_never_shareable(shop) -> None:
    token = ShareTokens(WEB_SECRET, 60).issue(services.ShareClaim("mSH001-01", "WM005"))
    assert open_link(shop.test_client(), f"/s/{token}").status_code == 404
    result = invoke(shop, "link", "WM005", "--manager", "SH001-01")
    assert result.exit_code == 1 and "cannot be shared" in result.output


def test_the_contact_button_opens_a_lead_for_a_known_visitor_only(shop, platform) -> None:
    link = handed_link(shop, platform)
    sharer, friend = shop.test_client(), shop.test_client()
    for client, expected in ((sharer, "会尽快与您联系"), (friend, "interest.png?t=")):
        page = client.get(client.get(link).headers["Location"])
        csrf = re.search(r'name="csrf_token" value="([^"]+)"', page.text).group(1)  # type: ignore[union-attr]
        token = re.search(r'name="t" value="([^"]+)"', page.text).group(1)  # type: ignore[union-attr]
        done = client.post("/p/WM001/contact", data={"csrf_token": csrf, "t": token})
        assert done.status_code == 200 and expected in done.text
    assert rows(shop, select(Lead.product_code, Lead.source)) == [("WM001", "product_interest")]
    assert shop.test_client().post("/p/WM001/contact", data={"t": token}).status_code == 400


def test_the_leaderboard_is_available_as_json_from_the_cli(shop, platform) -> None:
    link = handed_link(shop, platform)
    open_link(shop.test_client(), link)
    open_link(shop.test_client(), link)
    result = invoke(shop, "leaderboard", "--json")
    assert result.exit_code == 0, result.output
    data = json.loads(result.output)
    assert data["managers"][0]["manager"] == "SH001-01" and data["managers"][0]["opens"] == 1
    assert data["customers"][0]["customer"].startswith("客户…")


def test_a_manager_link_credits_the_manager(shop) -> None:
    result = invoke(shop, "link", "WM001", "--manager", "SH001-01")
    assert result.exit_code == 0, result.output
    open_link(shop.test_client(), urlsplit(result.output.strip()).path)
    assert board(shop)["managers"][0]["opens"] == 1 and board(shop)["customers"] == []


def invoke(app, *args: str):  # type: ignore[no-untyped-def]
    """Run a `branchlink products` command on the app's own runtime (no second engine)."""
    cli = Cli(None)
    cli.__dict__["runtime"] = runtime(app)
    cli.__dict__["settings"] = runtime(app).settings
    return CliRunner().invoke(products, list(args), obj=cli)
