"""`branchlink staff`: console accounts and API tokens; customer details staff maintain."""

import sys

import click

from bot.cli.base import Cli, pass_cli, refused
from bot.cli.tools import customers
from bot.phone_cipher import PhoneCipher
from bot.web.staff_auth import hash_password
from crm_core import services
from crm_core.model import StaffRole, utcnow

OPERATOR = "cli"
# Never an argument: the process list (`ps`) and shell history show arguments to everyone.
PASSWORD_STDIN = click.option(
    "--password-stdin", is_flag=True,
    help="Read the password from the first line of standard input (scripts) instead of "
         "prompting for it twice, hidden.")


@click.group()
def staff() -> None:
    """Staff accounts of the console and the API."""


@staff.command("add")
@click.argument("username")
@click.option("--name", "display_name", required=True, help="Name shown in the console.")
@click.option("--role", type=click.Choice([r.value for r in StaffRole]), required=True)
@click.option("--manager", "manager_code", help="Manager code (role manager).")
@click.option("--branch", "branch_code", help="Branch code (role branch_head).")
@PASSWORD_STDIN
@pass_cli
def staff_add(cli: Cli, username: str, display_name: str, role: str, manager_code: str | None,
              branch_code: str | None, password_stdin: bool) -> None:
    """Create a console account; its password (at least 10 characters) is prompted."""
    password = read_password(password_stdin)
    with refused(ValueError, LookupError):
        hashed = hash_password(password)
        with cli.runtime.uow() as uow:
            services.add_staff(uow, username, display_name, hashed, StaffRole(role),
                               manager_code, branch_code, OPERATOR, utcnow())
            uow.commit()
    click.echo(f"staff account {username} ({role}) created")


@staff.command("password")
@click.argument("username")
@PASSWORD_STDIN
@pass_cli
def staff_password(cli: Cli, username: str, password_stdin: bool) -> None:
    """Set a new password (at least 10 characters, prompted) for an account."""
    password = read_password(password_stdin)
    with refused(ValueError, LookupError):
        hashed = hash_password(password)
        with cli.runtime.uow() as uow:
            services.set_staff_password(uow, username, hashed, OPERATOR, utcnow())
            uow.commit()
    click.echo(f"password of {username} changed")


def read_password(from_stdin: bool) -> str:
    """Return the password typed twice without echo, or the first line of standard input."""
    if from_stdin:
        return sys.stdin.readline().rstrip("\r\n")
    return str(click.prompt("Password", hide_input=True, confirmation_prompt=True))


@staff.command("token")
@click.argument("username")
@click.option("--name", "token_name", required=True, help="What the token is for.")
@pass_cli
def staff_token(cli: Cli, username: str, token_name: str) -> None:
    """Issue an API token (shown once) for an account."""
    with cli.runtime.uow() as uow:
        with refused(LookupError):
            token = services.issue_api_token(uow, username, token_name, utcnow(), OPERATOR)
        uow.commit()
    click.echo(token)


@customers.command("phone")
@click.argument("openid")
@click.argument("phone")
@pass_cli
def customers_phone(cli: Cli, openid: str, phone: str) -> None:
    """Record a customer's mobile number (stored encrypted)."""
    with refused(ValueError, LookupError):
        cipher, last4 = PhoneCipher(cli.settings.web.secret_key).encrypt(phone)
        with cli.runtime.uow() as uow:
            services.set_customer_details(uow, openid, None, (cipher, last4), OPERATOR,
                                          utcnow())
            uow.commit()
    click.echo(f"phone of {openid} recorded (…{last4})")


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
    """Re-encrypt every stored phone number under the current [web] secret_key.

    Run it after moving the old secret to `previous_secret_key`; once it reports no unreadable
    number, `previous_secret_key` can go (after share links' `link_ttl_days`, which it signs).
    """
    web = cli.settings.web
    cipher = PhoneCipher(web.secret_key, web.previous_secret_key)
    after = rotated = unreadable = 0
    while True:
        with cli.runtime.uow() as uow:
            done = services.rotate_phones(uow, cipher.rotate, after, batch)
            if done is None:
                break
            uow.commit()
        after, rotated, unreadable = done.last_id, rotated + done.rotated, \
            unreadable + done.unreadable
    with cli.runtime.uow() as uow:
        services.audit(uow, utcnow(), OPERATOR, "pii_rotated", "customers.phone",
                       {"rotated": rotated, "unreadable": unreadable})
        uow.commit()
    click.echo(f"{rotated} phone numbers re-encrypted under the current key")
    if unreadable:
        raise click.ClickException(f"{unreadable} phone numbers are encrypted under neither "
                                   "secret_key nor previous_secret_key: left as they are")
