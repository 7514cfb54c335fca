"""The customer's reply page: `/talk/<id>?k=<key>` shows what staff answered while the
platform's 48-hour window was closed. The key (an HMAC of the id) makes the link unguessable;
inside WeChat the visitor is identified by web authorisation, as on product pages, and a
visitor known to be someone else gets 403."""

from flask import Blueprint, Response, abort, render_template, request
from werkzeug.wrappers import Response as BaseResponse

from bot import texts
from bot.talk_links import key_fits
from bot.web.edge import current_runtime
from bot.web.visitors import current_visitor, send_to_authorize, wanted
from crm_core.services import conversations as talk

bp = Blueprint("talk_page", __name__)


@bp.get("/talk/<int:conversation_id>")
def reply_page(conversation_id: int) -> BaseResponse:
    """Show a conversation's replies to the customer it belongs to."""
    runtime, key = current_runtime(), request.args.get("k", "")
    if not key_fits(runtime.settings.web.secret_key, conversation_id, key):
        abort(404)
    visitor, signer = current_visitor()
    if wanted(visitor):
        return send_to_authorize(visitor, signer, f"/talk/{conversation_id}?k={key}")
    with runtime.uow() as uow:
        try:
            shown = talk.reply_page(uow, conversation_id)  # type: ignore[arg-type]
        except LookupError:
            abort(404)
    if visitor.verified and visitor.customer_id not in (None, shown["customer_id"]):
        abort(403)
    html = render_template("products/talk.html", messages=shown["messages"], texts=texts)
    return Response(html)
