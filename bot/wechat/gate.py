"""The callback gate: refuse forged or stale callbacks, open encrypted ones, seal replies."""

import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass

from bot.wechat.crypto import DecryptError, MessageCipher, envelope, signature_ok
from bot.wechat.messages import encrypted_part
from bot.wechat.replies import NO_REPLY


class Refused(Exception):
    """A callback that must be refused (403): bad signature, stale timestamp, wrong key."""


@dataclass(frozen=True)
class Opened:
    """A verified callback: its plaintext XML and how it was protected."""

    plaintext: str
    key_index: int | None = None  # None: plaintext mode; else the EncodingAESKey used


class CallbackGate:
    """Verifies and decrypts callbacks for one official account."""

    def __init__(self, token: str, cipher: MessageCipher | None, window_seconds: int,
                 clock: Callable[[], float] = time.time) -> None:
        self.token = token
        self.cipher = cipher
        self.window = window_seconds
        self.clock = clock

    def echo(self, args: Mapping[str, str]) -> str:
        """Answer the platform's URL check with its echostr."""
        self._check(args.get("signature"), args)
        return args.get("echostr", "")

    def open(self, args: Mapping[str, str], body: bytes) -> Opened:
        """Verify a POSTed callback and return its plaintext (raises Refused, MalformedMessage)."""
        if args.get("encrypt_type", "raw").lower() != "aes":
            self._check(args.get("signature"), args)
            return Opened(body.decode("utf-8", errors="strict"))
        if self.cipher is None:
            raise Refused("encrypted callback but no EncodingAESKey is configured")
        encrypted = encrypted_part(body)
        self._check(args.get("msg_signature"), args, encrypted)
        if "signature" in args:
            self._check(args.get("signature"), args)
        try:
            plaintext, key_index = self.cipher.decrypt(encrypted)
        except DecryptError as error:
            raise Refused(str(error)) from error
        return Opened(plaintext, key_index)

    def seal(self, reply: str, opened: Opened) -> str:
        """Encrypt a reply for an encrypted callback; `success` goes out as it is."""
        if opened.key_index is None or self.cipher is None or reply == NO_REPLY:
            return reply
        return envelope(self.cipher, self.token, reply, opened.key_index)

    def _check(self, signature: str | None, args: Mapping[str, str], *extra: str) -> None:
        timestamp, nonce = args.get("timestamp", ""), args.get("nonce", "")
        if not signature_ok(signature, self.token, timestamp, nonce, *extra):
            raise Refused("bad signature")
        if not timestamp.isdigit() or abs(self.clock() - int(timestamp)) > self.window:
            raise Refused("timestamp outside the accepted window")
