"""Conversations between customers and the bank's people: opening, routing, replies within
the platform's rules, staff actions, business hours and quick replies."""

from crm_core.services.conversations.access import own_manager, sees, visible
from crm_core.services.conversations.canned import add_canned, canned_replies
from crm_core.services.conversations.figures import scoped_figures, talk_figures
from crm_core.services.conversations.handling import (
    RATING_REQUEST,
    add_note,
    close,
    escalate_unanswered,
    presence_of,
    rate,
    reopen,
    set_presence,
    transfer,
)
from crm_core.services.conversations.hours import (
    business_seconds,
    hours_of,
    is_open,
    next_opening,
    set_hours,
)
from crm_core.services.conversations.opening import (
    Opened,
    customer_message,
    last_reply_was,
    live_conversation,
    open_conversation,
)
from crm_core.services.conversations.replies import (
    Card,
    Replied,
    Window,
    check_reply,
    reply,
    send_card,
    send_image,
)
from crm_core.services.conversations.routing import Route, route_for
from crm_core.services.conversations.views import (
    conversation_view,
    export_transcript,
    inbox,
    media_of,
    new_messages,
    page_image,
    reply_page,
)

__all__ = [
    "RATING_REQUEST",
    "Card",
    "Opened",
    "Replied",
    "Route",
    "Window",
    "add_canned",
    "add_note",
    "business_seconds",
    "canned_replies",
    "check_reply",
    "close",
    "conversation_view",
    "customer_message",
    "escalate_unanswered",
    "export_transcript",
    "hours_of",
    "inbox",
    "is_open",
    "last_reply_was",
    "live_conversation",
    "media_of",
    "new_messages",
    "next_opening",
    "open_conversation",
    "own_manager",
    "page_image",
    "presence_of",
    "rate",
    "reopen",
    "reply",
    "reply_page",
    "route_for",
    "scoped_figures",
    "sees",
    "send_card",
    "send_image",
    "set_hours",
    "set_presence",
    "talk_figures",
    "transfer",
    "visible",
]
