"""Where all processes of one account share the access token and take turns refreshing it.

Contract for implementers (a database-backed store will follow the same Protocol):
- `get_token()` returns the stored token, or None when absent or past its expiry.
- `try_lock(ttl)` is atomic: it returns a fresh owner id to exactly one caller until that caller
  unlocks or `ttl` seconds pass; everyone else gets None.
- `save_token(token, ttl, owner)` stores the token only while `owner` still holds the lock, in the
  same atomic step; a refresher whose lock expired therefore cannot overwrite a newer token.
- `unlock(owner)` releases the lock only if `owner` still holds it.
One store instance serves one WeChat account (the key prefix carries the app id) and one value:
the access token, or (`name`) another credential fetched and cached the same way, such as the
JS-SDK ticket (`JSAPI_TICKET`).
"""

from __future__ import annotations

import threading
import time
import uuid
from typing import Protocol

import redis

ACCESS_TOKEN = "access_token"  # noqa: S105  # a store name, not a secret
JSAPI_TICKET = "jsapi_ticket"


class TokenStore(Protocol):
    """Shared access-token storage with a single-refresher lock."""

    def get_token(self) -> str | None:
        """Return the current token, or None if absent or expired."""
        ...

    def try_lock(self, ttl_seconds: float) -> str | None:
        """Become the refresher for `ttl_seconds`; return an owner id, or None if taken."""
        ...

    def save_token(self, token: str, ttl_seconds: float, owner: str) -> bool:
        """Store the token if `owner` still holds the lock; return whether it was stored."""
        ...

    def unlock(self, owner: str) -> None:
        """Release the lock if `owner` still holds it."""
        ...


class InMemoryTokenStore:
    """A TokenStore for one process (tests, single-worker tools)."""

    def __init__(self) -> None:
        self._guard = threading.Lock()
        self._token: tuple[str, float] | None = None
        self._lock: tuple[str, float] | None = None

    def get_token(self) -> str | None:
        """Return the current token, or None if absent or expired."""
        with self._guard:
            if self._token and self._token[1] > time.monotonic():
                return self._token[0]
            return None

    def try_lock(self, ttl_seconds: float) -> str | None:
        """Become the refresher for `ttl_seconds`; return an owner id, or None if taken."""
        with self._guard:
            if self._lock and self._lock[1] > time.monotonic():
                return None
            owner = uuid.uuid4().hex
            self._lock = (owner, time.monotonic() + ttl_seconds)
            return owner

    def save_token(self, token: str, ttl_seconds: float, owner: str) -> bool:
        """Store the token if `owner` still holds the lock; return whether it was stored."""
        with self._guard:
            if not self._holds(owner):
                return False
            self._token = (token, time.monotonic() + ttl_seconds)
            return True

    def unlock(self, owner: str) -> None:
        """Release the lock if `owner` still holds it."""
        with self._guard:
            if self._holds(owner):
                self._lock = None

    def _holds(self, owner: str) -> bool:
        return bool(self._lock and self._lock[0] == owner and self._lock[1] > time.monotonic())


# Compare-and-set in one Lua script: Redis runs it atomically, so the lock check and the write
# cannot be separated by another process's refresh.
_SAVE_IF_OWNER = """
if redis.call('GET', KEYS[2]) == ARGV[3] then
  redis.call('SET', KEYS[1], ARGV[1], 'PX', ARGV[2])
  return 1
end
return 0
"""
_UNLOCK_IF_OWNER = """
if redis.call('GET', KEYS[1]) == ARGV[1] then
  return redis.call('DEL', KEYS[1])
end
return 0
"""


class RedisTokenStore:
    """A TokenStore shared by every process that reaches the same Redis."""

    def __init__(self, client: redis.Redis, key_prefix: str, name: str = ACCESS_TOKEN) -> None:
        self._redis = client
        self._token_key = f"{key_prefix}:{name}"
        # The access token's lock keeps its original key, so running processes still agree.
        lock = "refresh_lock" if name == ACCESS_TOKEN else f"{name}:refresh_lock"
        self._lock_key = f"{key_prefix}:{lock}"
        self._save = client.register_script(_SAVE_IF_OWNER)
        self._unlock = client.register_script(_UNLOCK_IF_OWNER)

    def get_token(self) -> str | None:
        """Return the current token, or None if absent or expired."""
        value = self._redis.get(self._token_key)
        if value is None:
            return None
        return value.decode() if isinstance(value, bytes) else str(value)

    def try_lock(self, ttl_seconds: float) -> str | None:
        """Become the refresher for `ttl_seconds`; return an owner id, or None if taken."""
        owner = uuid.uuid4().hex
        taken = self._redis.set(self._lock_key, owner, nx=True, px=_millis(ttl_seconds))
        return owner if taken else None

    def save_token(self, token: str, ttl_seconds: float, owner: str) -> bool:
        """Store the token if `owner` still holds the lock; return whether it was stored."""
        keys = [self._token_key, self._lock_key]
        return bool(self._save(keys=keys, args=[token, _millis(ttl_seconds), owner]))

    def unlock(self, owner: str) -> None:
        """Release the lock if `owner` still holds it."""
        self._unlock(keys=[self._lock_key], args=[owner])


def _millis(seconds: float) -> int:
    return max(1, int(seconds * 1000))
