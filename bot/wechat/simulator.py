"""Acting as the platform: build, sign (and encrypt) callbacks, post them, read the reply.

Used by `branchlink simulate`, the end-to-end tests and the benchmarks.
"""

import secrets
import time
from dataclasses import dataclass
from html import escape
from urllib.parse import urlencode

import requests

from bot.wechat.crypto import MessageCipher, sign
from bot.wechat.messages import encrypted_part, parse_document

MODES = ("plain", "compat", "safe")


def text_xml(openid: str, content: str, msg_id: int | None = None, to: str = "gh_branchlink",
             at: int | None = None) -> str:
    """Build a text message callback."""
    msg_id = msg_id if msg_id is not None else secrets.randbelow(10**18)
    return _xml(openid, to, at, "text", f"<Content>{_cdata(content)}</Content>"
                                        f"<MsgId>{msg_id}</MsgId>")


def event_xml(openid: str, event: str, key: str | None = None, to: str = "gh_branchlink",
              at: int | None = None, extra: str = "") -> str:
    """Build an event callback (subscribe, SCAN, unsubscribe, CLICK, VIEW, LOCATION...)."""
    key_xml = f"<EventKey>{_cdata(key)}</EventKey>" if key is not None else ""
    return _xml(openid, to, at, "event", f"<Event>{_cdata(event)}</Event>{key_xml}{extra}")


def _xml(openid: str, to: str, at: int | None, msg_type: str, body: str) -> str:
    at = at if at is not None else int(time.time())
    return (f"<xml><ToUserName>{_cdata(to)}</ToUserName>"
            f"<FromUserName>{_cdata(openid)}</FromUserName><CreateTime>{at}</CreateTime>"
            f"<MsgType>{_cdata(msg_type)}</MsgType>{body}</xml>")


def _cdata(value: str) -> str:
    return f"<![CDATA[{value}]]>" if "]]>" not in value else escape(value)


@dataclass(frozen=True)
class SignedCallback:
    """A callback ready to post: query string and body."""

    query: dict[str, str]
    body: bytes


@dataclass(frozen=True)
class Platform:
    """The platform's side of one official account."""

    token: str
    app_id: str = ""
    encoding_aes_key: str | None = None

    def sign(self, xml: str, mode: str = "plain", timestamp: int | None = None) -> SignedCallback:
        """Sign (and in compat/safe mode encrypt) a plaintext callback."""
        ts, nonce = str(timestamp or int(time.time())), str(secrets.randbelow(10**10))
        query = {"timestamp": ts, "nonce": nonce, "signature": sign(self.token, ts, nonce)}
        if mode == "plain":
            return SignedCallback(query, xml.encode())
        encrypted = self._cipher().encrypt(xml)
        query |= {"encrypt_type": "aes", "msg_signature": sign(self.token, ts, nonce, encrypted)}
        wrapped = f"<Encrypt><![CDATA[{encrypted}]]></Encrypt>"
        body = xml.replace("</xml>", wrapped + "</xml>") if mode == "compat" else (
            f"<xml><ToUserName><![CDATA[gh_branchlink]]></ToUserName>{wrapped}</xml>")
        return SignedCallback(query, body.encode())

    def read_reply(self, body: str) -> str:
        """Return a reply's plaintext XML, decrypting an encrypted one (or `success`)."""
        if "<Encrypt>" not in body:
            return body
        fields = parse_document(body)
        expected = sign(self.token, fields["TimeStamp"], fields["Nonce"], encrypted_part(body))
        if expected != fields.get("MsgSignature"):
            raise ValueError("reply signature does not match")
        return self._cipher().decrypt(encrypted_part(body))[0]

    def post(self, url: str, xml: str, mode: str = "plain", session: requests.Session | None = None,
             timeout: float = 5.0) -> requests.Response:
        """Sign and post a callback to a webhook URL."""
        signed = self.sign(xml, mode)
        http = session or requests.Session()
        return http.post(f"{url}?{urlencode(signed.query)}", data=signed.body, timeout=timeout,
                         headers={"Content-Type": "text/xml"})

    def _cipher(self) -> MessageCipher:
        if not self.encoding_aes_key:
            raise ValueError("compat and safe modes need an EncodingAESKey")
        return MessageCipher(self.app_id, [self.encoding_aes_key])
