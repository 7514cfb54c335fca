"""The `state` of a web authorisation round trip, bound to the browser that started it.

Starting gives a random nonce twice: in `state` (signed, 41 characters, within the platform's
128) and in a short-lived signed cookie that also keeps where the visitor was going. The
callback is believed only if its `state` is genuine and names the nonce of that browser's
cookie: a callback forged or replayed in another browser (login CSRF) has no such cookie.
"""

import base64
import json
import secrets
from dataclasses import dataclass

from bot.share_tokens import Signer

STATE_PURPOSE, COOKIE_PURPOSE = "oauth-state", "oauth-cookie"
NONCE_BYTES = 12


@dataclass(frozen=True)
class Started:
    """A round trip begun: the `state` to send and the cookie value to set."""

    state: str
    cookie: str


def start(signer: Signer, next_path: str, now: int, ttl_seconds: int) -> Started:
    """Begin a round trip that returns to `next_path`."""
    nonce = secrets.token_urlsafe(NONCE_BYTES)
    payload = base64.urlsafe_b64encode(
        json.dumps([nonce, next_path, now + ttl_seconds], separators=(",", ":")).encode()
    ).decode()
    return Started(f"{nonce}.{signer.sign(STATE_PURPOSE, nonce)}",
                   f"{payload}.{signer.sign(COOKIE_PURPOSE, payload)}")


def finish(signer: Signer, state: str, cookie: str | None, now: int) -> str | None:
    """Return the path the round trip returns to if `state` belongs to this browser's cookie
    and is still fresh; None for a forged, replayed, foreign or expired one."""
    pending = pending_path(signer, cookie, now)
    nonce, _, signature = state.partition(".")
    if pending is None or not state.isascii() or not signer.check(STATE_PURPOSE, nonce, signature):
        return None
    return pending[1] if secrets.compare_digest(nonce, pending[0]) else None


def pending_path(signer: Signer, cookie: str | None, now: int) -> tuple[str, str] | None:
    """Return (nonce, next path) of a genuine, unexpired round-trip cookie, else None."""
    payload, _, signature = (cookie or "").rpartition(".")
    if not (payload and signature.isascii()
            and signer.check(COOKIE_PURPOSE, payload, signature)):
        return None
    try:
        nonce, next_path, expires = json.loads(base64.urlsafe_b64decode(payload))
    except (ValueError, TypeError):
        return None
    if not isinstance(expires, int) or expires < now:
        return None
    return str(nonce), str(next_path)
