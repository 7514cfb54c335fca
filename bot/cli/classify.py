"""`branchlink classify`: import the bank's extracts (balances, holdings, media, employers,
named lists, customer-number mappings) month by month."""

import sys
from pathlib import Path

import click

from bot import refusals
from bot.cli.base import Cli, pass_cli, rejected_rows
from bot.extract_refusals import keep_refused
from bot.extracts import FileKeys, batch_work, open_extract
from bot.phone_cipher import PhoneCipher
from crm_core.model import Refusal, utcnow
from crm_core.services import ImportRejected
from crm_core.services import classification as classify_services

KINDS = "balances|holdings|media|employers|mobile|mapping|list:<名单名>"


@click.group()
def classify() -> None:
    """Customer classification: the bank's extracts and the dimension catalogue."""


@classify.command("import")
@click.argument("path", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--kind", required=True, help=KINDS)
@click.option("--month", required=True, help="The month the file describes, YYYY-MM.")
@click.option("--by", "actor", default="cli", show_default=True, help="Who imports it.")
@pass_cli
def classify_import(cli: Cli, path: Path, kind: str, month: str, actor: str) -> None:
    """Check a whole extract, then apply it (all rows or none; the month is replaced)."""
    try:
        spec = classify_services.parse_spec(kind, month)
    except Refusal as error:
        raise click.ClickException(refusals.explain(error)) from error
    web = cli.settings.web
    keys = FileKeys(PhoneCipher(web.secret_key, web.previous_secret_key))
    size = path.stat().st_size
    with click.progressbar(length=size, label="导入", file=sys.stderr,
                           show_percent=True) as bar, batch_work(cli.settings.database.url) as uow:
        done = [0]

        def advance(position: int) -> None:
            bar.update(position - done[0])
            done[0] = position
        try:
            with open_extract(path, path.name, advance) as extract:
                report = classify_services.import_extract(uow, spec, extract, keys, actor,
                                                          utcnow())
        except ImportRejected as error:
            uow.rollback()
            keep_refused(cli.settings.database.url, spec, path, path.name, error, actor,
                         utcnow())
            raise rejected_rows(error) from error
        uow.commit()
        bar.update(size - done[0])
    click.echo(f"rows {report.rows}, matched {report.matched}, "
               f"not yet on WeChat {report.unmatched}")
    click.echo("seconds: " + ", ".join(f"{step} {took}" for step, took in report.seconds.items()),
               err=True)
    for branch, count in report.unmatched_by_branch:
        click.echo(f"  {branch or '(no branch)'}\t{count}")
