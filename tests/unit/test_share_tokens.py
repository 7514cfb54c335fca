"""Share tokens and visitor cookies: only our own, unaltered and unexpired, are accepted."""

import pytest

from bot.share_tokens import (
    BadToken,
    ExpiredToken,
    ShareTokens,
    Signer,
    Visitor,
    read_visitor,
    visitor_cookie,
)
from crm_core.services import ShareClaim

SECRET = "s" * 40
CLAIM = ShareClaim("c12", "WM001", "0123456789abcdef", direct=True)


def tokens(now: float = 1_800_000_000.0, ttl: int = 3600) -> ShareTokens:
    return ShareTokens(SECRET, ttl, clock=lambda: now)


def test_a_token_names_its_sharer_product_and_parent() -> None:
    assert tokens().verify(tokens().issue(CLAIM)) == CLAIM


def test_a_token_signed_with_another_secret_is_refused() -> None:
    forged = ShareTokens("x" * 40, 3600).issue(CLAIM)
    with pytest.raises(BadToken):
        tokens().verify(forged)


@pytest.mark.parametrize("tamper", [
    lambda t: t.replace(".", "x.", 1),
    lambda t: t[:-2] + ("AA" if not t.endswith("AA") else "BB"),
    lambda t: t.split(".")[0],
    lambda t: "",
    lambda t: "not-a-token.at-all",
    lambda t: t[:-1] + "é",  # a non-ASCII signature of the right length
    lambda t: "签." + t.split(".")[1],
    lambda t: "%%%." + t.split(".")[1],
])
def test_an_altered_token_is_refused(tamper) -> None:  # type: ignore[no-untyped-def]
    with pytest.raises(BadToken):
        tokens().verify(tamper(tokens().issue(CLAIM)))


def test_a_token_whose_payload_names_another_product_is_refused() -> None:
    other = tokens().issue(ShareClaim("c12", "WM999"))
    genuine = tokens().issue(CLAIM)
    spliced = other.split(".")[0] + "." + genuine.split(".")[1]
    with pytest.raises(BadToken):
        tokens().verify(spliced)


def test_an_expired_token_is_refused_as_expired() -> None:
    token = tokens(now=1_000.0, ttl=60).issue(CLAIM)
    with pytest.raises(ExpiredToken):
        tokens(now=1_061.0).verify(token)
    assert tokens(now=1_059.0).verify(token) == CLAIM


def test_visitor_cookies_round_trip_and_a_forged_identity_is_ignored() -> None:
    signer = Signer(SECRET)
    cookie = visitor_cookie(signer, Visitor("abc123", 7))
    assert read_visitor(signer, cookie) == Visitor("abc123", 7)
    forged = cookie.replace(".7.", ".8.")
    assert read_visitor(signer, forged) is None
    assert read_visitor(signer, None) is None


@pytest.mark.parametrize("cookie", ["abc123.7...é", "é", "abc123.7...签名", ".", "..."])
def test_a_malformed_visitor_cookie_is_ignored(cookie: str) -> None:
    assert read_visitor(Signer(SECRET), cookie) is None
