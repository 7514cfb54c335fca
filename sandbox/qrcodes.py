"""Parametric QR codes: temporary (30 days at most) and permanent (capped per account)."""

from __future__ import annotations

import base64
import secrets
import string
from dataclasses import dataclass
from typing import Any

from sandbox.wire import PlatformError

MAX_TEMPORARY_SECONDS = 2_592_000
DEFAULT_TEMPORARY_SECONDS = 60
MAX_PERMANENT_SCENE_ID = 100_000
MAX_SCENE_ID = 2**32 - 1
MAX_SCENE_STR = 64
_TEMPORARY = {"QR_SCENE": "scene_id", "QR_STR_SCENE": "scene_str"}
_PERMANENT = {"QR_LIMIT_SCENE": "scene_id", "QR_LIMIT_STR_SCENE": "scene_str"}
_URL_CHARS = string.ascii_letters + string.digits


@dataclass(frozen=True)
class QrCode:
    """One issued ticket and the URL its image encodes."""

    ticket: str
    url: str
    expires_at: float | None


class QrBook:
    """Every ticket the account has issued."""

    def __init__(self, permanent_limit: int) -> None:
        self._permanent_limit = permanent_limit
        self._by_ticket: dict[str, QrCode] = {}
        self._permanent: dict[object, QrCode] = {}

    def create(self, body: dict[str, Any], now: float) -> dict[str, Any]:
        """Issue a ticket for a qrcode/create body and return the platform's answer."""
        action = body.get("action_name")
        if action in _PERMANENT:
            return self._create_permanent(_scene(body, _PERMANENT[action], permanent=True))
        if action in _TEMPORARY:
            _scene(body, _TEMPORARY[action], permanent=False)
            seconds = _expiry(body.get("expire_seconds"))
            code = self._issue(now + seconds)
            return {"ticket": code.ticket, "expire_seconds": seconds, "url": code.url}
        raise PlatformError(40053)

    def url_for(self, ticket: str, now: float) -> str | None:
        """Return the URL behind a live ticket, or None."""
        code = self._by_ticket.get(ticket)
        if code is None or (code.expires_at is not None and code.expires_at <= now):
            return None
        return code.url

    def _create_permanent(self, scene: object) -> dict[str, Any]:
        code = self._permanent.get(scene)  # the same scene always maps to the same code
        if code is None:
            if len(self._permanent) >= self._permanent_limit:
                # The platform's errcode for this cap is undocumented; 45009 (quota) is closest.
                raise PlatformError(45009, "reach max permanent qrcode limit")
            code = self._permanent[scene] = self._issue(None)
        return {"ticket": code.ticket, "url": code.url}

    def _issue(self, expires_at: float | None) -> QrCode:
        url = "http://weixin.qq.com/q/" + "".join(secrets.choice(_URL_CHARS) for _ in range(22))
        ticket = base64.b64encode(secrets.token_bytes(12) + url.encode()).decode()
        code = QrCode(ticket, url, expires_at)
        self._by_ticket[ticket] = code
        return code


def _scene(body: dict[str, Any], field: str, permanent: bool) -> object:
    info = body.get("action_info")
    scene = info.get("scene") if isinstance(info, dict) else None
    value = scene.get(field) if isinstance(scene, dict) else None
    if field == "scene_str":
        if not isinstance(value, str) or not 1 <= len(value) <= MAX_SCENE_STR:
            raise PlatformError(40053)
        return value
    top = MAX_PERMANENT_SCENE_ID if permanent else MAX_SCENE_ID
    if isinstance(value, bool) or not isinstance(value, int) or not 1 <= value <= top:
        raise PlatformError(40053)
    return value


def _expiry(raw: Any) -> int:
    if raw is None:
        return DEFAULT_TEMPORARY_SECONDS
    if isinstance(raw, bool) or not isinstance(raw, int) or raw < 1:
        raise PlatformError(47003)
    return min(raw, MAX_TEMPORARY_SECONDS)  # the platform clamps longer lifetimes to 30 days
