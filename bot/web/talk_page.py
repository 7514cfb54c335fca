"""The customer's reply page: `/talk/<id>?k=<key>` shows what staff answered while the
platform's 48-hour window was closed. The key (an HMAC of the id) makes the link unguessable;
inside WeChat the visitor is identified by web authorisation, as on product pages, and a
visitor known to be someone else gets 403. Images staff sent are served from storage only to
the verified customer of that conversation; anyone else sees where they were."""

from pathlib import Path

from flask import Blueprint, Response, abort, render_template, request
from werkzeug.wrappers import Response as BaseResponse

from bot import texts
from bot.share_tokens import Visitor
from bot.talk_images import read_image
from bot.talk_links import key_fits
from bot.web.edge import current_runtime
from bot.web.visitors import current_visitor, send_to_authorize, wanted
from crm_core.services import conversations as talk

bp = Blueprint("talk_page", __name__)


@bp.get("/talk/<int:conversation_id>")
def reply_page(conversation_id: int) -> BaseResponse:
    """Show a conversation's replies to the customer it belongs to."""
    key = _checked_key(conversation_id)
    visitor, signer = current_visitor()
    if wanted(visitor):
        return send_to_authorize(visitor, signer, f"/talk/{conversation_id}?k={key}")
    with current_runtime().uow() as uow:
        try:
            shown = talk.reply_page(uow, conversation_id)  # type: ignore[arg-type]
        except LookupError:
            abort(404)
    if visitor.verified and visitor.customer_id not in (None, shown["customer_id"]):
        abort(403)
    html = render_template("products/talk.html", messages=shown["messages"], texts=texts,
                           conversation_id=conversation_id, key=key,
                           images=_is_customer(visitor, shown["customer_id"]))
    return Response(html)


@bp.get("/talk/<int:conversation_id>/media/<int:message_id>")
def reply_image(conversation_id: int, message_id: int) -> Response:
    """Serve an image staff sent, to the verified customer of the conversation only."""
    _checked_key(conversation_id)
    visitor, _signer = current_visitor()
    with current_runtime().uow() as uow:
        found = talk.page_image(uow, conversation_id, message_id)  # type: ignore[arg-type]
    if found is None:
        abort(404)
    if not _is_customer(visitor, found[0]):
        abort(403)
    try:
        kind, data = read_image(Path(current_runtime().settings.talk.media_dir), found[1])
    except FileNotFoundError:
        abort(404)
    response = Response(data, mimetype=kind)
    response.cache_control.private, response.cache_control.max_age = True, 86400
    return response


def _checked_key(conversation_id: int) -> str:
    key = request.args.get("k", "")
    if not key_fits(current_runtime().settings.web.secret_key, conversation_id, key):
        abort(404)
    return key


def _is_customer(visitor: Visitor, customer_id: int) -> bool:
    return visitor.verified and visitor.customer_id == customer_id
