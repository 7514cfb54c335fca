"""Segments: saved rules, counts, previews and snapshots (bot/web/staff_api/segments.py).

A rule is {"all": [...]}, {"any": [...]}, {"not": {...}} or a condition {"dim", "op", "value",
"month"}; a fault answers 400 with its JSON path in `error.path`."""

from typing import Any

from bot.web.openapi.parts import (
    INT,
    list_of,
    op,
    path_id,
    record,
    ref,
    text,
)

SCHEMAS: dict[str, Any] = {}

_RULE = {"type": "object", "description": (
    "a segment rule (see the console's builder); 渠道 (dim channel) also takes mobile:active "
    "or mobile:inactive (手机银行月活, with an optional month) and last_login:YYYY-MM "
    "compared with eq, in, gt, gte, lt, lte, between (最近登录月份)")}
_SEGMENT_COUNT = record(members=INT, excluded=INT,
                        profiling={"type": "array", "items": text()})
SCHEMAS["Segment"] = record(id=INT, name=text(), owner=text(), scope={
    "type": "string", "enum": ["network", "branch", "manager"]}, kind={
    "type": "string", "enum": ["rule", "static"]}, rule=_RULE, updated_at=text())
SCHEMAS["SegmentMember"] = record(id=INT, name=text(), phone=text(True),
                                  branch=text(True), manager=text(True),
                                  follow_state=text())
_NEW_SEGMENT = {"type": "object", "required": ["name"], "additionalProperties": False,
                "properties": {"name": {"type": "string", "minLength": 1, "maxLength": 50},
                               "rule": _RULE,
                               "list": {"type": "string", "maxLength": 64,
                                        "description": "an imported list's name: a static "
                                                       "segment frozen on its latest month"}}}

PATHS: dict[str, Any] = {
    "/api/v1/segments": {
        "get": op("Segments the caller sees", list_of("segments", "Segment")),
        "post": op("Save a segment in the caller's scope", ref("Segment"), "422",
                   body=_NEW_SEGMENT, ok_status="201")},
    "/api/v1/segments/count": {"post": op(
        "Count a rule's members in scope, and those left out for the personalisation opt-out",
        _SEGMENT_COUNT, body={"type": "object", "required": ["rule"],
                              "additionalProperties": False, "properties": {"rule": _RULE}})},
    "/api/v1/segments/{segment_id}/count": {"get": op(
        "A saved segment's count now", _SEGMENT_COUNT, "404",
        params=[path_id("segment_id")])},
    "/api/v1/segments/{segment_id}/preview": {"get": op(
        "A saved segment's first members, masked", list_of("members", "SegmentMember"), "404",
        params=[path_id("segment_id")])},
    "/api/v1/segments/{segment_id}/snapshots": {"post": op(
        "Freeze a segment's members with the time and the rule",
        record(id=INT, segment_id=INT, members=INT, excluded=INT, taken_at=text(),
               rule=_RULE), "404", params=[path_id("segment_id")], ok_status="201")},
}
