"""One-time web authorisation codes: valid 5 minutes, redeemable once."""

from __future__ import annotations

import secrets
from dataclasses import dataclass

from sandbox.wire import PlatformError

CODE_SECONDS = 300


@dataclass
class IssuedCode:
    """A code and the user it stands for."""

    openid: str
    scope: str
    expires_at: float
    used: bool = False


class OAuthCodes:
    """One-time authorisation codes: unknown or expired 40029, used 40163."""

    def __init__(self) -> None:
        self._codes: dict[str, IssuedCode] = {}

    def issue(self, openid: str, scope: str, now: float) -> str:
        """Return a new code standing for `openid`."""
        code = secrets.token_urlsafe(24)
        self._codes[code] = IssuedCode(openid, scope, now + CODE_SECONDS)
        return code

    def redeem(self, code: str, now: float) -> IssuedCode:
        """Use a code once; raise PlatformError 40029 or 40163."""
        found = self._codes.get(code)
        if found is None or now >= found.expires_at:
            raise PlatformError(40029)
        if found.used:
            raise PlatformError(40163)
        found.used = True
        return found
