"""`branchlink staff`: console accounts and API tokens."""


import click

from bot.cli.base import Cli, pass_cli, refused
from bot.web.staff_auth import hash_password
from crm_core import services
from crm_core.model import StaffRole, utcnow

OPERATOR = "cli"


@click.group()
def staff() -> None:
    """Staff accounts of the console and the API."""


@staff.command("add")
@click.argument("username")
@click.option("--name", "display_name", required=True, help="Name shown in the console.")
@click.option("--role", type=click.Choice([r.value for r in StaffRole]), required=True)
@click.option("--manager", "manager_code", help="Manager code (role manager).")
@click.option("--branch", "branch_code", help="Branch code (role branch_head).")
@click.password_option(help="At least 10 characters (prompted, never echoed).")
@pass_cli
def staff_add(cli: Cli, username: str, display_name: str, role: str, manager_code: str | None,
              branch_code: str | None, password: str) -> None:
    """Create a console account."""
    with refused(ValueError, LookupError):
        hashed = hash_password(password)
        with cli.runtime.uow() as uow:
            services.add_staff(uow, username, display_name, hashed, StaffRole(role),
                               manager_code, branch_code, OPERATOR, utcnow())
            uow.commit()
    click.echo(f"staff account {username} ({role}) created")


@staff.command("password")
@click.argument("username")
@click.password_option(help="At least 10 characters (prompted, never echoed).")
@pass_cli
def staff_password(cli: Cli, username: str, password: str) -> None:
    """Set a new password for an account."""
    with refused(ValueError, LookupError):
        hashed = hash_password(password)
        with cli.runtime.uow() as uow:
            services.set_staff_password(uow, username, hashed, OPERATOR, utcnow())
            uow.commit()
    click.echo(f"password of {username} changed")


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
