"""Masking of personal data (mobile numbers, ID numbers) before it is stored or shown."""

import re

_ID_NUMBER = re.compile(r"(?<!\d)\d{6}(?:19|20)\d{2}\d{7}[\dXx](?!\d)")
_MOBILE = re.compile(r"(?<!\d)(1[3-9]\d)\d{4}(\d{4})(?!\d)")


def mask_text(text: str) -> str:
    """Mask every ID number (keeping the last 4) and mobile number in free text."""
    text = _ID_NUMBER.sub(lambda m: "*" * 14 + m.group(0)[-4:], text)
    return _MOBILE.sub(r"\1****\2", text)
