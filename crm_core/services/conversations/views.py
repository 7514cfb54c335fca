"""What the console and the API show of conversations: the inbox, a transcript with the
customer's record beside it, new messages since the last one seen, and exports.

Phone and ID numbers in what customers wrote are masked for everyone but the customer's own
manager; an export of a transcript is audited like every export.
"""

from datetime import date, datetime, timedelta
from typing import Any

from crm_core.model import Scope
from crm_core.model.conversations import STORED_MEDIA, Author, ConversationMessage
from crm_core.pii import mask_text
from crm_core.queries.conversations import (
    assignments_of,
    customer_tier,
    inbox_page,
    messages_after,
    notes_of,
    tab_counts,
)
from crm_core.queries.paging import Page, PageRequest
from crm_core.queries.records import SqlRecords
from crm_core.services.conversations.access import own_manager, visible
from crm_core.services.conversations.handling import presence_of
from crm_core.services.customers import customer_label
from crm_core.services.records import customer_name, lead_row
from crm_core.services.staff import audit
from crm_core.services.suitability import current_assessment
from crm_core.unit_of_work import SqlUnitOfWork


def inbox(uow: SqlUnitOfWork, scope: Scope, tab: str,
          request: PageRequest) -> tuple[Page[dict[str, Any]], dict[str, int]]:
    """Return one page of a tab of the inbox and the waiting and open counts."""
    page = inbox_page(uow.session, scope, tab, request)
    rows = page.map(lambda row: {
        "id": row[0].id, "status": row[0].status.value, "opened_at": row[0].opened_at,
        "last_message_at": row[0].last_message_at, "customer": row[1] or customer_label(row[2]),
        "assignee": row[3], "latest": mask_text(row[4] or "")[:60],
        "escalated": row[0].escalated_at is not None})
    return rows, tab_counts(uow.session, scope)


def conversation_view(uow: SqlUnitOfWork, scope: Scope, conversation_id: int, today: date,
                      validity: timedelta) -> dict[str, Any]:
    """Return a conversation's transcript, notes and assignments with the customer's record."""
    conversation = visible(uow, scope, conversation_id)
    customer, own = conversation.customer, own_manager(scope, conversation)
    records = SqlRecords(uow.session)
    link = customer.current_link
    return {
        "id": conversation.id, "status": conversation.status.value,
        "opened_at": conversation.opened_at, "closed_at": conversation.closed_at,
        "last_customer_at": conversation.last_customer_at, "rating": conversation.rating,
        "assignee": conversation.assignee.display_name if conversation.assignee else None,
        "mine": conversation.assignee_id == scope.staff_id, "own_manager": own,
        "customer": {"id": customer.id, "name": customer_name(customer),
                     "manager": link.manager.name if link else None,
                     "branch": link.manager.branch.name if link else None,
                     "follow_state": customer.follow_state.value,
                     "tier": customer_tier(uow.session, customer.id),
                     "assessment": current_assessment(uow, customer, today, validity),
                     "leads": [lead_row(lead, {}, conversation.opened_at)
                               for lead in records.leads_of(customer.id, 5)]},
        "messages": new_messages(uow, scope, conversation_id, 0),
        "notes": [{"at": n.at, "by": n.staff.display_name, "body": n.body}
                  for n in notes_of(uow.session, conversation.id)],
        "assignments": [{"at": a.at, "to": name, "reason": a.reason}
                        for a, name in assignments_of(uow.session, conversation.id)],
        "presence": presence_of(uow, scope.staff_id)[0].value,
    }


def new_messages(uow: SqlUnitOfWork, scope: Scope, conversation_id: int,
                 after_id: int) -> list[dict[str, Any]]:
    """Return the messages after `after_id`, masked unless the scope is the own manager."""
    conversation = visible(uow, scope, conversation_id)
    plain = own_manager(scope, conversation)
    return [{"id": m.id, "at": m.at, "author": m.author.value, "by": name, "kind": m.kind,
             "body": m.body if plain or m.author.value != "customer" else mask_text(m.body),
             "media": m.media_id is not None,
             "delivery": m.delivery.value if m.delivery else None,
             "status": status.value if status else None, "error_code": code}
            for m, name, status, code in messages_after(uow.session, conversation_id,
                                                        after_id)]


def export_transcript(uow: SqlUnitOfWork, scope: Scope, conversation_id: int,
                      now: datetime) -> list[dict[str, Any]]:
    """Return a transcript for audit (masked as the scope sees it); the export is audited."""
    rows = new_messages(uow, scope, conversation_id, 0)
    audit(uow, now, scope.username, "conversation_exported", str(conversation_id),
          {"rows": len(rows)})
    return rows


def reply_page(uow: SqlUnitOfWork, conversation_id: int) -> dict[str, Any]:
    """Return what the customer's reply page shows: the conversation's messages (never the
    staff notes), for the customer whose link it is (LookupError if there is none)."""
    conversation = uow.conversations.get(conversation_id)
    if conversation is None:
        raise LookupError(f"no conversation {conversation_id}")
    rows = messages_after(uow.session, conversation_id, 0)
    return {"customer_id": conversation.customer_id,
            "messages": [{"id": m.id, "at": m.at, "author": m.author.value, "by": name,
                          "body": m.body, "image": _stored_image(m) is not None}
                         for m, name, _status, _code in rows[-30:]]}


def page_image(uow: SqlUnitOfWork, conversation_id: int,
               message_id: int) -> tuple[int, str] | None:
    """Return the customer a staff image on the reply page belongs to and its stored file's
    name (None: no such image in that conversation)."""
    conversation = uow.conversations.get(conversation_id)
    message = next(iter(messages_after(uow.session, conversation_id, message_id - 1)), None)
    if conversation is None or message is None or message[0].id != message_id:
        return None
    stored = _stored_image(message[0])
    return None if stored is None else (conversation.customer_id, stored)


def _stored_image(message: ConversationMessage) -> str | None:
    media_id: str | None = message.media_id
    if message.kind != "image" or message.author is not Author.STAFF or not media_id:
        return None
    return media_id.removeprefix(STORED_MEDIA) if media_id.startswith(STORED_MEDIA) else None


def media_of(uow: SqlUnitOfWork, scope: Scope, conversation_id: int,
             message_id: int) -> str | None:
    """Return the media id of an image in a conversation the scope sees: the platform's for a
    customer's image, the stored file's (STORED_MEDIA) for one staff sent."""
    visible(uow, scope, conversation_id)
    message = next(iter(messages_after(uow.session, conversation_id, message_id - 1)), None)
    if message is None or message[0].id != message_id or message[0].kind != "image":
        return None
    media_id: str | None = message[0].media_id
    if media_id and media_id.startswith(STORED_MEDIA) and message[0].author is not Author.STAFF:
        return None  # only staff images are the channel's stored files
    return media_id
