"""The share card of a forwarded product page: a signed JS-SDK config and the card's text.

WeChat builds the card of a forwarded page from its title and address unless the page sets the
share data through the JS-SDK, so the page asks here (never waiting for it) and the card carries
the same disclosures as the page, and the visitor's own link. Only addresses of our product
pages are signed: this must not sign arbitrary URLs for anyone who asks.
"""

import logging

from flask import Blueprint, Response, abort, jsonify, request

from bot import answers, texts
from bot.web.edge import current_runtime
from bot.web.product_pages import claim_of
from bot.wechat.errors import WeChatApiError
from bot.wechat.jssdk import SHARE_APIS
from crm_core import services
from crm_core.services import ProductCard

log = logging.getLogger(__name__)
bp = Blueprint("product_share", __name__)
DESC_MAX = 80  # characters WeChat shows of a card's description, roughly; disclosures stay whole
URL_MAX = 2048


@bp.after_request
def _no_store(response: Response) -> Response:
    # Each config holds a fresh nonce and a visitor's link; refusals must not be kept either.
    response.headers["Cache-Control"] = "no-store"
    return response


@bp.get("/p/<code>/share-config")
def share_config(code: str) -> tuple[Response, int]:
    """Return the `wx.config` and share data for the visitor's page of a product."""
    token = request.args.get("t", "")
    if claim_of(token).product != code:
        abort(404)
    card = _shareable(code)
    page = f"{current_runtime().settings.web.public_base_url}/p/{code}"
    url = request.args.get("url", "")
    if not _signable(url, page):
        return jsonify(error="url not signable"), 400
    runtime = current_runtime()
    try:
        with runtime.page_api() as api:
            config = api.js_config(url)
    except (WeChatApiError, ValueError) as error:  # ValueError: no app secret configured
        if isinstance(error, WeChatApiError):
            runtime.breaker.failed(error)
        log.warning("share config for %s not served: %s: %s", code, type(error).__name__, error)
        return jsonify(error="platform unavailable"), 503
    return jsonify(appId=config.app_id, timestamp=config.timestamp, nonceStr=config.nonce_str,
                   signature=config.signature, jsApiList=list(SHARE_APIS),
                   **share_data(card, f"{page}?t={token}")), 200


def _shareable(code: str) -> ProductCard:
    with current_runtime().uow() as uow:
        card = services.product_card(uow, code)
    if card is None or card.private_placement:  # private placements are never shared
        abort(404)
    return card


def _signable(url: str, page: str) -> bool:
    # The page's own address: ours, this product, any query (WeChat appends `from=...` to
    # forwarded links), no fragment (the signature never covers one).
    if len(url) > URL_MAX or "#" in url or not url.isprintable() or " " in url:
        return False
    return url == page or url.startswith(page + "?")


def share_data(card: ProductCard, link: str) -> dict[str, dict[str, str]]:
    """Return the friend card (`share`) and the Moments card (`timeline`) for a product."""
    disclosures = texts.SHARE_DISCLOSURE_JOIN.join(answers.disclosures_for([card]))
    timeline = texts.SHARE_TIMELINE_TITLE.format(name=card.name, disclosures=disclosures) \
        if disclosures else card.name
    return {"share": {"title": card.name, "desc": share_desc(disclosures, card.summary),
                      "link": link, "imgUrl": ""},
            "timeline": {"title": timeline, "link": link, "imgUrl": ""}}


def share_desc(disclosures: str, summary: str) -> str:
    """Return the disclosures, whole, then as much of the summary as fits in DESC_MAX."""
    if not disclosures:
        return _cut(summary, DESC_MAX)
    room = DESC_MAX - len(texts.SHARE_DESC.format(disclosures=disclosures, summary=""))
    return texts.SHARE_DESC.format(disclosures=disclosures, summary=_cut(summary, max(room, 0)))


def _cut(text: str, limit: int) -> str:
    return text if len(text) <= limit else text[:max(limit - 1, 0)] + "…"
