"""Access tokens as the platform issues them: 7200 s, and a replaced token lives on briefly."""

from __future__ import annotations

import secrets
from dataclasses import dataclass

CLASSIC = "token"  # GET /cgi-bin/token: every call issues a new token
STABLE = "stable_token"  # POST /cgi-bin/stable_token: same token until it expires or is forced


@dataclass
class _Issued:
    expires_at: float
    retired_at: float | None = None  # when a newer token of the same kind replaced it


class TokenRegistry:
    """Issue and check tokens; the two token endpoints keep separate tokens, as on the platform."""

    def __init__(self, ttl_seconds: int, grace_seconds: float) -> None:
        self._ttl = ttl_seconds
        self._grace = grace_seconds
        self._issued: dict[str, _Issued] = {}
        self._current: dict[str, str] = {}

    def issue(self, kind: str, now: float, force: bool) -> tuple[str, int]:
        """Return (token, expires_in) for a token request of `kind`."""
        current = self._current.get(kind)
        if kind == STABLE and not force and current:
            remaining = int(self._issued[current].expires_at - now)
            if remaining > 0:
                return current, remaining
        if current:
            self._issued[current].retired_at = now
        token = secrets.token_urlsafe(96)
        self._issued[token] = _Issued(expires_at=now + self._ttl)
        self._current[kind] = token
        return token, self._ttl

    def check(self, token: str, now: float) -> int:
        """Return 0 if `token` is usable, else the errcode the platform answers."""
        issued = self._issued.get(token)
        if issued is None:
            return 40001
        if issued.retired_at is not None and now >= issued.retired_at + self._grace:
            return 40001
        if now >= issued.expires_at:
            return 42001
        return 0

    def revoke_all(self) -> None:
        """Forget every token, as if the secret had been reset."""
        self._issued.clear()
        self._current.clear()
