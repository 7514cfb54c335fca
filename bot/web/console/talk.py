"""The conversations inbox (phone first): waiting and open conversations, the transcript with
the customer's record beside it, new messages within a second or two (htmx polling), the reply
box with quick replies, notes, transfer, close and reopen, and each one's presence."""

from datetime import timedelta
from typing import Any

from flask import Response, flash, redirect, render_template, request, url_for
from flask.typing import ResponseReturnValue
from flask_login import login_required

from bot import answers, texts
from bot.talk_images import PLATFORM_IMAGE_BYTES
from bot.web.console.blueprint import bp
from bot.web.console.exports import csv_response
from bot.web.console.listing import page_request
from bot.web.console.support import local_stamp, now, scope, today, work
from bot.web.edge import current_runtime
from crm_core import services
from crm_core.model.conversations import ConversationRefused, Presence
from crm_core.queries.conversations import INBOX, TABS
from crm_core.services import conversations as talk

POLL_SECONDS = 1  # new messages show within two seconds


@bp.get("/talk")
@login_required
def talk_inbox() -> str:
    """The conversations in scope: waiting ones oldest first, open ones latest first."""
    tab = request.args.get("tab", "waiting")
    tab = tab if tab in TABS else "waiting"
    with work() as uow:
        page, counts = talk.inbox(uow, scope(), tab, page_request(INBOX))
        presence, delegate = talk.presence_of(uow, scope().staff_id)
    return render_template("console/talk_inbox.html", page=page, counts=counts, tab=tab,
                           presence=presence.value, delegate=delegate or "")


@bp.post("/talk/presence")
@login_required
def talk_presence() -> ResponseReturnValue:
    """Say 在线 / 忙碌 / 离开 (and, when away, who takes one's customers)."""
    status = request.form.get("status", "")
    delegate = (request.form.get("delegate") or "").strip() or None
    if status in {p.value for p in Presence}:
        with work() as uow:
            try:
                talk.set_presence(uow, scope(), Presence(status), delegate, now())
                uow.commit()
                flash(f"状态已改为“{texts.TALK_PRESENCE[status]}”。")
            except ConversationRefused as error:
                flash(refusal(error))
    return redirect(url_for("console.talk_inbox"), 303)


@bp.get("/talk/<int:conversation_id>")
@login_required
def talk_conversation(conversation_id: int) -> str:
    """One conversation: the transcript, the reply box, notes and the customer's record."""
    validity = current_runtime().settings.products.assessment_validity_days
    with work() as uow:
        view = talk.conversation_view(uow, scope(), conversation_id, today(),
                                      timedelta(days=validity))
        canned = talk.canned_replies(uow)
    last = view["messages"][-1]["id"] if view["messages"] else 0
    cap = min(current_runtime().settings.talk.media_max_bytes, PLATFORM_IMAGE_BYTES)
    return render_template("console/talk.html", c=view, canned=canned, last=last,
                           poll=POLL_SECONDS, words=_words(), image_limit=texts.size_label(cap))


@bp.get("/talk/<int:conversation_id>/messages")
@login_required
def talk_messages(conversation_id: int) -> str:
    """The messages after `after` as a fragment, followed by the next poll (htmx)."""
    after = request.args.get("after", "0")
    after_id = int(after) if after.isdigit() and len(after) < 19 else 0
    with work() as uow:
        found = talk.new_messages(uow, scope(), conversation_id, after_id)
    last = found[-1]["id"] if found else after_id
    return render_template("console/_talk_messages.html", messages=found, last=last,
                           conversation_id=conversation_id, poll=POLL_SECONDS, words=_words())


@bp.post("/talk/<int:conversation_id>/reply")
@login_required
def talk_reply(conversation_id: int) -> ResponseReturnValue:
    """Send a reply (a customer-service message, or kept for the reply page)."""
    settings = current_runtime().settings.talk
    window = talk.Window(length=timedelta(hours=settings.window_hours), sends=settings.window_sends)
    with work() as uow:
        try:
            replied = talk.reply(uow, scope(), conversation_id, request.form.get("body", ""),
                                 now(), window)
            uow.commit()
            flash(texts.TALK_SENT[replied.delivery.value])
        except ConversationRefused as error:
            flash(refusal(error))
    return back(conversation_id)


@bp.post("/talk/<int:conversation_id>/product")
@login_required
def talk_product(conversation_id: int) -> ResponseReturnValue:
    """Send a product card: only past the suitability gate, with its disclosures and the
    customer's own tracked link (private placements are never sent)."""
    code = (request.form.get("code") or "").strip().upper()[:32]
    settings = current_runtime().settings
    with work() as uow:
        openid = talk.visible(uow, scope(), conversation_id).customer.openid
        validity = timedelta(days=settings.products.assessment_validity_days)
        offer = services.offer_products(uow, openid, [(code, 100.0)],
                                        services.OfferPolicy(today(), validity, 1), now())
        card = offer.shown[0] if offer.shown else None
        if card is None or card.private_placement:
            uow.commit()  # the gate's decision is logged either way
            flash(texts.TALK_PRODUCT_WITHHELD if offer.withheld else
                  texts.TALK_PRODUCT_UNKNOWN.format(code=code))
            return back(conversation_id)
        disclosures = answers.disclosures_for([card])
        claim = services.ShareClaim(services.customer_sharer(uow, openid), card.code,
                                    direct=True)
        sent = talk.Card(card.name, answers.detail_text(card) + "".join(
            f"\n{d}" for d in disclosures), current_runtime().links.share_url(claim), {
                "products": [{"code": card.code, "version": card.version}],
                "disclosures": disclosures})
        window = talk.Window(timedelta(hours=settings.talk.window_hours),
                             settings.talk.window_sends)
        try:
            replied = talk.send_card(uow, scope(), conversation_id, sent, now(), window)
            uow.commit()
            flash(texts.TALK_SENT[replied.delivery.value])
        except ConversationRefused as error:
            flash(refusal(error))
    return back(conversation_id)


@bp.post("/talk/<int:conversation_id>/note")
@login_required
def talk_note(conversation_id: int) -> ResponseReturnValue:
    """Keep a note only staff read."""
    return _act(conversation_id, talk.add_note, request.form.get("body", ""), "备注已保存。")


@bp.post("/talk/<int:conversation_id>/close")
@login_required
def talk_close(conversation_id: int) -> ResponseReturnValue:
    """Close the conversation (the customer is asked for a rating)."""
    return _act(conversation_id, talk.close, None, "会话已结束，已邀请客户评分。")


@bp.post("/talk/<int:conversation_id>/reopen")
@login_required
def talk_reopen(conversation_id: int) -> ResponseReturnValue:
    """Open a closed conversation again."""
    return _act(conversation_id, talk.reopen, None, "会话已重新打开。")


@bp.post("/talk/<int:conversation_id>/assign")
@login_required
def talk_assign(conversation_id: int) -> ResponseReturnValue:
    """Hand the conversation to a manager or agent, or back to the queue, with a reason."""
    username = (request.form.get("username") or "").strip() or None
    reason = (request.form.get("reason") or "transfer").strip()
    with work() as uow:
        try:
            talk.transfer(uow, scope(), conversation_id, username, reason, now())
            uow.commit()
            flash("会话已转交。")
        except ConversationRefused as error:
            flash(refusal(error))
    return back(conversation_id)


@bp.get("/talk/<int:conversation_id>/export.csv")
@login_required
def talk_export(conversation_id: int) -> Response:
    """The transcript as a CSV file for audit (the export is audited)."""
    with work() as uow:
        rows = talk.export_transcript(uow, scope(), conversation_id, now())
        uow.commit()
    return csv_response(f"conversation-{conversation_id}", texts.TALK_EXPORT_COLUMNS, (
        [r["id"], local_stamp(r["at"], "%Y-%m-%d %H:%M:%S"), texts.TALK_AUTHORS[r["author"]],
         r["by"] or "", r["kind"], _said(r), _delivered(r)] for r in rows))


def refusal(error: ConversationRefused) -> str:
    """Say in Chinese why a conversation action was refused."""
    return texts.TALK_REFUSALS[error.code].format(detail=error.detail)


def _act(conversation_id: int, action: Any, body: str | None, done: str) -> ResponseReturnValue:
    with work() as uow:
        try:
            if body is None:
                action(uow, scope(), conversation_id, now())
            else:
                action(uow, scope(), conversation_id, body, now())
            uow.commit()
            flash(done)
        except ConversationRefused as error:
            flash(refusal(error))
    return back(conversation_id)


def back(conversation_id: int) -> ResponseReturnValue:
    """Go back to the conversation (after an action, its message flashed)."""
    return redirect(url_for("console.talk_conversation", conversation_id=conversation_id), 303)


def _said(row: dict[str, Any]) -> str:
    body: str = row["body"]
    return texts.TALK_SYSTEM.get(body, body) if row["author"] == "system" else body


def _delivered(row: dict[str, Any]) -> str:
    if row["error_code"] in texts.TALK_FAILED_CODES:
        return texts.TALK_FAILED_CODES[int(row["error_code"])]
    status: str = row["status"] or ""
    return texts.TALK_DELIVERY.get(status, "")


def _words() -> dict[str, Any]:
    return {"said": _said, "delivered": _delivered, "authors": texts.TALK_AUTHORS,
            "reasons": texts.TALK_REASONS, "presence": texts.TALK_PRESENCE,
            "tabs": texts.TALK_TABS}
