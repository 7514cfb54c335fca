"""`branchlink staff`: console accounts and API tokens."""


import sys

import click

from bot.cli.base import JSON_OPTION, Cli, pass_cli, print_rows, refused, sql_uow
from bot.web.staff_auth import hash_password
from crm_core import services
from crm_core.model import ManagerRole, StaffRole, utcnow

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
@click.option("--line", type=click.Choice([r.value for r in ManagerRole]),
              help="Business line (role head_office): sees only that line's scorecards.")
@PASSWORD_STDIN
@pass_cli
def staff_add(cli: Cli, username: str, display_name: str, role: str, manager_code: str | None,
              branch_code: str | None, line: str | None, password_stdin: bool) -> None:
    """Create a console account; its password (at least 10 characters) is prompted."""
    password = read_password(password_stdin)
    with refused(ValueError, LookupError):
        hashed = hash_password(password)
        with cli.runtime.uow() as uow:
            services.add_staff(uow, username, display_name, hashed, StaffRole(role),
                               manager_code, branch_code, OPERATOR, utcnow())
            if line:
                services.set_staff_line(uow, username, ManagerRole(line), OPERATOR, utcnow())
            uow.commit()
    click.echo(f"staff account {username} ({role}) created")


@staff.command("line")
@click.argument("username")
@click.option("--line", required=True, type=click.Choice([*(r.value for r in ManagerRole), "none"]),
              help="The business line a head-office account manages (双线管理), or none.")
@pass_cli
def staff_line(cli: Cli, username: str, line: str) -> None:
    """Put a head-office account on a business line, or back on the whole bank (audited)."""
    with refused(ValueError, LookupError), cli.runtime.uow() as uow:
        services.set_staff_line(uow, username, None if line == "none" else ManagerRole(line),
                                OPERATOR, utcnow())
        uow.commit()
    click.echo(f"staff account {username}: line {line}")


@staff.command("password")
@click.argument("username")
@PASSWORD_STDIN
@pass_cli
def staff_password(cli: Cli, username: str, password_stdin: bool) -> None:
    """Set a new password (at least 10 characters, prompted): ends the account's sessions and
    revokes its API tokens."""
    password = read_password(password_stdin)
    with refused(ValueError, LookupError):
        hashed = hash_password(password)
        with cli.runtime.uow() as uow:
            revoked = services.set_staff_password(uow, username, hashed, OPERATOR, utcnow())
            uow.commit()
    click.echo(f"password of {username} changed; its console sessions are ended and "
               f"{revoked} API token(s) revoked")


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


@staff.command("deactivate")
@click.argument("username")
@pass_cli
def staff_deactivate(cli: Cli, username: str) -> None:
    """Shut an account out: no login, its sessions ended, its API tokens revoked."""
    with cli.runtime.uow() as uow:
        with refused(LookupError, ValueError):
            revoked = services.deactivate_staff(uow, username, OPERATOR, utcnow())
        uow.commit()
    click.echo(f"staff account {username} deactivated; {revoked} API token(s) revoked")


@staff.command("reactivate")
@click.argument("username")
@pass_cli
def staff_reactivate(cli: Cli, username: str) -> None:
    """Let a deactivated account log in again (revoked tokens stay revoked)."""
    with cli.runtime.uow() as uow:
        with refused(LookupError):
            services.reactivate_staff(uow, username, OPERATOR, utcnow())
        uow.commit()
    click.echo(f"staff account {username} reactivated")


@staff.group("tokens")
def staff_tokens() -> None:
    """List and revoke an account's API tokens."""


@staff_tokens.command("list")
@click.argument("username")
@pass_cli
def tokens_list(cli: Cli, username: str) -> None:
    """List an account's API tokens: id, name, issued, last used, revoked."""
    with cli.runtime.uow() as uow, refused(LookupError):
        rows = services.api_tokens_of(uow, username)
    for row in rows:
        state = f"revoked {row['revoked_at']:%Y-%m-%d %H:%M}" if row["revoked_at"] else "live"
        used = f"{row['last_used_at']:%Y-%m-%d %H:%M}" if row["last_used_at"] else "never"
        click.echo(f"{row['id']}\t{row['name']}\tissued {row['created_at']:%Y-%m-%d %H:%M}"
                   f"\tlast used {used}\t{state}")


@staff_tokens.command("revoke")
@click.argument("username")
@click.argument("token_ids", nargs=-1, type=int)
@click.option("--all", "every", is_flag=True, help="Revoke every live token of the account.")
@pass_cli
def tokens_revoke(cli: Cli, username: str, token_ids: tuple[int, ...], every: bool) -> None:
    """Revoke API tokens of an account by id (see `tokens list`), or --all."""
    if every == bool(token_ids):
        raise click.UsageError("name the token ids to revoke, or --all")
    with cli.runtime.uow() as uow:
        with refused(LookupError):
            count = services.revoke_api_tokens(uow, username, None if every else token_ids,
                                               OPERATOR, utcnow())
        uow.commit()
    click.echo(f"{count} API token(s) of {username} revoked")


@staff.command("list")
@click.option("--branch", "branch_code", help="Only accounts of this branch (its head and "
                                              "managers).")
@click.option("--role", type=click.Choice([r.value for r in StaffRole]),
              help="Only accounts with this role.")
@JSON_OPTION
@pass_cli
def staff_list(cli: Cli, branch_code: str | None, role: str | None, as_json: bool) -> None:
    """List the console accounts: username, name, role, manager, branch, active."""
    with sql_uow(cli) as uow:
        rows = services.staff_directory(uow, branch_code, StaffRole(role) if role else None)
    print_rows(rows, ("username", "name", "role", "manager", "branch", "active"), as_json)
