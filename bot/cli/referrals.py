"""`branchlink referrals`: referrals between staff, their outcomes and each referrer's record."""

import json
from collections.abc import Callable
from dataclasses import asdict
from pathlib import Path
from typing import TypeVar

import click

from bot import refusals
from bot.cli.base import JSON_OPTION, Cli, pass_cli, print_rows, rejected_rows, sql_uow
from bot.cli.orgs import EVERYTHING, OPERATOR
from bot.workbooks import import_rows
from crm_core import services
from crm_core.model import ReferralStatus, Refusal, utcnow
from crm_core.queries.referrals import REFERRALS
from crm_core.services import ImportRejected, collaboration
from crm_core.unit_of_work import SqlUnitOfWork

T = TypeVar("T")
COLUMNS = ("id", "subject", "line", "status", "referrer", "receiver", "created_at", "due_at")


@click.group()
def referrals() -> None:
    """Referrals between staff: from one line of the bank to another."""


@referrals.command("list")
@click.option("--status", type=click.Choice([s.value for s in ReferralStatus]))
@JSON_OPTION
@pass_cli
def referrals_list(cli: Cli, status: str | None, as_json: bool) -> None:
    """List referrals, newest first (the first 200)."""
    wanted = REFERRALS.request({"status": status or "", "size": "200"})
    with sql_uow(cli) as uow:
        page = collaboration.referral_list(uow, EVERYTHING, wanted, utcnow())
    print_rows(page.rows, COLUMNS, as_json)


@referrals.command("make")
@click.option("--by", "referrer_code", required=True, help="The referring manager's code.")
@click.option("--customer", "customer_id", type=int, help="The customer's number.")
@click.option("--org", "organisation", help="The organisation's code.")
@click.option("--line", required=True, type=click.Choice(list(collaboration.LINES)))
@click.option("--to", "receiver", help="The receiving manager (default: branch and line rule).")
@click.option("--interest", default="", help="The product the customer is interested in.")
@click.option("--value", type=int, help="Potential value in yuan.")
@click.option("--note", help="A note for the receiver.")
@pass_cli
def referrals_make(cli: Cli, referrer_code: str, customer_id: int | None,
                   organisation: str | None, line: str, receiver: str | None, interest: str,
                   value: int | None, note: str | None) -> None:
    """Register a referral as the manager given (refused in Chinese when a rule says no)."""
    wanted = collaboration.ReferralRequest(collaboration.LINES[line], receiver, interest, value,
                                           note)
    with sql_uow(cli) as uow:
        referrer = uow.managers.by_code(referrer_code)
        if referrer is None:
            raise click.ClickException(f"no manager {referrer_code}")
        made = _refused(lambda: collaboration.refer(
            uow, referrer, collaboration.subject_of(uow, customer_id, organisation), wanted,
            cli.runtime.referral_policy, utcnow()))
        _audit(uow, "referral_made", made.id)
        uow.commit()
        click.echo(f"referral {made.id}: {made.status.value}, receiver "
                   f"{made.receiver.code if made.receiver else '(queue)'}")


@referrals.command("step")
@click.argument("referral_id", type=int)
@click.argument("status", type=click.Choice([s.value for s in ReferralStatus]))
@click.option("--by", "receiver_code", required=True, help="The receiving manager's code.")
@click.option("--reason", help="Why (a decline needs one).")
@pass_cli
def referrals_step(cli: Cli, referral_id: int, status: str, receiver_code: str,
                   reason: str | None) -> None:
    """Take the receiver's next step on a referral."""
    with sql_uow(cli) as uow:
        actor = uow.managers.by_code(receiver_code)
        if actor is None:
            raise click.ClickException(f"no manager {receiver_code}")
        try:
            _refused(lambda: collaboration.move_referral(
                uow, actor, referral_id, ReferralStatus(status), cli.runtime.referral_policy,
                utcnow(), reason))
        except LookupError as error:
            raise click.ClickException(f"no referral {referral_id}") from error
        _audit(uow, "referral_updated", referral_id)
        uow.commit()
    click.echo(f"referral {referral_id} is {status}")


@referrals.command("outcomes")
@click.argument("path", type=click.Path(exists=True, dir_okay=False))
@pass_cli
def referrals_outcomes(cli: Cli, path: str) -> None:
    """Import outcomes (openid or organisation, line, outcome 开户/放款/购买, amount):
    each converts the referral holding its subject and line; all rows or none."""
    name = Path(path).name
    try:
        rows = import_rows(Path(path).read_bytes(), name, "outcome")
    except Refusal as error:
        raise click.ClickException(refusals.explain(error)) from error
    except ImportRejected as error:
        raise rejected_rows(error) from error
    with sql_uow(cli) as uow:
        try:
            converted = collaboration.record_outcomes(uow, rows, name, utcnow())
        except ImportRejected as error:
            raise rejected_rows(error) from error
        services.audit(uow, utcnow(), OPERATOR, "referral_outcomes", name[:64],
                       {"rows": len(rows), "updated": len(converted)})
        uow.commit()
    click.echo(f"converted {len(converted)} referrals")


@referrals.command("record")
@click.argument("manager_code")
@pass_cli
def referrals_record(cli: Cli, manager_code: str) -> None:
    """Print a manager's record as a referrer (sent, accepted, converted, credit) as JSON."""
    with sql_uow(cli) as uow:
        manager = uow.managers.by_code(manager_code)
        if manager is None:
            raise click.ClickException(f"no manager {manager_code}")
        record = collaboration.referrer_record(uow, manager.id, cli.runtime.referral_policy)
    click.echo(json.dumps(asdict(record), ensure_ascii=False))


@referrals.command("chase")
@pass_cli
def referrals_chase(cli: Cli) -> None:
    """Run the referrals' clock now: reminders, escalation, expiry (the worker does it too)."""
    with sql_uow(cli) as uow:
        queued = collaboration.chase_referrals(uow, cli.runtime.referral_policy, utcnow())
        uow.commit()
    click.echo(f"queued {queued} notices")


def _refused(call: Callable[[], T]) -> T:
    try:
        return call()
    except Refusal as error:
        raise click.ClickException(refusals.explain(error)) from error


def _audit(uow: SqlUnitOfWork, action: str, referral_id: int) -> None:
    services.audit(uow, utcnow(), OPERATOR, action, f"referral:{referral_id}")
