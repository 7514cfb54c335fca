"""Console page for head office: staff accounts, and taking their access away."""


from flask import flash, redirect, render_template, url_for
from flask.typing import ResponseReturnValue
from flask_login import login_required

from bot import texts
from bot.web.console.blueprint import bp
from bot.web.console.support import local_stamp, roles, scope, work
from crm_core import services
from crm_core.model import StaffRole, utcnow


@bp.get("/staff")
@login_required
@roles(StaffRole.HEAD_OFFICE)
def staff() -> str:
    """Every staff account: role, state, last login and live API tokens."""
    with work() as uow:
        rows = services.staff_listing(uow)
    for row in rows:
        row["last_login"] = local_stamp(row["last_login_at"])
    return render_template("console/staff.html", accounts=rows, me=scope().username)


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

