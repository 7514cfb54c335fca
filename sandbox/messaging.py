"""The rules for template, customer-service and mass messages, applied to the sandbox state."""

from __future__ import annotations

import time
from typing import Any

from sandbox.state import SandboxState
from sandbox.users import OPENID_RE, User
from sandbox.wire import PlatformError, ok

CLIENT_MSG_ID_SECONDS = 600  # template client_msg_id dedupes for 10 minutes
MAX_CLIENT_MSG_ID = 64
MASS_MIN_USERS, MASS_MAX_USERS = 2, 10_000
CUSTOM_TYPES = frozenset({"text", "news", "image", "voice", "video", "music", "mpnews", "menu"})


def send_template(state: SandboxState, body: dict[str, Any]) -> tuple[dict[str, Any], bool]:
    """Deliver a template message; return the platform's answer and whether it was delivered."""
    user = _follower(state, body.get("touser"), not_following=43004)
    if state.templates and body.get("template_id") not in state.templates:
        raise PlatformError(40037)
    if not _template_data_ok(body.get("data", {})):
        raise PlatformError(47003)
    guard_key = (user.openid, str(body.get("client_msg_id") or ""))
    earlier = state.template_guard.get(guard_key)
    if guard_key[1] and earlier and state.now() - earlier[1] < CLIENT_MSG_ID_SECONDS:
        return ok(msgid=earlier[0]), False  # same client_msg_id: the platform sends only once
    msgid = state.next_msgid()
    state.template_guard[guard_key] = (msgid, state.now())
    state.deliver(user.openid, "template", _without_touser(body), msgid=msgid)
    return ok(msgid=msgid), True


def send_custom(state: SandboxState, body: dict[str, Any]) -> dict[str, Any]:
    """Deliver a customer-service message if the user's reply window allows it."""
    user = _follower(state, body.get("touser"), not_following=45015)
    msgtype = body.get("msgtype")
    if msgtype not in CUSTOM_TYPES:
        raise PlatformError(40008)
    _check_custom_content(msgtype, body.get(msgtype))
    if msgtype in ("image", "voice") and not state.media.has(body[msgtype].get("media_id")):
        raise PlatformError(40007)
    if not user.take_reply_slot(state.now()):
        raise PlatformError(45015)
    state.deliver(user.openid, "custom", _without_touser(body))
    return {"errcode": 0, "errmsg": "ok"}


def send_mass(state: SandboxState, body: dict[str, Any]) -> dict[str, Any]:
    """Accept a mass job to an openid list; users over the monthly limit are filtered out."""
    touser, client_id = _check_mass(body)
    if client_id in state.mass_guard:
        raise PlatformError(45065, msg_id=state.mass_guard[client_id])
    msg_id = state.next_msgid()
    if client_id:
        state.mass_guard[client_id] = msg_id
    targets = list(dict.fromkeys(touser))
    sent = sum(_deliver_mass(state, openid, _without_touser(body), msg_id) for openid in targets)
    state.mass_results[msg_id] = (len(targets), sent)
    answer = {"errcode": 0, "errmsg": "send job submission success", "msg_id": msg_id}
    if body["msgtype"] == "mpnews":
        answer["msg_data_id"] = msg_id + 1_000_000  # only news jobs carry a data id
    return answer


def _check_mass(body: dict[str, Any]) -> tuple[list[str], str]:
    touser = body.get("touser")
    if not isinstance(touser, list) or not MASS_MIN_USERS <= len(touser) <= MASS_MAX_USERS:
        raise PlatformError(40130)
    if body.get("msgtype") not in ("text", "mpnews", "image", "voice", "mpvideo", "wxcard"):
        raise PlatformError(40008)
    client_id = body.get("clientmsgid") or ""
    if not isinstance(client_id, str) or len(client_id) > MAX_CLIENT_MSG_ID:
        raise PlatformError(45067)
    return [openid for openid in touser if isinstance(openid, str)], client_id


def _deliver_mass(state: SandboxState, openid: str, payload: dict[str, Any], msg_id: int) -> bool:
    user = state.users.get(openid)
    if user is None or not user.following:
        return False
    month = time.strftime("%Y-%m", time.gmtime(state.now()))
    if user.mass_by_month.get(month, 0) >= state.config.mass_monthly_limit:
        return False
    user.mass_by_month[month] = user.mass_by_month.get(month, 0) + 1
    state.deliver(openid, "mass", payload, msg_id=msg_id)
    return True


def _follower(state: SandboxState, openid: Any, not_following: int) -> User:
    if not isinstance(openid, str) or not OPENID_RE.match(openid):
        raise PlatformError(40003)
    user = state.user(openid)
    if not user.following:
        raise PlatformError(not_following)
    return user


def _template_data_ok(data: Any) -> bool:
    return isinstance(data, dict) and all(
        isinstance(field, dict) and isinstance(field.get("value"), str) for field in data.values()
    )


def _check_custom_content(msgtype: str, content: Any) -> None:
    if not isinstance(content, dict):
        raise PlatformError(44002)
    if msgtype == "text" and not content.get("content"):
        raise PlatformError(44004)
    if msgtype == "news":
        articles = content.get("articles")
        if not isinstance(articles, list) or not articles:
            raise PlatformError(44002)
        if len(articles) > 1:
            raise PlatformError(45008)  # news via the customer-service API: one article only


def _without_touser(body: dict[str, Any]) -> dict[str, Any]:
    return {key: value for key, value in body.items() if key != "touser"}
