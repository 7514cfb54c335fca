"""`branchlink products`: the catalogue, its versions and share links."""

import json

import click

from bot.cli.base import FORMATS, Cli, pass_cli, refused, run_import
from crm_core import services
from crm_core.services import ShareClaim


@click.group()
def products() -> None:
    """The product catalogue and its shares."""


@products.command("import")
@click.argument("path", type=click.Path(exists=True, dir_okay=False))
@click.option("--format", "fmt", type=FORMATS, help="Default: from the file's extension.")
@pass_cli
def products_import(cli: Cli, path: str, fmt: str | None) -> None:
    """Import products from CSV or TOML ([[product]]): all rows or none, versions kept."""
    report = run_import(cli, path, fmt, "product", services.import_products)
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
