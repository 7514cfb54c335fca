"""Product pages and tracked share links: `/s/<token>` records the open, `/p/<code>` shows it.

Every page carries the visitor's own share token, so a page forwarded from WeChat credits its
forwarder and keeps the chain (who shared to whom). The visitor is known by a signed cookie,
verified inside WeChat by web authorisation (`bot/web/visitors.py`); elsewhere a visitor is
taken for a customer when they are the first to open the link the bot handed them.
"""

import ipaddress
import logging
from dataclasses import replace
from datetime import timedelta

from flask import Blueprint, Response, abort, redirect, render_template, request
from werkzeug.wrappers import Response as BaseResponse

from bot import answers, texts
from bot.qrcodes.issuer import CodeIssuer
from bot.share_tokens import BadToken, ExpiredToken, Visitor
from bot.web.edge import current_runtime
from bot.web.visitors import (
    WECHAT_UA,
    current_visitor,
    first_sight,
    keeps_no_cookie,
    send_to_authorize,
    try_cookie,
    wanted,
    with_visitor,
)
from bot.wechat.errors import WeChatApiError
from crm_core import services
from crm_core.model import SceneError, utcnow
from crm_core.services import ShareClaim
from qr import qr_png

log = logging.getLogger(__name__)
bp = Blueprint("products", __name__)
# Why a share's code may not be issued: no manager root (the scene does not parse), a manager
# gone from the registry, no app secret, the platform down or refusing.
_ISSUE_ERRORS = (SceneError, services.UnknownRecord, services.CodeLimitReached, ValueError,
                 WeChatApiError)
CODE_CACHE_SECONDS = 3600
QR_MODULE_PX = 8  # sharp at 180 CSS px on a 2x phone screen


def claim_of(token: str) -> ShareClaim:
    """Return the claim of a share token; 404 if forged or altered, 410 if expired."""
    try:
        return current_runtime().links.tokens.verify(token)
    except ExpiredToken:
        abort(410)
    except BadToken:
        abort(404)


@bp.get("/s/<token>")
def open_share(token: str) -> BaseResponse:
    """Record an open of a share link and send the visitor to the product page."""
    claim, (visitor, signer) = claim_of(token), current_visitor()
    if wanted(visitor):
        return send_to_authorize(visitor, signer, f"/s/{token}")
    if first_sight(signer):  # the page records the open once the browser shows its cookie
        return try_cookie(visitor, signer, f"/p/{claim.product}", t=token)
    outcome, visitor = _record(claim, visitor)
    links = current_runtime().links
    return with_visitor(redirect(links.page_path(outcome.page_claim), code=302), signer, visitor)


@bp.get("/p/<code>")
def page(code: str) -> BaseResponse | str:
    """Show a product page; a page forwarded by someone else counts as an open."""
    token = request.args.get("t", "")
    claim, (visitor, signer) = claim_of(token), current_visitor()
    if claim.product != code:
        abort(404)
    if wanted(visitor):
        return send_to_authorize(visitor, signer, f"/p/{code}?t={token}")
    if first_sight(signer):
        # Nothing is written for a browser that keeps no cookie (a new one per view would
        # count, and mint shares and codes, without end): it reads the page as forwarded.
        if keeps_no_cookie():  # the address bar loses the marker: forwarded, it is a link
            return _render(code, token, "products/page.html", follow=True,
                           own_url=f"/p/{code}?t={token}",
                           share_config=_share_config(code, token))
        return try_cookie(visitor, signer, f"/p/{code}")
    if claim.sharer in (f"v{visitor.id}", f"c{visitor.customer_id}"):
        return _render(code, token, "products/page.html", follow=visitor.customer_id is None,
                       share_config=_share_config(code, token))
    outcome, visitor = _record(claim, visitor)
    # The page then carries the visitor's own token (and puts it in the address bar), so
    # forwarding it credits them and extends the chain.
    own = current_runtime().links.tokens.issue(outcome.page_claim)
    html = _render(code, own, "products/page.html", own_url=f"/p/{code}?t={own}",
                   follow=outcome.customer_id is None, share_config=_share_config(code, own))
    return with_visitor(Response(html), signer, visitor)


def _share_config(code: str, token: str) -> str | None:
    # Only WeChat's browser loads the JS-SDK (`bot/web/share_card.py` sets the share card);
    # elsewhere the page has no script from outside at all.
    return f"/p/{code}/share-config?t={token}" if WECHAT_UA in request.user_agent.string else None


@bp.get("/p/<code>/follow.png")
def follow_code(code: str) -> Response:
    """The QR code a visitor scans to follow the account through the share they opened."""
    return _share_code(code, interest=False)


@bp.get("/p/<code>/interest.png")
def interest_code(code: str) -> Response:
    """The same, and the follower asks to be contacted about the product (a lead)."""
    return _share_code(code, interest=True)


def _share_code(code: str, interest: bool) -> Response:
    claim, (visitor, _signer) = claim_of(request.args.get("t", "")), current_visitor()
    if claim.product != code:
        abort(404)
    runtime = current_runtime()
    with runtime.uow() as uow:
        scene = services.page_share_scene(uow, claim, f"v{visitor.id}", interest=interest)
    if scene is None:
        return _no_code(404, "no such share")
    try:  # the registry's units of work close before the platform call
        with CodeIssuer(runtime.uow, runtime.page_api) as issuer:
            info = issuer.issue(scene, runtime.settings.products.follow_code_days)
    except _ISSUE_ERRORS as error:
        if isinstance(error, WeChatApiError):
            runtime.breaker.failed(error)
        return _no_code(503, f"{scene}: {type(error).__name__}: {error}")
    left = (info.expires_at - utcnow()).total_seconds() if info.expires_at else 86400
    # Browsers may keep the image a while, never past the hour before the code runs out.
    age = max(0, min(CODE_CACHE_SECONDS, int(left) - CODE_CACHE_SECONDS))
    # PNG, not SVG: WeChat's long-press "识别图中二维码" reads raster images.
    return Response(qr_png(info.url, box_size=QR_MODULE_PX), mimetype="image/png",
                    headers={"Cache-Control": f"private, max-age={age}"})


def _no_code(status: int, reason: str) -> Response:
    # No visitor or customer data in the log: the reason names at most a scene (manager code
    # and share key) and the platform's error.
    log.warning("product page QR code not served (%s): %s", status, reason)
    return Response(status=status, headers={"Cache-Control": "no-store"})


def _record(claim: ShareClaim, visitor: Visitor) -> tuple[services.OpenOutcome, Visitor]:
    runtime = current_runtime()
    products = runtime.settings.products
    batch = timedelta(minutes=products.share_notice_minutes)
    caps = services.MintCaps(_client(), products.forwards_per_address_hour,
                             products.forwards_per_share_hour, timedelta(hours=1))
    with runtime.uow() as uow:
        try:
            outcome = services.record_open(uow, claim, visitor.id, visitor.customer_id,
                                           utcnow(), batch, verified=visitor.verified,
                                           caps=caps)
        except services.NotShareable:
            abort(404)
        uow.commit()
    return outcome, replace(visitor, customer_id=outcome.customer_id)


def _client() -> str:
    # One IPv6 subscriber usually holds a whole /64: it counts as one address.
    try:
        address = ipaddress.ip_address(request.remote_addr or "")
    except ValueError:
        return request.remote_addr or ""
    if isinstance(address, ipaddress.IPv6Address) and address.ipv4_mapped is None:
        return str(ipaddress.ip_network(f"{address}/64", strict=False))
    return str(getattr(address, "ipv4_mapped", None) or address)


@bp.post("/p/<code>/contact")
def contact(code: str) -> str:
    """The page's contact button: a lead for the visitor's manager, if we know the visitor."""
    token = request.form.get("t", "")
    claim, (visitor, _signer) = claim_of(token), current_visitor()
    if claim.product != code:
        abort(404)
    if visitor.customer_id is None:  # asked to follow through the share's interest code
        return _render(code, token, "products/contact.html", outcome=None)
    runtime = current_runtime()
    sla = timedelta(minutes=runtime.settings.leads.contact_sla_minutes)
    share = services.share_key(claim.sharer, claim.product, claim.parent)
    with runtime.uow() as uow:
        openid = services.openid_of(uow, visitor.customer_id)
        outcome = services.request_product_lead(uow, openid, code, utcnow(), sla, share) \
            if openid else None
        uow.commit()
    return _render(code, token, "products/contact.html", outcome=outcome)


def _render(code: str, token: str, template: str, **extra: object) -> str:
    with current_runtime().uow() as uow:
        card = services.product_card(uow, code)
    if card is None or card.private_placement:
        abort(404)
    return render_template(template, card=card, token=token, texts=texts,
                           rate_label=answers.rate_label(card),
                           account_name=current_runtime().settings.wechat.account_name,
                           disclosures=answers.disclosures_for([card]), **extra)
