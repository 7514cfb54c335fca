"""The web authorisation round trip's state, the visitor cookie and the authorize address."""

from urllib.parse import parse_qs, urlsplit

import pytest

from bot.share_tokens import Signer, Visitor, read_visitor, visitor_cookie
from bot.web import oauth_state
from bot.wechat.oauth import MAX_STATE_CHARS, authorize_url

SIGNER = Signer("test-secret-0123456789abcdef0123456789")
NOW = 1_800_000_000


def test_a_state_is_short_and_returns_to_the_path_in_its_own_browsers_cookie() -> None:
    started = oauth_state.start(SIGNER, "/s/abc.def", NOW, 600)
    assert len(started.state) <= MAX_STATE_CHARS
    assert oauth_state.finish(SIGNER, started.state, started.cookie, NOW + 10) == "/s/abc.def"


def test_a_state_from_another_round_trip_or_forged_is_refused() -> None:
    mine, theirs = (oauth_state.start(SIGNER, "/s/x", NOW, 600) for _ in range(2))
    assert oauth_state.finish(SIGNER, theirs.state, mine.cookie, NOW) is None
    assert oauth_state.finish(SIGNER, mine.state, None, NOW) is None
    nonce = mine.state.partition(".")[0]
    assert oauth_state.finish(SIGNER, f"{nonce}.forged", mine.cookie, NOW) is None
    assert oauth_state.finish(SIGNER, "état.é", mine.cookie, NOW) is None
    other = Signer("another-secret-0123456789abcdef0123456")
    assert oauth_state.finish(other, mine.state, mine.cookie, NOW) is None


def test_an_expired_round_trip_is_refused() -> None:
    started = oauth_state.start(SIGNER, "/s/x", NOW, 600)
    assert oauth_state.finish(SIGNER, started.state, started.cookie, NOW + 601) is None


def test_the_visitor_cookie_keeps_verification_and_the_last_attempt() -> None:
    visitor = Visitor("ab12", 7, verified=True, oauth_at=NOW)
    assert read_visitor(SIGNER, visitor_cookie(SIGNER, visitor)) == visitor
    assert read_visitor(SIGNER, visitor_cookie(SIGNER, Visitor("ab12"))) == Visitor("ab12")


def test_a_cookie_from_before_oauth_reads_as_unverified() -> None:
    old = f"ab12.7.{SIGNER.sign('visitor', 'ab12.7')}"
    assert read_visitor(SIGNER, old) == Visitor("ab12", 7, verified=False, oauth_at=0)


def test_the_authorize_address_has_the_platforms_parameters_in_order() -> None:
    url = authorize_url("https://open.weixin.qq.com", "wx0123456789abcdef",
                        "https://bank.example/oauth/wechat?next=%2Fs%2Fa", "n.s")
    parts = urlsplit(url)
    assert url.startswith("https://open.weixin.qq.com/connect/oauth2/authorize?appid=")
    assert parts.fragment == "wechat_redirect"
    assert [pair.split("=")[0] for pair in parts.query.split("&")] == [
        "appid", "redirect_uri", "response_type", "scope", "state"]
    query = parse_qs(parts.query)
    assert query["redirect_uri"] == ["https://bank.example/oauth/wechat?next=%2Fs%2Fa"]
    assert query["scope"] == ["snsapi_base"] and query["response_type"] == ["code"]
    with pytest.raises(ValueError):
        authorize_url("https://open.weixin.qq.com", "wx0123456789abcdef", "https://b", "x" * 129)
