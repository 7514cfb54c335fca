"""`branchlink scorecards`: book extracts, targets, the monthly run, approval, cards, the
league table and the payroll export (pay by results: a file for payroll, never a payment)."""

import csv
import io
import tomllib
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import date
from pathlib import Path
from typing import Any

import click

from bot import refusals, texts
from bot.cli.base import JSON_OPTION, Cli, pass_cli, print_rows, rejected_rows, sql_uow
from bot.extracts import FileKeys
from bot.payroll import payroll_rows
from bot.phone_cipher import PhoneCipher
from bot.runtime import pay_rule, run_policy
from bot.workbooks import book_file, import_rows
from crm_core.model import ManagerRole, OutOfScope, Refusal, Scope, StaffRole, utcnow
from crm_core.queries import performance as views
from crm_core.services import ImportRejected
from crm_core.services import performance as scores
from crm_core.services.classification import parse_month

OPERATOR = "cli"
# The command line acts for head office: it sees every card.
EVERYTHING = Scope(0, OPERATOR, "命令行", StaffRole.HEAD_OFFICE, None, None)
MONTH = click.option("--month", required=True, help="The month, YYYY-MM.")
BY = click.option("--by", "actor", default=OPERATOR, show_default=True, help="Who does it.")


@click.group()
def scorecards() -> None:
    """Managers' scorecards: simulated profit, monthly runs and pay by results."""


@contextmanager
def refusing() -> Iterator[None]:
    """Turn a refusal or a rejected file into Chinese lines for the operator."""
    try:
        yield
    except Refusal as error:
        raise click.ClickException(refusals.explain(error)) from error
    except ImportRejected as error:
        raise rejected_rows(error) from error
    except (LookupError, OutOfScope) as error:
        raise click.ClickException(texts.SCORECARD_NOT_FOUND) from error


def _month(text: str) -> date:
    with refusing():
        return parse_month(text)


@scorecards.command("import")
@click.argument("path", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@MONTH
@BY
@pass_cli
def scorecards_import(cli: Cli, path: Path, month: str, actor: str) -> None:
    """Import a month's book extract (CSV UTF-8/GBK or XLSX): all rows or none."""
    web = cli.settings.web
    keys = FileKeys(PhoneCipher(web.secret_key, web.previous_secret_key))
    when = _month(month)
    with refusing(), sql_uow(cli) as uow:
        count = scores.import_book(uow, when, book_file(path.read_bytes(), path.name), keys,
                                   actor, utcnow())
        uow.commit()
    click.echo(f"rows {count}")


@scorecards.command("targets")
@click.argument("path", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@MONTH
@BY
@pass_cli
def scorecards_targets(cli: Cli, path: Path, month: str, actor: str) -> None:
    """Import a month's targets (manager or branch, metric, target): all rows or none."""
    when = _month(month)
    with refusing(), sql_uow(cli) as uow:
        rows = import_rows(path.read_bytes(), path.name, "target")
        count = scores.import_targets(uow, when, rows, actor, utcnow())
        uow.commit()
    click.echo(f"targets {count}")


@scorecards.command("run")
@MONTH
@BY
@pass_cli
def scorecards_run(cli: Cli, month: str, actor: str) -> None:
    """Compute and store every card of a draft month (a frozen month is refused)."""
    when = _month(month)
    with refusing(), sql_uow(cli) as uow:
        count = scores.run_month(uow, when, run_policy(cli.settings), actor, utcnow())
        uow.commit()
    click.echo(f"cards {count}")


@scorecards.command("approve")
@MONTH
@BY
@pass_cli
def scorecards_approve(cli: Cli, month: str, actor: str) -> None:
    """Freeze a month's cards on head office's approval (no later run or import)."""
    when = _month(month)
    with refusing(), sql_uow(cli) as uow:
        scores.approve_month(uow, when, actor, utcnow())
        uow.commit()
    click.echo(f"frozen {when:%Y-%m}")


@scorecards.command("show")
@MONTH
@click.option("--manager", default="", help="One manager's card in full, with its lines.")
@JSON_OPTION
@pass_cli
def scorecards_show(cli: Cli, month: str, manager: str, as_json: bool) -> None:
    """List a month's cards, or print one card with every line explained."""
    when = _month(month)
    with refusing(), sql_uow(cli) as uow:
        if manager:
            print_rows([views.card(uow, EVERYTHING, when, manager)], (), as_json=True)
            return
        found = views.cards(uow, EVERYTHING, when)
    print_rows([row.__dict__ for row in found],
               ("role", "rank", "manager_code", "manager_name", "branch_name", "total",
                "profit"), as_json)


@scorecards.command("payroll")
@MONTH
@click.option("--out", required=True, type=click.Path(dir_okay=False, path_type=Path),
              help="The CSV file for payroll.")
@BY
@pass_cli
def scorecards_payroll(cli: Cli, month: str, out: Path, actor: str) -> None:
    """Write a frozen month's pay by results for payroll (audited); nothing is paid."""
    when = _month(month)
    with refusing(), sql_uow(cli) as uow:
        lines = scores.payroll(uow, when, pay_rule(cli.settings), actor, utcnow())
        uow.commit()
    out.write_bytes(payroll_csv(lines).encode("utf-8-sig"))
    click.echo(f"lines {len(lines)}")


def payroll_csv(lines: list[scores.PayLine]) -> str:
    """Return pay lines as CSV under Chinese headers (Excel opens UTF-8 with its BOM)."""
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(texts.PAYROLL_COLUMNS)
    writer.writerows(payroll_rows(lines))
    return buffer.getvalue()


@scorecards.command("league")
@MONTH
@click.option("--role", required=True, type=click.Choice([r.value for r in ManagerRole]))
@JSON_OPTION
@pass_cli
def scorecards_league(cli: Cli, month: str, role: str, as_json: bool) -> None:
    """Print a role's league table across the network (ties share a rank)."""
    when = _month(month)
    with sql_uow(cli) as uow:
        found = views.league(uow, when, ManagerRole(role))
    print_rows([row.__dict__ for row in found],
               ("rank", "manager_code", "manager_name", "branch_name", "total"), as_json)


@scorecards.command("template")
@click.option("--role", required=True, type=click.Choice([r.value for r in ManagerRole]))
@click.option("--file", "path", type=click.Path(exists=True, dir_okay=False, path_type=Path),
              help="TOML with [[lines]], [[vetoes]] and [[penalties]]; without it, print the "
                   "role's current template as JSON.")
@BY
@pass_cli
def scorecards_template(cli: Cli, role: str, path: Path | None, actor: str) -> None:
    """Show a role's current template, or save a file as its next version (weights sum to
    100, known metrics only)."""
    with refusing(), sql_uow(cli) as uow:
        if path is None:
            found = scores.current_template(uow, ManagerRole(role), utcnow())
            uow.commit()
            print_rows([{"version": found.version, **found.rules}], (), as_json=True)
            return
        rules = read_template(path)
        saved = scores.save_template(uow, ManagerRole(role), rules, actor, utcnow())
        uow.commit()
    click.echo(f"version {saved.version}")


def read_template(path: Path) -> dict[str, Any]:
    """Read a template's TOML file, or refuse it in Chinese."""
    try:
        return tomllib.loads(path.read_text(encoding="utf-8-sig"))
    except (UnicodeDecodeError, tomllib.TOMLDecodeError) as error:
        raise click.ClickException(texts.TEMPLATE_UNREADABLE) from error
