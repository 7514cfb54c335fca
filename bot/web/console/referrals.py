"""Console pages for referrals between staff: the list (received, sent, the branch's queue)
with the referrers' board, one referral's page with the next steps, and the referral form
of the customer and organisation pages."""

from collections.abc import Callable

from flask import flash, redirect, render_template, request, url_for
from flask.typing import ResponseReturnValue
from flask_login import login_required

from bot import refusals, texts
from bot.web.console.blueprint import bp
from bot.web.console.listing import page_request
from bot.web.console.support import now, scope, work
from bot.web.edge import current_runtime
from crm_core import services
from crm_core.model import Manager, ReferralStatus, Refusal, StaffRole
from crm_core.queries.referrals import REFERRALS
from crm_core.services import collaboration
from crm_core.unit_of_work import SqlUnitOfWork

Action = Callable[[SqlUnitOfWork], object]

MAX_VALUE_DIGITS = 13


@bp.get("/referrals")
@login_required
def referrals() -> str:
    """The referrals in scope, paged; heads see the referrers' board above them."""
    wanted = page_request(REFERRALS)
    with work() as uow:
        page = collaboration.referral_list(uow, scope(), wanted, now())
        board = collaboration.referrers_board(uow, scope()) \
            if scope().role is not StaffRole.MANAGER else []
    boxes = texts.REFERRAL_BOXES_MANAGER if scope().role is StaffRole.MANAGER else \
        texts.REFERRAL_BOXES_HEAD
    options = {"box": list(boxes.items()),
               "status": [(s.value, texts.label("referral", s.value)) for s in ReferralStatus]}
    return render_template("console/referrals.html", page=page, options=options, board=board,
                           now=now())


@bp.get("/referrals/<int:referral_id>")
@login_required
def referral(referral_id: int) -> str:
    """One referral: who, to whom, its clock, its credit and the steps the reader may take."""
    with work() as uow:
        card = collaboration.referral_card(uow, scope(), referral_id, _policy(), now())
    return render_template("console/referral.html", r=card, now=now())


@bp.post("/referrals")
@login_required
def refer() -> ResponseReturnValue:
    """Register a referral from a customer's or an organisation's page."""
    back = request.form.get("back") or url_for("console.referrals")
    try:
        with work() as uow:
            referrer = uow.managers.get(scope().manager_id or 0)
            if referrer is None:
                raise Refusal("referral_out_of_scope", "only managers refer")
            subject = collaboration.subject_of(uow, _int(request.form.get("customer_id")),
                                               request.form.get("organisation") or None)
            made = collaboration.refer(uow, referrer, subject, _request(), _policy(), now())
            services.audit(uow, now(), scope().username, "referral_made",
                           f"referral:{made.id}", {"line": made.line.value})
            uow.commit()
            made_id = made.id
    except Refusal as error:
        flash(refusals.explain(error))
        return redirect(back, 303)
    flash(texts.REFERRAL_MADE)
    return redirect(url_for("console.referral", referral_id=made_id), 303)


@bp.post("/referrals/<int:referral_id>/step")
@login_required
def referral_step(referral_id: int) -> ResponseReturnValue:
    """The receiver's next step (a decline with its reason)."""
    status = request.form.get("status", "")

    def act(uow: SqlUnitOfWork) -> object:
        if status not in set(ReferralStatus):
            raise Refusal("referral_step", "unknown step")
        return collaboration.move_referral(uow, _manager(uow), referral_id,
                                           ReferralStatus(status), _policy(), now(),
                                           request.form.get("reason"))
    return _act(referral_id, act, "referral_updated", {"status": status})


@bp.post("/referrals/<int:referral_id>/assign")
@login_required
def referral_assign(referral_id: int) -> ResponseReturnValue:
    """A branch head hands a queued referral to a manager of its line."""
    receiver = request.form.get("receiver", "").strip()
    return _act(referral_id, lambda uow: collaboration.assign_referral(
        uow, scope(), referral_id, receiver, _policy(), now()), None, {})


@bp.post("/referrals/<int:referral_id>/settle")
@login_required
def referral_settle(referral_id: int) -> ResponseReturnValue:
    """A branch head settles who referred first (audited by the service)."""
    referrer, reason = request.form.get("referrer", "").strip(), request.form.get("reason", "")
    return _act(referral_id, lambda uow: collaboration.settle_referral(
        uow, scope(), referral_id, referrer, reason, now()), None, {})


def _act(referral_id: int, action: Action, audited: str | None,
         detail: dict[str, str]) -> ResponseReturnValue:
    try:
        with work() as uow:
            collaboration.referral_card(uow, scope(), referral_id, _policy(), now())
            action(uow)
            if audited:
                services.audit(uow, now(), scope().username, audited,
                               f"referral:{referral_id}", detail)
            uow.commit()
    except Refusal as error:
        flash(refusals.explain(error))
    else:
        flash(texts.REFERRAL_UPDATED)
    return redirect(url_for("console.referral", referral_id=referral_id), 303)


def _manager(uow: SqlUnitOfWork) -> Manager:
    found = uow.managers.get(scope().manager_id or 0)
    if found is None:
        raise Refusal("referral_not_receiver", "only the receiver moves a referral on")
    return found


def _request() -> collaboration.ReferralRequest:
    line = collaboration.LINES.get(request.form.get("line", ""))
    if line is None:
        raise Refusal("not_a_choice", "bad line", field="line", value="",
                      choices="零售、财富、信贷、对公")
    value = request.form.get("potential_value", "").replace(",", "").strip()
    if value and (not value.isdigit() or len(value) > MAX_VALUE_DIGITS):
        raise Refusal("referral_value", "potential value is whole yuan")
    return collaboration.ReferralRequest(
        line, request.form.get("receiver", "").strip() or None,
        request.form.get("product_interest", "").strip()[:64], int(value) if value else None,
        request.form.get("note", "").strip() or None)


def _int(raw: str | None) -> int | None:
    return int(raw) if raw and raw.isdigit() and len(raw) < 10 else None


def _policy() -> collaboration.ReferralPolicy:
    return current_runtime().referral_policy


@bp.app_context_processor
def referral_words() -> dict[str, object]:
    """Give the referral form its lines (the words staff pick)."""
    return {"referral_lines": texts.REFERRAL_LINES}
