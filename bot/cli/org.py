"""`branchlink branches` and `branchlink managers`: the network, its managers, their bindings."""

from datetime import timedelta

import click

from bot import texts
from bot.cli.base import JSON_OPTION, Cli, pass_cli, print_rows, refused, sql_uow
from crm_core import services
from crm_core.model import ManagerRole, ManagerState, utcnow


@click.group()
def branches() -> None:
    """Branches."""


@branches.command("add")
@click.argument("code")
@click.argument("name")
@pass_cli
def branches_add(cli: Cli, code: str, name: str) -> None:
    """Add (or rename) a branch."""
    with cli.runtime.uow() as uow:
        created = services.add_branch(uow, code, name)
        uow.commit()
    click.echo(f"branch {code} {'added' if created else 'updated'}")


@click.group()
def managers() -> None:
    """Customer managers."""


@managers.command("add")
@click.argument("code")
@click.argument("name")
@click.option("--branch", "branch_code", required=True, help="Branch code.")
@click.option("--title", default="客户经理", show_default=True)
@click.option("--role", type=click.Choice([r.value for r in ManagerRole]), default="retail")
@pass_cli
def managers_add(cli: Cli, code: str, name: str, branch_code: str, title: str, role: str) -> None:
    """Add (or update) a manager."""
    with cli.runtime.uow() as uow:
        with refused(services.UnknownRecord):
            created = services.add_manager(uow, code, name, branch_code, title=title,
                                           role=ManagerRole(role))
        uow.commit()
    click.echo(f"manager {code} {'added' if created else 'updated'}")


@managers.command("state")
@click.argument("code")
@click.argument("state", type=click.Choice([s.value for s in ManagerState]))
@pass_cli
def managers_state(cli: Cli, code: str, state: str) -> None:
    """Mark a manager active, on leave or left."""
    with cli.runtime.uow() as uow:
        with refused(services.UnknownRecord):
            services.set_manager_state(uow, code, ManagerState(state))
        uow.commit()
    click.echo(f"manager {code} is now {state}")


OPERATOR = "cli"


@managers.command("bind-code")
@click.argument("code")
@pass_cli
def managers_bind_code(cli: Cli, code: str) -> None:
    """Issue a one-time code the manager sends as "绑定 <code>" from their WeChat."""
    ttl = timedelta(minutes=cli.settings.binding.code_ttl_minutes)
    with cli.runtime.uow() as uow:
        with refused(LookupError):
            secret = services.issue_bind_code(uow, code, utcnow(), ttl, OPERATOR)
        uow.commit()
    click.echo(f"{texts.BIND_COMMAND} {secret}")
    click.echo(f"(valid {ttl.seconds // 60} minutes, once; send it to {code} privately)")


@managers.command("unbind")
@click.argument("code")
@pass_cli
def managers_unbind(cli: Cli, code: str) -> None:
    """Undo a manager's WeChat binding."""
    with cli.runtime.uow() as uow:
        with refused(LookupError):
            services.unbind_manager(uow, code, utcnow(), OPERATOR)
        uow.commit()
    click.echo(f"manager {code} is no longer bound")


@managers.command("head")
@click.argument("code")
@click.option("--off", is_flag=True, help="No longer a branch head.")
@pass_cli
def managers_head(cli: Cli, code: str, off: bool) -> None:
    """Make a manager a head of their branch (told about escalated leads)."""
    with cli.runtime.uow() as uow:
        with refused(services.UnknownRecord):
            services.set_branch_head(uow, code, not off)
        uow.commit()
    click.echo(f"manager {code} is {'not ' if off else ''}a branch head")


@branches.command("list")
@JSON_OPTION
@pass_cli
def branches_list(cli: Cli, as_json: bool) -> None:
    """List the branches: code, name, managers (in post / all)."""
    with sql_uow(cli) as uow:
        rows = services.branch_directory(uow)
    print_rows(rows, ("code", "name", "active_managers", "managers"), as_json)


@managers.command("list")
@click.option("--branch", "branch_code", help="Only this branch's managers.")
@click.option("--state", type=click.Choice([s.value for s in ManagerState]),
              help="Only managers in this state.")
@JSON_OPTION
@pass_cli
def managers_list(cli: Cli, branch_code: str | None, state: str | None, as_json: bool) -> None:
    """List the managers: code, name, branch, state, customers, WeChat bound."""
    with sql_uow(cli) as uow:
        if branch_code and not any(b["code"] == branch_code
                                   for b in services.branch_directory(uow)):
            raise click.ClickException(f"no branch with code {branch_code!r} "
                                       "(see: branchlink branches list)")
        rows = services.manager_directory(uow, branch_code, ManagerState(state) if state
                                          else None)
    print_rows(rows, ("code", "name", "branch", "state", "customers", "bound"), as_json)
