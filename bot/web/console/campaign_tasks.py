"""Managers' campaign tasks (外呼/走访) on the phone: the calls and visits still to make, the
customer masked, the campaign's text as the script, and one tap to record how it went (audited;
"有意向" opens a lead, "勿再联系" stops marketing). A manager sees their own customers' tasks, a
branch head the branch's; the page is reached from the home page and from each campaign."""

from datetime import timedelta

from flask import flash, redirect, render_template, request, url_for
from flask.typing import ResponseReturnValue
from flask_login import login_required

from bot.labels import LABELS
from bot.refusals import explain
from bot.web.console.blueprint import bp
from bot.web.console.support import scope, work
from bot.web.edge import current_runtime
from crm_core.model import ID_MAX, utcnow
from crm_core.services.campaigns import CampaignRefused, tasks

OUTCOME_WORDS = tuple(LABELS["task_outcome"].items())


@bp.get("/campaigns/tasks")
@login_required
def campaign_tasks() -> str:
    """The caller's open calls and visits, earliest due first."""
    with work() as uow:
        rows = tasks.open_tasks(uow, scope())
        total = tasks.open_task_count(uow, scope())
    return render_template("console/campaign_tasks.html", rows=rows, total=total,
                           outcomes=OUTCOME_WORDS)


@bp.post(f"/campaigns/<int(max={ID_MAX}):campaign_id>/tasks/<int(max={ID_MAX}):customer_id>")
@login_required
def campaign_task_outcome(campaign_id: int, customer_id: int) -> ResponseReturnValue:
    """Record a task's outcome; a refusal is said in Chinese."""
    sla = timedelta(minutes=current_runtime().settings.leads.contact_sla_minutes)
    with work() as uow:
        try:
            tasks.record_outcome(uow, scope(), campaign_id, customer_id,
                                 request.form.get("outcome", ""), utcnow(), sla)
        except CampaignRefused as error:
            flash(explain(error))
            return redirect(url_for("console.campaign_tasks"))
        uow.commit()
    flash("已记录结果。")
    return redirect(url_for("console.campaign_tasks"))
