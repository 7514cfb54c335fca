"""Console pages for the registers that deduct on managers' cards: complaints about a
customer's treatment (recorded, then judged substantiated or not with a reason) and
suitability overrides (a sale above the customer's assessed risk level). Reached from the
scorecards page; each list is scoped as the cards are, customers masked."""

from datetime import date, timedelta

from flask import abort, flash, redirect, render_template, request, url_for
from flask.typing import ResponseReturnValue
from flask_login import login_required

from bot import refusals, texts
from bot.web.console.blueprint import bp
from bot.web.console.support import now, scope, today, work
from bot.web.edge import current_runtime
from crm_core.model import OutOfScope, Refusal, Scope, StaffRole
from crm_core.model.performance.registers import ComplaintChannel, ComplaintVerdict
from crm_core.queries.performance import registers as listed
from crm_core.services.classification import parse_month
from crm_core.services.performance.registers import (
    ComplaintForm,
    OverrideForm,
    decide_complaint,
    record_complaint,
    record_override,
)

RECORDERS = (StaffRole.HEAD_OFFICE, StaffRole.BRANCH_HEAD, StaffRole.SERVICE)


def records_complaints(who: Scope) -> bool:
    """Say whether the account may record a complaint (managers may not)."""
    return who.role in RECORDERS


def judges(who: Scope) -> bool:
    """Say whether the account may give verdicts (branch heads and head office)."""
    return who.role in (StaffRole.HEAD_OFFICE, StaffRole.BRANCH_HEAD)


def _month() -> date | None:
    try:
        return parse_month(request.args["month"]) if request.args.get("month") else None
    except Refusal:
        abort(404)


def _page() -> int:
    text = request.args.get("page", "1")
    return int(text) if text.isdigit() and 0 < int(text) < 10_000 else 1


def _day(text: str) -> date:
    try:
        return date.fromisoformat(text) if text else today()
    except ValueError:
        raise Refusal("date_ahead", "bad date", value=text[:12]) from None


def _customer(text: str) -> int:
    if not text.isdigit() or len(text) > 10:
        raise Refusal("no_such_customer", "not a customer", value=text[:12])
    return int(text)


def _channel(text: str) -> ComplaintChannel:
    known = {c.value for c in ComplaintChannel}
    return ComplaintChannel(text) if text in known else ComplaintChannel.COUNTER


@bp.route("/complaints", methods=["GET", "POST"])
@login_required
def complaints() -> ResponseReturnValue:
    """The complaints in scope, newest first; recorders add one at the top."""
    if request.method == "POST":
        return _record_complaint()
    verdict = request.args.get("verdict", "")
    chosen = ComplaintVerdict(verdict) if verdict in {v.value for v in ComplaintVerdict} \
        else None
    with work() as uow:
        rows, total = listed.complaints(uow, scope(), _month(), chosen, _page())
    return render_template("console/complaints.html", rows=rows, total=total, page=_page(),
                           size=listed.PAGE, verdict=verdict, month=request.args.get("month", ""),
                           channels=list(ComplaintChannel), verdicts=list(ComplaintVerdict),
                           records=records_complaints(scope()), judges=judges(scope()),
                           today=today())


def _record_complaint() -> ResponseReturnValue:
    if not records_complaints(scope()):
        abort(403)
    form = request.form
    with work() as uow:
        try:
            entry = ComplaintForm(_customer(form.get("customer", "")), form.get("manager", ""),
                                  _day(form.get("received_on", "")),
                                  _channel(form.get("channel", "")),
                                  form.get("summary", ""), form.get("detail", ""))
            found = record_complaint(uow, scope(), entry, today(), now())
            uow.commit()
            flash(texts.COMPLAINT_RECORDED.format(id=found.id), "success")
        except Refusal as error:
            flash(refusals.explain(error), "danger")
        except OutOfScope:
            flash(texts.REGISTER_OUT_OF_SCOPE, "danger")
    return redirect(url_for("console.complaints"))


@bp.post("/complaints/<int:complaint_id>/verdict")
@login_required
def complaint_verdict(complaint_id: int) -> ResponseReturnValue:
    """Mark a complaint substantiated or not, with the reason."""
    if not judges(scope()):
        abort(403)
    substantiated = request.form.get("verdict") == ComplaintVerdict.SUBSTANTIATED.value
    try:
        with work() as uow:
            decide_complaint(uow, scope(), complaint_id, substantiated,
                             request.form.get("reason", ""), now())
            uow.commit()
            flash(texts.COMPLAINT_DECIDED.format(id=complaint_id), "success")
    except Refusal as error:
        flash(refusals.explain(error), "danger")
    return redirect(url_for("console.complaints"))


@bp.route("/suitability-overrides", methods=["GET", "POST"])
@login_required
def overrides() -> ResponseReturnValue:
    """The suitability overrides in scope, newest first; the form records one."""
    if request.method == "POST":
        return _record_override()
    with work() as uow:
        rows, total = listed.overrides(uow, scope(), _month(), _page())
    return render_template("console/overrides.html", rows=rows, total=total, page=_page(),
                           size=listed.PAGE, month=request.args.get("month", ""),
                           records=scope().role is not StaffRole.SERVICE, today=today())


def _record_override() -> ResponseReturnValue:
    if scope().role is StaffRole.SERVICE:
        abort(403)
    form = request.form
    validity = timedelta(days=current_runtime().settings.products.assessment_validity_days)
    manager = form.get("manager", "")
    with work() as uow:
        try:
            if scope().role is StaffRole.MANAGER and not manager:
                own = uow.managers.get(scope().manager_id or 0)
                manager = own.code if own else ""
            entry = OverrideForm(_customer(form.get("customer", "")), manager,
                                 form.get("product", ""), _day(form.get("occurred_on", "")),
                                 form.get("reason", ""))
            found = record_override(uow, scope(), entry, today(), validity, now())
            uow.commit()
            flash(texts.OVERRIDE_RECORDED.format(id=found.id), "success")
        except Refusal as error:
            flash(refusals.explain(error), "danger")
        except OutOfScope:
            flash(texts.REGISTER_OUT_OF_SCOPE, "danger")
    return redirect(url_for("console.overrides"))
