"""JS-SDK tickets (`ticket/getticket`): one live ticket per type, valid `ticket_ttl_seconds`."""

from __future__ import annotations

import secrets
from typing import Any

from sandbox.wire import PlatformError, ok

TYPES = frozenset({"jsapi", "wx_card"})
# Our choice, not a documented code: the platform's answer to an unknown `type` is not in its
# documentation; 40097 is its generic "invalid args".
INVALID_TYPE = 40097


class TicketBook:
    """Every ticket issued, by type; a call while one is live answers that one."""

    def __init__(self, ttl_seconds: int) -> None:
        self._ttl = ttl_seconds
        self._live: dict[str, tuple[str, float]] = {}
        self.issued: list[dict[str, Any]] = []

    def get(self, kind: str | None, now: float) -> dict[str, Any]:
        """Return the getticket answer for `kind` (jsapi or wx_card)."""
        if kind not in TYPES:
            raise PlatformError(INVALID_TYPE)
        ticket, expires_at = self._live.get(kind, ("", 0.0))
        if expires_at <= now:
            ticket, expires_at = secrets.token_urlsafe(64), now + self._ttl
            self._live[kind] = (ticket, expires_at)
            self.issued.append({"type": kind, "ticket": ticket, "expires_at": expires_at})
        return ok(ticket=ticket, expires_in=int(expires_at - now))
