"""`branchlink customers`: a customer's record, the details staff maintain, risk assessments."""

import json
from collections.abc import Callable
from datetime import datetime

import click

from bot.cli.base import FORMATS, Cli, pass_cli, refused, run_import
from bot.phone_cipher import PhoneCipher
from crm_core import services
from crm_core.model import utcnow


@click.group()
def customers() -> None:
    """Customers."""


@customers.command("show")
@click.argument("openid")
@pass_cli
def customers_show(cli: Cli, openid: str) -> None:
    """Print a customer's record as JSON."""
    with cli.runtime.uow() as uow:
        profile = services.customer_profile(uow, openid)
        if profile is not None:
            services.audit(uow, utcnow(), "cli", "customer_exported", openid)
            uow.commit()
    if profile is None:
        raise click.ClickException(f"no customer with openid {openid!r}")
    click.echo(json.dumps(profile, ensure_ascii=False, indent=2))


OPERATOR = "cli"


@customers.command("phone")
@click.argument("openid")
@click.argument("phone")
@pass_cli
def customers_phone(cli: Cli, openid: str, phone: str) -> None:
    """Record a customer's mobile number (stored encrypted)."""
    with refused(ValueError, LookupError):
        sealed = _cipher(cli).seal(phone)
        with cli.runtime.uow() as uow:
            services.set_customer_details(uow, openid, None, sealed, OPERATOR, utcnow())
            uow.commit()
    click.echo(f"phone of {openid} recorded (…{sealed.last4})")


@customers.command("name")
@click.argument("openid")
@click.argument("name")
@pass_cli
def customers_name(cli: Cli, openid: str, name: str) -> None:
    """Give a customer a name staff recognise (备注名)."""
    with cli.runtime.uow() as uow:
        with refused(LookupError):
            services.set_customer_details(uow, openid, name, None, OPERATOR, utcnow())
        uow.commit()
    click.echo(f"{openid} is now called {name}")


@customers.command("rotate-phones")
@click.option("--batch", default=500, show_default=True, help="Customers per transaction.")
@pass_cli
def customers_rotate_phones(cli: Cli, batch: int) -> None:
    """Re-encrypt and re-hash every stored phone number under the current [web] secret_key.

    Run it after moving the old secret to `previous_secret_key`; once it reports no unreadable
    number, `previous_secret_key` can go (after share links' `link_ttl_days`, which it signs).
    """
    rotated, unreadable = _reseal_all(cli, batch, _cipher(cli).reseal, "pii_rotated",
                                      "rotated")
    click.echo(f"{rotated} phone numbers re-encrypted under the current key")
    _unreadable(unreadable)


@customers.command("rehash-phones")
@click.option("--batch", default=500, show_default=True, help="Customers per transaction.")
@pass_cli
def customers_rehash_phones(cli: Cli, batch: int) -> None:
    """Fill the keyed hash that finds a customer by a whole phone number (after an upgrade,
    or after a rotation of [web] secret_key), leaving the ciphertexts as they are."""
    cipher = _cipher(cli)

    def rehash(stored: str) -> tuple[str, str] | None:
        number = cipher.decrypt(stored)
        return None if number is None else (stored, cipher.digest(number))

    rehashed, unreadable = _reseal_all(cli, batch, rehash, "pii_rehashed", "rehashed")
    click.echo(f"{rehashed} phone numbers hashed under the current key")
    _unreadable(unreadable)


def _cipher(cli: Cli) -> PhoneCipher:
    web = cli.settings.web
    return PhoneCipher(web.secret_key, web.previous_secret_key)


def _reseal_all(cli: Cli, batch: int, reseal: Callable[[str], tuple[str, str] | None],
                action: str, counted: str) -> tuple[int, int]:
    after = done_count = unreadable = 0
    while True:
        with cli.runtime.uow() as uow:
            done = services.rotate_phones(uow, reseal, after, batch)
            if done is None:
                break
            uow.commit()
        after, done_count, unreadable = done.last_id, done_count + done.rotated, \
            unreadable + done.unreadable
    with cli.runtime.uow() as uow:
        services.audit(uow, utcnow(), OPERATOR, action, "customers.phone",
                       {counted: done_count, "unreadable": unreadable})
        uow.commit()
    return done_count, unreadable


def _unreadable(count: int) -> None:
    if count:
        raise click.ClickException(f"{count} phone numbers are encrypted under neither "
                                   "secret_key nor previous_secret_key: left as they are")


@customers.command("import-risk")
@click.argument("path", type=click.Path(exists=True, dir_okay=False))
@click.option("--format", "fmt", type=FORMATS, help="Default: from the file's extension.")
@pass_cli
def customers_import_risk(cli: Cli, path: str, fmt: str | None) -> None:
    """Import risk assessments (openid, level C1-C5, assessed_on): all rows or none."""
    count = run_import(cli, path, fmt, "assessment",
                       lambda uow, rows, name, now: services.import_risk_levels(
                           uow, rows, f"import:{name}", now))
    click.echo(f"recorded {count} assessment(s)")


@customers.command("set-risk")
@click.argument("openid")
@click.argument("level", type=click.IntRange(1, 5))
@click.option("--assessed", "assessed_on", required=True, help="Date of the assessment.",
              type=click.DateTime(["%Y-%m-%d"]))
@click.option("--by", "actor", default="cli", show_default=True, help="Who records it.")
@pass_cli
def customers_set_risk(cli: Cli, openid: str, level: int, assessed_on: datetime,
                       actor: str) -> None:
    """Record a customer's risk assessment (C1-C5 as 1-5) entered by staff."""
    with cli.runtime.uow() as uow:
        with refused(LookupError, ValueError):
            services.set_risk_level(uow, openid, level, assessed_on.date(), actor, utcnow())
        uow.commit()
    click.echo(f"{openid}: C{level} assessed {assessed_on:%Y-%m-%d}")
