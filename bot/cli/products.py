"""`branchlink` subcommands for the product catalogue, risk assessments and shares."""

import json
from datetime import datetime
from pathlib import Path

import click

from bot.cli.base import Cli, pass_cli, refused
from bot.cli.tools import customers
from crm_core import services
from crm_core.model import utcnow
from crm_core.services import ImportRejected, ShareClaim

FORMATS = click.Choice(["csv", "toml"])


def _rows(path: str, fmt: str | None, table: str) -> list[services.SourceRow]:
    fmt = fmt or Path(path).suffix.lstrip(".").lower()
    try:
        return services.read_rows(Path(path).read_text(encoding="utf-8"), fmt, table)
    except ValueError as error:
        raise click.ClickException(str(error)) from error
    except ImportRejected as error:
        raise _rejected(error) from error


def _rejected(error: ImportRejected) -> click.ClickException:
    for problem in error.errors:
        click.echo(f"{problem}", err=True)
    return click.ClickException(f"{len(error.errors)} bad row(s): nothing was imported")


@click.group()
def products() -> None:
    """The product catalogue and its shares."""


@products.command("import")
@click.argument("path", type=click.Path(exists=True, dir_okay=False))
@click.option("--format", "fmt", type=FORMATS, help="Default: from the file's extension.")
@pass_cli
def products_import(cli: Cli, path: str, fmt: str | None) -> None:
    """Import products from CSV or TOML ([[product]]): all rows or none, versions kept."""
    rows = _rows(path, fmt, "product")
    with cli.runtime.uow() as uow:
        try:
            report = services.import_products(uow, rows, Path(path).name, utcnow())
        except ImportRejected as error:
            raise _rejected(error) from error
        uow.commit()
    click.echo(f"created {len(report.created)}, updated {len(report.updated)}, "
               f"unchanged {report.unchanged}")


@products.command("leaderboard")
@click.option("--json", "as_json", is_flag=True, help="Print JSON (the only format for now).")
@pass_cli
def products_leaderboard(cli: Cli, as_json: bool) -> None:
    """Opens (distinct visitors), follows and leads brought by shares, per manager and customer."""
    with cli.runtime.uow() as uow:
        board = services.share_leaderboard(uow)
    click.echo(json.dumps(board, ensure_ascii=False, indent=2))


@products.command("link")
@click.argument("code")
@click.option("--manager", "manager_code", required=True, help="The manager who shares it.")
@pass_cli
def products_link(cli: Cli, code: str, manager_code: str) -> None:
    """Print a tracked share link of a product for a manager to hand out."""
    with cli.runtime.uow() as uow:
        if services.product_card(uow, code) is None or \
                not uow.managers.by_code(manager_code):
            raise click.ClickException("unknown product or manager")
        with refused(services.NotShareable):
            services.check_shareable(uow, code.upper())
    click.echo(cli.runtime.links.share_url(ShareClaim(f"m{manager_code}",
                                                              code.upper())))


@products.command("version")
@click.argument("code")
@click.argument("version", type=int)
@pass_cli
def products_version(cli: Cli, code: str, version: int) -> None:
    """Print what a product said at one version (to reconstruct a past answer)."""
    with cli.runtime.uow() as uow:
        data = services.product_version(uow, code.upper(), version)
    if data is None:
        raise click.ClickException(f"no version {version} of {code}")
    click.echo(json.dumps(data, ensure_ascii=False, indent=2))


@customers.command("import-risk")
@click.argument("path", type=click.Path(exists=True, dir_okay=False))
@click.option("--format", "fmt", type=FORMATS, help="Default: from the file's extension.")
@pass_cli
def customers_import_risk(cli: Cli, path: str, fmt: str | None) -> None:
    """Import risk assessments (openid, level C1-C5, assessed_on): all rows or none."""
    rows = _rows(path, fmt, "assessment")
    with cli.runtime.uow() as uow:
        try:
            count = services.import_risk_levels(uow, rows, f"import:{Path(path).name}",
                                                utcnow())
        except ImportRejected as error:
            raise _rejected(error) from error
        uow.commit()
    click.echo(f"recorded {count} assessment(s)")


@customers.command("set-risk")
@click.argument("openid")
@click.argument("level", type=click.IntRange(1, 5))
@click.option("--assessed", "assessed_on", required=True, help="Date of the assessment.",
              type=click.DateTime(["%Y-%m-%d"]))
@click.option("--by", "actor", default="cli", show_default=True, help="Who records it.")
@pass_cli
def customers_set_risk(cli: Cli, openid: str, level: int, assessed_on: datetime,
                       actor: str) -> None:
    """Record a customer's risk assessment (C1-C5 as 1-5) entered by staff."""
    with cli.runtime.uow() as uow:
        with refused(LookupError, ValueError):
            services.set_risk_level(uow, openid, level, assessed_on.date(), actor, utcnow())
        uow.commit()
    click.echo(f"{openid}: C{level} assessed {assessed_on:%Y-%m-%d}")
