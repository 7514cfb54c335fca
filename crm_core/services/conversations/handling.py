"""What staff do with a conversation besides answering: transfer, note, close and reopen;
what they say about themselves (presence, delegate); and the customer's rating after close."""

from datetime import datetime, timedelta

from crm_core.model import Manager, NoticeKind, Scope, StaffRole
from crm_core.model.conversations import (
    RATINGS,
    ConversationNote,
    ConversationRefused,
    ConversationStatus,
    Presence,
    StaffPresence,
)
from crm_core.services.conversations.access import visible
from crm_core.services.conversations.opening import notify_waiting
from crm_core.services.conversations.replies import system_message
from crm_core.services.conversations.routing import assign
from crm_core.services.customers import customer_label
from crm_core.services.notices import enqueue_notice
from crm_core.services.staff import audit
from crm_core.unit_of_work import UnitOfWork

NOTE_MAX = 500
RATING_DAYS = 1  # a digit this long after a close rates it; later, it is just a digit
RATING_REQUEST = "rating_request"  # the system message's code (its words are the channel's)
# Who may be handed a conversation: people who answer customers.
ANSWERERS = (StaffRole.MANAGER, StaffRole.SERVICE)


def transfer(uow: UnitOfWork, scope: Scope, conversation_id: int, username: str | None,
             reason: str, now: datetime) -> None:
    """Hand a conversation to a manager or agent (None: back to the queue), with a reason."""
    conversation = visible(uow, scope, conversation_id)
    if conversation.status is ConversationStatus.CLOSED:
        raise ConversationRefused("closed")
    target = uow.staff.by_username(username) if username else None
    if username and (target is None or not target.active or target.role not in ANSWERERS):
        raise ConversationRefused("unknown_staff", username)
    if target is not None and target.id == conversation.assignee_id:
        return
    assign(uow, conversation, target, reason[:32] or "transfer", scope.staff_id, now)
    notify_waiting(uow, conversation, now)
    audit(uow, now, scope.username, "conversation_assigned", str(conversation.id),
          {"to": username or "queue"})


def add_note(uow: UnitOfWork, scope: Scope, conversation_id: int, body: str,
             now: datetime) -> None:
    """Keep a note about the conversation that only staff read."""
    text = body.strip()
    if not text or len(text) > NOTE_MAX or "\x00" in text:
        raise ConversationRefused("bad_note", str(NOTE_MAX))
    conversation = visible(uow, scope, conversation_id)
    uow.conversations.add(ConversationNote(conversation_id=conversation.id,
                                           staff_id=scope.staff_id, at=now, body=text))


def close(uow: UnitOfWork, scope: Scope, conversation_id: int, now: datetime) -> None:
    """Close a conversation and ask the customer for a rating (if the window allows)."""
    conversation = visible(uow, scope, conversation_id)
    if conversation.status is ConversationStatus.CLOSED:
        return
    conversation.status, conversation.closed_at = ConversationStatus.CLOSED, now
    uow.flush()  # the customer may open a new conversation from now on
    system_message(uow, conversation, RATING_REQUEST, now)


def reopen(uow: UnitOfWork, scope: Scope, conversation_id: int, now: datetime) -> None:
    """Open a closed conversation again (unless the customer opened a new one meanwhile)."""
    conversation = visible(uow, scope, conversation_id)
    if conversation.status is not ConversationStatus.CLOSED:
        return
    if uow.conversations.live_of(conversation.customer_id) is not None:
        raise ConversationRefused("newer_open")
    conversation.status, conversation.closed_at = ConversationStatus.OPEN, None
    conversation.last_message_at = now


def rate(uow: UnitOfWork, openid: str, rating: int, now: datetime) -> bool:
    """Record the customer's 1–5 for their conversation closed within a day; False if none."""
    customer = uow.customers.by_openid(openid)
    last = uow.conversations.last_closed(customer.id) if customer else None
    if last is None or last.rating is not None or rating not in RATINGS \
            or last.closed_at is None or now - last.closed_at > timedelta(days=RATING_DAYS):
        return False
    last.rating, last.rated_at = rating, now
    return True


def set_presence(uow: UnitOfWork, scope: Scope, status: Presence, delegate: str | None,
                 now: datetime) -> None:
    """Record 在线 / 忙碌 / 离开 and, for a manager, whom their customers go to meanwhile."""
    target = uow.staff.by_username(delegate) if delegate else None
    if delegate and (target is None or target.role not in ANSWERERS
                     or target.id == scope.staff_id):
        raise ConversationRefused("unknown_staff", delegate)
    row = uow.conversations.presence(scope.staff_id)
    if row is None:
        row = StaffPresence(staff_id=scope.staff_id, status=status)
        uow.conversations.add(row)
    row.status, row.updated_at = status, now
    row.delegate_id = target.id if target else None


def presence_of(uow: UnitOfWork, staff_id: int) -> tuple[Presence, str | None]:
    """Return a staff member's presence (离开 until they say otherwise) and delegate's login."""
    row = uow.conversations.presence(staff_id)
    if row is None:
        return Presence.AWAY, None
    delegate = uow.staff.get(row.delegate_id) if row.delegate_id else None
    return row.status, delegate.username if delegate else None


def escalate_unanswered(uow: UnitOfWork, now: datetime, sla: timedelta) -> int:
    """Tell whoever oversees conversations nobody answered within the SLA: the branch heads
    of a branch's, head office of the network-wide queue's."""
    count = 0
    for conversation in uow.conversations.unanswered_since(now - sla):
        conversation.escalated_at = now
        count += 1
        for overseer in _overseers(uow, conversation.branch_id):
            enqueue_notice(uow, f"talk:escalation:{conversation.id}:{overseer.id}",
                           NoticeKind.TALK_ESCALATION, overseer, {
                               "conversation_id": conversation.id,
                               "customer": conversation.customer.display_name
                               or customer_label(conversation.customer.openid),
                               "opened_at": conversation.opened_at.isoformat()}, now)
    return count


def _overseers(uow: UnitOfWork, branch_id: int | None) -> list[Manager]:
    if branch_id is not None:
        return uow.managers.heads_of(branch_id)
    # Head office staff are told through the manager record their account is linked to.
    linked = {account.manager.id: account.manager for account in uow.staff.listing()
              if account.role is StaffRole.HEAD_OFFICE and account.active and account.manager}
    return list(linked.values())
