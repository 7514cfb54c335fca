"""Product pages and tracked share links: `/s/<token>` records the open, `/p/<code>` shows it.

Every page carries the visitor's own share token, so a page forwarded from WeChat credits its
forwarder and keeps the chain (who shared to whom). The visitor is known by a signed cookie;
a visitor is identified as a customer when they open the link the bot handed them.
"""

from datetime import timedelta

from flask import Blueprint, Response, abort, current_app, redirect, render_template, request
from werkzeug.wrappers import Response as BaseResponse

from bot import answers, texts
from bot.runtime import Runtime, share_links
from bot.share_tokens import (
    BadToken,
    ExpiredToken,
    Signer,
    Visitor,
    new_visitor,
    read_visitor,
    visitor_cookie,
)
from crm_core import services
from crm_core.model import utcnow
from crm_core.services import ShareClaim

bp = Blueprint("products", __name__)
COOKIE = "bl_visitor"
COOKIE_DAYS = 365


def _runtime() -> Runtime:
    runtime: Runtime = current_app.extensions["branchlink"]
    return runtime


def _claim(token: str) -> ShareClaim:
    try:
        return share_links(_runtime().settings).tokens.verify(token)
    except ExpiredToken:
        abort(410)
    except BadToken:
        abort(404)


def _visitor() -> tuple[Visitor, Signer]:
    signer = Signer(_runtime().settings.web.secret_key)
    return read_visitor(signer, request.cookies.get(COOKIE)) or new_visitor(), signer


@bp.get("/s/<token>")
def open_share(token: str) -> BaseResponse:
    """Record an open of a share link and send the visitor to the product page."""
    outcome, cookie = _record(_claim(token))
    links = share_links(_runtime().settings)
    return _with_cookie(redirect(links.page_path(outcome.page_claim), code=302), cookie)


@bp.get("/p/<code>")
def page(code: str) -> BaseResponse | str:
    """Show a product page; a page forwarded by someone else counts as an open."""
    token = request.args.get("t", "")
    claim, (visitor, _signer) = _claim(token), _visitor()
    if claim.product != code:
        abort(404)
    if claim.sharer in (f"v{visitor.id}", f"c{visitor.customer_id}"):
        return _render(code, token, "products/page.html")
    outcome, cookie = _record(claim)
    # The page then carries the visitor's own token (and puts it in the address bar), so
    # forwarding it credits them and extends the chain.
    own = share_links(_runtime().settings).tokens.issue(outcome.page_claim)
    html = _render(code, own, "products/page.html", own_url=f"/p/{code}?t={own}")
    return _with_cookie(Response(html), cookie)


def _record(claim: ShareClaim) -> tuple[services.OpenOutcome, str]:
    visitor, signer = _visitor()
    runtime = _runtime()
    batch = timedelta(minutes=runtime.settings.products.share_notice_minutes)
    with runtime.uow() as uow:
        try:
            outcome = services.record_open(uow, claim, visitor.id, visitor.customer_id,
                                           utcnow(), batch)
        except services.NotShareable:
            abort(404)
        uow.commit()
    return outcome, visitor_cookie(signer, Visitor(visitor.id, outcome.customer_id))


def _with_cookie(response: BaseResponse, cookie: str) -> BaseResponse:
    response.set_cookie(COOKIE, cookie, max_age=COOKIE_DAYS * 86400, httponly=True,
                        samesite="Lax")
    return response


@bp.post("/p/<code>/contact")
def contact(code: str) -> str:
    """The page's contact button: a lead for the visitor's manager, if we know the visitor."""
    token = request.form.get("t", "")
    claim, (visitor, _signer) = _claim(token), _visitor()
    if claim.product != code:
        abort(404)
    if visitor.customer_id is None:
        return _render(code, token, "products/contact.html", outcome=None)
    runtime = _runtime()
    sla = timedelta(minutes=runtime.settings.leads.contact_sla_minutes)
    share = services.share_key(claim.sharer, claim.product, claim.parent)
    with runtime.uow() as uow:
        openid = services.openid_of(uow, visitor.customer_id)
        outcome = services.request_product_lead(uow, openid, code, utcnow(), sla, share) \
            if openid else None
        uow.commit()
    return _render(code, token, "products/contact.html", outcome=outcome)


def _render(code: str, token: str, template: str, **extra: object) -> str:
    with _runtime().uow() as uow:
        card = services.product_card(uow, code)
    if card is None or card.private_placement:
        abort(404)
    return render_template(template, card=card, token=token, texts=texts,
                           rate_label=answers.rate_label(card),
                           disclosures=answers.disclosures_for([card]), **extra)
