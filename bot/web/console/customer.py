"""The customer's record page: profile, assessment, leads, notes, timeline and manager history,
with the actions staff take there (name, phone, note, share link, risk assessment).

Each action answers htmx with the card it changed (its message inside), and a plain form post
with a redirect back to the page and the message flashed.
"""

from datetime import date, timedelta
from typing import Any

from flask import abort, flash, redirect, render_template, request, url_for
from flask.typing import ResponseReturnValue
from flask_login import login_required

from bot import texts
from bot.web.console.blueprint import bp
from bot.web.console.support import (
    htmx,
    local_stamp,
    now,
    phone_cipher,
    roles,
    scope,
    today,
    work,
)
from bot.web.edge import current_runtime
from crm_core import services
from crm_core.model import NOTE_MAX_LENGTH, BadNote, OutOfScope, StaffRole
from crm_core.services import ShareClaim
from crm_core.services.classification import customer_classes
from crm_core.services.classification.tags import TAGGERS
from crm_core.unit_of_work import SqlUnitOfWork

# Assessments are taken at a branch (a first purchase needs one there): its staff record them.
ASSESSORS = (StaffRole.MANAGER, StaffRole.BRANCH_HEAD)
EDITORS = ASSESSORS  # head office reads a customer's record, the branch keeps it


@bp.app_template_global("local_stamp")
def _stamp(at: Any, fmt: str = "%Y-%m-%d %H:%M") -> str:
    return local_stamp(at, fmt)


@bp.get("/customers/<int:customer_id>")
@login_required
def customer(customer_id: int) -> str:
    """One customer's whole record (the phone in full only for who may call them)."""
    with work() as uow:
        record = _record(uow, customer_id)
    return render_template("console/customer.html", c=record, **_powers())


@bp.post("/customers/<int:customer_id>/name")
@login_required
def customer_name(customer_id: int) -> ResponseReturnValue:
    """Give the customer the name staff know them by."""
    with work() as uow:
        try:
            name = services.rename_customer(uow, scope(), customer_id,
                                            request.form.get("name", ""), now())
        except services.BadName:
            return _answer(uow, customer_id, "profile", texts.CUSTOMER_NAME_REFUSED, ok=False)
        except OutOfScope:
            return _answer(uow, customer_id, "profile", texts.RECORD_READ_ONLY, ok=False)
        uow.commit()
        return _answer(uow, customer_id, "profile", texts.CUSTOMER_RENAMED.format(name=name))


@bp.post("/customers/<int:customer_id>/phone")
@login_required
def customer_phone(customer_id: int) -> ResponseReturnValue:
    """Record the customer's mobile number, encrypted at rest."""
    with work() as uow:
        try:
            sealed = phone_cipher().seal(request.form.get("phone", ""))
            services.record_phone(uow, scope(), customer_id, sealed, now())
        except ValueError:
            return _answer(uow, customer_id, "profile", texts.PHONE_REFUSED, ok=False)
        except OutOfScope:
            return _answer(uow, customer_id, "profile", texts.RECORD_READ_ONLY, ok=False)
        uow.commit()
        return _answer(uow, customer_id, "profile", texts.PHONE_RECORDED.format(last4=sealed.last4))


@bp.post("/customers/<int:customer_id>/notes")
@login_required
def customer_note(customer_id: int) -> ResponseReturnValue:
    """Write a note on the customer."""
    with work() as uow:
        try:
            services.add_customer_note(uow, scope(), customer_id,
                                       request.form.get("note", ""), now())
        except BadNote:
            return _answer(uow, customer_id, "notes",
                           texts.NOTE_EMPTY_OR_LONG.format(limit=NOTE_MAX_LENGTH), ok=False)
        uow.commit()
        return _answer(uow, customer_id, "notes", texts.NOTE_ADDED)


@bp.post("/customers/<int:customer_id>/share")
@login_required
def customer_share(customer_id: int) -> ResponseReturnValue:
    """Make a tracked share link of a product for this customer to open and forward."""
    code = request.form.get("product", "").strip().upper()
    with work() as uow:
        services.visible_customer(uow, scope(), customer_id)
        try:
            services.check_shareable(uow, code)
        except services.NotShareable:
            return _answer(uow, customer_id, "share", texts.SHARE_PICK_PRODUCT, ok=False)
        product = uow.products.by_code(code)
        services.audit(uow, now(), scope().username, "share_link_made", str(customer_id),
                       {"product": code})
        uow.commit()
        url = current_runtime().links.share_url(ShareClaim(f"c{customer_id}", code,
                                                           direct=True))
        name = product.name if product else code
        return _answer(uow, customer_id, "share", texts.SHARE_LINK_READY.format(product=name),
                       url=url)


@bp.post("/customers/<int:customer_id>/risk")
@login_required
@roles(*ASSESSORS)
def assess(customer_id: int) -> ResponseReturnValue:
    """Record the risk assessment (C1–C5) a manager took of a customer at the branch."""
    try:
        level = int(request.form.get("level", ""))
        assessed_on = date.fromisoformat(request.form.get("assessed_on", ""))
    except ValueError:
        abort(400)
    with work() as uow:
        try:
            services.record_assessment(uow, scope(), customer_id, level, assessed_on, now(),
                                       today())
        except ValueError:
            abort(400)
        uow.commit()
    flash(texts.ASSESSMENT_RECORDED.format(level=level, day=assessed_on.isoformat()))
    return redirect(url_for("console.customer", customer_id=customer_id))


def _record(uow: SqlUnitOfWork, customer_id: int) -> dict[str, Any]:
    settings = current_runtime().settings
    validity = timedelta(days=settings.products.assessment_validity_days)
    record = services.customer_record(uow, scope(), customer_id, now(), today(), validity)
    record["classes"] = customer_classes(uow, scope(), customer_id)
    record["phone"] = None
    if record["phone_cipher"]:
        record["phone"] = phone_cipher().decrypt(record["phone_cipher"])
        services.audit(uow, now(), scope().username, "pii_viewed", str(customer_id))
        uow.commit()
    return record


def _powers() -> dict[str, Any]:
    role = scope().role
    return {"may_assess": role in ASSESSORS, "may_edit": role in EDITORS,
            "may_transfer": role in (StaffRole.BRANCH_HEAD, StaffRole.HEAD_OFFICE),
            "may_tag": role in TAGGERS,
            "today": today()}


def _answer(uow: SqlUnitOfWork, customer_id: int, part: str, message: str, ok: bool = True,
            **extra: Any) -> ResponseReturnValue:
    """Answer an action: htmx gets the changed card, a plain post a redirect to the page."""
    if not htmx():
        flash(message)
        return redirect(url_for("console.customer", customer_id=customer_id), 303)
    if not ok:
        uow.rollback()
    record = _record(uow, customer_id)
    return render_template(f"console/_customer_{part}.html", c=record, message=message, ok=ok,
                           **_powers(), **extra)
