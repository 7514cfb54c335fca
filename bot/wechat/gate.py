"""The callback gate: refuse forged or stale callbacks, open encrypted ones, seal replies.

The mode is the one chosen on the platform (明文, 兼容 or 安全模式) and nothing else is taken.
A plaintext callback is signed over token, timestamp and nonce only, never over its body: anyone
holding one captured query string (proxies log them) can post any body with it inside the
timestamp window. So in safe mode only encrypted callbacks with a valid msg_signature pass, and
where an encrypted part is present its plaintext twin is never read.
"""

import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass

from bot.wechat.crypto import DecryptError, MessageCipher, envelope, signature_ok
from bot.wechat.messages import MalformedMessage, encrypted_part, parse_document
from bot.wechat.replies import NO_REPLY

PLAINTEXT, COMPATIBLE, SAFE = "plaintext", "compatible", "safe"


class Refused(Exception):
    """A callback that must be refused (403): bad signature, stale timestamp, wrong key.

    `reason` names the kind of refusal for operators: mode, signature, timestamp or decrypt.
    """

    def __init__(self, message: str, reason: str) -> None:
        super().__init__(message)
        self.reason = reason


@dataclass(frozen=True)
class Opened:
    """A verified callback: its plaintext XML and how it was protected."""

    plaintext: str
    key_index: int | None = None  # None: plaintext mode; else the EncodingAESKey used


class CallbackGate:
    """Verifies and decrypts callbacks for one official account."""

    def __init__(self, token: str, cipher: MessageCipher | None, window_seconds: int,
                 mode: str | None = None, clock: Callable[[], float] = time.time) -> None:
        self.token = token
        self.cipher = cipher
        self.window = window_seconds
        self.mode = mode or (SAFE if cipher else PLAINTEXT)
        self.clock = clock

    def echo(self, args: Mapping[str, str]) -> str:
        """Answer the platform's URL check with its echostr."""
        self._check(args.get("signature"), args)
        return args.get("echostr", "")

    def open(self, args: Mapping[str, str], body: bytes) -> Opened:
        """Verify a POSTed callback and return its plaintext (raises Refused, MalformedMessage)."""
        if args.get("encrypt_type", "raw").lower() != "aes":
            return self._open_plaintext(args, body)
        if self.cipher is None or self.mode == PLAINTEXT:
            raise Refused("encrypted callback but the webhook is in plaintext mode", "mode")
        encrypted = encrypted_part(body)
        self._check(args.get("msg_signature"), args, encrypted)
        if "signature" in args:
            self._check(args.get("signature"), args)
        try:
            plaintext, key_index = self.cipher.decrypt(encrypted)
        except DecryptError as error:
            raise Refused(str(error), "decrypt") from error
        return Opened(plaintext, key_index)

    def _open_plaintext(self, args: Mapping[str, str], body: bytes) -> Opened:
        if self.mode == SAFE:
            raise Refused("safe mode accepts only encrypt_type=aes callbacks", "mode")
        self._check(args.get("signature"), args)
        if self.mode == COMPATIBLE and _has_encrypted_part(body):
            raise Refused("an encrypted part without encrypt_type=aes and msg_signature", "mode")
        return Opened(body.decode("utf-8", errors="strict"))

    def seal(self, reply: str, opened: Opened) -> str:
        """Encrypt a reply for an encrypted callback; `success` goes out as it is."""
        if opened.key_index is None or self.cipher is None or reply == NO_REPLY:
            return reply
        return envelope(self.cipher, self.token, reply, opened.key_index)

    def _check(self, signature: str | None, args: Mapping[str, str], *extra: str) -> None:
        timestamp, nonce = args.get("timestamp", ""), args.get("nonce", "")
        if not signature_ok(signature, self.token, timestamp, nonce, *extra):
            raise Refused("bad signature", "signature")
        if not timestamp.isdigit() or abs(self.clock() - int(timestamp)) > self.window:
            raise Refused("timestamp outside the accepted window", "timestamp")


def _has_encrypted_part(body: bytes) -> bool:
    try:
        return "Encrypt" in parse_document(body)
    except MalformedMessage:
        return False  # parsing the message refuses it with its own reason
