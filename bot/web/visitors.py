"""Who a product page's visitor is: a signed cookie, verified inside WeChat by web authorisation.

A WeChat browser opening a share link or page, whose cookie names no verified customer, is sent
once to the platform's silent `snsapi_base` authorisation. The callback exchanges the code for
the openid (outside any transaction) and the cookie then names that customer, or none, as
verified. Any failure (no code, a foreign state, a used code, the platform down) falls back to
the cookie alone without an error page, and the attempt is remembered for a day: no loops.
"""

import logging
import re
import time
from dataclasses import replace
from urllib.parse import urlencode

import requests
from flask import Blueprint, abort, redirect, request
from werkzeug.wrappers import Response as BaseResponse

from bot.config import Settings
from bot.share_tokens import (
    Signer,
    Visitor,
    new_visitor,
    openid_visitor_id,
    read_visitor,
    visitor_cookie,
)
from bot.web import oauth_state
from bot.web.edge import current_runtime
from bot.wechat import oauth
from bot.wechat.errors import WeChatApiError
from crm_core import services

log = logging.getLogger(__name__)
bp = Blueprint("product_oauth", __name__)
COOKIE, COOKIE_DAYS = "bl_visitor", 365
STATE_COOKIE, STATE_SECONDS = "bl_oauth", 600
CALLBACK = "/oauth/wechat"
RETRY_SECONDS = 86400  # one attempt per visitor cookie per day, whatever its outcome
DONE = "o"  # query marker of a return from the callback: never sent there again
# Query marker of a browser just given its cookie: back without it, it keeps none, and is
# shown the page without anything being written for it.
COOKIE_TRIED = "c"
WECHAT_UA = "MicroMessenger"
# Where a callback may send the visitor on: our share links and pages only (no open redirect).
_NEXT = re.compile(r"/s/[A-Za-z0-9_.=-]+|/p/[A-Za-z0-9_-]+\?t=[A-Za-z0-9_.=-]+")


def current_visitor() -> tuple[Visitor, Signer]:
    """Return the visitor named by the request's cookie (a new one if none) and the signer."""
    web = current_runtime().settings.web
    signer = Signer(web.secret_key, web.previous_secret_key)
    return read_visitor(signer, request.cookies.get(COOKIE)) or new_visitor(), signer


def first_sight(signer: Signer) -> bool:
    """Whether the request carries no visitor cookie of ours."""
    return read_visitor(signer, request.cookies.get(COOKIE)) is None


def keeps_no_cookie() -> bool:
    """Whether this browser was given its cookie and came back without it."""
    return bool(request.args.get(COOKIE_TRIED))


def try_cookie(visitor: Visitor, signer: Signer, path: str, **args: str) -> BaseResponse:
    """Give a browser seen for the first time its cookie and send it to `path` (with this
    request's query and `args`), marked as tried."""
    query = {**request.args.to_dict(), **args, COOKIE_TRIED: "1"}
    return with_visitor(redirect(f"{path}?{urlencode(query)}", code=302), signer, visitor)


def with_visitor(response: BaseResponse, signer: Signer, visitor: Visitor) -> BaseResponse:
    """Set the visitor's signed cookie on a response."""
    response.set_cookie(COOKIE, visitor_cookie(signer, visitor), max_age=COOKIE_DAYS * 86400,
                        httponly=True, samesite="Lax")
    return response


def enabled(settings: Settings) -> bool:
    """Whether web authorisation is on and can work (the code exchange needs the secret)."""
    return settings.products.oauth and bool(settings.wechat.app_secret)


def wanted(visitor: Visitor) -> bool:
    """Whether this request should first go through web authorisation."""
    if request.args.get(DONE) or WECHAT_UA not in request.user_agent.string:
        return False
    if not enabled(current_runtime().settings) or (visitor.verified and visitor.customer_id):
        return False
    return int(time.time()) - visitor.oauth_at >= RETRY_SECONDS


def send_to_authorize(visitor: Visitor, signer: Signer, next_path: str) -> BaseResponse:
    """Redirect to the platform's authorisation, which comes back to the callback."""
    settings, now = current_runtime().settings, int(time.time())
    started = oauth_state.start(signer, next_path, now, STATE_SECONDS)
    redirect_uri = f"{settings.web.public_base_url}{CALLBACK}?{urlencode({'next': next_path})}"
    url = oauth.authorize_url(settings.wechat.oauth_base_url, settings.wechat.app_id,
                              redirect_uri, started.state)
    response = redirect(url, code=302)
    response.set_cookie(STATE_COOKIE, started.cookie, max_age=STATE_SECONDS, httponly=True,
                        samesite="Lax", path=CALLBACK)
    return with_visitor(response, signer, replace(visitor, oauth_at=now))


@bp.get(CALLBACK)
def callback() -> BaseResponse:
    """Come back from web authorisation: learn who the visitor is, then go where they were."""
    visitor, signer = current_visitor()
    now = int(time.time())
    going = oauth_state.finish(signer, request.args.get("state", ""),
                               request.cookies.get(STATE_COOKIE), now)
    destination = going or _safe_next(request.args.get("next", ""))
    if destination is None:
        abort(404)
    verified = _identify(visitor, signer, request.args.get("code", ""), now) if going else None
    if going is None:
        _fell_back("state refused (forged, replayed, expired or another browser's)")
    response = redirect(f"{destination}{'&' if '?' in destination else '?'}{DONE}=1", code=302)
    response.delete_cookie(STATE_COOKIE, path=CALLBACK)
    return with_visitor(response, signer, verified or replace(visitor, oauth_at=now))


def _identify(visitor: Visitor, signer: Signer, code: str, now: int) -> Visitor | None:
    if not code:
        _fell_back("no code (authorisation declined)")
        return None
    runtime = current_runtime()
    wechat = runtime.settings.wechat
    if runtime.breaker.paused():
        _fell_back("platform calls paused after a failure")
        return None
    try:
        with requests.Session() as session:  # no unit of work is open during the call
            openid = oauth.exchange_code(session, wechat.api_base_url,
                                         (wechat.connect_timeout, wechat.read_timeout),
                                         (wechat.app_id, wechat.app_secret or ""), code)
    except WeChatApiError as error:
        runtime.breaker.failed(error)
        _fell_back(f"code exchange failed: {type(error).__name__} errcode {error.errcode}")
        return None
    with current_runtime().uow() as uow:
        customer_id = services.customer_id_of(uow, openid)
    # Not a customer yet: known by their openid's keyed id, so that following later (by any
    # way, even by searching the account) is credited to the share they opened.
    who = visitor.id if customer_id else openid_visitor_id(signer, openid)
    return Visitor(who, customer_id, verified=True, oauth_at=now)


def _safe_next(path: str) -> str | None:
    return path if _NEXT.fullmatch(path) else None


def _fell_back(reason: str) -> None:
    # The reason never names the visitor, the code or the openid.
    log.info("web authorisation fell back to the cookie: %s", reason)
