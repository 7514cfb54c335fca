"""The WeChat API client wired to our settings and a token store shared by all processes."""

import time
import uuid
from collections.abc import Callable
from dataclasses import dataclass

import redis

from bot.config import Settings
from bot.wechat.api import WeChatApi
from bot.wechat.token_store import ACCESS_TOKEN, JSAPI_TICKET, RedisTokenStore, TokenStore
from crm_core import services
from crm_core.model import utcnow
from crm_core.unit_of_work import UnitOfWork


class DatabaseTokenStore:
    """A TokenStore in the CRM database: one `shared_values` row (access token, JS-SDK ticket).

    Reads are cached in the process for a few seconds: a token replaced by another process
    stays valid on the platform for minutes, and a rejected one is refreshed through the lock.
    """

    def __init__(self, uow_factory: Callable[[], UnitOfWork], app_id: str,
                 cache_seconds: float = 30.0, name: str = ACCESS_TOKEN) -> None:
        self.uow_factory = uow_factory
        self.key = f"wechat:{name}:{app_id}"
        self.cache_seconds = cache_seconds
        self._cached: tuple[str, float] | None = None  # (token, monotonic deadline)

    def get_token(self) -> str | None:
        """Return the current token, or None if absent or expired."""
        if self._cached and time.monotonic() < self._cached[1]:
            return self._cached[0]
        now = utcnow()
        with self.uow_factory() as uow:
            entry = services.read_shared(uow, self.key, now)
        if entry is None:
            self._cached = None
            return None
        left = (entry.expires_at - now).total_seconds() if entry.expires_at else self.cache_seconds
        self._cached = (entry.value, time.monotonic() + min(left, self.cache_seconds))
        return entry.value

    def try_lock(self, ttl_seconds: float) -> str | None:
        """Become the refresher for `ttl_seconds`; return an owner id, or None if taken."""
        self._cached = None  # someone needs a fresh token: stop trusting ours
        owner = uuid.uuid4().hex
        with self.uow_factory() as uow:
            taken = services.take_lease(uow, self.key, owner, ttl_seconds, utcnow())
            uow.commit()
        return owner if taken else None

    def save_token(self, token: str, ttl_seconds: float, owner: str) -> bool:
        """Store the token if `owner` still holds the lock; return whether it was stored."""
        with self.uow_factory() as uow:
            stored = services.write_shared(uow, self.key, owner, token, ttl_seconds, utcnow())
            uow.commit()
        self._cached = None
        return stored

    def unlock(self, owner: str) -> None:
        """Release the lock if `owner` still holds it."""
        with self.uow_factory() as uow:
            services.release_lease(uow, self.key, owner)
            uow.commit()


@dataclass(frozen=True)
class TokenStores:
    """The shared stores of one account's credentials: the access token and JS-SDK ticket."""

    token: TokenStore
    ticket: TokenStore


def build_token_stores(settings: Settings,
                       uow_factory: Callable[[], UnitOfWork]) -> TokenStores:
    """Return the configured shared stores (database by default, or one Redis client)."""
    if settings.token_store.backend == "redis":
        client = redis.Redis.from_url(settings.token_store.redis_url)
        prefix = f"branchlink:{settings.wechat.app_id}"
        return TokenStores(RedisTokenStore(client, prefix),
                           RedisTokenStore(client, prefix, JSAPI_TICKET))
    return TokenStores(DatabaseTokenStore(uow_factory, settings.wechat.app_id),
                       DatabaseTokenStore(uow_factory, settings.wechat.app_id, name=JSAPI_TICKET))


def build_api(settings: Settings, stores: TokenStores) -> WeChatApi:
    """Return the WeChat API client for the configured account, on the given shared stores."""
    wechat = settings.wechat
    if not wechat.app_secret:
        raise ValueError("[wechat] app_secret is required to call the platform API")
    return WeChatApi(app_id=wechat.app_id, app_secret=wechat.app_secret,
                     api_base_url=wechat.api_base_url, connect_timeout=wechat.connect_timeout,
                     read_timeout=wechat.read_timeout,
                     max_token_refreshes=wechat.max_token_refreshes,
                     token_store=stores.token, ticket_store=stores.ticket)
