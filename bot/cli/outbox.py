"""`branchlink outbox`: notices waiting, sent or dead, and retrying them."""

import json

import click

from bot.cli.base import Cli, pass_cli, refused
from crm_core import services
from crm_core.model import NoticeStatus, utcnow


@click.group()
def outbox() -> None:
    """Notices to managers: what was sent, what failed, dead letters."""


@outbox.command("list")
@click.option("--status", type=click.Choice([s.value for s in NoticeStatus]))
@click.option("--limit", default=50, show_default=True)
@pass_cli
def outbox_list(cli: Cli, status: str | None, limit: int) -> None:
    """List notices as JSON lines, newest first."""
    with cli.runtime.uow() as uow:
        rows = services.list_notices(uow, NoticeStatus(status) if status else None, limit)
    for row in rows:
        click.echo(json.dumps(row, ensure_ascii=False))


@outbox.command("retry")
@click.argument("notice_ids", type=int, nargs=-1)
@click.option("--dead", "all_dead", is_flag=True, help="Retry every dead letter.")
@pass_cli
def outbox_retry(cli: Cli, notice_ids: tuple[int, ...], all_dead: bool) -> None:
    """Send dead, failed or unknown notices again."""
    with cli.runtime.uow() as uow:
        if all_dead:
            notice_ids = tuple(row["id"] for row in
                               services.list_notices(uow, NoticeStatus.DEAD, 10_000))
        with refused(LookupError, ValueError):
            for notice_id in notice_ids:
                services.retry_notice(uow, notice_id, utcnow())
        uow.commit()
    click.echo(f"{len(notice_ids)} notice(s) queued again")
