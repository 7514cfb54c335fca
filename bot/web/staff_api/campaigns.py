"""The staff API's campaigns (/api/v1/campaigns): drafted, submitted, approved, sent, reported;
and managers' calls and visits (/api/v1/campaigns/tasks) listed and their outcomes recorded, in
the same scope and with the same audit as the console's task page."""

from collections.abc import Callable
from dataclasses import asdict
from datetime import timedelta
from typing import Any

from flask import Response, jsonify, request

from bot.refusals import explain
from bot.runtime import contact_policy
from bot.web import api_input
from bot.web.console.support import work
from bot.web.edge import current_runtime
from bot.web.openapi import ROW_ID
from bot.web.staff_api import ApiError, _body, _scope, bp
from crm_core.model import ID_MAX, utcnow
from crm_core.model.campaigns import Campaign
from crm_core.services import campaigns as core
from crm_core.services.campaigns import tasks
from crm_core.unit_of_work import SqlUnitOfWork

ACTIONS = core.ACTIONS
FIELDS = ("name", "snapshot_id", "content", "purpose", "channels", "product_risk",
          "control_share", "product_code")


def _call(call: Callable[[], Any]) -> Any:
    try:
        return call()
    except core.CampaignRefused as error:
        status, code = (404, "not_found") if error.code in ("unknown_campaign", "unknown_task") \
            else (422, "invalid")
        raise ApiError(status, code, explain(error)) from error


@bp.get("/campaigns")
def campaigns() -> Response:
    """The campaigns the caller sees, newest first."""
    with work() as uow:
        return jsonify(campaigns=[_json(c) for c in core.campaigns_seen(uow, _scope())])


@bp.post("/campaigns")
def create_campaign() -> tuple[Response, int]:
    """Draft a campaign to a segment snapshot."""
    body = _body(*FIELDS)
    channels = body.get("channels", ["mass"])
    if not isinstance(channels, list) or not all(isinstance(c, str) for c in channels):
        raise api_input.BadField("channels", "not_text")
    draft = core.Draft(
        api_input.text(body, "name", 50, required=True) or "",
        api_input.text(body, "purpose", 32) or "marketing",
        api_input.number(body, "snapshot_id", ID_MAX) or 0,
        api_input.text(body, "content", 4000, required=True) or "", tuple(channels),
        api_input.number(body, "product_risk", 5), api_input.number(body, "control_share", 50)
        or 0, product_code=api_input.text(body, "product_code", 32) or None)
    with work() as uow:
        campaign = _call(lambda: core.create_campaign(uow, _scope(), draft, utcnow()))
        uow.commit()
        return jsonify(_json(campaign)), 201


@bp.get(f"/campaigns/<{ROW_ID}:campaign_id>")
def campaign_report(campaign_id: int) -> Response:
    """A campaign's report: audience by status and reason, branches, batches."""
    with work() as uow:
        return jsonify(_call(lambda: core.campaign_report(uow, _scope(), campaign_id)))


@bp.post(f"/campaigns/<{ROW_ID}:campaign_id>/<any{ACTIONS}:action>")
def campaign_action(campaign_id: int, action: str) -> Response:
    """Move a campaign on: submit, approve, reject, send, pause, resume or cancel."""
    with work() as uow:
        campaign = _call(lambda: _act(uow, campaign_id, action))
        uow.commit()
        return jsonify(_json(campaign))


@bp.get("/campaigns/tasks")
def campaign_tasks() -> Response:
    """The caller's calls and visits (?state=open|done|all, ?campaign_id=, ?outcome=), earliest
    due first, customers masked; `total` counts all that match."""
    wanted = tasks.TaskFilter(request.args.get("state", "open"), _campaign_filter(),
                              request.args.get("outcome") or None)
    with work() as uow:
        rows = _call(lambda: tasks.open_tasks(uow, _scope(), TASK_PAGE, wanted))
        total = tasks.open_task_count(uow, _scope(), wanted)
    return jsonify(tasks=[_task_json(row) for row in rows], total=total)


@bp.post(f"/campaigns/<{ROW_ID}:campaign_id>/tasks/<{ROW_ID}:customer_id>")
def campaign_task_outcome(campaign_id: int, customer_id: int) -> Response:
    """Record how a call or visit went: {"outcome": "reached|interested|not_interested|
    wrong_number|do_not_contact"} ("interested" opens a lead; audited)."""
    outcome = api_input.text(_body("outcome"), "outcome", 24, required=True) or ""
    sla = timedelta(minutes=current_runtime().settings.leads.contact_sla_minutes)
    with work() as uow:
        _call(lambda: tasks.record_outcome(uow, _scope(), campaign_id, customer_id, outcome,
                                           utcnow(), sla))
        uow.commit()
    return jsonify(campaign_id=campaign_id, customer_id=customer_id, outcome=outcome)


TASK_PAGE = 200  # tasks in one answer, earliest due first


def _campaign_filter() -> int | None:
    value = request.args.get("campaign_id")
    if value is None:
        return None
    if not value.isdigit() or not 0 < int(value) <= ID_MAX:
        raise api_input.BadField("campaign_id", "not_number", ID_MAX)
    return int(value)


def _task_json(task: tasks.OpenTask) -> dict[str, Any]:
    return {**asdict(task), "due_at": task.due_at.isoformat() + "Z"}


def _act(uow: SqlUnitOfWork, campaign_id: int, action: str) -> Campaign:
    scope, now = _scope(), utcnow()
    if action == "submit":
        core.submit(uow, scope, campaign_id, now, contact_policy(current_runtime().settings))
        return core.visible_campaign(uow, scope, campaign_id)
    if action == "pause":
        campaign = core.visible_campaign(uow, scope, campaign_id)
        core.pause(uow, scope.username, campaign, now, "staff")
        return campaign
    moves = {"approve": core.approve, "reject": core.reject, "send": core.start,
             "resume": core.resume, "cancel": core.cancel}
    return moves[action](uow, scope, campaign_id, now)


def _json(campaign: Campaign) -> dict[str, Any]:
    return {"id": campaign.id, "name": campaign.name, "purpose": campaign.purpose,
            "state": campaign.state.value, "owner": campaign.owner,
            "scope": campaign.scope.value, "channels": campaign.channels,
            "snapshot_id": campaign.snapshot_id, "control_share": campaign.control_share,
            "product_code": campaign.product_code,
            "approver": campaign.approver, "pause_reason": campaign.pause_reason,
            "created_at": campaign.created_at.isoformat() + "Z",
            "actions": list(core.actions_for(_scope(), campaign))}
