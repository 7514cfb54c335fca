"""The sandbox Flask app: platform endpoints plus request log, fault injection and controls."""

from __future__ import annotations

import time
from typing import Any

from flask import Flask, Response, g, jsonify, request

from sandbox import control, oauth, platform_api
from sandbox.config import SandboxConfig
from sandbox.state import SandboxState
from sandbox.wire import ERRMSGS, PlatformError

_PLATFORM_PREFIXES = ("/cgi-bin/", "/sns/")


def create_sandbox_app(config: SandboxConfig) -> Flask:
    """Create a loopback stand-in of the WeChat API for one account."""
    app = Flask(__name__)
    app.json.ensure_ascii = False  # type: ignore[attr-defined]  # Chinese stays readable
    app.extensions["wechat_sandbox"] = SandboxState(config)
    app.register_blueprint(platform_api.bp)
    app.register_blueprint(oauth.bp)
    app.register_blueprint(control.bp)
    app.before_request(_apply_fault)
    app.before_request(_require_access_token)
    app.after_request(_record_and_delay)
    app.register_error_handler(PlatformError, _platform_error)
    return app


def _is_platform_request() -> bool:
    return request.path.startswith(_PLATFORM_PREFIXES)


def _apply_fault() -> Response | None:
    g.fault = None
    if not _is_platform_request():
        return None
    sandbox = platform_api.state()
    with sandbox.lock:
        fault = g.fault = sandbox.faults.take(request.path)
    if fault is None or not fault.short_circuits():
        return None
    if fault.http_status is not None:
        return Response(f"sandbox fault: HTTP {fault.http_status}", status=fault.http_status)
    errcode = int(fault.errcode or 0)
    return jsonify(errcode=errcode, errmsg=fault.errmsg or ERRMSGS.get(errcode, "sandbox fault"))


def _require_access_token() -> None:
    if not _is_platform_request() or request.path in platform_api.OPEN_PATHS:
        return
    token = request.args.get("access_token")
    if not token:
        raise PlatformError(41001)
    sandbox = platform_api.state()
    with sandbox.lock:
        errcode = sandbox.tokens.check(token, sandbox.now())
    if errcode:
        raise PlatformError(errcode)


def _record_and_delay(response: Response) -> Response:
    if not _is_platform_request():
        return response
    sandbox = platform_api.state()
    with sandbox.lock:
        sandbox.log.append(_record(response))
    fault = g.get("fault")
    if fault is not None and fault.delay_seconds:
        # The platform has acted (a send is delivered) but its answer comes late: the
        # client's read timeout fires with the outcome unknown to it.
        time.sleep(fault.delay_seconds)
    return response


def _record(response: Response) -> dict[str, Any]:
    return {
        "method": request.method,
        "path": request.path,
        "query": request.args.to_dict(),
        "json": request.get_json(force=True, silent=True),
        "time": time.time(),
        "status": response.status_code,
        "response": response.get_json(silent=True) if response.is_json else None,
    }


def _platform_error(error: PlatformError) -> Response:
    return jsonify(error.body())  # the platform reports errors with HTTP 200
