"""Console pages: login, a customer, branch overview, transfers, lead and notice actions."""

from datetime import date, timedelta
from typing import Any

from flask import (
    abort,
    flash,
    redirect,
    render_template,
    request,
    session,
    url_for,
)
from flask.typing import ResponseReturnValue
from flask_login import login_required, login_user, logout_user

from bot import texts
from bot.web.console.blueprint import HEADS, bp
from bot.web.console.listing import back_to_list
from bot.web.console.support import (
    client_ip,
    customer_choice,
    phone_cipher,
    retry_refusal,
    roles,
    scope,
    transfer_refusal,
    work,
)
from bot.web.edge import current_runtime
from bot.web.staff_auth import authenticate
from crm_core import services
from crm_core.model import (
    NOTE_MAX_LENGTH,
    BadNote,
    LeadStatus,
    StaffRole,
    local_date,
    utcnow,
)

# Assessments are taken at a branch (a first purchase needs one there): its staff record them.
ASSESSORS = (StaffRole.MANAGER, StaffRole.BRANCH_HEAD)
LEAD_STATUSES = [s.value for s in LeadStatus]


@bp.route("/login", methods=["GET", "POST"])
def login() -> Any:
    """Log in with username and password."""
    if request.method == "GET":
        return render_template("console/login.html")
    found = authenticate(current_runtime(), request.form.get("username", ""),
                         request.form.get("password", ""), client_ip())
    if found is None:
        flash(texts.LOGIN_FAILED)
        return render_template("console/login.html"), 401
    session.clear()  # a fresh session, and with it a fresh CSRF token
    login_user(found)
    session.permanent = True  # idle timeout: PERMANENT_SESSION_LIFETIME, refreshed per request
    return redirect(url_for("console.leads"))


@bp.post("/logout")
@login_required
def logout() -> ResponseReturnValue:
    """Log out, ending the account's sessions on the server too."""
    with work() as uow:
        services.log_out(uow, scope().staff_id, client_ip(), utcnow())
        uow.commit()
    logout_user()
    session.clear()
    return redirect(url_for("console.login"))


@bp.get("/")
@login_required
def home() -> ResponseReturnValue:
    """Start at the leads."""
    return redirect(url_for("console.leads"))


@bp.post("/leads/<int:lead_id>")
@login_required
def update_lead(lead_id: int) -> ResponseReturnValue:
    """Mark a lead contacted, converted or lost, with an optional note."""
    status = request.form.get("status", "")
    if status not in LEAD_STATUSES:
        abort(400)
    with work() as uow:
        try:
            services.set_lead_status(uow, scope(), lead_id, LeadStatus(status),
                                     request.form.get("note") or None, utcnow())
        except BadNote:
            flash(texts.NOTE_REFUSED.format(limit=NOTE_MAX_LENGTH))
            return redirect(back_to_list("console.leads")), 303
        uow.commit()
    flash(texts.LEAD_UPDATED)
    return redirect(back_to_list("console.leads"))


@bp.get("/customers/<int:customer_id>")
@login_required
def customer(customer_id: int) -> str:
    """One customer: timeline, manager history, phone (masked unless the role may see it)."""
    settings = current_runtime().settings
    validity = timedelta(days=settings.products.assessment_validity_days)
    today = local_date(utcnow(), settings.leads.timezone)
    with work() as uow:
        card = services.customer_card(uow, scope(), customer_id)
        assessment = services.customer_assessment(uow, scope(), customer_id, today, validity)
        if card["phone_cipher"]:
            card["phone"] = phone_cipher().decrypt(card["phone_cipher"])
            services.audit(uow, utcnow(), scope().username, "pii_viewed", str(customer_id))
            uow.commit()
    return render_template("console/customer.html", c=card, assessment=assessment,
                           may_assess=scope().role in ASSESSORS, today=today)


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
            services.record_assessment(uow, scope(), customer_id, level, assessed_on, utcnow())
        except ValueError:
            abort(400)
        uow.commit()
    flash(texts.ASSESSMENT_RECORDED.format(level=level, day=assessed_on.isoformat()))
    return redirect(url_for("console.customer", customer_id=customer_id))


@bp.get("/branch")
@bp.get("/branch/<code>")
@login_required
@roles(*HEADS)
def branch(code: str | None = None) -> Any:
    """A branch's managers, their load, overdue leads and customers without a manager."""
    with work() as uow:
        code = code or _own_branch_code(uow)
        if code is None:
            return redirect(url_for("console.branches"))
        view = services.branch_overview(uow, scope(), code, utcnow())
    return render_template("console/branch.html", b=view)


@bp.route("/transfer", methods=["GET", "POST"])
@login_required
@roles(*HEADS)
def transfer() -> Any:
    """Move the listed customers of a manager, or all of them when so chosen, to another."""
    if request.method == "GET":
        return render_template("console/transfer.html", form={})
    form = request.form
    try:
        customers = customer_choice(form.get("customers", ""), form.get("all") == "1")
        with work() as uow:
            moved = services.transfer_customers(uow, scope(), form.get("from", ""),
                                                form.get("to", ""), customers, utcnow(),
                                                current_runtime().settings.transfer.notify_customers)
            uow.commit()
    except services.TransferRefused as error:
        flash(texts.TRANSFER_REFUSED.format(reason=transfer_refusal(error)))
        return render_template("console/transfer.html", form=form), 400
    flash(texts.TRANSFER_DONE.format(moved=moved))
    return redirect(url_for("console.transfer"))


@bp.post("/outbox/<int:notice_id>/retry")
@login_required
@roles(*HEADS)
def retry(notice_id: int) -> ResponseReturnValue:
    """Send a failed or dead notice again (one whose outcome is unknown is refused)."""
    with work() as uow:
        try:
            services.retry_notice_in_scope(uow, scope(), notice_id, utcnow())
        except services.NotRetryable as error:
            flash(retry_refusal(notice_id, error))
            return redirect(url_for("console.outbox", status=error.status.value)), 303
        uow.commit()
    flash(texts.NOTICE_REQUEUED)
    return redirect(url_for("console.outbox", status="dead"))


def _own_branch_code(uow: Any) -> str | None:
    branch_id = scope().branch_id
    return services.branch_code_of(uow, branch_id) if branch_id else None
