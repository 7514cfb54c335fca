"""Campaigns to a segment snapshot (bot/web/staff_api/campaigns.py)."""

from typing import Any

from bot.web.openapi.parts import (
    INT,
    list_of,
    op,
    path_id,
    query,
    record,
    ref,
    text,
)
from crm_core.model import ID_MAX
from crm_core.services.campaigns.lifecycle import ACTIONS
from crm_core.services.campaigns.tasks import OUTCOMES, TASK_STATES

SCHEMAS: dict[str, Any] = {}

_COUNTS = {"type": "object", "additionalProperties": INT}
SCHEMAS["Campaign"] = record(
    id=INT, name=text(), purpose=text(), state={"type": "string", "enum": [
        "draft", "pending_approval", "approved", "scheduled", "sending", "paused", "done",
        "cancelled"]}, owner=text(), scope={"type": "string", "enum": ["network", "branch"]},
    channels={"type": "array", "items": text()}, snapshot_id=INT, control_share=INT,
    product_code=text(True), approver=text(True), pause_reason=text(True), created_at=text(),
    actions={"type": "array", "items": {"type": "string", "enum": list(ACTIONS)},
             "description": "What the caller may do now, given the state and four eyes"})
_NEW_CAMPAIGN = {"type": "object", "required": ["name", "snapshot_id", "content"],
                 "additionalProperties": False, "properties": {
                     "name": {"type": "string", "minLength": 1, "maxLength": 50},
                     "snapshot_id": {"type": "integer", "minimum": 1, "maximum": ID_MAX},
                     "content": {"type": "string", "minLength": 1, "maxLength": 4000},
                     "purpose": {"type": ["string", "null"], "maxLength": 32},
                     "channels": {"type": "array", "items": {
                         "type": "string", "enum": ["mass", "custom", "task"]}},
                     "product_risk": {"type": ["integer", "null"], "minimum": 1, "maximum": 5},
                     "control_share": {"type": ["integer", "null"], "minimum": 0,
                                       "maximum": 50},
                     "product_code": {"type": ["string", "null"], "maxLength": 32}}}
_TASK_OUTCOME = {"type": "string", "enum": list(OUTCOMES)}
SCHEMAS["CampaignTask"] = record(
    campaign_id=INT, campaign=text(), customer_id=INT, customer=text(), phone=text(True),
    manager=text(True), script=text(), due_at=text(),
    outcome={"type": ["string", "null"], "enum": [*OUTCOMES, None]})
_ACTION_PATH = {"name": "action", "in": "path", "required": True, "schema": {
    "type": "string", "enum": list(ACTIONS)}}

PATHS: dict[str, Any] = {
    "/api/v1/campaigns": {
        "get": op("Campaigns the caller sees, newest first", list_of("campaigns", "Campaign")),
        "post": op("Draft a campaign to a segment snapshot (refusals name the reason)",
                   ref("Campaign"), "422", body=_NEW_CAMPAIGN, ok_status="201")},
    "/api/v1/campaigns/{campaign_id}": {"get": op(
        "A campaign's report: audience by status, suppressed by reason, branches, batches; "
        "opens of its tracked links and conversions, by branch and manager",
        record(id=INT, name=text(), state=text(), pause_reason=text(True),
               control_share=INT, audience=_COUNTS,
               branches={"type": "array", "items": {"type": "object"}},
               batches={"type": "array", "items": {"type": "object"}},
               product_code=text(True), outcomes=record(
                   opened=INT, opened_customers=INT, converted=INT, control_converted=INT,
                   events=_COUNTS,
                   branches={"type": "array", "items": record(
                       branch=text(), opened=INT, converted=INT)},
                   managers={"type": "array", "items": record(
                       manager=text(), name=text(), branch=text(), opened=INT,
                       converted=INT)})), "404",
        params=[path_id("campaign_id")])},
    "/api/v1/campaigns/tasks": {"get": op(
        "The caller's calls and visits (外呼/走访) in scope, earliest due first, customers masked",
        record(tasks={"type": "array", "items": ref("CampaignTask")}, total=INT), "422",
        params=[query("state", {"type": "string", "enum": list(TASK_STATES)}),
                query("campaign_id", {"type": "integer", "minimum": 1, "maximum": ID_MAX}),
                query("outcome", _TASK_OUTCOME)])},
    "/api/v1/campaigns/{campaign_id}/tasks/{customer_id}": {"post": op(
        "Record a call's or visit's outcome (interested opens a lead; do_not_contact stops "
        "marketing); audited", record(campaign_id=INT, customer_id=INT, outcome=_TASK_OUTCOME),
        "404", "422", params=[path_id("campaign_id"), path_id("customer_id")],
        body={"type": "object", "required": ["outcome"], "additionalProperties": False,
              "properties": {"outcome": _TASK_OUTCOME}})},
    "/api/v1/campaigns/{campaign_id}/{action}": {"post": op(
        "Submit (plans the audience), approve or reject (not the drafter), send, pause, resume, "
        "cancel",
        ref("Campaign"), "404", "422", params=[path_id("campaign_id"), _ACTION_PATH])},
}
