"""What a setting's value must look like: each check returns None or what is wrong with it."""

import re
from collections.abc import Callable
from typing import Any

Check = Callable[[Any], str | None]


class ConfigError(ValueError):
    """The configuration cannot be used; the message names the key."""


def meta(rule: Check | None = None) -> Any:
    """A dataclass field's metadata carrying its check."""
    return {"check": rule}


def check(pattern: str, hint: str) -> Check:
    regex = re.compile(pattern)
    return lambda value: None if value is None or regex.fullmatch(value) else hint


def between(low: int, high: int) -> Check:
    return lambda value: None if low <= value <= high else f"must be {low} to {high}"


def positive(value: Any) -> str | None:
    return None if value > 0 else "must be greater than 0"


def not_negative(value: Any) -> str | None:
    return None if value >= 0 else "must be 0 or more"


percent = between(0, 100)


def temporary_code_days(value: Any) -> str | None:
    # The platform keeps a temporary QR code 30 days at most.
    return None if 1 <= value <= 30 else "must be 1..30 (days a temporary QR code lives)"


def database_url(value: Any) -> str | None:
    ok = value.startswith(("sqlite:", "postgresql:", "postgresql+psycopg:"))
    return None if ok else "must be a sqlite:/// or postgresql+psycopg:// URL"


def connect_timeout(value: Any) -> str | None:
    return None if value >= 2 else "must be at least 2 (seconds; libpq's minimum)"


AES_KEY = check(r"[A-Za-z0-9]{43}", "must be exactly 43 letters and digits (EncodingAESKey)")
APP_ID = check(r"wx[0-9A-Za-z]{16}", "must look like wx followed by 16 letters or digits")
TOKEN = check(r"[A-Za-z0-9]{3,32}", "must be 3..32 letters or digits")
HH_MM = check(r"([01]\d|2[0-3]):[0-5]\d", "must be HH:MM (24-hour)")
HOST_PORT = check(r"[^\s:]+:\d{1,5}", "must be HOST:PORT")
URL = check(r"https?://\S+[^/]", "must be an http(s) URL without a trailing slash")
# The platform's message modes (明文, 兼容, 安全模式); empty: safe with a key, else plaintext.
MODE = check(r"(plaintext|compatible|safe)?",
             "must be plaintext, compatible or safe (the platform's 明文, 兼容 or 安全模式)")
FIELDS = check(r"[a-z_]+\d*(,[a-z_]+\d*)*", "must be comma-separated template keywords")
