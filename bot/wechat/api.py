"""The one client of the WeChat Official Account API that BranchLink uses.

Build it explicitly from values; nothing happens at import time. Every request (the token fetch
included) goes to `api_base_url` with explicit (connect, read) timeouts, the access token comes from
a `TokenStore` shared by all processes, and every failure is raised as one of the typed errors in
`bot.wechat.errors` so the outbox can decide: retry, stop, or never resend.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from types import TracebackType
from typing import Any

import requests
from wechatpy.client.api import WeChatJSAPI, WeChatMessage, WeChatQRCode

from bot.wechat.access_token import AccessTokenSource
from bot.wechat.errors import PermanentError, TransientError
from bot.wechat.jssdk import JsConfig, js_config
from bot.wechat.token_store import InMemoryTokenStore, TokenStore
from bot.wechat.transport import Transport, fetch_stable_token

#: The platform's ceiling for temporary QR codes (30 days), used when no expiry is given.
MAX_TEMPORARY_QR_SECONDS = 2_592_000
# A mass job already submitted with this clientmsgid: the body names the first job's msg_id.
_MASS_SEND_ALREADY_SUBMITTED = 45065


@dataclass(frozen=True)
class QrTicket:
    """A parametric QR code: `url` is what the image encodes; permanent codes never expire."""

    ticket: str
    url: str
    expire_seconds: int | None


class WeChatApi:
    """Typed, bounded, timeout-guarded calls to the WeChat API for one account."""

    def __init__(
        self,
        *,
        app_id: str,
        app_secret: str,
        api_base_url: str,
        connect_timeout: float,
        read_timeout: float,
        max_token_refreshes: int,
        token_store: TokenStore,
        ticket_store: TokenStore | None = None,
    ) -> None:
        self._app_id = app_id
        self._session = requests.Session()
        base = api_base_url.rstrip("/")
        timeout = (connect_timeout, read_timeout)
        # One refresh may take two fetches (plain, then forced); the lock must outlive both.
        lock_ttl = 2 * (connect_timeout + read_timeout) + 1

        def fetch(force_refresh: bool) -> tuple[str, int]:
            credentials = (app_id, app_secret)
            return fetch_stable_token(self._session, base, timeout, credentials, force_refresh)

        tokens = AccessTokenSource(token_store, fetch, lock_ttl, lock_wait_seconds=lock_ttl + 1)
        self._sends = Transport(self._session, base, timeout, tokens, max_token_refreshes, True)
        self._reads = Transport(self._session, base, timeout, tokens, max_token_refreshes, False)
        self._messages = WeChatMessage(self._sends)
        self._qrcodes = WeChatQRCode(self._reads)
        self._jsapi = WeChatJSAPI(self._reads)
        # The JS-SDK ticket is cached and refreshed like the token (getticket is rationed per
        # day); in-memory only for tests and one-process tools. Its fetch may first refresh the
        # token through the token's own lock, each step retried up to max_token_refreshes times.
        ticket_ttl = 3 * (max_token_refreshes + 1) * (connect_timeout + read_timeout) + 1
        self._tickets = AccessTokenSource(ticket_store or InMemoryTokenStore(), self._fetch_ticket,
                                          ticket_ttl, lock_wait_seconds=ticket_ttl + 1)

    def send_template(
        self,
        openid: str,
        template_id: str,
        data: Mapping[str, str],
        url: str | None = None,
        client_msg_id: str | None = None,
    ) -> int:
        """Send a template message; return its msgid (the TEMPLATESENDJOBFINISH event's MsgID)."""
        # Built here: wechatpy 1.8.18's send_template has no client_msg_id, the platform's
        # ten-minute guard against sending one notice twice.
        payload: dict[str, Any] = {
            "touser": openid,
            "template_id": template_id,
            "data": {key: {"value": value} for key, value in data.items()},
        }
        if url:
            payload["url"] = url
        if client_msg_id:
            payload["client_msg_id"] = client_msg_id
        return int(self._sends.post("message/template/send", data=payload)["msgid"])

    def send_custom_text(self, openid: str, text: str) -> None:
        """Send a customer-service text (only inside the user's interaction window)."""
        self._messages.send_text(openid, text)

    def send_custom_news(self, openid: str, title: str, description: str, url: str) -> None:
        """Send a customer-service news card (one article: the platform's limit)."""
        self._messages.send_articles(openid, [{"title": title, "description": description,
                                               "url": url, "image": ""}])

    def send_custom_image(self, openid: str, media_id: str) -> None:
        """Send a customer-service image (a temporary media id, inside the user's window)."""
        self._messages.send_image(openid, media_id)

    def upload_media(self, kind: str, name: str, content_type: str, data: bytes) -> str:
        """Upload a temporary media file (kept three days by the platform); return its id.
        A lost answer hides nothing that matters: uploading again only makes another id."""
        result = self._reads.upload("media/upload", {"type": kind}, name, content_type, data)
        return str(result["media_id"])

    def mass_send_text(self, openids: Sequence[str], text: str, client_msg_id: str) -> int:
        """Submit a mass text to an openid list; return the job's msg_id (same id on a resend)."""
        try:
            result = self._messages.send_mass_text(list(openids), text, client_msg_id=client_msg_id)
        except PermanentError as error:
            if error.errcode == _MASS_SEND_ALREADY_SUBMITTED and "msg_id" in error.body:
                return int(error.body["msg_id"])  # our earlier attempt did go out
            raise
        return int(result["msg_id"])

    def get_media(self, media_id: str, max_bytes: int) -> tuple[str, bytes]:
        """Download a temporary media file (an image a customer sent): its content type and
        bytes; larger than `max_bytes` is refused (MediaRefused) without reading the rest."""
        return self._reads.download("media/get", {"media_id": media_id}, max_bytes)

    def create_qrcode(
        self, scene_str: str, permanent: bool, expire_seconds: int | None = None
    ) -> QrTicket:
        """Create a string-scene QR code; temporary ones default to the 30-day maximum."""
        scene = {"scene": {"scene_str": scene_str}}
        if permanent:
            request: dict[str, Any] = {"action_name": "QR_LIMIT_STR_SCENE", "action_info": scene}
        else:
            request = {"action_name": "QR_STR_SCENE", "action_info": scene,
                       "expire_seconds": expire_seconds or MAX_TEMPORARY_QR_SECONDS}
        result = self._qrcodes.create(request)
        expires = result.get("expire_seconds")
        return QrTicket(result["ticket"], result["url"], None if expires is None else int(expires))

    def jsapi_ticket(self) -> str:
        """Return the account's JS-SDK ticket from the shared store, fetched once when due."""
        return self._tickets.current()

    def js_config(self, url: str) -> JsConfig:
        """Return a signed `wx.config` for a page URL (the ticket is fetched only when due)."""
        return js_config(self._app_id, self.jsapi_ticket(), url)

    def _fetch_ticket(self, _force_refresh: bool) -> tuple[str, int]:
        result = self._jsapi.get_ticket("jsapi")
        if not isinstance(result.get("ticket"), str):
            raise TransientError(None, "getticket response without ticket", result)
        return result["ticket"], int(result.get("expires_in", 7200))

    def close(self) -> None:
        """Release pooled connections."""
        self._session.close()

    def __enter__(self) -> WeChatApi:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        self.close()
