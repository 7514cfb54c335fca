"""`branchlink` subcommands for staff and newcomers: org set-up, customers, spool, simulate."""

import json

import click
import requests

from bot.cli.base import Cli, pass_cli, refused
from bot.inbound import OUTAGE
from bot.spool import FAILED, PENDING
from bot.wechat.messages import MalformedMessage, parse_document
from bot.wechat.simulator import MODES, Platform, event_xml, text_xml
from crm_core import services
from crm_core.model import ManagerRole, ManagerState, utcnow


@click.group()
def branches() -> None:
    """Branches."""


@branches.command("add")
@click.argument("code")
@click.argument("name")
@pass_cli
def branches_add(cli: Cli, code: str, name: str) -> None:
    """Add (or rename) a branch."""
    with cli.runtime.uow() as uow:
        created = services.add_branch(uow, code, name)
        uow.commit()
    click.echo(f"branch {code} {'added' if created else 'updated'}")


@click.group()
def managers() -> None:
    """Customer managers."""


@managers.command("add")
@click.argument("code")
@click.argument("name")
@click.option("--branch", "branch_code", required=True, help="Branch code.")
@click.option("--title", default="客户经理", show_default=True)
@click.option("--role", type=click.Choice([r.value for r in ManagerRole]), default="retail")
@pass_cli
def managers_add(cli: Cli, code: str, name: str, branch_code: str, title: str, role: str) -> None:
    """Add (or update) a manager."""
    with cli.runtime.uow() as uow:
        with refused(services.UnknownRecord):
            created = services.add_manager(uow, code, name, branch_code, title=title,
                                           role=ManagerRole(role))
        uow.commit()
    click.echo(f"manager {code} {'added' if created else 'updated'}")


@managers.command("state")
@click.argument("code")
@click.argument("state", type=click.Choice([s.value for s in ManagerState]))
@pass_cli
def managers_state(cli: Cli, code: str, state: str) -> None:
    """Mark a manager active, on leave or left."""
    with cli.runtime.uow() as uow:
        with refused(services.UnknownRecord):
            services.set_manager_state(uow, code, ManagerState(state))
        uow.commit()
    click.echo(f"manager {code} is now {state}")


@click.group()
def customers() -> None:
    """Customers."""


@customers.command("show")
@click.argument("openid")
@pass_cli
def customers_show(cli: Cli, openid: str) -> None:
    """Print a customer's record as JSON."""
    with cli.runtime.uow() as uow:
        profile = services.customer_profile(uow, openid)
        if profile is not None:
            services.audit(uow, utcnow(), "cli", "customer_exported", openid)
            uow.commit()
    if profile is None:
        raise click.ClickException(f"no customer with openid {openid!r}")
    click.echo(json.dumps(profile, ensure_ascii=False, indent=2))


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


@click.group()
@click.option("--url", help="Webhook URL (default: http://[server] bind/wechat).")
@click.option("--openid", default="demo-customer-1", show_default=True)
@click.option("--mode", type=click.Choice(MODES), default="safe", show_default=True,
              help="plain, compatible or safe (AES) mode.")
@click.pass_context
def simulate(ctx: click.Context, url: str | None, openid: str, mode: str) -> None:
    """Act as the WeChat platform towards a running server."""
    ctx.meta["simulate"] = (url, openid, mode)


def _send(cli: Cli, xml: str) -> None:
    url, _openid, mode = click.get_current_context().meta["simulate"]
    wechat = cli.settings.wechat
    platform = Platform(wechat.token, wechat.app_id, wechat.encoding_aes_key)
    if mode != "plain" and not wechat.encoding_aes_key:
        raise click.ClickException("compat and safe modes need [wechat] encoding_aes_key")
    url = url or f"http://{cli.settings.server.bind}/wechat"
    try:
        response = platform.post(url, xml, mode)
    except requests.RequestException as error:
        raise click.ClickException(f"cannot reach {url}: {error}") from error
    if response.status_code != 200:
        raise click.ClickException(f"HTTP {response.status_code}: {response.text}")
    click.echo(_describe(platform.read_reply(response.text)))


def _describe(reply: str) -> str:
    if reply in ("", "success"):
        return "(no reply: success)"
    try:
        fields = parse_document(reply)
    except MalformedMessage:
        return reply
    return str(fields.get("Content") or json.dumps(fields, ensure_ascii=False, indent=2))


def _openid() -> str:
    return str(click.get_current_context().meta["simulate"][1])


@simulate.command("text")
@click.argument("content")
@pass_cli
def simulate_text(cli: Cli, content: str) -> None:
    """Send a text message."""
    _send(cli, text_xml(_openid(), content))


@simulate.command("subscribe")
@click.option("--scene", help="Scene of the QR code scanned, e.g. b:SH001 or m:SH001-01.")
@pass_cli
def simulate_subscribe(cli: Cli, scene: str | None) -> None:
    """Follow the account (through a QR code with --scene)."""
    _send(cli, event_xml(_openid(), "subscribe", f"qrscene_{scene}" if scene else None))


@simulate.command("scan")
@click.option("--scene", required=True)
@pass_cli
def simulate_scan(cli: Cli, scene: str) -> None:
    """Scan a parametric QR code as an existing follower."""
    _send(cli, event_xml(_openid(), "SCAN", scene))


@simulate.command("unsubscribe")
@pass_cli
def simulate_unsubscribe(cli: Cli) -> None:
    """Unfollow the account."""
    _send(cli, event_xml(_openid(), "unsubscribe"))


@simulate.command("click")
@click.argument("key")
@pass_cli
def simulate_click(cli: Cli, key: str) -> None:
    """Click a custom menu item."""
    _send(cli, event_xml(_openid(), "CLICK", key))
