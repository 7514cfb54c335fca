"""Rotating `[web] secret_key`: nothing signed or encrypted under the old one is lost."""

import re
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from click.testing import CliRunner
from flask import Flask
from sqlalchemy import select

from bot import create_app
from bot.cli.base import Cli
from bot.cli.customers import customers
from bot.phone_cipher import PhoneCipher
from bot.share_tokens import ShareTokens
from crm_core import services
from crm_core.model import AuditEvent, Customer, utcnow
from tests.conftest import WEB_SECRET, make_settings, runtime
from tests.console_support import login, populate
from tests.product_support import import_sample

NEW_SECRET = "new-web-secret-after-rotation-0123456789abcdef"
PHONE = "13812345678"
CUSTOMER = "c1-sh001-01"  # m1's customer: m1 sees the whole number


@pytest.fixture
def rotated(database_url: str, tmp_path: Path) -> Iterator[Callable[[str | None], Flask]]:
    """Apps on the same database after the rotation (with or without the previous secret)."""
    made: list[Flask] = []

    def make(previous: str | None) -> Flask:
        made.append(create_app(make_settings(database_url, tmp_path, web={
            "secret_key": NEW_SECRET, "previous_secret_key": previous})))
        return made[-1]
    yield make
    for app in made:
        runtime(app).engine.dispose()


def phone_seen_by_m1(app: Flask, customer_id: int) -> str:
    staff = app.test_client()
    login(staff, "m1")
    page = staff.get(f"/console/customers/{customer_id}").text
    shown = page.split('id="phone">')[1].split("</dd>")[0]
    return re.sub(r"<[^>]+>", "", shown).split()[0] if shown.strip() else ""


def rotate(app: Flask):  # type: ignore[no-untyped-def]
    cli = Cli(None)
    cli.__dict__["runtime"] = runtime(app)
    cli.__dict__["settings"] = runtime(app).settings
    return CliRunner().invoke(customers, ["rotate-phones", "--batch", "2"], obj=cli)


def test_phones_stay_readable_through_a_rotation(app: Flask, rotated) -> None:  # type: ignore[no-untyped-def]
    world = populate(runtime(app))
    old = PhoneCipher(WEB_SECRET)
    with runtime(app).uow() as uow:  # three numbers under the old secret: two batches of 2
        for openid in world.customers:
            services.set_customer_details(uow, openid, None, old.seal(PHONE), "test",
                                          utcnow())
        uow.commit()
    customer_id = world.customers[CUSTOMER]
    during = rotated(WEB_SECRET)
    assert phone_seen_by_m1(during, customer_id) == PHONE
    result = rotate(during)
    assert result.exit_code == 0, result.output
    assert "3 phone numbers re-encrypted" in result.output
    after = rotated(None)
    assert phone_seen_by_m1(after, customer_id) == PHONE
    with runtime(after).engine.connect() as connection:
        ciphers = connection.scalars(select(Customer.phone_cipher)
                                     .where(Customer.phone_cipher.is_not(None))).all()
        event = connection.execute(select(AuditEvent.detail)
                                   .where(AuditEvent.action == "pii_rotated")).one()
    assert all(PhoneCipher(NEW_SECRET).decrypt(c) == PHONE for c in ciphers)
    assert all(old.decrypt(c) is None for c in ciphers)
    assert event.detail == {"rotated": 3, "unreadable": 0}


def test_a_number_under_an_unknown_key_is_reported_and_kept(app: Flask, rotated) -> None:  # type: ignore[no-untyped-def]
    world = populate(runtime(app))
    stranger = PhoneCipher("some-other-secret-nobody-configured-0123456789")
    with runtime(app).uow() as uow:
        services.set_customer_details(uow, CUSTOMER, None, stranger.seal(PHONE), "test",
                                      utcnow())
        uow.commit()
    result = rotate(rotated(WEB_SECRET))
    assert result.exit_code == 1 and "1 phone numbers are encrypted under neither" in result.output
    with runtime(app).engine.connect() as connection:
        kept = connection.scalar(select(Customer.phone_cipher)
                                 .where(Customer.id == world.customers[CUSTOMER]))
    assert kept is not None and stranger.decrypt(kept) == PHONE


@pytest.mark.parametrize(("previous", "status"), [(WEB_SECRET, 302), (None, 404)])
def test_share_links_signed_before_the_rotation(app: Flask, rotated, previous: str | None,  # type: ignore[no-untyped-def]
                                                status: int) -> None:
    populate(runtime(app))
    with runtime(app).uow() as uow:
        import_sample(uow)
        uow.commit()
    token = ShareTokens(WEB_SECRET, 3600).issue(services.ShareClaim("mSH001-01", "WM001"))
    assert rotated(previous).test_client().get(f"/s/{token}").status_code == status


@pytest.mark.parametrize(("previous", "status"), [(WEB_SECRET, 200), (None, 302)])
def test_console_sessions_survive_the_rotation(app: Flask, rotated, previous: str | None,  # type: ignore[no-untyped-def]
                                               status: int) -> None:
    populate(runtime(app))
    staff = app.test_client()
    login(staff, "m1")
    cookie = staff.get_cookie("session")
    assert cookie is not None
    client = rotated(previous).test_client()
    client.set_cookie("session", cookie.value)
    assert client.get("/console/leads").status_code == status  # 302: back to the login
