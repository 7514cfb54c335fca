"""Console page for head office: staff accounts, and taking their access away."""


from flask import flash, redirect, render_template, url_for
from flask.typing import ResponseReturnValue
from flask_login import login_required

from bot import texts
from bot.web.console.blueprint import bp
from bot.web.console.listing import page_request
from bot.web.console.support import local_stamp, roles, scope, work
from crm_core import services
from crm_core.model import StaffRole, utcnow
from crm_core.queries.paging import ListSpec, page_in_memory

STAFF = ListSpec(sorts=("username", "login", "role"), filters=("role", "state"))
STAFF_SORTS = {"username": lambda r: r["username"], "role": lambda r: (r["role"], r["username"]),
               "login": lambda r: (r["last_login_at"] is not None, r["last_login_at"] or 0)}


@bp.get("/staff")
@login_required
@roles(StaffRole.HEAD_OFFICE)
def staff() -> str:
    """Every staff account: role, state, last login and live API tokens."""
    wanted = page_request(STAFF)
    with work() as uow:
        rows = services.staff_listing(uow)
    role, state = wanted.get("role"), wanted.get("state")
    rows = [r for r in rows if (not role or r["role"] == role)
            and (not state or r["active"] == (state == "active"))]
    page = page_in_memory(rows, wanted, STAFF_SORTS)
    for row in page.rows:
        row["last_login"] = local_stamp(row["last_login_at"])
    return render_template("console/staff.html", page=page, me=scope().username,
                           roles=[(r.value, texts.label("role", r.value)) for r in StaffRole])


@bp.post("/staff/<username>/deactivate")
@login_required
@roles(StaffRole.HEAD_OFFICE)
def deactivate(username: str) -> ResponseReturnValue:
    """Shut an account out: sessions ended, API tokens revoked."""
    with work() as uow:
        try:
            revoked = services.deactivate_staff(uow, username, scope().username, utcnow())
        except ValueError:
            flash(texts.STAFF_NOT_SELF)
            return redirect(url_for("console.staff"))
        uow.commit()
    flash(texts.STAFF_DEACTIVATED.format(username=username, tokens=revoked))
    return redirect(url_for("console.staff"))


@bp.post("/staff/<username>/reactivate")
@login_required
@roles(StaffRole.HEAD_OFFICE)
def reactivate(username: str) -> ResponseReturnValue:
    """Let a deactivated account log in again."""
    with work() as uow:
        services.reactivate_staff(uow, username, scope().username, utcnow())
        uow.commit()
    flash(texts.STAFF_REACTIVATED.format(username=username))
    return redirect(url_for("console.staff"))


@bp.post("/staff/<username>/tokens/revoke")
@login_required
@roles(StaffRole.HEAD_OFFICE)
def revoke_tokens(username: str) -> ResponseReturnValue:
    """Revoke every live API token of an account."""
    with work() as uow:
        count = services.revoke_api_tokens(uow, username, None, scope().username, utcnow())
        uow.commit()
    flash(texts.STAFF_TOKENS_REVOKED.format(username=username, count=count))
    return redirect(url_for("console.staff"))

