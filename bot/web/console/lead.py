"""The lead's record page: who asked for what, by when (Beijing time), what was noted, and the
next step with the sensible choice preselected."""

from typing import Any

from flask import flash, redirect, render_template, request, url_for
from flask.typing import ResponseReturnValue
from flask_login import login_required

from bot import texts
from bot.web.console.blueprint import bp
from bot.web.console.support import now, phone_cipher, scope, work
from crm_core import services
from crm_core.model import NOTE_MAX_LENGTH, BadNote, LeadStatus

KEEP = "keep"  # a contacted lead's default: stay contacted, just note what happened


@bp.get("/leads/<int:lead_id>")
@login_required
def lead(lead_id: int) -> str:
    """One lead with its customer, product, time left and notes."""
    with work() as uow:
        record = services.lead_record(uow, scope(), lead_id, now())
        record["phone"] = None
        if record["phone_cipher"]:
            record["phone"] = phone_cipher().decrypt(record["phone_cipher"])
            services.audit(uow, now(), scope().username, "pii_viewed",
                           str(record["customer_id"]))
            uow.commit()
    return render_template("console/lead.html", l=record, choices=_choices(record["status"]))


@bp.post("/leads/<int:lead_id>/status")
@login_required
def lead_status(lead_id: int) -> ResponseReturnValue:
    """Move the lead on (or keep its status) with an optional note."""
    choice, note = request.form.get("status", ""), request.form.get("note") or None
    with work() as uow:
        current = services.lead_record(uow, scope(), lead_id, now())["status"]
        allowed = [value for value, _ in _choices(current)]
        if choice not in allowed or (choice == KEEP and not note):
            flash(texts.LEAD_PICK_STATUS)
            return redirect(url_for("console.lead", lead_id=lead_id), 303)
        status = LeadStatus(current) if choice == KEEP else LeadStatus(choice)
        try:
            services.set_lead_status(uow, scope(), lead_id, status, note, now())
        except BadNote:
            flash(texts.NOTE_REFUSED.format(limit=NOTE_MAX_LENGTH))
            return redirect(url_for("console.lead", lead_id=lead_id), 303)
        uow.commit()
    flash(texts.LEAD_NOTE_ONLY if choice == KEEP else texts.LEAD_UPDATED)
    return redirect(url_for("console.lead", lead_id=lead_id), 303)


def _choices(status: str) -> list[tuple[str, Any]]:
    """The next steps of a lead, the sensible one first (a closed lead has none)."""
    closing = [("converted", texts.label("lead", "converted")),
               ("lost", texts.label("lead", "lost"))]
    if status == LeadStatus.NEW:
        return [("contacted", texts.label("lead", "contacted")), *closing]
    if status == LeadStatus.CONTACTED:
        return [(KEEP, texts.LEAD_STATUS_KEPT), *closing]
    return []
