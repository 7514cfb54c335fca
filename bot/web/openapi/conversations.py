"""Conversations: list, figures, transcript, reply, image, assign, close
(bot/web/staff_api/conversations.py)."""

from typing import Any

from bot.web.openapi.parts import (
    BOOL,
    INT,
    NUMBER,
    op,
    path_id,
    query,
    record,
    ref,
    text,
)
from crm_core.model import BIG_ID_MAX
from crm_core.model.conversations import REPLY_MAX_LENGTH

SCHEMAS: dict[str, Any] = {
    "Conversation": record(id=INT, status=text(), opened_at=text(),
                           last_message_at=text(), customer=text(), assignee=text(True),
                           latest=text(), escalated=BOOL),
    "ChatMessage": record(id=INT, at=text(), author=text(), by=text(True), kind=text(),
                          body=text(), media=BOOL, delivery=text(True), status=text(True),
                          error_code={"type": ["integer", "null"]}),
    "TalkFigures": record(username=text(), name=text(), conversations=INT, segments=INT,
                          answered=INT, resolved=INT, ratings=INT,
                          **{key: NUMBER for key in (
                              "handling_seconds", "handling_business_seconds",
                              "first_response_seconds", "first_response_business_seconds",
                              "resolution_seconds", "resolution_business_seconds", "rating")}),
}

_TALK_REPLY = {"type": "object", "required": ["body"], "additionalProperties": False,
               "properties": {"body": {"type": "string", "minLength": 1,
                                       "maxLength": REPLY_MAX_LENGTH}}}
_TALK_IMAGE = {"type": "object", "required": ["image"], "properties": {
    "image": {"type": "string", "format": "binary"}}}
_TALK_ASSIGN = {"type": "object", "required": [], "additionalProperties": False, "properties": {
    "username": {"type": ["string", "null"], "maxLength": 64},
    "reason": {"type": ["string", "null"], "maxLength": 32}}}

PATHS: dict[str, Any] = {
    "/api/v1/conversations": {"get": op(
        "Conversations in scope: waiting (oldest first), open or closed (latest first)",
        record(conversations={"type": "array", "items": ref("Conversation")},
               total=INT), "422", params=[
            query("status", {"type": "string", "enum": ["waiting", "open", "closed"]}),
            query("page", {"type": "integer", "minimum": 1, "maximum": 10_000})])},
    "/api/v1/conversations/figures": {"get": op(
        "Per manager and online agent, for conversations opened in the last `days`, in "
        "scope (own; a branch head's branch; head office all): counts, mean first-response, "
        "resolution and holding seconds (elapsed and within business hours), ratings",
        record(days=INT, staff={"type": "array", "items": ref("TalkFigures")}), "422",
        params=[query("days", {"type": "integer", "enum": [7, 30, 90]})])},
    "/api/v1/conversations/{conversation_id}": {"get": op(
        "A transcript (phone and ID numbers masked unless the caller is the customer's "
        "manager)", record(id=INT, status=text(), messages={
            "type": "array", "items": ref("ChatMessage")}), "403", "404",
        params=[path_id("conversation_id", BIG_ID_MAX)])},
    "/api/v1/conversations/{conversation_id}/replies": {"post": op(
        "Reply: a customer-service message inside the 48-hour window, else kept for the "
        "reply page behind one service notice; a banned promise is refused (422)",
        record(message_id=INT, delivery={"type": "string", "enum": ["custom", "page"]}),
        "403", "404", "422", params=[path_id("conversation_id", BIG_ID_MAX)],
        body=_TALK_REPLY, ok_status="201")},
    "/api/v1/conversations/{conversation_id}/images": {"post": op(
        "Send an image (multipart field `image`: JPG, PNG or GIF, at most [talk] "
        "media_max_bytes) as a customer-service image inside the 48-hour window, or "
        "kept for the reply page behind one service notice outside it; a bad file is "
        "refused (422)",
        record(message_id=INT, delivery={"type": "string", "enum": ["custom", "page"]}),
        "403", "404", "413", "422", params=[path_id("conversation_id", BIG_ID_MAX)],
        body=_TALK_IMAGE, ok_status="201", media="multipart/form-data")},
    "/api/v1/conversations/{conversation_id}/assign": {"post": op(
        "Hand a conversation to a manager or online agent (null: back to the queue)",
        record(id=INT, assignee=text(True)), "403", "404", "422",
        params=[path_id("conversation_id", BIG_ID_MAX)], body=_TALK_ASSIGN)},
    "/api/v1/conversations/{conversation_id}/close": {"post": op(
        "Close a conversation (the customer is asked for a 1–5 rating)",
        record(id=INT, status=text()), "403", "404",
        params=[path_id("conversation_id", BIG_ID_MAX)])},
}
