"""`branchlink talk`: conversations from the terminal, acting as a staff account (`--as`), so
every rule of the console applies (scope, banned phrases, the platform's window)."""

from collections.abc import Iterator
from contextlib import contextmanager
from datetime import timedelta

import click

from bot import texts
from bot.cli.base import JSON_OPTION, Cli, pass_cli, print_rows, sql_uow
from crm_core import services
from crm_core.model import OutOfScope, Scope, utcnow
from crm_core.model.conversations import ConversationRefused
from crm_core.queries.conversations import INBOX, TABS
from crm_core.services import conversations as talk

AS_OPTION = click.option("--as", "username", required=True,
                         help="The staff account (login name) acting.")
LIST_COLUMNS = ("id", "status", "customer", "assignee", "opened_at", "latest")
SHOW_COLUMNS = ("id", "at", "author", "by", "kind", "body", "delivery", "status")


@click.group()
def talk_group() -> None:
    """Conversations: customers who asked for a person."""


def _scope(cli: Cli, username: str) -> Scope:
    with cli.runtime.uow() as uow:
        account = uow.staff.by_username(username)
        if account is None or not account.active:
            raise click.ClickException(f"no active staff account {username!r}")
        return services.scope_of(account)


def _refusal(error: ConversationRefused) -> click.ClickException:
    return click.ClickException(texts.TALK_REFUSALS[error.code].format(detail=error.detail))


@talk_group.command("list")
@AS_OPTION
@click.option("--status", type=click.Choice(list(TABS)), default="waiting", show_default=True)
@JSON_OPTION
@pass_cli
def talk_list(cli: Cli, username: str, status: str, as_json: bool) -> None:
    """List conversations in the account's scope (waiting: oldest first)."""
    scope = _scope(cli, username)
    with sql_uow(cli) as uow:
        page, _counts = talk.inbox(uow, scope, status, INBOX.request({"size": "100"}))
    print_rows(page.rows, LIST_COLUMNS, as_json)


@talk_group.command("show")
@click.argument("conversation_id", type=int)
@AS_OPTION
@JSON_OPTION
@pass_cli
def talk_show(cli: Cli, conversation_id: int, username: str, as_json: bool) -> None:
    """Print a transcript (masked unless the account is the customer's manager)."""
    scope = _scope(cli, username)
    with sql_uow(cli) as uow, _scoped():
        rows = talk.export_transcript(uow, scope, conversation_id, utcnow())
        uow.commit()
    print_rows(rows, SHOW_COLUMNS, as_json)


@talk_group.command("reply")
@click.argument("conversation_id", type=int)
@click.argument("body")
@AS_OPTION
@pass_cli
def talk_reply(cli: Cli, conversation_id: int, body: str, username: str) -> None:
    """Reply to the customer (within the window, or kept for the reply page)."""
    scope, settings = _scope(cli, username), cli.settings.talk
    window = talk.Window(timedelta(hours=settings.window_hours), settings.window_sends)
    with cli.runtime.uow() as uow, _scoped():
        try:
            replied = talk.reply(uow, scope, conversation_id, body, utcnow(), window)
        except ConversationRefused as error:
            raise _refusal(error) from error
        uow.commit()
    click.echo(texts.TALK_SENT[replied.delivery.value])


@talk_group.command("assign")
@click.argument("conversation_id", type=int)
@AS_OPTION
@click.option("--to", "target", help="Login name of a manager or agent (none: the queue).")
@click.option("--reason", default="transfer", show_default=True)
@pass_cli
def talk_assign(cli: Cli, conversation_id: int, username: str, target: str | None,
                reason: str) -> None:
    """Hand a conversation to someone else, or back to the queue."""
    scope = _scope(cli, username)
    with cli.runtime.uow() as uow, _scoped():
        try:
            talk.transfer(uow, scope, conversation_id, target, reason, utcnow())
        except ConversationRefused as error:
            raise _refusal(error) from error
        uow.commit()
    click.echo(f"conversation {conversation_id} -> {target or 'queue'}")


@talk_group.command("close")
@click.argument("conversation_id", type=int)
@AS_OPTION
@pass_cli
def talk_close(cli: Cli, conversation_id: int, username: str) -> None:
    """Close a conversation (the customer is asked for a rating)."""
    scope = _scope(cli, username)
    with cli.runtime.uow() as uow, _scoped():
        talk.close(uow, scope, conversation_id, utcnow())
        uow.commit()
    click.echo(f"conversation {conversation_id} closed")


@talk_group.command("hours")
@click.argument("branch")
@click.argument("days")
@click.argument("opens")
@click.argument("closes")
@pass_cli
def talk_hours(cli: Cli, branch: str, days: str, opens: str, closes: str) -> None:
    """Set a branch's business hours, e.g. `talk hours SH001 123456 09:00 17:30`."""
    with cli.runtime.uow() as uow:
        try:
            talk.set_hours(uow, branch, days, opens, closes)
        except ConversationRefused as error:
            raise _refusal(error) from error
        uow.commit()
    click.echo(f"{branch}: {days} {opens}-{closes}")


@talk_group.command("canned-add")
@click.argument("title")
@click.argument("body")
@pass_cli
def talk_canned_add(cli: Cli, title: str, body: str) -> None:
    """Add a quick reply (快捷回复) for everyone; banned promises are refused."""
    with cli.runtime.uow() as uow:
        try:
            talk.add_canned(uow, None, title, body, utcnow())
        except ConversationRefused as error:
            raise _refusal(error) from error
        uow.commit()
    click.echo(f"quick reply {title!r} added")


@talk_group.command("figures")
@click.option("--days", default=30, show_default=True)
@JSON_OPTION
@pass_cli
def talk_figures(cli: Cli, days: int, as_json: bool) -> None:
    """Per manager and agent: conversations and holding periods, first responses (to whoever
    answered first), resolutions and ratings (to whoever held it at the close)."""
    now = utcnow()
    with sql_uow(cli) as uow:
        rows = talk.talk_figures(uow, now - timedelta(days=days), now,
                                 cli.settings.leads.timezone)
    print_rows(rows, ("username", "name", "conversations", "segments", "handling_seconds",
                      "handling_business_seconds", "answered", "first_response_seconds",
                      "first_response_business_seconds", "resolved", "resolution_seconds",
                      "resolution_business_seconds", "ratings", "rating"), as_json)


@contextmanager
def _scoped() -> Iterator[None]:
    """Turn an out-of-scope or unknown conversation into one line for the operator."""
    try:
        yield
    except OutOfScope as error:
        raise click.ClickException("the conversation lies outside this account's scope") \
            from error
    except LookupError as error:
        raise click.ClickException(str(error)) from error
