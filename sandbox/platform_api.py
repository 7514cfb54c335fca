"""The /cgi-bin endpoints: the platform's paths, payloads and error codes."""

from __future__ import annotations

import io
from collections.abc import Mapping
from typing import Any

import qrcode
from flask import Blueprint, Response, abort, current_app, request

from sandbox import messaging
from sandbox.push import push_in_background, push_mass_finish_in_background
from sandbox.state import SandboxState
from sandbox.tokens import CLASSIC, STABLE
from sandbox.users import OPENID_RE
from sandbox.wire import PlatformError, ok

bp = Blueprint("sandbox_platform", __name__, url_prefix="/cgi-bin")

#: Paths reachable without an access_token.
OPEN_PATHS = frozenset({"/cgi-bin/token", "/cgi-bin/stable_token", "/cgi-bin/showqrcode",
                        "/sns/oauth2/access_token"})


def state() -> SandboxState:
    """Return the state of the sandbox app serving this request."""
    found: SandboxState = current_app.extensions["wechat_sandbox"]
    return found


def json_body() -> dict[str, Any]:
    """Return the request's JSON object (wechatpy sends JSON without a content type)."""
    if not request.get_data():
        raise PlatformError(44002)
    body = request.get_json(force=True, silent=True)
    if not isinstance(body, dict):
        raise PlatformError(47001)
    return body


@bp.get("/token")
def token() -> dict[str, Any]:
    """Issue a classic token: each call replaces the previous one."""
    return _issue(CLASSIC, request.args.to_dict(), force=True)


@bp.post("/stable_token")
def stable_token() -> dict[str, Any]:
    """Issue the stable token: the same one to every caller unless forced."""
    body = json_body()
    return _issue(STABLE, body, force=body.get("force_refresh") is True)


def check_credentials(credentials: Mapping[str, Any], grant_type: str) -> None:
    """Refuse a token request as the platform does: grant type, then appid, then secret."""
    config = state().config
    if credentials.get("grant_type") != grant_type:
        raise PlatformError(40002)
    if credentials.get("appid") != config.app_id:
        raise PlatformError(40013)
    if credentials.get("secret") != config.app_secret:
        raise PlatformError(40125)


def _issue(kind: str, credentials: dict[str, Any], force: bool) -> dict[str, Any]:
    sandbox = state()
    check_credentials(credentials, "client_credential")
    with sandbox.lock:
        access_token, expires_in = sandbox.tokens.issue(kind, sandbox.now(), force)
    return {"access_token": access_token, "expires_in": expires_in}


@bp.post("/message/template/send")
def template_send() -> dict[str, Any]:
    """Send a template message."""
    sandbox, body = state(), json_body()
    with sandbox.lock:
        answer, delivered = messaging.send_template(sandbox, body)
    config = sandbox.config
    if delivered and config.webhook_url and config.webhook_token:
        push_in_background(config, body["touser"], answer["msgid"])
    return answer


@bp.post("/message/custom/send")
def custom_send() -> dict[str, Any]:
    """Send a customer-service message inside the user's window."""
    sandbox, body = state(), json_body()
    with sandbox.lock:
        return messaging.send_custom(sandbox, body)


@bp.post("/media/upload")
def media_upload() -> dict[str, Any]:
    """Keep an uploaded temporary media file (multipart field `media`)."""
    sandbox, kind = state(), request.args.get("type", "")
    upload = request.files.get("media")
    if upload is None:
        raise PlatformError(41005)
    data = upload.read()
    with sandbox.lock:
        media_id = sandbox.media.upload(kind, upload.mimetype, data)
    return {"type": kind, "media_id": media_id, "created_at": int(sandbox.now())}


@bp.get("/media/get")
def media_get() -> Response:
    """Download a temporary media file by id."""
    sandbox = state()
    with sandbox.lock:
        content_type, data = sandbox.media.get(request.args.get("media_id", ""))
    return Response(data, mimetype=content_type)


@bp.post("/message/mass/send")
def mass_send() -> dict[str, Any]:
    """Submit a mass job to an openid list."""
    sandbox, body = state(), json_body()
    with sandbox.lock:
        answer = messaging.send_mass(sandbox, body)
        total, sent = sandbox.mass_results[answer["msg_id"]]
    if sandbox.config.webhook_url and sandbox.config.webhook_token:
        push_mass_finish_in_background(sandbox.config, answer["msg_id"], total, sent)
    return answer


@bp.post("/qrcode/create")
def qrcode_create() -> dict[str, Any]:
    """Create a parametric QR code ticket."""
    sandbox, body = state(), json_body()
    with sandbox.lock:
        return sandbox.qrcodes.create(body, sandbox.now())


@bp.get("/showqrcode")
def showqrcode() -> Response:
    """Return the QR image of a live ticket as PNG."""
    sandbox = state()
    with sandbox.lock:
        url = sandbox.qrcodes.url_for(request.args.get("ticket", ""), sandbox.now())
    if url is None:
        abort(404)
    image = io.BytesIO()
    qrcode.make(url).save(image)
    return Response(image.getvalue(), mimetype="image/png")


@bp.get("/ticket/getticket")
def getticket() -> dict[str, Any]:
    """Return the live JS-SDK ticket of `type` (jsapi, wx_card), issuing one when none is."""
    sandbox = state()
    with sandbox.lock:
        return sandbox.tickets.get(request.args.get("type"), sandbox.now())


@bp.get("/user/info")
def user_info() -> dict[str, Any]:
    """Return a user's profile (subscribe 0 for non-followers)."""
    sandbox, openid = state(), request.args.get("openid", "")
    if not OPENID_RE.match(openid):
        raise PlatformError(40003)
    with sandbox.lock:
        return sandbox.user(openid).profile()


@bp.post("/tags/create")
def tags_create() -> dict[str, Any]:
    """Create a tag."""
    sandbox, tag = state(), json_body().get("tag")
    with sandbox.lock:
        return sandbox.tags.create(tag.get("name") if isinstance(tag, dict) else None)


@bp.get("/tags/get")
def tags_get() -> dict[str, Any]:
    """List the account's tags."""
    sandbox = state()
    with sandbox.lock:
        return sandbox.tags.listing(sandbox.users)


@bp.post("/tags/members/batchtagging")
def tags_batchtagging() -> dict[str, Any]:
    """Put users under a tag."""
    sandbox, body = state(), json_body()
    with sandbox.lock:
        sandbox.tags.tag_users(body.get("tagid"), body.get("openid_list"), sandbox.users)
    return ok()


@bp.post("/user/tag/get")
def tag_members() -> dict[str, Any]:
    """List the users under a tag."""
    sandbox, body = state(), json_body()
    with sandbox.lock:
        return sandbox.tags.members(body.get("tagid"), sandbox.users)
