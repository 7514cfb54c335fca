"""`branchlink scorecards complaint|verdict|complaints|override|overrides`: the registers whose
breaches deduct on managers' cards. The command line acts for head office (every branch)."""

from datetime import date, datetime, timedelta

import click

from bot.cli.base import JSON_OPTION, Cli, pass_cli, print_rows, sql_uow
from bot.cli.scorecards import BY, OPERATOR, refusing, scorecards
from crm_core.model import Scope, StaffRole, local_date, utcnow
from crm_core.model.performance.registers import ComplaintChannel, ComplaintVerdict
from crm_core.queries.performance import registers as listed
from crm_core.services.classification import parse_month
from crm_core.services.performance.registers import (
    ComplaintForm,
    OverrideForm,
    decide_complaint,
    record_complaint,
    record_override,
)
from crm_core.unit_of_work import SqlUnitOfWork

CUSTOMER = click.option("--customer", required=True,
                        help="The customer's number in BranchLink, or their openid.")
MANAGER = click.option("--manager", "manager_code", required=True,
                       help="The manager concerned (code).")
ON = click.option("--on", "day", type=click.DateTime(["%Y-%m-%d"]), default=None,
                  help="The day (YYYY-MM-DD, Beijing); default today.")
MONTH = click.option("--month", default="", help="Only this month, YYYY-MM.")


def _head(actor: str) -> Scope:
    return Scope(0, actor, "命令行", StaffRole.HEAD_OFFICE, None, None)


def _today(cli: Cli) -> date:
    return local_date(utcnow(), cli.settings.leads.timezone)


def _customer(uow: SqlUnitOfWork, text: str) -> int:
    if text.isdigit():
        return int(text)
    found = uow.customers.by_openid(text)
    if found is None:
        raise click.ClickException(f"no customer with openid {text!r}")
    return found.id


def _month(text: str) -> date | None:
    with refusing():
        return parse_month(text) if text else None


@scorecards.command("complaint")
@CUSTOMER
@MANAGER
@ON
@click.option("--channel", type=click.Choice([c.value for c in ComplaintChannel]),
              required=True)
@click.option("--summary", required=True, help="One line, at most 100 characters.")
@click.option("--detail", default="", help="What the customer said, in full.")
@BY
@pass_cli
def scorecards_complaint(cli: Cli, customer: str, manager_code: str, day: datetime | None,
                         channel: str, summary: str, detail: str, actor: str) -> None:
    """Record a complaint about a manager's treatment of a customer (pending a verdict)."""
    today = _today(cli)
    with refusing(), sql_uow(cli) as uow:
        form = ComplaintForm(_customer(uow, customer), manager_code,
                             day.date() if day else today, ComplaintChannel(channel),
                             summary, detail)
        found = record_complaint(uow, _head(actor), form, today, utcnow())
        uow.commit()
        click.echo(f"complaint {found.id}")


@scorecards.command("verdict")
@click.argument("complaint_id", type=int)
@click.option("--substantiated/--not-substantiated", required=True)
@click.option("--reason", required=True, help="Why: what the review found.")
@BY
@pass_cli
def scorecards_verdict(cli: Cli, complaint_id: int, substantiated: bool, reason: str,
                       actor: str) -> None:
    """Judge a complaint; a substantiated one deducts on the card of the month received."""
    with refusing(), sql_uow(cli) as uow:
        found = decide_complaint(uow, _head(actor), complaint_id, substantiated, reason,
                                 utcnow())
        uow.commit()
        click.echo(f"complaint {found.id} {found.verdict.value}")


@scorecards.command("complaints")
@MONTH
@click.option("--verdict", type=click.Choice([v.value for v in ComplaintVerdict]))
@JSON_OPTION
@pass_cli
def scorecards_complaints(cli: Cli, month: str, verdict: str | None, as_json: bool) -> None:
    """List the complaints (newest first, the first page), customers masked."""
    with sql_uow(cli) as uow:
        rows, total = listed.complaints(uow, _head(OPERATOR), _month(month),
                                        ComplaintVerdict(verdict) if verdict else None)
    print_rows([row.__dict__ for row in rows],
               ("id", "received_on", "manager_code", "customer", "channel", "verdict",
                "summary"), as_json)
    if not as_json:
        click.echo(f"total {total}")


@scorecards.command("override")
@CUSTOMER
@MANAGER
@ON
@click.option("--product", "product_code", required=True, help="The product's code.")
@click.option("--reason", required=True,
              help="The customer's documented request and confirmation.")
@BY
@pass_cli
def scorecards_override(cli: Cli, customer: str, manager_code: str, day: datetime | None,
                        product_code: str, reason: str, actor: str) -> None:
    """Record a sale above the customer's assessed risk level (refused if it was covered)."""
    today = _today(cli)
    validity = timedelta(days=cli.settings.products.assessment_validity_days)
    with refusing(), sql_uow(cli) as uow:
        form = OverrideForm(_customer(uow, customer), manager_code, product_code,
                            day.date() if day else today, reason)
        found = record_override(uow, _head(actor), form, today, validity, utcnow())
        uow.commit()
        click.echo(f"override {found.id}: C{found.customer_level or '-'} < "
                   f"R{found.product_level}")


@scorecards.command("overrides")
@MONTH
@JSON_OPTION
@pass_cli
def scorecards_overrides(cli: Cli, month: str, as_json: bool) -> None:
    """List the suitability overrides (newest first, the first page), customers masked."""
    with sql_uow(cli) as uow:
        rows, total = listed.overrides(uow, _head(OPERATOR), _month(month))
    print_rows([row.__dict__ for row in rows],
               ("id", "occurred_on", "manager_code", "customer", "product_code",
                "customer_level", "product_level", "reason"), as_json)
    if not as_json:
        click.echo(f"total {total}")

