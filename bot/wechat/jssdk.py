"""The JS-SDK's page configuration (`wx.config`): a signature of the page URL under the ticket.

The ticket comes from `WeChatApi.jsapi_ticket()`, cached for every process like the access
token; signing is local and free, so each page view gets its own nonce and timestamp.
"""

from __future__ import annotations

import secrets
import time
from dataclasses import dataclass

from wechatpy.client.api import WeChatJSAPI

#: What our pages ask the JS-SDK for: only setting the share card.
SHARE_APIS = ("updateAppMessageShareData", "updateTimelineShareData")


@dataclass(frozen=True)
class JsConfig:
    """The fields of `wx.config` for one page URL."""

    app_id: str
    timestamp: int
    nonce_str: str
    signature: str


def jsapi_signature(ticket: str, nonce_str: str, timestamp: int, url: str) -> str:
    """Return sha1 of `jsapi_ticket=…&noncestr=…&timestamp=…&url=…` (url without fragment)."""
    # wechatpy sorts and joins the fields as the platform documents; it needs no client for it.
    signature: str = WeChatJSAPI().get_jsapi_signature(nonce_str, ticket, timestamp, url)
    return signature


def js_config(app_id: str, ticket: str, url: str) -> JsConfig:
    """Return a fresh `wx.config` for `url` (its fragment, if any, is not signed)."""
    page_url = url.split("#", 1)[0]
    nonce, now = secrets.token_hex(8), int(time.time())
    return JsConfig(app_id, now, nonce, jsapi_signature(ticket, nonce, now, page_url))
