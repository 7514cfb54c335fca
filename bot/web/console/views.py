"""Console pages: login, branch overview, lead and notice actions."""

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
    retry_refusal,
    roles,
    scope,
    work,
)
from bot.web.edge import current_runtime
from bot.web.staff_auth import authenticate
from crm_core import services
from crm_core.model import (
    NOTE_MAX_LENGTH,
    BadNote,
    LeadStatus,
    utcnow,
)

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
    # A link from a notice opens its page after the login (only a page of the console).
    target = request.args.get("next", "")
    return redirect(target if _console_page(target) else url_for("console.home"))


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


def _console_page(path: str) -> bool:
    return path.startswith("/console/") and "//" not in path and "\\" not in path \
        and path.isprintable()


def _own_branch_code(uow: Any) -> str | None:
    branch_id = scope().branch_id
    return services.branch_code_of(uow, branch_id) if branch_id else None
