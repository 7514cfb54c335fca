"""The staff API's conversations (/api/v1/conversations): the inbox, a transcript, a reply,
an image, a transfer and a close, and the per-staff figures, in the caller's scope."""

from datetime import datetime, timedelta
from typing import Any

from flask import Response, jsonify, request

from bot import texts
from bot.web import api_input
from bot.web.api_input import BadField
from bot.web.console.support import work
from bot.web.console.talk import refusal as talk_refusal
from bot.web.console.talk_figures import PERIODS
from bot.web.console.talk_media import image_refusal, send_image_file
from bot.web.edge import current_runtime
from bot.web.openapi import BIG_ROW_ID
from bot.web.staff_api import ApiError, _body, _scope, bp
from bot.wechat.transport import MediaRefused
from crm_core.model import utcnow
from crm_core.model.conversations import REPLY_MAX_LENGTH, ConversationRefused
from crm_core.queries.conversations import INBOX, TABS
from crm_core.services import conversations as talk


@bp.get("/conversations")
def conversations() -> Response:
    """Conversations in scope by status (waiting: oldest first; others: latest first)."""
    status = request.args.get("status", "waiting")
    if status not in TABS:
        raise ApiError(422, "invalid", texts.API_NOT_A_CHOICE.format(
            field="status", choices="、".join(TABS)))
    number = request.args.get("page", "1")
    if not (number.isdigit() and 1 <= int(number) <= 10_000):
        raise BadField("page", "not_a_page")
    with work() as uow:
        page, _counts = talk.inbox(uow, _scope(), status, INBOX.request(request.args))
    return jsonify(conversations=[_stamped(row) for row in page.rows], total=page.total)


@bp.get("/conversations/figures")
def conversation_figures() -> Response:
    """Per manager and agent over the last `days` (7, 30 or 90) in scope: counts, first
    responses, resolutions (elapsed and within business hours) and ratings."""
    days = request.args.get("days", "30")
    if days not in {str(p) for p in PERIODS}:
        raise ApiError(422, "invalid", texts.API_NOT_A_CHOICE.format(
            field="days", choices="、".join(str(p) for p in PERIODS)))
    until = utcnow()
    with work() as uow:
        rows = talk.scoped_figures(uow, _scope(), until - timedelta(days=int(days)), until,
                                   current_runtime().settings.leads.timezone)
    return jsonify(days=int(days), staff=rows)


@bp.get(f"/conversations/<{BIG_ROW_ID}:conversation_id>")
def conversation(conversation_id: int) -> Response:
    """One conversation's transcript (numbers masked unless the caller is the own manager)."""
    with work() as uow:
        rows = talk.new_messages(uow, _scope(), conversation_id, 0)
        held = talk.visible(uow, _scope(), conversation_id)
        return jsonify(id=conversation_id, status=held.status.value,
                       messages=[_stamped(row) for row in rows])


@bp.post(f"/conversations/<{BIG_ROW_ID}:conversation_id>/replies")
def conversation_reply(conversation_id: int) -> tuple[Response, int]:
    """Reply: {"body": "..."}; a banned promise is refused (422) with the phrase named."""
    body = api_input.text(_body("body"), "body", REPLY_MAX_LENGTH, required=True)
    settings = current_runtime().settings.talk
    window = talk.Window(timedelta(hours=settings.window_hours), settings.window_sends)
    with work() as uow:
        try:
            replied = talk.reply(uow, _scope(), conversation_id, str(body), utcnow(), window)
        except ConversationRefused as error:
            raise ApiError(422, "invalid", talk_refusal(error)) from error
        uow.commit()
    return jsonify(message_id=replied.message_id, delivery=replied.delivery.value), 201


@bp.post(f"/conversations/<{BIG_ROW_ID}:conversation_id>/images")
def conversation_image(conversation_id: int) -> tuple[Response, int]:
    """Send an image (multipart field `image`: JPG, PNG or GIF) as a customer-service image,
    or keep it for the reply page outside the window; a bad file is refused (422)."""
    upload = request.files.get("image") if request.mimetype == "multipart/form-data" else None
    if upload is None:
        raise ApiError(400, "bad_request", texts.TALK_IMAGE_MISSING)
    cap = current_runtime().settings.talk.media_max_bytes
    try:
        replied = send_image_file(_scope(), conversation_id, upload.read(cap + 1), utcnow())
    except MediaRefused as error:
        raise ApiError(422, "invalid", image_refusal(error)) from error
    except ConversationRefused as error:
        raise ApiError(422, "invalid", talk_refusal(error)) from error
    return jsonify(message_id=replied.message_id, delivery=replied.delivery.value), 201


@bp.post(f"/conversations/<{BIG_ROW_ID}:conversation_id>/assign")
def conversation_assign(conversation_id: int) -> Response:
    """Hand over: {"username": "..." (null: back to the queue), "reason": "..."}."""
    body = _body("username", "reason")
    username = api_input.text(body, "username", 64)
    reason = api_input.text(body, "reason", 32) or "transfer"
    with work() as uow:
        try:
            talk.transfer(uow, _scope(), conversation_id, username, str(reason), utcnow())
        except ConversationRefused as error:
            raise ApiError(422, "invalid", talk_refusal(error)) from error
        uow.commit()
    return jsonify(id=conversation_id, assignee=username)


@bp.post(f"/conversations/<{BIG_ROW_ID}:conversation_id>/close")
def conversation_close(conversation_id: int) -> Response:
    """Close a conversation (the customer is asked for a rating)."""
    with work() as uow:
        talk.close(uow, _scope(), conversation_id, utcnow())
        uow.commit()
    return jsonify(id=conversation_id, status="closed")


def _stamped(row: dict[str, Any]) -> dict[str, Any]:
    return {k: v.isoformat() if isinstance(v, datetime) else v for k, v in row.items()}
