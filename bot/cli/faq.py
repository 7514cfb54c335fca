"""`branchlink faq`: head office's approved answers, imported like the catalogue."""

import json

import click

from bot.cli.base import FORMATS, Cli, pass_cli, run_import
from crm_core import services


@click.group()
def faq() -> None:
    """Head office's FAQ: terms, disclosures, risk levels, fees and processes."""


@faq.command("import")
@click.argument("path", type=click.Path(exists=True, dir_okay=False))
@click.option("--format", "fmt", type=FORMATS, help="Default: from the file's extension.")
@pass_cli
def faq_import(cli: Cli, path: str, fmt: str | None) -> None:
    """Import FAQ entries from CSV or TOML ([[faq]]): all rows or none, versions kept."""
    report = run_import(cli, path, fmt, "faq", services.import_faq)
    click.echo(f"created {len(report.created)}, updated {len(report.updated)}, "
               f"unchanged {report.unchanged}")


@faq.command("version")
@click.argument("key")
@click.argument("version", type=int)
@pass_cli
def faq_version(cli: Cli, key: str, version: int) -> None:
    """Print what an FAQ entry said at one version (to reconstruct a past answer)."""
    with cli.runtime.uow() as uow:
        data = services.faq_version(uow, key.lower(), version)
    if data is None:
        raise click.ClickException(f"no version {version} of {key}")
    click.echo(json.dumps(data, ensure_ascii=False, indent=2))
