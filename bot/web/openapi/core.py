"""The core of the staff API: the caller, leads, customers, branches, transfers, shares, notices
and the audit trail (bot/web/staff_api/__init__.py)."""

from typing import Any

from bot.web.openapi.parts import (
    BOOL,
    CODE_MAX_LENGTH,
    INT,
    PARAMETER_MAX_LENGTH,
    list_of,
    op,
    path_id,
    query,
    record,
    ref,
    status_query,
    text,
)
from crm_core.model import BIG_ID_MAX, ID_MAX, NOTE_MAX_LENGTH, LeadStatus, NoticeStatus

_ERROR_CODE = {"type": "string", "enum": ["bad_request", "unauthorized", "forbidden", "not_found",
                                          "conflict", "invalid", "internal", "unavailable"]}
SCHEMAS: dict[str, Any] = {
    "Error": record(error={**record(code=_ERROR_CODE, message=text()), "properties": {
        "code": _ERROR_CODE, "message": text(),
        "path": {"type": "string", "description": "where in a segment rule the fault lies, "
                                                  "as a JSON path ($.all[1].op)"}}}),
    "Me": record(username=text(), name=text(), role={
        "type": "string", "enum": ["manager", "branch_head", "head_office", "service"]}),
    "Lead": record(id=INT, status=text(), source=text(), product=text(True),
                   customer_id=INT, customer=text(), manager=text(True), due_at=text(True),
                   seconds_left=INT, overdue=BOOL, note=text(True)),
    "Customer": record(id=INT, label=text(), follow_state=text(),
                       phone_masked=text(True), manager=text(True),
                       last_touch_at=text(True)),
    "Link": record(manager=text(), branch=text(), reason=text(), since=text(True),
                   until=text(True)),
    "Touch": record(at=text(True), direction=text(), kind=text(), summary=text(True)),
    "ManagerLoad": record(code=text(), name=text(), state=text(), customers=INT,
                          open_leads=INT, overdue_leads=INT),
    "Notice": record(id=INT, kind=text(), status=text(), manager=text(True),
                     customer=text(True), attempts=INT,
                     error_code={"type": ["integer", "null"]}, error=text(True),
                     msgid={"type": ["integer", "null"]}, created_at=text(True),
                     sent_at=text(True), next_attempt_at=text(True)),
    "AuditEvent": record(at=text(True), actor=text(), action=text(),
                         subject=text(True), detail={"type": ["object", "null"]}),
    "ShareCounts": {"type": "object", "required": ["opens", "follows", "leads"],
                    "properties": {"opens": INT, "follows": INT, "leads": INT}},
}
_CARD = {"allOf": [ref("Customer"), record(
    history={"type": "array", "items": ref("Link")},
    timeline={"type": "array", "items": ref("Touch")})], "properties": {
    "phone": {"type": "string", "description": "in full, for the customer's manager only"}}}
_BRANCH = record(branch=record(code=text(), name=text()),
                 managers={"type": "array", "items": ref("ManagerLoad")},
                 overdue_leads={"type": "array", "items": ref("Lead")},
                 unmanaged_customers={"type": "array", "items": ref("Customer")})
_BOARD = record(managers={"type": "array", "items": {"allOf": [
    ref("ShareCounts"), record(manager=text(True), name=text(True))]}},
                customers={"type": "array", "items": {"allOf": [
    ref("ShareCounts"), record(customer_id=INT, customer=text(True))]}})
_LEAD_CHANGE = {
    "type": "object", "required": ["status"], "additionalProperties": False, "properties": {
        "status": {"type": "string", "enum": [s.value for s in LeadStatus]},
        "note": {"type": ["string", "null"], "maxLength": NOTE_MAX_LENGTH,
                 "description": "appended to the lead's notes; no control characters but "
                                "tab and line breaks"}}}
_TRANSFER = {
    "type": "object", "required": ["from", "to"], "additionalProperties": False, "properties": {
        "from": {"type": "string", "maxLength": CODE_MAX_LENGTH},
        "to": {"type": "string", "maxLength": CODE_MAX_LENGTH},
        "customers": {"type": ["array", "null"], "description": "the customers to move",
                      "items": {"type": "integer", "minimum": 1, "maximum": ID_MAX}},
        "all": {"type": "boolean", "description": "true moves every customer of `from`; "
                                                  "without it `customers` must list some"}}}

PATHS: dict[str, Any] = {
    "/api/v1/me": {"get": op("The caller", ref("Me"))},
    "/api/v1/leads": {"get": op("Leads in scope", list_of("leads", "Lead"), "422",
                                params=[status_query(LeadStatus)])},
    "/api/v1/leads/{lead_id}": {"patch": op(
        "Move a lead on", record(id=INT, status=text()), "403", "404", "422",
        params=[path_id("lead_id")], body=_LEAD_CHANGE)},
    "/api/v1/customers": {"get": op(
        "Search customers by the phone's last 4 digits, name or openid prefix",
        list_of("customers", "Customer"),
        params=[query("q", {"type": "string", "maxLength": PARAMETER_MAX_LENGTH})])},
    "/api/v1/customers/{customer_id}": {"get": op(
        "One customer", _CARD, "403", "404", params=[path_id("customer_id")])},
    "/api/v1/branches/{code}": {"get": op("Branch overview", _BRANCH, "403", "404", params=[
        {"name": "code", "in": "path", "required": True,
         "schema": {"type": "string", "minLength": 1, "maxLength": CODE_MAX_LENGTH}}])},
    "/api/v1/transfers": {"post": op(
        "Transfer the listed customers, or all when `all` is true, with their open leads",
        record(moved=INT),
        "403", "404", "422", body=_TRANSFER, ok_status="201")},
    "/api/v1/shares/leaderboard": {"get": op(
        "Opens (unique visitors), follows and leads brought by shares, per manager and per "
        "customer", _BOARD)},
    "/api/v1/notices": {"get": op(
        "Notices in scope (branch heads: their branch's)", list_of("notices", "Notice"),
        "403", "422", params=[status_query(NoticeStatus)])},
    "/api/v1/notices/{notice_id}/retry": {"post": op(
        "Queue a failed or dead notice again (an unknown one may have gone out: 409)",
        record(id=INT, status=text()), "403", "404", "409",
        params=[path_id("notice_id", BIG_ID_MAX)])},
    "/api/v1/audit": {"get": op(
        "Audit trail (head office)", list_of("events", "AuditEvent"), "403", params=[
            query("action", {"type": "string", "maxLength": PARAMETER_MAX_LENGTH})])},
}
