"""The TokenStore contract, for the in-memory store and for Redis on 127.0.0.1:6379."""

from __future__ import annotations

import os
import time
import uuid
from collections.abc import Iterator
from functools import partial

import pytest
import redis

from bot.platform import DatabaseTokenStore
from bot.wechat.token_store import JSAPI_TICKET, InMemoryTokenStore, RedisTokenStore, TokenStore
from crm_core.db import make_engine, make_session_factory
from crm_core.unit_of_work import SqlUnitOfWork
from tests.sandbox_support import GETTICKET, STABLE_TOKEN, api_for, fake_openid, running_sandbox

REDIS_URL = "redis://127.0.0.1:6379/0"
ALICE = fake_openid("alice")


@pytest.fixture
def redis_client() -> Iterator[redis.Redis]:
    client = redis.Redis.from_url(REDIS_URL, socket_timeout=2, socket_connect_timeout=2)
    try:
        client.ping()
    except redis.RedisError as exc:
        client.close()
        message = f"Redis not reachable at {REDIS_URL}: {exc}"
        if os.environ.get("CI") == "true":
            pytest.fail(message)
        pytest.skip(message + " (with CI=true this fails instead)")
    yield client
    client.close()


@pytest.fixture
def redis_prefix(redis_client: redis.Redis) -> Iterator[str]:
    prefix = f"branchlink-test:{uuid.uuid4().hex}"
    yield prefix
    keys = list(redis_client.scan_iter(match=f"{prefix}:*"))
    if keys:
        redis_client.delete(*keys)


@pytest.fixture(params=["memory", "redis", "database"])
def token_store(request: pytest.FixtureRequest) -> TokenStore:
    if request.param == "memory":
        return InMemoryTokenStore()
    if request.param == "database":
        engine = make_engine(request.getfixturevalue("database_url"))
        request.addfinalizer(engine.dispose)
        factory = partial(SqlUnitOfWork, make_session_factory(engine))
        return DatabaseTokenStore(factory, "wx5a4db0c000000001")
    client = request.getfixturevalue("redis_client")
    return RedisTokenStore(client, request.getfixturevalue("redis_prefix"))


def test_only_one_refresher_holds_the_lock_until_it_unlocks(token_store):
    owner = token_store.try_lock(5)

    assert owner is not None
    assert token_store.try_lock(5) is None
    token_store.unlock(owner)
    assert token_store.try_lock(5) is not None


def test_a_refresher_whose_lock_expired_cannot_overwrite_the_newer_token(token_store):
    slow = token_store.try_lock(0.05)
    time.sleep(0.1)
    fast = token_store.try_lock(5)
    assert slow is not None and fast is not None

    assert token_store.save_token("newer", 7200, fast) is True
    assert token_store.save_token("older", 7200, slow) is False
    token_store.unlock(slow)  # must not release the lock `fast` holds
    assert token_store.get_token() == "newer"
    assert token_store.try_lock(5) is None


def test_a_stored_token_disappears_when_it_expires(token_store):
    owner = token_store.try_lock(5)
    assert owner is not None
    token_store.save_token("short-lived", 0.05, owner)
    assert token_store.get_token() == "short-lived"

    time.sleep(0.1)

    assert token_store.get_token() is None


def test_clients_in_separate_processes_share_one_token_through_redis(redis_client, redis_prefix):
    with running_sandbox(followers=(ALICE,)) as sandbox:
        # One RedisTokenStore per client, as each worker process builds its own.
        for _ in range(2):
            with api_for(sandbox, RedisTokenStore(redis_client, redis_prefix)) as api:
                api.send_template(ALICE, "TPL-visit", {"thing1": "开户预约"})

        assert sandbox.count(STABLE_TOKEN) == 1
        assert len(sandbox.inbox(ALICE)) == 2


def test_workers_share_one_jsapi_ticket_through_redis_apart_from_the_token(redis_client,
                                                                           redis_prefix):
    with running_sandbox() as sandbox:
        tickets = []
        for _ in range(2):  # each worker process builds its own stores
            with api_for(sandbox, RedisTokenStore(redis_client, redis_prefix),
                         ticket_store=RedisTokenStore(redis_client, redis_prefix,
                                                      JSAPI_TICKET)) as api:
                tickets.append(api.jsapi_ticket())

        assert tickets == sandbox.tickets() * 2
        assert sandbox.count(GETTICKET) == sandbox.count(STABLE_TOKEN) == 1
        assert RedisTokenStore(redis_client, redis_prefix).get_token() not in tickets
