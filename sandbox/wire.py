"""The platform's error envelope: `{"errcode": N, "errmsg": "..."}` with HTTP 200."""

from __future__ import annotations

from typing import Any

# errmsg texts as the platform words them (minus the per-request " rid: ..." suffix).
ERRMSGS: dict[int, str] = {
    -1: "system error",
    40001: "invalid credential, access_token is invalid or not latest",
    40002: "invalid grant_type",
    40003: "invalid openid",
    40004: "invalid media type",
    40005: "invalid file type",
    40007: "invalid media_id",
    40008: "invalid message type",
    40009: "invalid image size",
    40010: "invalid voice size",
    40013: "invalid appid",
    40014: "invalid access_token",
    40029: "invalid code",
    40032: "invalid openid list size",
    40037: "invalid template_id",
    40053: "invalid action info",
    40097: "invalid args",
    40125: "invalid appsecret",
    40130: "invalid openid list size, at least two openid",
    40163: "code been used",
    41001: "access_token missing",
    41005: "media data missing",
    42001: "access_token expired",
    43004: "require subscribe",
    44002: "empty post data",
    44004: "empty content",
    45008: "article size out of limit",
    45009: "reach max api daily quota limit",
    45011: "api minute-quota reach limit  mustslower  retry next minute",
    45015: "response out of time limit or subscription is canceled",
    45056: "too many tags",
    45059: "has too many tags",
    45065: "clientmsgid exist",
    45067: "clientmsgid size out of limit",
    45157: "invalid tag name",
    45158: "tag name too long",
    45159: "invalid tag",
    47001: "data format error",
    47003: "argument invalid!",
}


class PlatformError(Exception):
    """Raised by sandbox rules; rendered as the platform's errcode envelope."""

    def __init__(self, errcode: int, errmsg: str | None = None, **extra: Any) -> None:
        super().__init__(errcode)
        self.errcode = errcode
        self.errmsg = errmsg or ERRMSGS.get(errcode, "sandbox error")
        self.extra = extra

    def body(self) -> dict[str, Any]:
        """Return the JSON body the platform would send."""
        return {"errcode": self.errcode, "errmsg": self.errmsg, **self.extra}


def ok(**fields: Any) -> dict[str, Any]:
    """Return a success body with extra fields."""
    return {"errcode": 0, "errmsg": "ok", **fields}
