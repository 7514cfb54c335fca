"""The /_sandbox endpoints a test or a newcomer uses to drive and watch the sandbox."""

from __future__ import annotations

from typing import Any

from flask import Blueprint, Response, jsonify, request

from sandbox.faults import Fault
from sandbox.page import render_inbox_page
from sandbox.platform_api import state
from sandbox.push import push_template_finish
from sandbox.users import ACTIONS

bp = Blueprint("sandbox_control", __name__, url_prefix="/_sandbox")


class _BadRequest(Exception):
    """A control request the sandbox cannot act on."""


@bp.errorhandler(_BadRequest)
def _bad_request(error: _BadRequest) -> tuple[Response, int]:
    return jsonify(error=str(error)), 400


def _body() -> dict[str, Any]:
    body = request.get_json(force=True, silent=True)
    if not isinstance(body, dict):
        raise _BadRequest("expected a JSON object")
    return body


@bp.get("/")
def inbox_page() -> str:
    """Show every openid's inbox as a small HTML page."""
    sandbox = state()
    with sandbox.lock:
        inboxes = {openid: list(entries) for openid, entries in sandbox.inboxes.items()}
    return render_inbox_page(inboxes)


@bp.get("/requests")
def requests_log() -> Response:
    """Return every platform request recorded, optionally only those to `?path=`."""
    path = request.args.get("path")
    sandbox = state()
    with sandbox.lock:
        log = [entry for entry in sandbox.log if path is None or entry["path"] == path]
    return jsonify(log)


@bp.get("/tickets")
def tickets() -> Response:
    """Return every JS-SDK ticket issued (type, ticket, expires_at), oldest first."""
    sandbox = state()
    with sandbox.lock:
        return jsonify(list(sandbox.tickets.issued))


@bp.get("/inbox/<openid>")
def inbox(openid: str) -> Response:
    """Return what an openid has received (template, custom and mass messages)."""
    sandbox = state()
    with sandbox.lock:
        return jsonify(list(sandbox.inboxes.get(openid, [])))


@bp.post("/reset")
def reset() -> Response:
    """Forget tokens, users, messages, log and faults."""
    state().reset()
    return jsonify(ok=True)


@bp.route("/faults", methods=["GET", "POST"])
def faults() -> Response:
    """Queue faults (`[{"path":..., "errcode"|"http_status"|"delay_seconds":..., "times":n}]`)."""
    sandbox = state()
    if request.method == "POST":
        raw = request.get_json(force=True, silent=True)
        raw = raw.get("faults") if isinstance(raw, dict) else raw
        if not isinstance(raw, list):
            raise _BadRequest("expected a list of faults")
        try:
            parsed = [Fault.from_json(item) for item in raw]
        except ValueError as exc:
            raise _BadRequest(str(exc)) from exc
        with sandbox.lock:
            sandbox.faults.add(parsed)
    with sandbox.lock:
        return jsonify(sandbox.faults.pending())


@bp.post("/users/<openid>/act")
def act(openid: str) -> Response:
    """Record a user action (`message`, `follow`, `scan`, `click`, `unfollow`)."""
    body = _body()
    kind, scene = body.get("kind"), body.get("scene", "")
    if kind not in ACTIONS or not isinstance(scene, str):
        raise _BadRequest(f"kind must be one of {sorted(ACTIONS)}")
    sandbox = state()
    with sandbox.lock:
        sandbox.user(openid).act(kind, sandbox.now(), scene)
        return jsonify(sandbox.user(openid).profile())


@bp.post("/followers")
def followers() -> Response:
    """Make openids followers without opening a reply window."""
    openids = _body().get("openids")
    if not isinstance(openids, list) or not all(isinstance(o, str) for o in openids):
        raise _BadRequest("expected {'openids': [...]}")
    sandbox = state()
    with sandbox.lock:
        for openid in openids:
            sandbox.user(openid).follow(sandbox.now())
    return jsonify(ok=True)


@bp.post("/oauth-user")
def oauth_user() -> Response:
    """Choose whose browser authorises next (`{"openid": "..."}`; null: nobody, no code)."""
    openid = _body().get("openid")
    if openid is not None and not isinstance(openid, str):
        raise _BadRequest("expected {'openid': string or null}")
    sandbox = state()
    with sandbox.lock:
        sandbox.oauth_user = openid or None
    return jsonify(openid=openid or None)


@bp.post("/templates")
def templates() -> Response:
    """Register template ids; once any is registered, unknown ids get 40037."""
    ids = _body().get("template_ids")
    if not isinstance(ids, list) or not all(isinstance(i, str) for i in ids):
        raise _BadRequest("expected {'template_ids': [...]}")
    sandbox = state()
    with sandbox.lock:
        sandbox.templates.update(ids)
        return jsonify(sorted(sandbox.templates))


@bp.post("/clock")
def clock() -> Response:
    """Move the sandbox clock forward (`{"advance_seconds": n}`) to age tokens and windows."""
    seconds = _body().get("advance_seconds")
    if isinstance(seconds, bool) or not isinstance(seconds, int | float) or seconds < 0:
        raise _BadRequest("advance_seconds must be a non-negative number")
    sandbox = state()
    with sandbox.lock:
        sandbox.clock_offset += seconds
        return jsonify(now=sandbox.now())


@bp.post("/expire-tokens")
def expire_tokens() -> Response:
    """Invalidate every issued access token at once."""
    sandbox = state()
    with sandbox.lock:
        sandbox.tokens.revoke_all()
    return jsonify(ok=True)


@bp.post("/push-event")
def push_event() -> Response:
    """Push a signed TEMPLATESENDJOBFINISH event to a webhook and report its answer."""
    body = _body()
    fields = ("webhook_url", "token", "openid")
    if not all(isinstance(body.get(f), str) for f in fields) or not _is_int(body.get("msgid")):
        raise _BadRequest("expected webhook_url, token, openid (strings) and msgid (int)")
    result = push_template_finish(
        body["webhook_url"], body["token"], body["openid"], int(body["msgid"]),
        str(body.get("status", "success")), to_user_name=state().config.original_id,
    )
    return jsonify(status_code=result.status_code, body=result.body, xml=result.xml,
                   query=result.query)


def _is_int(value: Any) -> bool:
    if isinstance(value, str):
        return value.isdigit()
    return isinstance(value, int) and not isinstance(value, bool)
