"""One refresher at a time: read the shared token, or fetch a new one under the store's lock."""

from __future__ import annotations

import time
from collections.abc import Callable

from bot.metrics import TOKEN_REFRESHES
from bot.wechat.errors import TransientError
from bot.wechat.token_store import TokenStore

#: fetch(force_refresh) -> (access_token, expires_in seconds)
TokenFetcher = Callable[[bool], tuple[str, int]]

_POLL_SECONDS = 0.05


class AccessTokenSource:
    """Hand out the shared access token; refresh it at most once per process race."""

    def __init__(
        self,
        store: TokenStore,
        fetch: TokenFetcher,
        lock_ttl_seconds: float,
        lock_wait_seconds: float,
    ) -> None:
        self._store = store
        self._fetch = fetch
        self._lock_ttl = lock_ttl_seconds
        self._lock_wait = lock_wait_seconds

    def current(self) -> str:
        """Return the stored token, fetching one if there is none."""
        return self._store.get_token() or self._obtain(stale=None)

    def replace(self, stale: str) -> str:
        """Return a token other than `stale`, which the platform just rejected."""
        return self._obtain(stale=stale)

    def _obtain(self, stale: str | None) -> str:
        deadline = time.monotonic() + self._lock_wait
        while True:
            owner = self._store.try_lock(self._lock_ttl)
            if owner is not None:
                try:
                    return self._refresh_as_owner(stale, owner)
                finally:
                    self._store.unlock(owner)
            fresh = self._store.get_token()
            if fresh and fresh != stale:
                return fresh  # another process refreshed while we waited
            if time.monotonic() >= deadline:
                raise TransientError(None, "access token refresh by another process timed out")
            time.sleep(_POLL_SECONDS)

    def _refresh_as_owner(self, stale: str | None, owner: str) -> str:
        fresh = self._store.get_token()
        if fresh and fresh != stale:
            return fresh  # someone refreshed between our read and our lock
        token, expires_in = self._fetch(False)
        TOKEN_REFRESHES.labels("false").inc()
        if stale is not None and token == stale:
            # stable_token handed back the rejected token: only now is a forced refresh justified
            # (forced refreshes are rationed by the platform and retire the old token for everyone).
            token, expires_in = self._fetch(True)
            TOKEN_REFRESHES.labels("true").inc()
        # If our lock expired mid-fetch, a newer refresher owns the store: use, but do not save.
        self._store.save_token(token, _store_ttl(expires_in), owner)
        return token


def _store_ttl(expires_in: int) -> float:
    # Drop the token from the store a little before the platform does, so no call carries a
    # token that expires in flight.
    return max(expires_in - 60, expires_in / 2, 1)
