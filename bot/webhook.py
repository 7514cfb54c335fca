"""The WeChat callback endpoint: verify -> parse -> dedupe -> dispatch -> render."""

from flask import Blueprint, Response, current_app, request

from bot.inbound import NotRecorded
from bot.web.edge import current_runtime
from bot.wechat.gate import Refused
from bot.wechat.messages import MalformedMessage, parse_message

bp = Blueprint("wechat", __name__)


@bp.get("/wechat")
def verify() -> Response:
    """Answer the platform's URL verification."""
    try:
        return Response(current_runtime().gate.echo(request.args), mimetype="text/plain")
    except Refused as error:
        return _refuse(403, str(error))


@bp.post("/wechat")
def receive() -> Response:
    """Take one callback and answer it within the platform's deadline."""
    runtime = current_runtime()
    try:
        opened = runtime.gate.open(request.args, request.get_data(cache=False))
        msg = parse_message(opened.plaintext)
    except Refused as error:
        return _refuse(403, str(error))
    except (MalformedMessage, UnicodeDecodeError) as error:
        return _refuse(400, str(error))
    try:
        reply = runtime.inbound.receive(msg, opened.plaintext)
    except NotRecorded:
        # Never `success` for a message nobody kept: only an answer that is not one leaves
        # the platform a reason to deliver it again, when the database or disk may take it.
        return Response("not recorded, send again", status=503, mimetype="text/plain")
    return Response(runtime.gate.seal(reply, opened), mimetype="application/xml")


def _refuse(status: int, reason: str) -> Response:
    current_app.logger.warning("callback refused (%s): %s", status, reason)
    return Response(reason, status=status, mimetype="text/plain")
