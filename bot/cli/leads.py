"""`branchlink` subcommands for leads, the notice outbox and manager bindings."""

import json
from datetime import timedelta

import click

from bot.cli.base import Cli, pass_cli, refused
from bot.cli.tools import managers
from crm_core import services
from crm_core.model import BadNote, LeadStatus, NoticeStatus, utcnow

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
    click.echo(f"绑定 {secret}")
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


@click.group()
def leads() -> None:
    """Leads: customers waiting to be contacted."""


@leads.command("list")
@click.option("--manager", "manager_code", help="Only this manager's leads.")
@click.option("--status", type=click.Choice([s.value for s in LeadStatus]))
@click.option("--limit", default=50, show_default=True)
@pass_cli
def leads_list(cli: Cli, manager_code: str | None, status: str | None, limit: int) -> None:
    """List leads as JSON lines, newest first."""
    with cli.runtime.uow() as uow:
        rows = services.list_leads(uow, manager_code, LeadStatus(status) if status else None,
                                   limit)
        services.audit(uow, utcnow(), OPERATOR, "leads_exported", manager_code or "all",
                       {"rows": len(rows)})
        uow.commit()
    for row in rows:
        click.echo(json.dumps(row, ensure_ascii=False))


@leads.command("update")
@click.argument("lead_id", type=int)
@click.argument("status", type=click.Choice([s.value for s in LeadStatus]))
@click.option("--note", help="A note to keep with the lead.")
@pass_cli
def leads_update(cli: Cli, lead_id: int, status: str, note: str | None) -> None:
    """Mark a lead contacted, converted or lost."""
    with cli.runtime.uow() as uow:
        with refused(LookupError, BadNote):
            services.update_lead(uow, lead_id, LeadStatus(status), utcnow(), note)
        uow.commit()
    click.echo(f"lead {lead_id} is {status}")


@click.group()
def outbox() -> None:
    """Notices to managers: what was sent, what failed, dead letters."""


@outbox.command("list")
@click.option("--status", type=click.Choice([s.value for s in NoticeStatus]))
@click.option("--limit", default=50, show_default=True)
@pass_cli
def outbox_list(cli: Cli, status: str | None, limit: int) -> None:
    """List notices as JSON lines, newest first."""
    with cli.runtime.uow() as uow:
        rows = services.list_notices(uow, NoticeStatus(status) if status else None, limit)
    for row in rows:
        click.echo(json.dumps(row, ensure_ascii=False))


@outbox.command("retry")
@click.argument("notice_ids", type=int, nargs=-1)
@click.option("--dead", "all_dead", is_flag=True, help="Retry every dead letter.")
@pass_cli
def outbox_retry(cli: Cli, notice_ids: tuple[int, ...], all_dead: bool) -> None:
    """Send dead, failed or unknown notices again."""
    with cli.runtime.uow() as uow:
        if all_dead:
            notice_ids = tuple(row["id"] for row in
                               services.list_notices(uow, NoticeStatus.DEAD, 10_000))
        with refused(LookupError, ValueError):
            for notice_id in notice_ids:
                services.retry_notice(uow, notice_id, utcnow())
        uow.commit()
    click.echo(f"{len(notice_ids)} notice(s) queued again")
