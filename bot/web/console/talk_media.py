"""Images of a conversation. A customer's are fetched once from the platform's media API into
`[talk] media_dir` (at most `media_max_bytes`, images only), then served from there to staff
who see the conversation; a refused file is answered with the reason in Chinese. Staff send
their own from the reply box (checked the same way, stored there, sent by the outbox)."""

import hashlib
from datetime import datetime, timedelta
from pathlib import Path

from flask import Response, abort, flash, request
from flask.typing import ResponseReturnValue
from flask_login import login_required

from bot import texts
from bot.talk_images import read_image, store_image
from bot.web.console.blueprint import bp
from bot.web.console.support import now, scope, work
from bot.web.console.talk import back, refusal
from bot.web.edge import current_runtime
from bot.wechat.errors import WeChatApiError
from bot.wechat.transport import MediaRefused
from crm_core.model import Scope
from crm_core.model.conversations import STORED_MEDIA, ConversationRefused
from crm_core.services import conversations as talk
from crm_core.services.conversations import Replied

IMAGES = {"image/jpeg": ".jpg", "image/png": ".png", "image/gif": ".gif"}


@bp.get("/talk/<int:conversation_id>/media/<int:message_id>")
@login_required
def talk_media(conversation_id: int, message_id: int) -> Response:
    """An image of the transcript (fetched from the platform the first time)."""
    with work() as uow:
        media_id = talk.media_of(uow, scope(), conversation_id, message_id)
    if media_id is None:
        abort(404)
    folder = Path(current_runtime().settings.talk.media_dir)
    if media_id.startswith(STORED_MEDIA):
        return _shown(*_stored(folder, media_id.removeprefix(STORED_MEDIA)))
    name = hashlib.sha256(media_id.encode()).hexdigest()
    cached = next(iter(sorted(folder.glob(f"{name}.*"))), None) if folder.exists() else None
    if cached is None:
        try:
            cached = _fetch(media_id, folder / name)
        except MediaRefused as error:
            return _refused(texts.TALK_MEDIA_REFUSED[error.reason].format(
                limit=error.limit // 1_000_000 or 1))
        except WeChatApiError:
            return _refused(texts.TALK_MEDIA_UNAVAILABLE)
    kind = next(k for k, suffix in IMAGES.items() if cached.suffix == suffix)
    return _shown(kind, cached.read_bytes())


@bp.post("/talk/<int:conversation_id>/image")
@login_required
def talk_image(conversation_id: int) -> ResponseReturnValue:
    """Send the customer an image chosen on the phone (a customer-service image message, or
    kept for the reply page outside the window)."""
    settings = current_runtime().settings.talk
    upload = request.files.get("image")
    if upload is None or not upload.filename:
        flash(texts.TALK_IMAGE_MISSING)
        return back(conversation_id)
    try:
        replied = send_image_file(scope(), conversation_id,
                                  upload.read(settings.media_max_bytes + 1), now())
        flash(texts.TALK_SENT[replied.delivery.value])
    except MediaRefused as error:
        flash(image_refusal(error))
    except ConversationRefused as error:
        flash(refusal(error))
    return back(conversation_id)


def send_image_file(who: Scope, conversation_id: int, data: bytes, at: datetime) -> Replied:
    """Store an image staff chose and send it in the conversation (MediaRefused for a bad
    file, ConversationRefused when closed; OutOfScope as ever)."""
    settings = current_runtime().settings.talk
    window = talk.Window(timedelta(hours=settings.window_hours), settings.window_sends)
    with work() as uow:
        talk.visible(uow, who, conversation_id)  # nothing is stored for one out of scope
        stored = store_image(Path(settings.media_dir), data, settings.media_max_bytes)
        replied = talk.send_image(uow, who, conversation_id, stored, texts.TALK_IMAGE, at,
                                  window)
        uow.commit()
    return replied


def image_refusal(error: MediaRefused) -> str:
    """Say in Chinese why an image staff chose was not sent."""
    return texts.TALK_IMAGE_REFUSED[error.reason].format(limit=texts.size_label(error.limit))


def _stored(folder: Path, name: str) -> tuple[str, bytes]:
    try:
        return read_image(folder, name)
    except FileNotFoundError:
        abort(404)


def _shown(kind: str, data: bytes) -> Response:
    response = Response(data, mimetype=kind)
    response.cache_control.private, response.cache_control.max_age = True, 86400
    return response


def _fetch(media_id: str, stem: Path) -> Path:
    settings = current_runtime().settings.talk
    with current_runtime().api() as api:
        kind, data = api.get_media(media_id, settings.media_max_bytes)
    if kind not in IMAGES:
        raise MediaRefused("bad_type")
    stem.parent.mkdir(parents=True, exist_ok=True)
    target = stem.with_suffix(IMAGES[kind])
    partial = stem.with_suffix(".part")
    partial.write_bytes(data)
    partial.replace(target)  # a reader never sees half a file
    return target


def _refused(reason: str) -> Response:
    return Response(reason, status=422, mimetype="text/plain")
