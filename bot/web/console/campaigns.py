"""Console pages of campaigns: the list with a draft form, one campaign's approval view (the
compliance check and the audience after suppressions, by reason), its progress, its actions and
the audited CSV export of its report."""

import csv
import io
from datetime import UTC, datetime
from zoneinfo import ZoneInfo

from flask import Response, flash, redirect, render_template, request
from flask.typing import ResponseReturnValue
from flask_login import login_required

from bot.labels import audience_label
from bot.refusals import explain
from bot.runtime import contact_policy
from bot.web.console.blueprint import bp
from bot.web.console.support import scope, work
from bot.web.edge import current_runtime
from crm_core import services
from crm_core.model import ID_MAX, AuditEvent, utcnow
from crm_core.model.campaigns import refusal_for_content
from crm_core.services import campaigns as core
from crm_core.unit_of_work import SqlUnitOfWork

ACTIONS = core.ACTIONS
DONE = {"submit": "已提交审批。", "approve": "已审批。", "reject": "已退回起草人修改。",
        "send": "已开始发送。", "pause": "已暂停。", "resume": "已恢复发送。", "cancel": "已取消。"}
POLL_SECONDS = 5  # the progress of a campaign being sent refreshes this often


@bp.get("/campaigns")
@login_required
def campaigns() -> str:
    """The campaigns the caller sees, and a form to draft one to a snapshot."""
    with work() as uow:
        rows = core.campaigns_seen(uow, scope())
        snapshots = [(card, shot) for card in services.segments.segment_cards(uow, scope())
                     for shot in services.segments.snapshots_of(uow, scope(), card.id)[:1]]
        return render_template("console/campaigns.html", rows=rows, snapshots=snapshots)


@bp.post("/campaigns")
@login_required
def campaign_save() -> ResponseReturnValue:
    """Save a draft from the form."""
    form = request.form
    with work() as uow:
        try:
            draft = core.Draft(form.get("name", ""), "marketing", _int(form.get("snapshot_id")),
                               form.get("content", "").strip(), tuple(form.getlist("channels")),
                               _int(form.get("product_risk")) or None,
                               _int(form.get("control_share")),
                               _schedule(form.get("scheduled_at", "")),
                               form.get("product_code", "").strip()[:32] or None)
            campaign = core.create_campaign(uow, scope(), draft, utcnow())
        except core.CampaignRefused as error:
            flash(explain(error))
            return redirect("/console/campaigns")
        uow.commit()
    flash("活动草稿已保存，请提交审批。")
    return redirect(f"/console/campaigns/{campaign.id}")


@bp.get(f"/campaigns/<int(max={ID_MAX}):campaign_id>")
@login_required
def campaign(campaign_id: int) -> ResponseReturnValue:
    """A campaign: compliance check, audience after suppressions, progress, actions."""
    with work() as uow:
        try:
            found = core.campaign_report(uow, scope(), campaign_id)
            row = core.visible_campaign(uow, scope(), campaign_id)
        except core.CampaignRefused as error:
            flash(explain(error))
            return redirect("/console/campaigns")
        check = refusal_for_content(row.content, row.product_risk, bool(row.product_code))
        return render_template("console/campaign.html", c=row, report=found, poll=POLL_SECONDS,
                               check=explain(core.CampaignRefused(check[0], detail=check[1]))
                               if check else None, actions=core.actions_for(scope(), row))


@bp.get(f"/campaigns/<int(max={ID_MAX}):campaign_id>/progress")
@login_required
def campaign_progress(campaign_id: int) -> ResponseReturnValue:
    """The audience and progress as a fragment, with the state badge (htmx polling)."""
    with work() as uow:
        try:
            found = core.campaign_report(uow, scope(), campaign_id)
            actions = core.actions_for(scope(), core.visible_campaign(uow, scope(), campaign_id))
        except core.CampaignRefused as error:
            return Response(explain(error), status=404, mimetype="text/plain")
    return render_template("console/_campaign_progress.html", report=found,
                           poll=POLL_SECONDS, oob=True, actions=actions)


@bp.post(f"/campaigns/<int(max={ID_MAX}):campaign_id>/<any{ACTIONS}:action>")
@login_required
def campaign_action(campaign_id: int, action: str) -> ResponseReturnValue:
    """Move a campaign on; a refusal is said in Chinese."""
    with work() as uow:
        try:
            _act(uow, campaign_id, action)
        except core.CampaignRefused as error:
            flash(explain(error))
            return redirect(f"/console/campaigns/{campaign_id}")
        uow.commit()
    flash(DONE[action])
    return redirect(f"/console/campaigns/{campaign_id}")


@bp.get(f"/campaigns/<int(max={ID_MAX}):campaign_id>/report.csv")
@login_required
def campaign_export(campaign_id: int) -> ResponseReturnValue:
    """The report's figures as CSV (UTF-8 with BOM), an audited export."""
    with work() as uow:
        try:
            found = core.campaign_report(uow, scope(), campaign_id)
        except core.CampaignRefused as error:
            flash(explain(error))
            return redirect("/console/campaigns")
        uow.audit.add(AuditEvent(at=utcnow(), actor=scope().username, action="campaign_export",
                                 subject=f"campaign:{campaign_id}", detail={}))
        uow.commit()
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(("项目", "人数"))
    for key, count in sorted(found["audience"].items()):
        writer.writerow((audience_label(key), count))
    outcomes = found["outcomes"]
    for words, key in (("打开活动链接", "opened"), ("其中已识别客户", "opened_customers"),
                       ("转化客户", "converted"), ("对照组转化客户", "control_converted")):
        writer.writerow((words, outcomes[key]))
    for name, count in outcomes["events"].items():
        writer.writerow((f"转化事件：{name}", count))
    writer.writerow(())
    writer.writerow(("网点", "客户经理", "打开", "转化"))
    for row in outcomes["managers"]:
        writer.writerow((row["branch"] or "—", row["name"] or "未分配", row["opened"],
                         row["converted"]))
    return Response("\ufeff" + out.getvalue(), mimetype="text/csv", headers={
        "Content-Disposition": f"attachment; filename=campaign-{campaign_id}.csv"})


def _act(uow: SqlUnitOfWork, campaign_id: int, action: str) -> None:
    now = utcnow()
    if action == "submit":
        core.submit(uow, scope(), campaign_id, now, contact_policy(current_runtime().settings))
    elif action == "pause":
        core.pause(uow, scope().username, core.visible_campaign(uow, scope(), campaign_id), now,
                   "staff")
    else:
        {"approve": core.approve, "reject": core.reject, "send": core.start,
         "resume": core.resume, "cancel": core.cancel}[action](uow, scope(), campaign_id, now)


def _schedule(value: str) -> datetime | None:
    """Read the form's schedule (Beijing time) as UTC; refuse a bad or past time."""
    if not value.strip():
        return None
    try:
        local = datetime.strptime(value.strip()[:16], "%Y-%m-%dT%H:%M")
    except ValueError:
        raise core.CampaignRefused("schedule_time") from None
    zone = ZoneInfo(current_runtime().settings.leads.timezone)
    at = local.replace(tzinfo=zone).astimezone(UTC).replace(tzinfo=None)
    if at <= utcnow():
        raise core.CampaignRefused("schedule_time")
    return at


def _int(value: str | None) -> int:
    return int(value) if value and value.isdigit() and len(value) < 10 else 0
