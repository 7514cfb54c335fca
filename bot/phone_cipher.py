"""Encryption of personal data at rest (mobile numbers), keyed from the service secret, and
the keyed hash that lets staff search a whole number without it being stored in clear."""

import base64
import hashlib
import hmac

from cryptography.fernet import Fernet, InvalidToken, MultiFernet
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.kdf.hkdf import HKDF

from crm_core.model import SealedPhone
from crm_core.pii import normalise_mobile


class PhoneCipher:
    """Encrypts and decrypts mobile numbers with a key derived from `[web] secret_key`; during
    a rotation, numbers encrypted under `previous_secret_key` still decrypt until rotated."""

    def __init__(self, secret_key: str, previous_secret_key: str | None = None) -> None:
        keys = [secret_key] + ([previous_secret_key] if previous_secret_key else [])
        self.fernet = MultiFernet([_fernet(key) for key in keys])
        self.hash_keys = [_derive(key, b"branchlink phone index v1") for key in keys]
        # The bank's customer numbers get a key of their own (same HMAC approach).
        self.customer_key = _KeyedHash(_derive(secret_key, b"branchlink customer number v1"))
        self.phone_key = _KeyedHash(self.hash_keys[0])

    def seal(self, phone: str) -> SealedPhone:
        """Return a mainland mobile number as stored: ciphertext, last four, keyed hash."""
        cipher, last4 = self.encrypt(phone)
        return SealedPhone(cipher, last4, self.digest(normalise_mobile(phone) or ""))

    def digest(self, number: str, key_index: int = 0) -> str:
        """Return the keyed hash (HMAC-SHA256, hex) of a number's 11 digits."""
        return hmac.new(self.hash_keys[key_index], number.encode(), hashlib.sha256).hexdigest()

    def search_digests(self, query: str) -> tuple[str, ...]:
        """Return the hashes a whole number typed in a search matches (under the current key
        and, during a rotation, the previous one); () when the query is no mobile number."""
        number = normalise_mobile(query)
        if number is None:
            return ()
        return tuple(self.digest(number, i) for i in range(len(self.hash_keys)))

    def reseal(self, cipher: str) -> tuple[str, str] | None:
        """Return a stored number's ciphertext and hash under the current key (None: the
        number is under no known key)."""
        number = self.decrypt(cipher)
        if number is None:
            return None
        return self.fernet.encrypt(number.encode()).decode(), self.digest(number)

    def encrypt(self, phone: str) -> tuple[str, str]:
        """Return the ciphertext of a mainland mobile number's 11 digits (however it was
        written: spaces, hyphens, +86, full-width digits) and its last four digits."""
        number = normalise_mobile(phone)
        if number is None:
            raise ValueError("not a mainland mobile number (11 digits starting 13-19)")
        return self.fernet.encrypt(number.encode()).decode(), number[-4:]

    def decrypt(self, cipher: str) -> str | None:
        """Return the number, or None if it was encrypted under another key."""
        try:
            return self.fernet.decrypt(cipher.encode()).decode()
        except InvalidToken:
            return None

    def rotate(self, cipher: str) -> str | None:
        """Return the ciphertext re-encrypted under the current key (None: under no known key)."""
        try:
            return self.fernet.rotate(cipher.encode()).decode()
        except InvalidToken:
            return None


def _fernet(secret_key: str) -> Fernet:
    # A key of its own (HKDF with a purpose label), so sessions and PII never share one.
    return Fernet(base64.urlsafe_b64encode(_derive(secret_key, b"branchlink pii v1")))


class _KeyedHash:
    """HMAC-SHA256 (hex) under one key, for files of numbers: the key is set up once and each
    number hashes on a copy of it (the hmac module's per-call set-up is most of its cost)."""

    def __init__(self, key: bytes) -> None:
        self.keyed = hmac.new(key, digestmod="sha256")

    def __call__(self, number: str) -> str:
        """Return the keyed hash of a number (a bank customer number, a mobile's digits)."""
        mac = self.keyed.copy()
        mac.update(number.encode())
        return mac.hexdigest()


def _derive(secret_key: str, purpose: bytes) -> bytes:
    return HKDF(algorithm=hashes.SHA256(), length=32, salt=None,
                info=purpose).derive(secret_key.encode())
