"""Encryption of personal data at rest (mobile numbers), keyed from the service secret."""

import base64

from cryptography.fernet import Fernet, InvalidToken, MultiFernet
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.kdf.hkdf import HKDF

from crm_core.pii import normalise_mobile


class PhoneCipher:
    """Encrypts and decrypts mobile numbers with a key derived from `[web] secret_key`; during
    a rotation, numbers encrypted under `previous_secret_key` still decrypt until rotated."""

    def __init__(self, secret_key: str, previous_secret_key: str | None = None) -> None:
        keys = [secret_key] + ([previous_secret_key] if previous_secret_key else [])
        self.fernet = MultiFernet([_fernet(key) for key in keys])

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
    key = HKDF(algorithm=hashes.SHA256(), length=32, salt=None,
               info=b"branchlink pii v1").derive(secret_key.encode())
    return Fernet(base64.urlsafe_b64encode(key))
