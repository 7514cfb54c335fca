"""`branchlink spool`: messages kept on disk during a database outage."""

import click

from bot.cli.base import Cli, pass_cli
from bot.inbound import OUTAGE
from bot.spool import FAILED, PENDING


@click.group()
def spool() -> None:
    """Messages kept on disk during a database outage or after a handler error."""


@spool.command("status")
@pass_cli
def spool_status(cli: Cli) -> None:
    """Count spooled and parked messages."""
    store = cli.runtime.inbound.spool
    click.echo(f"pending: {len(store.waiting(PENDING))}  failed: {len(store.waiting(FAILED))}")


@spool.command("replay")
@click.option("--failed", is_flag=True, help="Replay messages parked after handler errors.")
@pass_cli
def spool_replay(cli: Cli, failed: bool) -> None:
    """Process spooled messages now (each is processed once, whatever happened before)."""
    try:
        replayed = cli.runtime.inbound.replay_spool(FAILED if failed else PENDING)
    except OUTAGE as error:
        raise click.ClickException("the database is unavailable; the messages wait") from error
    parked = f"; {replayed.parked} parked (see the log)" if replayed.parked else ""
    click.echo(f"replayed {replayed.done} message(s){parked}")
