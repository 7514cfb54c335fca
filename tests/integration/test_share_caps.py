"""Caps on the forwarded shares page opens may create: per client address (an IPv6 /64 is one)
and per chain of forwards, counted in the database so every process shares them."""

import json
import re
import threading
from datetime import datetime, timedelta
from pathlib import Path

import pytest
from flask import Flask
from sqlalchemy import func, select

from bot.config import Settings
from crm_core import services
from crm_core.model import RateCounter, ShareLink
from tests.conftest import make_settings, runtime
from tests.product_support import board, handed_link, open_link, rows, share_shop

PER_ADDRESS, PER_CHAIN = 3, 5
HOUR = timedelta(hours=1)


@pytest.fixture
def settings(database_url: str, tmp_path: Path) -> Settings:
    return make_settings(database_url, tmp_path, products={
        "forwards_per_address_hour": PER_ADDRESS, "forwards_per_share_hour": PER_CHAIN})


@pytest.fixture
def shop(app, platform):  # type: ignore[no-untyped-def]
    return share_shop(app, platform)


def forward_along(app: Flask, path: str, addresses: list[str]) -> None:
    """Each address, a new browser, opens the page the one before it forwarded."""
    for address in addresses:
        client = app.test_client()
        client.environ_base["REMOTE_ADDR"] = address
        page = open_link(client, path)
        assert page.status_code == 200
        found = re.search(r'history\.replaceState\(null, "", ("[^"]+")\)', page.text)
        assert found is not None
        path = json.loads(found.group(1))


def shares(app: Flask) -> int:
    return int(rows(app, select(func.count(ShareLink.id)))[0][0])


def test_a_chain_of_forwards_from_many_addresses_is_capped_as_a_whole(shop, platform) -> None:
    link = handed_link(shop, platform)
    open_link(shop.test_client(), link)  # the customer's own first open
    forward_along(shop, link, [f"198.51.100.{n}" for n in range(1, 13)])
    assert shares(shop) == 1 + PER_CHAIN
    assert board(shop)["customers"][0]["opens"] == 12  # every open still counts for the root


def test_one_ipv6_subscriber_counts_as_one_address(shop, platform) -> None:
    link = handed_link(shop, platform)
    open_link(shop.test_client(), link)
    forward_along(shop, link, [f"2001:db8:1:2::{n:x}" for n in range(1, 9)])
    assert shares(shop) == 1 + PER_ADDRESS


def within_cap(app: Flask, cap: int, now: datetime) -> bool:
    with runtime(app).uow() as uow:
        allowed = services.within_cap(uow, "test:key", cap, HOUR, now)
        uow.commit()
    return allowed


def test_a_cap_holds_for_its_window_and_old_windows_are_forgotten(app) -> None:
    start = datetime(2026, 12, 1, 9, 0)
    assert [within_cap(app, 2, start + timedelta(minutes=m)) for m in (0, 10, 59)] == [
        True, True, False]
    assert within_cap(app, 2, start + HOUR) is True  # a new window
    assert rows(app, select(RateCounter.hits)) == [(1,)]  # the one before it is gone


def test_concurrent_tries_never_pass_the_cap(app) -> None:
    now, results = datetime(2026, 12, 1, 9, 30), []
    lock = threading.Lock()

    def attempt() -> None:
        allowed = within_cap(app, 5, now)
        with lock:
            results.append(allowed)
    threads = [threading.Thread(target=attempt) for _ in range(12)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    assert len(results) == 12 and results.count(True) == 5
