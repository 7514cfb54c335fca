"""`branchlink sandbox`: serve the loopback WeChat API stand-in (a dev/test tool)."""

from __future__ import annotations

import re
from typing import Any

import click
from werkzeug.serving import WSGIRequestHandler, run_simple

from sandbox.app import create_sandbox_app
from sandbox.config import SandboxConfig

# Clients put credentials in query strings (access_token=, and secret= for web authorisation):
# the access log keeps the path and parameters, never their values.
_CREDENTIAL = re.compile(r"\b(access_token|secret)=[^&\s\"]+")


class MaskingRequestHandler(WSGIRequestHandler):
    """Werkzeug's request handler with credentials masked in its access log."""

    def log(self, type: str, message: str, *args: Any) -> None:
        """Log like werkzeug, with credential values replaced by ***."""
        masked = [_CREDENTIAL.sub(r"\1=***", arg) if isinstance(arg, str) else arg
                  for arg in args]
        super().log(type, message, *masked)


@click.command("sandbox")
@click.option("--host", default="127.0.0.1", show_default=True, help="Interface to listen on.")
@click.option("--port", default=8081, show_default=True, type=int, help="Port to listen on.")
@click.option("--app-id", required=True, envvar="BRANCHLINK_SANDBOX_APP_ID",
              help="AppID the sandbox accepts (env BRANCHLINK_SANDBOX_APP_ID).")
@click.option("--app-secret", required=True, envvar="BRANCHLINK_SANDBOX_APP_SECRET",
              help="AppSecret the sandbox accepts (env BRANCHLINK_SANDBOX_APP_SECRET).")
@click.option("--token-grace-seconds", default=300.0, show_default=True, type=float,
              help="How long a replaced access token keeps working.")
@click.option("--template", "templates", multiple=True,
              help="Known template id (repeatable); if none, every id is accepted.")
@click.option("--follower", "followers", multiple=True, help="Openid following from the start.")
@click.option("--everyone-follows", is_flag=True,
              help="Treat every openid as a follower (for demos driven by `simulate`).")
@click.option("--webhook-url", default=None, help="Push TEMPLATESENDJOBFINISH here after sends.")
@click.option("--webhook-token", default=None, envvar="BRANCHLINK_SANDBOX_WEBHOOK_TOKEN",
              help="Token used to sign the pushed events (env BRANCHLINK_SANDBOX_WEBHOOK_TOKEN).")
def sandbox_command(
    host: str,
    port: int,
    app_id: str,
    app_secret: str,
    token_grace_seconds: float,
    templates: tuple[str, ...],
    followers: tuple[str, ...],
    everyone_follows: bool,
    webhook_url: str | None,
    webhook_token: str | None,
) -> None:
    """Serve a loopback stand-in of the WeChat API; watch inboxes at /_sandbox/."""
    config = SandboxConfig(
        app_id=app_id, app_secret=app_secret, token_grace_seconds=token_grace_seconds,
        templates=templates, followers=followers, everyone_follows=everyone_follows,
        webhook_url=webhook_url, webhook_token=webhook_token,
    )
    click.echo(f"WeChat sandbox on http://{host}:{port} (inboxes: /_sandbox/)")
    run_simple(host, port, create_sandbox_app(config), threaded=True,
               request_handler=MaskingRequestHandler)
