"""Signatures and AES message encryption of the WeChat callback protocol."""

import base64
import binascii
import hashlib
import hmac
import secrets
import struct
import time
from collections.abc import Sequence

from wechatpy.crypto import PrpCrypto
from wechatpy.exceptions import InvalidAppIdException


class DecryptError(ValueError):
    """No configured EncodingAESKey opens this message for this AppID."""


def sign(*parts: str) -> str:
    """Return the platform's signature: sha1 of the sorted, concatenated parts."""
    return hashlib.sha1("".join(sorted(parts)).encode()).hexdigest()  # noqa: S324 - protocol


def signature_ok(expected: str | None, *parts: str) -> bool:
    """Check a signature in constant time."""
    if not expected:
        return False
    return hmac.compare_digest(sign(*parts).encode(), expected.strip().lower().encode())


def aes_key_bytes(encoding_aes_key: str) -> bytes:
    """Decode a 43-character EncodingAESKey into its 32-byte AES key."""
    key = base64.b64decode(encoding_aes_key + "=")
    if len(key) != 32:
        raise ValueError("EncodingAESKey must decode to 32 bytes")
    return key


class MessageCipher:
    """AES-256-CBC of the safe and compatible modes, trying each key in turn (key rotation)."""

    def __init__(self, app_id: str, encoding_aes_keys: Sequence[str]) -> None:
        self.app_id = app_id
        self.keys = [aes_key_bytes(key) for key in encoding_aes_keys]

    def decrypt(self, encrypted: str) -> tuple[str, int]:
        """Return the plaintext XML and the index of the key that opened it."""
        for index, key in enumerate(self.keys):
            try:
                return PrpCrypto(key).decrypt(encrypted, self.app_id), index
            except (ValueError, binascii.Error, struct.error, UnicodeDecodeError,
                    InvalidAppIdException, IndexError):
                continue
        raise DecryptError("no EncodingAESKey decrypts this message for this AppID")

    def encrypt(self, plaintext: str, key_index: int = 0) -> str:
        """Encrypt plaintext XML with one of the keys (the one the platform used)."""
        return str(PrpCrypto(self.keys[key_index]).encrypt(plaintext, self.app_id).decode())


def envelope(cipher: MessageCipher, token: str, plaintext: str, key_index: int = 0,
             timestamp: str | None = None, nonce: str | None = None) -> str:
    """Wrap plaintext XML into the signed <Encrypt> envelope of the safe mode."""
    timestamp = timestamp or str(int(time.time()))
    nonce = nonce or str(secrets.randbelow(10**10))
    encrypted = cipher.encrypt(plaintext, key_index)
    signature = sign(token, timestamp, nonce, encrypted)
    return (f"<xml><Encrypt><![CDATA[{encrypted}]]></Encrypt>"
            f"<MsgSignature><![CDATA[{signature}]]></MsgSignature>"
            f"<TimeStamp>{timestamp}</TimeStamp><Nonce><![CDATA[{nonce}]]></Nonce></xml>")
