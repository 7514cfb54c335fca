"""The WeChat callback endpoint: verify -> parse -> dedupe -> dispatch -> render."""

from flask import Blueprint, Response, current_app, g, request
from flask.typing import ResponseReturnValue

from bot import texts
from bot.dispatch import HANDLERS
from bot.inbound import NotRecorded
from bot.metrics import CALLBACKS_REFUSED
from bot.web.edge import current_runtime
from bot.wechat.gate import Refused
from bot.wechat.messages import MalformedMessage, parse_message

bp = Blueprint("wechat", __name__)
# The message kinds the latency histogram names; any other is `other` (a bounded label set).
KINDS = frozenset(kind for kind, _ in HANDLERS) | frozenset(texts.SUMMARY)


@bp.get("/wechat")
def verify() -> Response:
    """Answer the platform's URL verification."""
    try:
        return Response(current_runtime().gate.echo(request.args), mimetype="text/plain")
    except Refused as error:
        return _refuse(403, str(error), error.reason)


@bp.post("/wechat")
def receive() -> Response:
    """Take one callback and answer it within the platform's deadline."""
    runtime = current_runtime()
    try:
        opened = runtime.gate.open(request.args, request.get_data(cache=False))
        msg = parse_message(opened.plaintext)
    except Refused as error:
        return _refuse(403, str(error), error.reason)
    except (MalformedMessage, UnicodeDecodeError) as error:
        return _refuse(400, str(error), "malformed")
    g.message_kind = msg.kind if msg.kind in KINDS else "other"
    try:
        reply = runtime.inbound.receive(msg, opened.plaintext)
    except NotRecorded:
        # Never `success` for a message nobody kept: only an answer that is not one leaves
        # the platform a reason to deliver it again, when the database or disk may take it.
        CALLBACKS_REFUSED.labels("not_recorded").inc()
        return Response("not recorded, send again", status=503, mimetype="text/plain")
    return Response(runtime.gate.seal(reply, opened), mimetype="application/xml")


@bp.errorhandler(413)
def _too_large(error: Exception) -> ResponseReturnValue:
    CALLBACKS_REFUSED.labels("too_large").inc()
    return error  # type: ignore[return-value]  # werkzeug's own 413 answer


def _refuse(status: int, message: str, reason: str) -> Response:
    CALLBACKS_REFUSED.labels(reason).inc()
    current_app.logger.warning("callback refused (%s): %s", status, message,
                               extra={"reason": reason})
    return Response(message, status=status, mimetype="text/plain")
