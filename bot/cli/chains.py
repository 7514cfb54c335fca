"""`branchlink chains`: trade relationships, the chain around an organisation, chain leads."""

import json
from datetime import timedelta

import click

from bot.cli.base import Cli, pass_cli, sql_uow
from bot.cli.orgs import EVERYTHING, OPERATOR, known_organisation, run_org_import
from crm_core import services
from crm_core.model import utcnow
from crm_core.services.organisations import chain_view, import_relationships, make_chain_leads


@click.group()
def chains() -> None:
    """Trade chains: relationships between organisations and the leads along them."""


@chains.command("import")
@click.argument("path", type=click.Path(exists=True, dir_okay=False))
@pass_cli
def chains_import(cli: Cli, path: str) -> None:
    """Import relationships (organisation, counterparty, kind, monthly_volume, as_of) from a
    counterparty extract (CSV or XLSX): all rows or none."""
    report = run_org_import(cli, path, "relationship", import_relationships,
                            "relationships_imported")
    click.echo(f"created {len(report.created)}, updated {len(report.updated)}")


@chains.command("view")
@click.argument("code")
@pass_cli
def chains_view(cli: Cli, code: str) -> None:
    """Print the chain two hops around an organisation as JSON (nodes and edges)."""
    with sql_uow(cli) as uow, known_organisation(code):
        view = chain_view(uow, EVERYTHING, code)
    click.echo(json.dumps(view, ensure_ascii=False))


@chains.command("leads")
@pass_cli
def chains_leads(cli: Cli) -> None:
    """Turn the counterparties of every key link into chain leads (one open lead each)."""
    sla = timedelta(minutes=cli.settings.leads.contact_sla_minutes)
    with sql_uow(cli) as uow:
        report = make_chain_leads(uow, utcnow(), sla)
        leads = uow.organisations.chain_leads_by_ids(report.created)
        services.audit(uow, utcnow(), OPERATOR, "chain_leads_made", "chains",
                       {"created": len(report.created)})
        uow.commit()
        for lead in leads:
            manager = lead.manager.code if lead.manager else "-"
            click.echo(f"{lead.organisation.code}\t{manager}\t{lead.reason}")
    click.echo(f"created {len(report.created)}, already open {report.already_open}")
