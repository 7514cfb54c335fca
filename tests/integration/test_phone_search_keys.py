"""The keyed hash behind a whole-phone search: filled for old rows, kept through a rotation."""

from collections.abc import Iterator
from pathlib import Path

import pytest
from click.testing import CliRunner
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import select, update

from bot import create_app
from bot.cli.base import Cli
from bot.cli.customers import customers
from crm_core.model import AuditEvent, Customer
from tests.conftest import WEB_SECRET, make_settings, runtime
from tests.console_support import login, populate
from tests.lists_support import PHONE, crowd

NEW_SECRET = "new-web-secret-after-rotation-0123456789abcdef"


def _cli(app: Flask, *args: str):  # type: ignore[no-untyped-def]
    cli = Cli(None)
    cli.__dict__["runtime"] = runtime(app)
    cli.__dict__["settings"] = runtime(app).settings
    return CliRunner().invoke(customers, list(args), obj=cli)


def _found(app: Flask, query: str) -> int:
    client: FlaskClient = app.test_client()
    login(client, "m1")
    return client.get("/console/customers", query_string={"q": query}).text.count(
        "data-customer=")


@pytest.fixture
def after_rotation(database_url: str, tmp_path: Path) -> Iterator[Flask]:
    """The app on the same database once the secret was rotated (old one kept as previous)."""
    app = create_app(make_settings(database_url, tmp_path, web={
        "secret_key": NEW_SECRET, "previous_secret_key": WEB_SECRET}))
    yield app
    runtime(app).engine.dispose()


def test_rehash_fills_the_hash_of_numbers_recorded_before_the_upgrade(app: Flask) -> None:
    populate(runtime(app))
    crowd(runtime(app), 1)
    with runtime(app).engine.begin() as connection:
        connection.execute(update(Customer).values(phone_hash=None))  # as after migrating
    assert _found(app, PHONE) == 0
    result = _cli(app, "rehash-phones", "--batch", "1")
    assert result.exit_code == 0, result.output
    assert "1 phone numbers hashed" in result.output
    assert _found(app, PHONE) == 1
    with runtime(app).engine.connect() as connection:
        assert connection.scalar(select(AuditEvent.detail).where(
            AuditEvent.action == "pii_rehashed")) == {"rehashed": 1, "unreadable": 0}


def test_a_whole_number_is_found_during_a_rotation_and_after_the_rotation_command(
        app: Flask, after_rotation: Flask) -> None:
    populate(runtime(app))
    crowd(runtime(app), 1)
    assert _found(after_rotation, PHONE) == 1  # hashed under the previous key, still found
    result = _cli(after_rotation, "rotate-phones")
    assert result.exit_code == 0, result.output
    with runtime(app).engine.connect() as connection:
        stored = connection.scalar(select(Customer.phone_hash).where(
            Customer.phone_hash.is_not(None)))
    assert stored is not None
    assert _found(after_rotation, PHONE) == 1
    assert _found(app, PHONE) == 0  # the old key alone no longer matches what is stored
