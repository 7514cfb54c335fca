"""Login limits: per account and per client address, counted atomically in the database."""

import threading
from datetime import datetime, timedelta
from pathlib import Path

import pytest
from flask import Flask
from sqlalchemy import func, select

from bot.config import Settings
from bot.web.staff_auth import authenticate
from crm_core.model import AuditEvent
from tests.conftest import make_settings, runtime
from tests.console_support import PASSWORD, login, populate

WRONG = "not the password"


@pytest.fixture
def settings(database_url: str, tmp_path: Path) -> Settings:
    # 26 guesses at once share a pool of 15 connections: on a loaded machine the default 1 s
    # wait for a free connection (an outage, by design) would end some guesses before they
    # are checked, and this file is about the limits, not the pool.
    return make_settings(database_url, tmp_path, database={"pool_timeout": 30.0})


def audited(app: Flask, action: str, subject: str | None = None) -> int:
    stmt = select(func.count()).select_from(AuditEvent).where(AuditEvent.action == action)
    if subject is not None:
        stmt = stmt.where(AuditEvent.subject == subject)
    with runtime(app).engine.connect() as connection:
        return int(connection.scalar(stmt) or 0)


def at(monkeypatch: pytest.MonkeyPatch, moment: datetime) -> None:
    monkeypatch.setattr("bot.web.staff_auth.utcnow", lambda: moment)


def test_attempts_while_locked_do_not_extend_the_lock(app: Flask,
                                                      monkeypatch: pytest.MonkeyPatch) -> None:
    populate(runtime(app))
    client, start = app.test_client(), datetime(2026, 12, 1, 9, 0)
    at(monkeypatch, start)
    for _ in range(5):
        assert login(client, "m1", WRONG).status_code == 401
    at(monkeypatch, start + timedelta(minutes=10))
    for _ in range(4):
        assert login(client, "m1", WRONG).status_code == 401
    assert login(client, "m1", PASSWORD).status_code == 401  # still locked
    at(monkeypatch, start + timedelta(minutes=15, seconds=1))
    assert login(client, "m1", PASSWORD).status_code == 302  # the lock ended with its window
    assert audited(app, "login_failed", "m1") == 5 and audited(app, "login_throttled", "m1") == 5


def test_one_password_sprayed_across_accounts_is_stopped_at_the_address_limit(
        app: Flask) -> None:
    populate(runtime(app))
    sprayer = app.test_client()
    for number in range(20):
        assert login(sprayer, f"user{number}", PASSWORD).status_code == 401
    assert login(sprayer, "m1", PASSWORD).status_code == 401  # even the right one, from there
    elsewhere = app.test_client()
    elsewhere.environ_base["REMOTE_ADDR"] = "192.0.2.10"
    assert login(elsewhere, "m1", PASSWORD).status_code == 302
    assert audited(app, "login_throttled", "m1") == 1


def guess_at_once(app: Flask, usernames: list[str], addresses: list[str]) -> None:
    """Every (username, address) pair tries a wrong password at the same moment."""
    barrier = threading.Barrier(len(usernames))

    def guess(username: str, address: str) -> None:
        barrier.wait(timeout=30)
        assert authenticate(runtime(app), username, WRONG, address) is None

    threads = [threading.Thread(target=guess, args=pair) for pair in zip(usernames, addresses,
                                                                           strict=True)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert not any(thread.is_alive() for thread in threads)


def test_concurrent_guesses_at_one_account_get_no_more_checks_than_the_limit(app: Flask) -> None:
    populate(runtime(app))
    guess_at_once(app, ["m1"] * 16, [f"198.51.100.{n}" for n in range(16)])
    assert audited(app, "login_failed", "m1") == 5
    assert audited(app, "login_throttled", "m1") == 11
    assert authenticate(runtime(app), "m1", PASSWORD, "198.51.100.99") is None


def test_concurrent_guesses_from_one_address_get_no_more_checks_than_its_limit(
        app: Flask) -> None:
    populate(runtime(app))
    guess_at_once(app, [f"user{n}" for n in range(26)], ["203.0.113.5"] * 26)
    assert audited(app, "login_failed") == 20 and audited(app, "login_throttled") == 6
