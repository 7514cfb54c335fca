"""Web authorisation (网页授权) with `snsapi_base`: the authorize address and the code exchange.

`snsapi_base` is silent (no consent screen) and gives the visitor's openid for this account.
Why not `wechatpy.oauth.WeChatOAuth`: its requests have no timeout, its error wraps every HTTP
failure alike, and the exchange is one GET; it goes through `request_json` here, like every
other platform call (explicit timeouts, typed errors), to the configured `api_base_url`.
"""

from __future__ import annotations

from urllib.parse import quote, urlencode

import requests

from bot.wechat.errors import TransientError, error_for_errcode
from bot.wechat.transport import Timeout, request_json

AUTHORIZE_PATH = "/connect/oauth2/authorize"
CODE_EXCHANGE_PATH = "/sns/oauth2/access_token"
SCOPE = "snsapi_base"
MAX_STATE_CHARS = 128  # the platform's limit on `state`


def authorize_url(oauth_base: str, app_id: str, redirect_uri: str, state: str) -> str:
    """Return the address that sends a WeChat browser through silent authorisation."""
    if len(state) > MAX_STATE_CHARS:
        raise ValueError(f"state longer than {MAX_STATE_CHARS} characters")
    # The platform wants the parameters in this order, and the fragment.
    query = urlencode({"appid": app_id, "redirect_uri": redirect_uri, "response_type": "code",
                       "scope": SCOPE, "state": state}, quote_via=quote)
    return f"{oauth_base.rstrip('/')}{AUTHORIZE_PATH}?{query}#wechat_redirect"


def exchange_code(session: requests.Session, api_base: str, timeout: Timeout,
                  credentials: tuple[str, str], code: str) -> str:
    """Return the openid a one-time `code` stands for; raise a WeChatApiError otherwise
    (40029 invalid code, 40163 code been used, 40125 invalid appsecret, -1 busy...)."""
    app_id, secret = credentials
    params = {"appid": app_id, "secret": secret, "code": code,
              "grant_type": "authorization_code"}
    result = request_json(session, "GET", f"{api_base.rstrip('/')}{CODE_EXCHANGE_PATH}", timeout,
                          False, params=params)
    errcode = int(result.get("errcode", 0))
    if errcode:
        raise error_for_errcode(errcode, str(result.get("errmsg", "")), {"errcode": errcode})
    openid = result.get("openid")
    if not isinstance(openid, str) or not openid:
        raise TransientError(None, "authorisation answer without openid")
    return openid
