"""Push platform events to a webhook the way WeChat does: plaintext XML, signed query."""

from __future__ import annotations

import hashlib
import logging
import secrets
import threading
import time
from dataclasses import dataclass

import requests

from sandbox.config import SandboxConfig

logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class PushResult:
    """What the webhook answered, and what was sent to it."""

    status_code: int
    body: str
    xml: str
    query: dict[str, str]


def signature(token: str, timestamp: str, nonce: str) -> str:
    """Return the platform's callback signature: sha1 of the sorted, joined strings."""
    return hashlib.sha1("".join(sorted([token, timestamp, nonce])).encode()).hexdigest()  # noqa: S324


def template_finish_xml(
    to_user_name: str, openid: str, msgid: int, status: str, create_time: int
) -> str:
    """Build a TEMPLATESENDJOBFINISH event body."""
    return (
        "<xml>"
        f"<ToUserName><![CDATA[{_cdata(to_user_name)}]]></ToUserName>"
        f"<FromUserName><![CDATA[{_cdata(openid)}]]></FromUserName>"
        f"<CreateTime>{create_time}</CreateTime>"
        "<MsgType><![CDATA[event]]></MsgType>"
        "<Event><![CDATA[TEMPLATESENDJOBFINISH]]></Event>"
        f"<MsgID>{int(msgid)}</MsgID>"
        f"<Status><![CDATA[{_cdata(status)}]]></Status>"
        "</xml>"
    )


def mass_finish_xml(to_user_name: str, msg_id: int, total: int, sent: int,
                    create_time: int) -> str:
    """Build a MASSSENDJOBFINISH event body (the openids not reached count as filtered)."""
    return (
        "<xml>"
        f"<ToUserName><![CDATA[{_cdata(to_user_name)}]]></ToUserName>"
        "<FromUserName><![CDATA[mphelper]]></FromUserName>"
        f"<CreateTime>{create_time}</CreateTime>"
        "<MsgType><![CDATA[event]]></MsgType>"
        "<Event><![CDATA[MASSSENDJOBFINISH]]></Event>"
        f"<MsgID>{int(msg_id)}</MsgID>"
        "<Status><![CDATA[send success]]></Status>"
        f"<TotalCount>{total}</TotalCount><FilterCount>{sent}</FilterCount>"
        f"<SentCount>{sent}</SentCount><ErrorCount>0</ErrorCount>"
        "</xml>"
    )


def push_mass_finish_in_background(config: SandboxConfig, msg_id: int, total: int,
                                   sent: int) -> None:
    """Push a mass job's MASSSENDJOBFINISH to the configured webhook, not holding the send."""
    xml = mass_finish_xml(config.original_id, msg_id, total, sent, int(time.time()))
    threading.Thread(target=_post_quietly, args=(config, xml, "mphelper"),
                     name="sandbox-push", daemon=True).start()


def _post_quietly(config: SandboxConfig, xml: str, openid: str) -> None:
    if not (config.webhook_url and config.webhook_token):
        return
    now = str(int(time.time()))
    nonce = str(secrets.randbelow(10**10))
    query = {"signature": signature(config.webhook_token, now, nonce), "timestamp": now,
             "nonce": nonce, "openid": openid}
    try:
        requests.post(config.webhook_url, params=query, data=xml.encode(), timeout=5.0,
                      headers={"Content-Type": "text/xml; charset=utf-8"})
    except requests.RequestException:
        logger.warning("sandbox: push to %s failed", config.webhook_url, exc_info=True)


def push_template_finish(
    webhook_url: str,
    token: str,
    openid: str,
    msgid: int,
    status: str = "success",
    *,
    to_user_name: str = "gh_sandbox000000",
    timeout: float = 5.0,
) -> PushResult:
    """POST a signed TEMPLATESENDJOBFINISH event to `webhook_url` and return the answer."""
    now = int(time.time())
    xml = template_finish_xml(to_user_name, openid, msgid, status, now)
    timestamp, nonce = str(now), str(secrets.randbelow(10**10))
    query = {"signature": signature(token, timestamp, nonce), "timestamp": timestamp,
             "nonce": nonce, "openid": openid}
    response = requests.post(
        webhook_url, params=query, data=xml.encode(), timeout=timeout,
        headers={"Content-Type": "text/xml; charset=utf-8"},
    )
    return PushResult(response.status_code, response.text, xml, query)


def _cdata(value: str) -> str:
    # A CDATA section cannot contain its own terminator; split it the standard way.
    return value.replace("]]>", "]]]]><![CDATA[>")


def push_in_background(config: SandboxConfig, openid: str, msgid: int) -> None:
    """Push a success event to the configured webhook without holding up the send's answer."""
    thread = threading.Thread(
        target=_push_quietly, args=(config, openid, msgid), name="sandbox-push", daemon=True
    )
    thread.start()


def _push_quietly(config: SandboxConfig, openid: str, msgid: int) -> None:
    if not (config.webhook_url and config.webhook_token):
        return
    try:
        push_template_finish(config.webhook_url, config.webhook_token, openid, msgid,
                             to_user_name=config.original_id)
    except requests.RequestException:
        # A test double must not die because the webhook under test is down; the log says so.
        logger.warning("sandbox: push to %s failed", config.webhook_url, exc_info=True)
