"""`branchlink simulate`: send signed callbacks to a running service, as the platform would."""

import json

import click
import requests

from bot.cli.base import Cli, pass_cli
from bot.wechat.messages import MalformedMessage, parse_document
from bot.wechat.simulator import MODES, Platform, event_xml, text_xml


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
