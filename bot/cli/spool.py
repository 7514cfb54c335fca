"""`branchlink spool`: messages kept on disk during a database outage."""


import click

from bot.cli.base import Cli, pass_cli
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
    inbound = cli.runtime.inbound
    done = inbound.spool.replay(inbound.replay, FAILED if failed else PENDING)
    click.echo(f"replayed {done} message(s)")
