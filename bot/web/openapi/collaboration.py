"""Organisations and referrals between staff (bot/web/staff_api/collaboration.py)."""

from typing import Any

from bot.web.openapi.parts import (
    BOOL,
    CODE_MAX_LENGTH,
    CODE_PATH,
    INT,
    TEXT_QUERY,
    WHOLE_OR_NULL,
    op,
    path_id,
    query,
    record,
    ref,
    text,
)
from crm_core.model import ID_MAX, ManagerRole, ReferralStatus

SCHEMAS: dict[str, Any] = {}

_ORG = record(id=INT, code=text(), name=text(), credit_code=text(True), kind=text(),
              market=text(True), industry=text(True), branch=text(), key_link=BOOL,
              products={"type": "array", "items": text()})
SCHEMAS["Organisation"] = {"allOf": [_ORG, record(manager=text(True), contacts=INT)]}
SCHEMAS["OrganisationCard"] = {"allOf": [_ORG, record(
    branch_name=text(), manager={"type": ["object", "null"]},
    contacts={"type": "array", "items": record(name=text(), title=text(),
                                               customer_id={"type": ["integer", "null"]},
                                               customer=text(True))})]}
SCHEMAS["Referral"] = record(
    id=INT, subject=text(), customer_id=WHOLE_OR_NULL, organisation=text(True),
    line={"type": "string", "enum": [r.value for r in ManagerRole]},
    status={"type": "string", "enum": [s.value for s in ReferralStatus]}, referrer=text(),
    referrer_code=text(), receiver=text(True), receiver_code=text(True), branch=text(),
    product_interest=text(), potential_value=WHOLE_OR_NULL, note=text(True),
    decline_reason=text(True), created_at=text(), due_at=text(True), overdue=BOOL,
    lock_until=text(), outcome=text(True), converted_value=WHOLE_OR_NULL, closed_at=text(True))
SCHEMAS["Referrer"] = record(
    code=text(), name=text(), sent=INT, accepted=INT, converted=INT, open=INT,
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

PATHS: dict[str, Any] = {
    "/api/v1/organisations": {"get": op(
        "Organisations in scope (the first 100 by name)",
        record(organisations={"type": "array", "items": ref("Organisation")}, total=INT),
        params=[query("q", TEXT_QUERY), query("market", TEXT_QUERY)])},
    "/api/v1/organisations/{code}": {"get": op(
        "One organisation with its owner and contact persons", ref("OrganisationCard"),
        "403", "404", params=[CODE_PATH])},
    "/api/v1/referrals": {
        "get": op("Referrals in scope (the first 100, newest first)",
                  record(referrals={"type": "array", "items": ref("Referral")}, total=INT),
                  "422", params=[query("box", {"type": "string", "enum": [
                       "received", "sent", "queue", "all"]}),
                       query("status", {"type": "string",
                                        "enum": [s.value for s in ReferralStatus]})]),
        "post": op("Refer a customer or an organisation to another line (managers; a second "
                   "referral inside the lock period is refused, naming the first)",
                   ref("Referral"), "403", "422", body=_REFER, ok_status="201")},
    "/api/v1/referrers": {"get": op(
        "The referrers' board of the scope's referrals, most converted value first (branch "
        "heads and head office)",
        record(referrers={"type": "array", "items": ref("Referrer")}), "403")},
    "/api/v1/referrals/{referral_id}": {"patch": op(
        "The receiver's next step (a decline needs its reason)", ref("Referral"),
        "403", "404", "422", params=[path_id("referral_id")], body=_STEP)},
}
