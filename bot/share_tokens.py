"""Signed share tokens: who shared which product (and through whose share), until when.

A token is `<payload>.<signature>`, both base64url: the payload is a small JSON array, the
signature an HMAC-SHA256 with `[web] secret_key`, so nobody can forge or alter a token and a
token cannot be reused past its expiry. Visitor cookies are signed the same way.
"""

import base64
import hashlib
import hmac
import json
import secrets
import time
from collections.abc import Callable
from dataclasses import dataclass, field

from crm_core.services import ShareClaim

SIGNATURE_BYTES = 18


class BadToken(ValueError):
    """A token that was forged, altered or cannot be read."""


class ExpiredToken(BadToken):
    """A genuine token past its expiry."""


def _b64(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()


def _unb64(text: str) -> bytes:
    try:
        return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))
    except ValueError as error:
        raise BadToken("unreadable token") from error


@dataclass(frozen=True)
class Signer:
    """HMAC signatures under one secret, separated by purpose; during a rotation the previous
    secret's signatures are still accepted (never made)."""

    secret: str = field(repr=False)
    previous: str | None = field(default=None, repr=False)

    def sign(self, purpose: str, text: str) -> str:
        """Return the signature of `text` for `purpose`."""
        return _mac(self.secret, purpose, text)

    def check(self, purpose: str, text: str, signature: str) -> bool:
        """Return True if `signature` is the signature of `text` (constant time)."""
        if not signature.isascii():
            return False  # never ours; compare_digest would raise TypeError on it
        good = hmac.compare_digest(self.sign(purpose, text), signature)
        if self.previous is not None:
            good |= hmac.compare_digest(_mac(self.previous, purpose, text), signature)
        return good


def _mac(secret: str, purpose: str, text: str) -> str:
    mac = hmac.new(secret.encode(), f"{purpose}|{text}".encode(), hashlib.sha256)
    return _b64(mac.digest()[:SIGNATURE_BYTES])


class ShareTokens:
    """Issue and verify share tokens."""

    def __init__(self, secret: str, ttl_seconds: int, clock: Callable[[], float] = time.time,
                 previous: str | None = None) -> None:
        self.signer, self.ttl, self.clock = Signer(secret, previous), ttl_seconds, clock

    def issue(self, claim: ShareClaim) -> str:
        """Return a token for the claim, valid for the configured time."""
        expires = int(self.clock()) + self.ttl
        payload = _b64(json.dumps([claim.sharer, claim.product, claim.parent or "",
                                   int(claim.direct), expires], separators=(",", ":")).encode())
        return f"{payload}.{self.signer.sign('share', payload)}"

    def verify(self, token: str) -> ShareClaim:
        """Return the token's claim; BadToken if forged or altered, ExpiredToken if too old."""
        payload, _, signature = token.partition(".")
        if not signature or not self.signer.check("share", payload, signature):
            raise BadToken("bad signature")
        try:
            sharer, product, parent, direct, expires = json.loads(_unb64(payload))
        except (ValueError, TypeError) as error:
            raise BadToken("unreadable token") from error
        if expires < self.clock():
            raise ExpiredToken("token expired")
        return ShareClaim(str(sharer), str(product), str(parent) or None, bool(direct))


@dataclass(frozen=True)
class Visitor:
    """A browser, known by a random id, and the customer it belongs to once known.

    `verified`: the platform told us who it is (web authorisation), so `customer_id` is a fact
    (None: not a customer), not a guess. `oauth_at`: when authorisation was last tried (epoch
    seconds, 0 never), so a visitor is sent there at most once a day whatever the outcome.
    """

    id: str
    customer_id: int | None = None
    verified: bool = False
    oauth_at: int = 0


def new_visitor() -> Visitor:
    """Return a visitor never seen before."""
    return Visitor(secrets.token_hex(8))


def openid_visitor_id(signer: Signer, openid: str) -> str:
    """Return the visitor id of a WeChat user known by openid (web authorisation) who is not
    yet a customer: the same in every browser, and the same when they follow later, so their
    follow can be credited to the share they opened. Keyed: it does not reveal the openid."""
    return f"o{signer.sign('visitor-openid', openid)}"


def visitor_cookie(signer: Signer, visitor: Visitor) -> str:
    """Return the signed cookie value for a visitor."""
    value = (f"{visitor.id}.{visitor.customer_id or ''}.{visitor.oauth_at or ''}"
             f".{'v' if visitor.verified else ''}")
    return f"{value}.{signer.sign('visitor', value)}"


def read_visitor(signer: Signer, cookie: str | None) -> Visitor | None:
    """Return the visitor a signed cookie names, or None if absent or not ours."""
    value, _, signature = (cookie or "").rpartition(".")
    if not value or not signer.check("visitor", value, signature):
        return None
    # Cookies from before web authorisation have two parts: unverified, never tried.
    visitor_id, customer, oauth_at, verified = [*value.split("."), "", "", ""][:4]
    return Visitor(visitor_id, int(customer) if customer.isdigit() else None,
                   verified == "v", int(oauth_at) if oauth_at.isdigit() else 0)


@dataclass(frozen=True)
class ShareLinks:
    """The public addresses of share links and product pages."""

    tokens: ShareTokens
    base_url: str

    def share_url(self, claim: ShareClaim) -> str:
        """Return the tracked link to hand out for a claim."""
        return f"{self.base_url}/s/{self.tokens.issue(claim)}"

    def page_path(self, claim: ShareClaim) -> str:
        """Return the product page path carrying a claim (on the host that was asked)."""
        return f"/p/{claim.product}?t={self.tokens.issue(claim)}"

    def visitor_of(self, openid: str) -> str:
        """Return the visitor reference (as share events store it) of a user by openid."""
        return f"v{openid_visitor_id(self.tokens.signer, openid)}"
