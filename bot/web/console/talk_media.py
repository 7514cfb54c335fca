"""Images customers sent in a conversation: fetched once from the platform's media API into
`[talk] media_dir` (at most `media_max_bytes`, images only), then served from there to staff
who see the conversation. A refused file is answered with the reason in Chinese."""

import hashlib
from pathlib import Path

from flask import Response, abort
from flask_login import login_required

from bot import texts
from bot.web.console.blueprint import bp
from bot.web.console.support import scope, work
from bot.web.edge import current_runtime
from bot.wechat.errors import WeChatApiError
from bot.wechat.transport import MediaRefused
from crm_core.services import conversations as talk

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
    response = Response(cached.read_bytes(), mimetype=kind)
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
