"""Typed failures of the WeChat API, classified by what the caller (the outbox) should do next."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

#: The platform rejected the access token: refresh it (once) and retry (once).
TOKEN_ERRCODES = frozenset({40001, 40014, 42001})
#: Busy or per-minute limit: back off and retry (idempotent calls only).
TRANSIENT_ERRCODES = frozenset({-1, 45011})
#: Daily quota reached: stop calling until the quota resets.
QUOTA_ERRCODES = frozenset({45009})


class WeChatApiError(Exception):
    """Base of every failure; `errcode` is None when the platform never answered with JSON."""

    def __init__(
        self, errcode: int | None, errmsg: str, body: Mapping[str, Any] | None = None
    ) -> None:
        super().__init__(f"{errcode}: {errmsg}")
        self.errcode = errcode
        self.errmsg = errmsg
        self.body: Mapping[str, Any] = body or {}


class TransientError(WeChatApiError):
    """Nothing was done (busy, 5xx, connection refused, 45011): retry later with back-off."""


class TokenError(WeChatApiError):
    """The access token was still rejected after the bounded refresh."""


class UnknownOutcomeError(WeChatApiError):
    """A send's answer was lost (read timeout): it may have gone out, never resend blindly."""


class PermanentError(WeChatApiError):
    """The platform refused the request itself (bad openid, out of window...): never retry."""


class QuotaExceededError(WeChatApiError):
    """The daily quota (45009) is used up: stop calling until it resets."""


def error_for_errcode(errcode: int, errmsg: str, body: Mapping[str, Any]) -> WeChatApiError:
    """Return the exception class that matches a non-zero errcode."""
    if errcode in TRANSIENT_ERRCODES:
        return TransientError(errcode, errmsg, body)
    if errcode in QUOTA_ERRCODES:
        return QuotaExceededError(errcode, errmsg, body)
    if errcode in TOKEN_ERRCODES:
        return TokenError(errcode, errmsg, body)
    # Unknown codes are permanent on purpose: retrying what we do not understand risks duplicates.
    return PermanentError(errcode, errmsg, body)
