"""The OpenAPI 3.1 description of /api/v1 (served at /api/v1/openapi.json).

Every status an operation can answer is listed with its body, and the suite's schema-driven
fuzzer (tests/integration/test_api_schema.py) fails on any other status, on a 5xx and on a body
that breaks its schema: change the API and this document together.
"""

import re
from functools import cache
from typing import Any

from crm_core.model import (
    BIG_ID_MAX,
    ID_MAX,
    NOTE_MAX_LENGTH,
    LeadStatus,
    ManagerRole,
    NoticeStatus,
    ReferralStatus,
)
from crm_core.model.conversations import REPLY_MAX_LENGTH

# URL converters of ids: a larger id names no row, is routed nowhere (404) and never reaches SQL.
ROW_ID = f"int(max={ID_MAX})"
BIG_ROW_ID = f"int(max={BIG_ID_MAX})"
PARAMETER_MAX_LENGTH = 200  # query and path values; longer ones are refused (400)
CODE_MAX_LENGTH = 24  # branch and manager codes


def _ref(name: str) -> dict[str, str]:
    return {"$ref": f"#/components/schemas/{name}"}


def _json(description: str, schema: dict[str, Any]) -> dict[str, Any]:
    return {"description": description, "content": {"application/json": {"schema": schema}}}


def _text(nullable: bool = False) -> dict[str, Any]:
    return {"type": ["string", "null"] if nullable else "string"}


def _record(**fields: dict[str, Any]) -> dict[str, Any]:
    return {"type": "object", "required": list(fields), "properties": fields}


def _list_of(key: str, item: str) -> dict[str, Any]:
    return _record(**{key: {"type": "array", "items": _ref(item)}})


_ERRORS = {
    "400": "the request is malformed: a body that is not a JSON object of the documented "
           "fields and types, or a value with a control character or lone surrogate",
    "401": "no valid bearer token",
    "403": "the record or operation lies outside the caller's scope",
    "404": "no such record",
    "409": "the record is not in a state that allows this",
    "413": "the body is larger than the configured limit",
    "422": "a well-formed value that is not acceptable (an unknown status, a refused transfer)",
    "503": "the database is unreachable or stalled: retry after the delay given",
}
_RETRY_AFTER = {"Retry-After": {"description": "seconds to wait", "schema": {"type": "integer"}}}


def _op(summary: str, ok: dict[str, Any], *errors: str,
        params: list[dict[str, Any]] | None = None, body: dict[str, Any] | None = None,
        ok_status: str = "200", media: str = "application/json") -> dict[str, Any]:
    statuses = {"400", "401", "503", *errors} | ({"413"} if body else set())
    responses = {ok_status: _json("ok", ok)} | {
        status: _json(_ERRORS[status], _ref("Error")) for status in sorted(statuses)}
    responses["503"]["headers"] = _RETRY_AFTER
    operation: dict[str, Any] = {"summary": summary, "parameters": params or [],
                                 "responses": responses}
    if body:
        operation["requestBody"] = {"required": True, "content": {
            media: {"schema": body}}}
    return operation


def _path_id(name: str, largest: int = ID_MAX) -> dict[str, Any]:
    return {"name": name, "in": "path", "required": True,
            "schema": {"type": "integer", "minimum": 1, "maximum": largest}}


def _query(name: str, schema: dict[str, Any]) -> dict[str, Any]:
    return {"name": name, "in": "query", "required": False, "schema": schema}


def _status(enum: type[LeadStatus] | type[NoticeStatus]) -> dict[str, Any]:
    return _query("status", {"type": "string", "enum": [s.value for s in enum]})


_INT = {"type": "integer"}
_ERROR_CODE = {"type": "string", "enum": ["bad_request", "unauthorized", "forbidden", "not_found",
                                          "conflict", "invalid", "internal", "unavailable"]}
_BOOL = {"type": "boolean"}
_NUMBER = {"type": ["number", "null"]}
_SCHEMAS: dict[str, Any] = {
    "Error": _record(error={**_record(code=_ERROR_CODE, message=_text()), "properties": {
        "code": _ERROR_CODE, "message": _text(),
        "path": {"type": "string", "description": "where in a segment rule the fault lies, "
                                                  "as a JSON path ($.all[1].op)"}}}),
    "Me": _record(username=_text(), name=_text(), role={
        "type": "string", "enum": ["manager", "branch_head", "head_office", "service"]}),
    "Lead": _record(id=_INT, status=_text(), source=_text(), product=_text(True),
                    customer_id=_INT, customer=_text(), manager=_text(True), due_at=_text(True),
                    seconds_left=_INT, overdue=_BOOL, note=_text(True)),
    "Customer": _record(id=_INT, label=_text(), follow_state=_text(),
                        phone_masked=_text(True), manager=_text(True),
                        last_touch_at=_text(True)),
    "Link": _record(manager=_text(), branch=_text(), reason=_text(), since=_text(True),
                    until=_text(True)),
    "Touch": _record(at=_text(True), direction=_text(), kind=_text(), summary=_text(True)),
    "ManagerLoad": _record(code=_text(), name=_text(), state=_text(), customers=_INT,
                           open_leads=_INT, overdue_leads=_INT),
    "Notice": _record(id=_INT, kind=_text(), status=_text(), manager=_text(True),
                      customer=_text(True), attempts=_INT,
                      error_code={"type": ["integer", "null"]}, error=_text(True),
                      msgid={"type": ["integer", "null"]}, created_at=_text(True),
                      sent_at=_text(True), next_attempt_at=_text(True)),
    "AuditEvent": _record(at=_text(True), actor=_text(), action=_text(),
                          subject=_text(True), detail={"type": ["object", "null"]}),
    "Conversation": _record(id=_INT, status=_text(), opened_at=_text(),
                            last_message_at=_text(), customer=_text(), assignee=_text(True),
                            latest=_text(), escalated=_BOOL),
    "ChatMessage": _record(id=_INT, at=_text(), author=_text(), by=_text(True), kind=_text(),
                           body=_text(), media=_BOOL, delivery=_text(True), status=_text(True),
                           error_code={"type": ["integer", "null"]}),
    "TalkFigures": _record(username=_text(), name=_text(), conversations=_INT, segments=_INT,
                           answered=_INT, resolved=_INT, ratings=_INT,
                           **{key: _NUMBER for key in (
                               "handling_seconds", "handling_business_seconds",
                               "first_response_seconds", "first_response_business_seconds",
                               "resolution_seconds", "resolution_business_seconds", "rating")}),
    "ShareCounts": {"type": "object", "required": ["opens", "follows", "leads"],
                    "properties": {"opens": _INT, "follows": _INT, "leads": _INT}},
}
_CARD = {"allOf": [_ref("Customer"), _record(
    history={"type": "array", "items": _ref("Link")},
    timeline={"type": "array", "items": _ref("Touch")})], "properties": {
    "phone": {"type": "string", "description": "in full, for the customer's manager only"}}}
_BRANCH = _record(branch=_record(code=_text(), name=_text()),
                  managers={"type": "array", "items": _ref("ManagerLoad")},
                  overdue_leads={"type": "array", "items": _ref("Lead")},
                  unmanaged_customers={"type": "array", "items": _ref("Customer")})
_BOARD = _record(managers={"type": "array", "items": {"allOf": [
    _ref("ShareCounts"), _record(manager=_text(True), name=_text(True))]}},
                 customers={"type": "array", "items": {"allOf": [
    _ref("ShareCounts"), _record(customer_id=_INT, customer=_text(True))]}})
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

_TALK_REPLY = {"type": "object", "required": ["body"], "additionalProperties": False,
               "properties": {"body": {"type": "string", "minLength": 1,
                                       "maxLength": REPLY_MAX_LENGTH}}}
_TALK_IMAGE = {"type": "object", "required": ["image"], "properties": {
    "image": {"type": "string", "format": "binary"}}}
_TALK_ASSIGN = {"type": "object", "required": [], "additionalProperties": False, "properties": {
    "username": {"type": ["string", "null"], "maxLength": 64},
    "reason": {"type": ["string", "null"], "maxLength": 32}}}

OPENAPI: dict[str, Any] = {
    "openapi": "3.1.0",
    "info": {"title": "BranchLink staff API", "version": "1",
             "description": "Every call sees exactly the caller's scope: a manager their "
                            "customers and leads, a branch head their branch, head office all."},
    "components": {"securitySchemes": {"bearer": {"type": "http", "scheme": "bearer"}},
                   "schemas": _SCHEMAS},
    "security": [{"bearer": []}],
    "paths": {
        "/api/v1/me": {"get": _op("The caller", _ref("Me"))},
        "/api/v1/leads": {"get": _op("Leads in scope", _list_of("leads", "Lead"), "422",
                                     params=[_status(LeadStatus)])},
        "/api/v1/leads/{lead_id}": {"patch": _op(
            "Move a lead on", _record(id=_INT, status=_text()), "403", "404", "422",
            params=[_path_id("lead_id")], body=_LEAD_CHANGE)},
        "/api/v1/customers": {"get": _op(
            "Search customers by the phone's last 4 digits, name or openid prefix",
            _list_of("customers", "Customer"),
            params=[_query("q", {"type": "string", "maxLength": PARAMETER_MAX_LENGTH})])},
        "/api/v1/customers/{customer_id}": {"get": _op(
            "One customer", _CARD, "403", "404", params=[_path_id("customer_id")])},
        "/api/v1/branches/{code}": {"get": _op("Branch overview", _BRANCH, "403", "404", params=[
            {"name": "code", "in": "path", "required": True,
             "schema": {"type": "string", "minLength": 1, "maxLength": CODE_MAX_LENGTH}}])},
        "/api/v1/transfers": {"post": _op(
            "Transfer the listed customers, or all when `all` is true, with their open leads",
            _record(moved=_INT),
            "403", "404", "422", body=_TRANSFER, ok_status="201")},
        "/api/v1/shares/leaderboard": {"get": _op(
            "Opens (unique visitors), follows and leads brought by shares, per manager and per "
            "customer", _BOARD)},
        "/api/v1/notices": {"get": _op(
            "Notices in scope (branch heads: their branch's)", _list_of("notices", "Notice"),
            "403", "422", params=[_status(NoticeStatus)])},
        "/api/v1/notices/{notice_id}/retry": {"post": _op(
            "Queue a failed or dead notice again (an unknown one may have gone out: 409)",
            _record(id=_INT, status=_text()), "403", "404", "409",
            params=[_path_id("notice_id", BIG_ID_MAX)])},
        # Conversations (a compact block: list, transcript, reply, assign, close).
        "/api/v1/conversations": {"get": _op(
            "Conversations in scope: waiting (oldest first), open or closed (latest first)",
            _record(conversations={"type": "array", "items": _ref("Conversation")},
                    total=_INT), "422", params=[
                _query("status", {"type": "string", "enum": ["waiting", "open", "closed"]}),
                _query("page", {"type": "integer", "minimum": 1, "maximum": 10_000})])},
        "/api/v1/conversations/figures": {"get": _op(
            "Per manager and online agent, for conversations opened in the last `days`, in "
            "scope (own; a branch head's branch; head office all): counts, mean first-response, "
            "resolution and holding seconds (elapsed and within business hours), ratings",
            _record(days=_INT, staff={"type": "array", "items": _ref("TalkFigures")}), "422",
            params=[_query("days", {"type": "integer", "enum": [7, 30, 90]})])},
        "/api/v1/conversations/{conversation_id}": {"get": _op(
            "A transcript (phone and ID numbers masked unless the caller is the customer's "
            "manager)", _record(id=_INT, status=_text(), messages={
                "type": "array", "items": _ref("ChatMessage")}), "403", "404",
            params=[_path_id("conversation_id", BIG_ID_MAX)])},
        "/api/v1/conversations/{conversation_id}/replies": {"post": _op(
            "Reply: a customer-service message inside the 48-hour window, else kept for the "
            "reply page behind one service notice; a banned promise is refused (422)",
            _record(message_id=_INT, delivery={"type": "string", "enum": ["custom", "page"]}),
            "403", "404", "422", params=[_path_id("conversation_id", BIG_ID_MAX)],
            body=_TALK_REPLY, ok_status="201")},
        "/api/v1/conversations/{conversation_id}/images": {"post": _op(
            "Send an image (multipart field `image`: JPG, PNG or GIF, at most [talk] "
            "media_max_bytes) as a customer-service image inside the 48-hour window, or "
            "kept for the reply page behind one service notice outside it; a bad file is "
            "refused (422)",
            _record(message_id=_INT, delivery={"type": "string", "enum": ["custom", "page"]}),
            "403", "404", "413", "422", params=[_path_id("conversation_id", BIG_ID_MAX)],
            body=_TALK_IMAGE, ok_status="201", media="multipart/form-data")},
        "/api/v1/conversations/{conversation_id}/assign": {"post": _op(
            "Hand a conversation to a manager or online agent (null: back to the queue)",
            _record(id=_INT, assignee=_text(True)), "403", "404", "422",
            params=[_path_id("conversation_id", BIG_ID_MAX)], body=_TALK_ASSIGN)},
        "/api/v1/conversations/{conversation_id}/close": {"post": _op(
            "Close a conversation (the customer is asked for a 1–5 rating)",
            _record(id=_INT, status=_text()), "403", "404",
            params=[_path_id("conversation_id", BIG_ID_MAX)])},
        "/api/v1/audit": {"get": _op(
            "Audit trail (head office)", _list_of("events", "AuditEvent"), "403", params=[
                _query("action", {"type": "string", "maxLength": PARAMETER_MAX_LENGTH})])},
    },
}

# Segments: a rule is {"all": [...]}, {"any": [...]}, {"not": {...}} or a condition
# {"dim", "op", "value", "month"}; a fault answers 400 with its JSON path in `error.path`.
_RULE = {"type": "object", "description": "a segment rule (see the console's builder)"}
_SEGMENT_COUNT = _record(members=_INT, excluded=_INT,
                         profiling={"type": "array", "items": _text()})
_SCHEMAS["Segment"] = _record(id=_INT, name=_text(), owner=_text(), scope={
    "type": "string", "enum": ["network", "branch", "manager"]}, kind={
    "type": "string", "enum": ["rule", "static"]}, rule=_RULE, updated_at=_text())
_SCHEMAS["SegmentMember"] = _record(id=_INT, name=_text(), phone=_text(True),
                                    branch=_text(True), manager=_text(True),
                                    follow_state=_text())
_NEW_SEGMENT = {"type": "object", "required": ["name"], "additionalProperties": False,
                "properties": {"name": {"type": "string", "minLength": 1, "maxLength": 50},
                               "rule": _RULE,
                               "list": {"type": "string", "maxLength": 64,
                                        "description": "an imported list's name: a static "
                                                       "segment frozen on its latest month"}}}
OPENAPI["paths"] |= {
    "/api/v1/segments": {
        "get": _op("Segments the caller sees", _list_of("segments", "Segment")),
        "post": _op("Save a segment in the caller's scope", _ref("Segment"), "422",
                    body=_NEW_SEGMENT, ok_status="201")},
    "/api/v1/segments/count": {"post": _op(
        "Count a rule's members in scope, and those left out for the personalisation opt-out",
        _SEGMENT_COUNT, body={"type": "object", "required": ["rule"],
                              "additionalProperties": False, "properties": {"rule": _RULE}})},
    "/api/v1/segments/{segment_id}/count": {"get": _op(
        "A saved segment's count now", _SEGMENT_COUNT, "404",
        params=[_path_id("segment_id")])},
    "/api/v1/segments/{segment_id}/preview": {"get": _op(
        "A saved segment's first members, masked", _list_of("members", "SegmentMember"), "404",
        params=[_path_id("segment_id")])},
    "/api/v1/segments/{segment_id}/snapshots": {"post": _op(
        "Freeze a segment's members with the time and the rule",
        _record(id=_INT, segment_id=_INT, members=_INT, excluded=_INT, taken_at=_text(),
                rule=_RULE), "404", params=[_path_id("segment_id")], ok_status="201")},
}


# Organisations and referrals between staff (bot/web/staff_api/collaboration.py).
_ORG = _record(id=_INT, code=_text(), name=_text(), credit_code=_text(True), kind=_text(),
               market=_text(True), industry=_text(True), branch=_text(), key_link=_BOOL,
               products={"type": "array", "items": _text()})
_SCHEMAS["Organisation"] = {"allOf": [_ORG, _record(manager=_text(True), contacts=_INT)]}
_SCHEMAS["OrganisationCard"] = {"allOf": [_ORG, _record(
    branch_name=_text(), manager={"type": ["object", "null"]},
    contacts={"type": "array", "items": _record(name=_text(), title=_text(),
                                                customer_id={"type": ["integer", "null"]},
                                                customer=_text(True))})]}
_WHOLE_OR_NULL = {"type": ["integer", "null"]}
_SCHEMAS["Referral"] = _record(
    id=_INT, subject=_text(), customer_id=_WHOLE_OR_NULL, organisation=_text(True),
    line={"type": "string", "enum": [r.value for r in ManagerRole]},
    status={"type": "string", "enum": [s.value for s in ReferralStatus]}, referrer=_text(),
    referrer_code=_text(), receiver=_text(True), receiver_code=_text(True), branch=_text(),
    product_interest=_text(), potential_value=_WHOLE_OR_NULL, note=_text(True),
    decline_reason=_text(True), created_at=_text(), due_at=_text(True), overdue=_BOOL,
    lock_until=_text(), outcome=_text(True), converted_value=_WHOLE_OR_NULL, closed_at=_text(True))
_SCHEMAS["Referrer"] = _record(
    code=_text(), name=_text(), sent=_INT, accepted=_INT, converted=_INT, open=_INT,
    value={"type": "integer", "description": "converted value, yuan"},
    rate={"type": ["number", "null"], "description": "converted / sent"})
_LINES = ["零售", "财富", "信贷", "对公", *(r.value for r in ManagerRole)]
_REFER = {"type": "object", "required": ["line"], "additionalProperties": False,
          "description": "exactly one of customer_id and organisation", "properties": {
              "customer_id": {"type": ["integer", "null"], "minimum": 0, "maximum": ID_MAX},
              "organisation": {"type": ["string", "null"], "maxLength": CODE_MAX_LENGTH},
              "line": {"type": "string", "enum": _LINES},
              "receiver": {"type": ["string", "null"], "maxLength": CODE_MAX_LENGTH,
                           "description": "a manager's code; empty: the branch and line rule"},
              "product_interest": {"type": ["string", "null"], "maxLength": 64},
              "potential_value": {"type": ["integer", "null"], "minimum": 0,
                                  "maximum": 10**13 - 1, "description": "yuan"},
              "note": {"type": ["string", "null"], "maxLength": 500}}}
_STEP = {"type": "object", "required": ["status"], "additionalProperties": False,
         "properties": {"status": {"type": "string", "enum": [s.value for s in ReferralStatus]},
                        "reason": {"type": ["string", "null"], "maxLength": 200}}}
_CODE_PATH = {"name": "code", "in": "path", "required": True,
              "schema": {"type": "string", "minLength": 1, "maxLength": CODE_MAX_LENGTH}}
_TEXT_QUERY = {"type": "string", "maxLength": PARAMETER_MAX_LENGTH}
OPENAPI["paths"] |= {
    "/api/v1/organisations": {"get": _op(
        "Organisations in scope (the first 100 by name)",
        _record(organisations={"type": "array", "items": _ref("Organisation")}, total=_INT),
        params=[_query("q", _TEXT_QUERY), _query("market", _TEXT_QUERY)])},
    "/api/v1/organisations/{code}": {"get": _op(
        "One organisation with its owner and contact persons", _ref("OrganisationCard"),
        "403", "404", params=[_CODE_PATH])},
    "/api/v1/referrals": {
        "get": _op("Referrals in scope (the first 100, newest first)",
                   _record(referrals={"type": "array", "items": _ref("Referral")}, total=_INT),
                   "422", params=[_query("box", {"type": "string", "enum": [
                       "received", "sent", "queue", "all"]}),
                       _query("status", {"type": "string",
                                         "enum": [s.value for s in ReferralStatus]})]),
        "post": _op("Refer a customer or an organisation to another line (managers; a second "
                    "referral inside the lock period is refused, naming the first)",
                    _ref("Referral"), "403", "422", body=_REFER, ok_status="201")},
    "/api/v1/referrers": {"get": _op(
        "The referrers' board of the scope's referrals, most converted value first (branch "
        "heads and head office)",
        _record(referrers={"type": "array", "items": _ref("Referrer")}), "403")},
    "/api/v1/referrals/{referral_id}": {"patch": _op(
        "The receiver's next step (a decline needs its reason)", _ref("Referral"),
        "403", "404", "422", params=[_path_id("referral_id")], body=_STEP)},
}


# Scorecards (bot/web/staff_api/scorecards.py).
_MONTH = {"type": "string", "pattern": "^[0-9]{4}-[0-9]{2}$", "maxLength": 7}
_ROLE = {"type": "string", "enum": [r.value for r in ManagerRole]}
_MONEY = {"type": "string", "description": "yuan, as decimal text"}
_SCHEMAS["ScorecardRow"] = _record(month=_text(), manager=_text(), name=_text(), branch=_text(),
                                   role=_ROLE, rank=_INT, total=_MONEY, profit=_MONEY)
_SCHEMAS["LeagueRow"] = _record(rank=_INT, name=_text(), branch=_text(), role=_ROLE,
                                total=_MONEY)
_SCHEMAS["Scorecard"] = _record(
    month=_text(), manager=_text(), name=_text(), role=_ROLE, total=_MONEY, profit=_MONEY,
    state={"type": ["string", "null"], "enum": ["draft", "frozen", None]},
    lines={"type": "array", "items": {
        "type": "object", "required": ["metric", "method", "weight", "score"],
        "description": "metric, value, target, method, percent, score, weight, the veto "
                       "applied and the source (book rows, links or referral ids)"}},
    trend={"type": "array", "items": _record(month=_text(), total=_MONEY, profit=_MONEY)})
_SCHEMAS["BookRow"] = _record(
    line=_INT, customer=_text(), kind=_text(), product=_text(), balance=_MONEY,
    customer_rate=_MONEY, ftp_rate=_MONEY, fee=_MONEY, overdue=_MONEY, npl=_MONEY,
    profit=_MONEY)
_MONTH_PATH = {"name": "month", "in": "path", "required": True, "schema": _MONTH}
_MONTH_QUERY = {**_query("month", _MONTH), "required": True}
OPENAPI["paths"] |= {
    "/api/v1/scorecards": {"get": _op(
        "The month's cards in scope (a manager their own, a branch head the branch's)",
        _record(cards={"type": "array", "items": _ref("ScorecardRow")}, total=_INT), "422",
        params=[_MONTH_QUERY, _query("role", _ROLE)])},
    "/api/v1/scorecards/league": {"get": _op(
        "A role's published league table across the network (ties share a rank)",
        _record(cards={"type": "array", "items": _ref("LeagueRow")}, total=_INT), "422",
        params=[_MONTH_QUERY, {**_query("role", _ROLE), "required": True}])},
    "/api/v1/scorecards/{month}/{code}": {"get": _op(
        "One card, every line explained, with the manager's trend", _ref("Scorecard"),
        "403", "404", "422", params=[_MONTH_PATH, _CODE_PATH])},
    "/api/v1/scorecards/{month}/{code}/book": {"get": _op(
        "The source rows of a manager's month, each with its simulated profit",
        _record(rows={"type": "array", "items": _ref("BookRow")}, total=_INT),
        "403", "404", "422", params=[_MONTH_PATH, _CODE_PATH])},
}


def openapi_path(rule: str) -> str:
    """Return the document's path of a Flask URL rule (`<int(max=…):id>` becomes `{id}`)."""
    return re.sub(r"<(?:[^<>:]+:)?([^<>]+)>", r"{\1}", rule)


@cache
def query_parameters(rule: str, method: str) -> frozenset[str]:
    """Return the query parameters documented for a Flask URL rule and method."""
    operation = OPENAPI["paths"].get(openapi_path(rule), {}).get(method.lower(), {})
    return frozenset(p["name"] for p in operation.get("parameters", []) if p["in"] == "query")


# Campaigns to a segment snapshot (bot/web/staff_api/campaigns.py).
_COUNTS = {"type": "object", "additionalProperties": _INT}
_SCHEMAS["Campaign"] = _record(
    id=_INT, name=_text(), purpose=_text(), state={"type": "string", "enum": [
        "draft", "pending_approval", "approved", "scheduled", "sending", "paused", "done",
        "cancelled"]}, owner=_text(), scope={"type": "string", "enum": ["network", "branch"]},
    channels={"type": "array", "items": _text()}, snapshot_id=_INT, control_share=_INT,
    approver=_text(True), pause_reason=_text(True), created_at=_text())
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
                                       "maximum": 50}}}
_ACTION_PATH = {"name": "action", "in": "path", "required": True, "schema": {
    "type": "string", "enum": ["submit", "approve", "send", "pause", "resume", "cancel"]}}
OPENAPI["paths"] |= {
    "/api/v1/campaigns": {
        "get": _op("Campaigns the caller sees, newest first", _list_of("campaigns", "Campaign")),
        "post": _op("Draft a campaign to a segment snapshot (refusals name the reason)",
                    _ref("Campaign"), "422", body=_NEW_CAMPAIGN, ok_status="201")},
    "/api/v1/campaigns/{campaign_id}": {"get": _op(
        "A campaign's report: audience by status, suppressed by reason, branches, batches",
        _record(id=_INT, name=_text(), state=_text(), pause_reason=_text(True),
                control_share=_INT, audience=_COUNTS,
                branches={"type": "array", "items": {"type": "object"}},
                batches={"type": "array", "items": {"type": "object"}}), "404",
        params=[_path_id("campaign_id")])},
    "/api/v1/campaigns/{campaign_id}/{action}": {"post": _op(
        "Submit (plans the audience), approve (not the drafter), send, pause, resume, cancel",
        _ref("Campaign"), "404", "422", params=[_path_id("campaign_id"), _ACTION_PATH])},
}


def _upload_op() -> dict[str, Any]:
    # A file upload: multipart, not JSON; a rejected file answers 422 with every bad row.
    upload = {"type": "object", "required": ["file", "kind", "month"], "properties": {
        "file": {"type": "string", "format": "binary",
                 "description": "CSV (UTF-8 or GBK) or XLSX; the name ends .csv or .xlsx"},
        "kind": {"type": "string", "enum": ["balances", "holdings", "media", "employers",
                                            "mobile", "mapping", "list"]},
        "month": {"type": "string", "pattern": "^[0-9]{4}-[0-9]{2}$"},
        "list_name": {"type": "string", "maxLength": 32,
                      "description": "the list's name, for kind list"}}}
    operation = _op("Import an extract of the bank's data: checked whole, all rows or none "
                    "(head office)", _record(
                        batch_id=_INT, rows=_INT, matched=_INT, unmatched=_INT,
                        unmatched_by_branch={"type": "array", "items": _record(
                            branch=_text(True), rows=_INT)}), "403",
                    ok_status="201", body=upload, media="multipart/form-data")
    operation["responses"]["422"] = _json("rows refused; nothing applied", _record(
        error=_ref("Error"), rows={"type": "array", "items": _record(line=_INT,
                                                                      reason=_text())}))
    return operation


# Classification (bot/web/staff_api/classification.py).
_TEXT_OR_NULL = {"type": ["string", "null"]}
_SCHEMAS["Dimension"] = _record(
    code=_text(), name=_text(), definition=_text(), standard=_text(), coverage=_text(),
    source={"type": "string", "enum": ["imported", "derived", "staff"]}, profiling=_BOOL,
    settings={"type": "object"}, updated_at=_text(), updated_by=_text(True),
    month={"type": ["string", "null"], "description": "the latest month held (YYYY-MM-DD)"},
    counts={"type": "array", "items": _record(value=_text(), customers=_INT)})
_SCHEMAS["ClassValue"] = _record(value=_text(), amount=_TEXT_OR_NULL, by=_TEXT_OR_NULL,
                                 at=_TEXT_OR_NULL)
_SCHEMAS["ClassificationBatch"] = _record(
    kind=_text(), list_name=_text(True), month=_text(), filename=_text(), rows=_INT,
    matched=_INT, unmatched=_INT, staff=_text(), created_at=_text())
OPENAPI["paths"] |= {
    "/api/v1/classification/dimensions": {"get": _op(
        "The dimension catalogue, values counted in the caller's scope",
        _list_of("dimensions", "Dimension"))},
    "/api/v1/classification/batches": {"get": _op(
        "The latest imports of the bank's extracts (head office)",
        _list_of("batches", "ClassificationBatch"), "403")},
    "/api/v1/classification/imports": {"post": _upload_op()},
    "/api/v1/customers/{customer_id}/classification": {"get": _op(
        "A customer's current values per stored dimension, and their tags",
        _record(customer_id=_INT, customer_numbers=_INT, dimensions={
            "type": "object", "additionalProperties": {
                "type": "array", "items": _ref("ClassValue")}}),
        "403", "404", params=[_path_id("customer_id")])},

}
