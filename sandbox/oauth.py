"""Web authorisation (网页授权): the browser's authorize page and the code exchange.

`GET /connect/oauth2/authorize` checks its parameters as the platform does (a bad one shows the
platform's error page instead of redirecting) and sends the browser back to `redirect_uri`
with a one-time code for the "current user": `?sandbox_openid=` on the request, else the one set
with `POST /_sandbox/oauth-user`. With neither, it returns without a code, as after a refusal.
`GET /sns/oauth2/access_token` redeems a code once, within 5 minutes.
"""

from __future__ import annotations

import secrets
from typing import Any
from urllib.parse import urlencode, urlsplit

from flask import Blueprint, redirect, render_template_string, request
from werkzeug.wrappers import Response as BaseResponse

from sandbox.platform_api import check_credentials, state

bp = Blueprint("sandbox_oauth", __name__)
SCOPES = frozenset({"snsapi_base", "snsapi_userinfo"})
MAX_STATE = 128
OPENID_PARAM = "sandbox_openid"

_ERROR_PAGE = """<!doctype html>
<html lang="zh-CN"><head><meta charset="utf-8"><title>微信网页授权</title></head>
<body><h2>Oops! Something went wrong:(</h2><p id="error">{{ message }}</p></body></html>"""


@bp.get("/connect/oauth2/authorize")
def authorize() -> BaseResponse | tuple[str, int]:
    """Check the request like the platform, then return to `redirect_uri` with a code."""
    args, sandbox = request.args, state()
    problem = _problem(args.get("appid", ""), args.get("redirect_uri", ""),
                       args.get("response_type", ""), args.get("scope", ""),
                       args.get("state", ""))
    if problem:
        return render_template_string(_ERROR_PAGE, message=problem), 200
    with sandbox.lock:
        openid = args.get(OPENID_PARAM) or sandbox.oauth_user
        code = sandbox.oauth.issue(openid, args["scope"], sandbox.now()) if openid else None
    query = {"code": code, "state": args.get("state", "")} if code else \
        {"state": args.get("state", "")}
    target = args["redirect_uri"]
    return redirect(f"{target}{'&' if '?' in target else '?'}{urlencode(query)}", code=302)


def _problem(appid: str, redirect_uri: str, response_type: str, scope: str,
             state_value: str) -> str | None:
    # Codes and wording of the platform's documented authorisation errors, where it has them.
    checks = [
        (not appid, "10012 appid不能为空"),
        (appid != state().config.app_id, "appid参数错误"),
        (not redirect_uri, "10011 redirect_uri不能为空"),
        (not _redirect_allowed(redirect_uri), "10003 redirect_uri域名与后台配置不一致"),
        (response_type != "code", "response_type参数错误"),
        (not scope, "10010 scope不能为空"),
        (scope not in SCOPES, "10005 此公众号并没有这些scope的权限"),
        (len(state_value) > MAX_STATE, "state参数错误"),
    ]
    return next((message for failed, message in checks if failed), None)


def _redirect_allowed(uri: str) -> bool:
    parts = urlsplit(uri)
    if parts.scheme not in ("http", "https") or not parts.hostname or parts.fragment:
        return False
    domains = state().config.oauth_domains
    return not domains or parts.netloc in domains or parts.hostname in domains


@bp.get("/sns/oauth2/access_token")
def access_token() -> dict[str, Any]:
    """Exchange a code for the user's openid (and a web access token we never check)."""
    args, sandbox = request.args, state()
    check_credentials(args, "authorization_code")
    with sandbox.lock:
        found = sandbox.oauth.redeem(args.get("code", ""), sandbox.now())
    return {"access_token": secrets.token_urlsafe(48), "expires_in": 7200,
            "refresh_token": secrets.token_urlsafe(48), "openid": found.openid,
            "scope": found.scope}
