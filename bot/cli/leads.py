"""`branchlink leads`: the leads managers work."""

import json

import click

from bot.cli.base import Cli, pass_cli, refused
from crm_core import services
from crm_core.model import BadNote, LeadStatus, utcnow

OPERATOR = "cli"


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
