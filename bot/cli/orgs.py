"""`branchlink orgs`: organisations, their contact persons and their partner-unit codes."""

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import datetime
from pathlib import Path

import click

from bot import refusals
from bot.cli.base import JSON_OPTION, Cli, pass_cli, print_rows, rejected_rows, sql_uow
from bot.workbooks import import_rows
from crm_core import services
from crm_core.model import Refusal, Scope, StaffRole, utcnow
from crm_core.queries.organisations import ORGANISATIONS
from crm_core.services import ImportRejected, SourceRow
from crm_core.services.organisations import (
    OrgImportReport,
    import_contacts,
    import_organisations,
    import_payroll,
    organisation_card,
    organisation_list,
)
from crm_core.unit_of_work import SqlUnitOfWork

OPERATOR = "cli"
# The command line acts for head office: it sees every organisation.
EVERYTHING = Scope(0, OPERATOR, "命令行", StaffRole.HEAD_OFFICE, None, None)
Importer = Callable[[SqlUnitOfWork, list[SourceRow], str, datetime], OrgImportReport]


@click.group()
def orgs() -> None:
    """Organisations: companies, merchants and partner units."""


@orgs.command("import")
@click.argument("path", type=click.Path(exists=True, dir_okay=False))
@pass_cli
def orgs_import(cli: Cli, path: str) -> None:
    """Import organisations from CSV (UTF-8 or GBK) or XLSX: all rows or none."""
    report = run_org_import(cli, path, "organisation", import_organisations,
                            "organisations_imported")
    click.echo(f"created {len(report.created)}, updated {len(report.updated)}")


@orgs.command("contacts")
@click.argument("path", type=click.Path(exists=True, dir_okay=False))
@pass_cli
def orgs_contacts(cli: Cli, path: str) -> None:
    """Import contact persons (organisation, name, title, openid): all rows or none."""
    report = run_org_import(cli, path, "contact", import_contacts, "contacts_imported")
    click.echo(f"created {len(report.created)}, updated {len(report.updated)}")


@orgs.command("payroll")
@click.argument("path", type=click.Path(exists=True, dir_okay=False))
@pass_cli
def orgs_payroll(cli: Cli, path: str) -> None:
    """Import a payroll list (organisation, openid): its employees become the unit's members."""
    report = run_org_import(cli, path, "payroll", import_payroll, "payroll_imported")
    click.echo(f"added {len(report.created)} members")


@orgs.command("list")
@click.option("--market", default="", help="Only this market or cluster.")
@click.option("--key-links", is_flag=True, help="Only the key links of chains.")
@JSON_OPTION
@pass_cli
def orgs_list(cli: Cli, market: str, key_links: bool, as_json: bool) -> None:
    """List organisations by code (the first 200)."""
    request = ORGANISATIONS.request({"sort": "code", "size": "200", "market": market,
                                     "key": "1" if key_links else ""})
    with sql_uow(cli) as uow:
        page = organisation_list(uow, EVERYTHING, request)
    print_rows(page.rows, ("code", "name", "kind", "market", "branch", "manager", "contacts"),
               as_json)


@orgs.command("show")
@click.argument("code")
@pass_cli
def orgs_show(cli: Cli, code: str) -> None:
    """Print one organisation with its owner and contact persons as JSON."""
    with sql_uow(cli) as uow, known_organisation(code):
        card = organisation_card(uow, EVERYTHING, code)
    print_rows([card], (), as_json=True)


@contextmanager
def known_organisation(code: str) -> Iterator[None]:
    """Turn an unknown organisation code into one line for the operator."""
    try:
        yield
    except LookupError as error:
        raise click.ClickException(f"no organisation {code}") from error


def run_org_import(cli: Cli, path: str, table: str, importer: Importer,
                   action: str) -> OrgImportReport:
    """Check a whole file and apply it in one unit of work, audited (all rows or none)."""
    name = Path(path).name
    try:
        rows = import_rows(Path(path).read_bytes(), name, table)
    except Refusal as error:
        raise click.ClickException(refusals.explain(error)) from error
    except ImportRejected as error:
        raise rejected_rows(error) from error
    with sql_uow(cli) as uow:
        try:
            report = importer(uow, rows, name, utcnow())
        except ImportRejected as error:
            raise rejected_rows(error) from error
        services.audit(uow, utcnow(), OPERATOR, action, name[:64],
                       {"created": len(report.created), "updated": len(report.updated)})
        uow.commit()
    return report
