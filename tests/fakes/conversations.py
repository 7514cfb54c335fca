"""Conversations, presence, business hours and quick replies in memory."""

from datetime import datetime
from typing import Any

from crm_core.model import StaffAccount, StaffRole
from crm_core.model.conversations import (
    LIVE_STATUSES,
    BranchHours,
    CannedReply,
    Conversation,
    ConversationMessage,
    ConversationStatus,
    Delivery,
    StaffPresence,
)
from tests.fakes.store import FakeStore


class FakeConversations:
    """Conversations and what goes with them, in memory."""

    def __init__(self, store: FakeStore) -> None:
        self.store = store

    def add(self, item: Any) -> None:
        self.store.add(item)

    def get(self, conversation_id: int) -> Conversation | None:
        return self.store.get(Conversation, conversation_id)

    def live_of(self, customer_id: int) -> Conversation | None:
        return next((c for c in self.store.rows(Conversation)
                     if c.customer_id == customer_id and c.status in LIVE_STATUSES), None)

    def last_closed(self, customer_id: int) -> Conversation | None:
        closed = [c for c in self.store.rows(Conversation) if c.customer_id == customer_id
                  and c.status is ConversationStatus.CLOSED and c.closed_at is not None]
        return max(closed, key=lambda c: (c.closed_at, c.id), default=None)

    def presence(self, staff_id: int) -> StaffPresence | None:
        return self.store.get(StaffPresence, staff_id)

    def account_of(self, manager_id: int) -> StaffAccount | None:
        found = [a for a in self.store.rows(StaffAccount) if a.manager_id == manager_id
                 and a.role is StaffRole.MANAGER and a.active]
        return min(found, key=lambda a: a.id, default=None)

    def hours(self, branch_id: int) -> BranchHours | None:
        return self.store.get(BranchHours, branch_id)

    def unanswered_since(self, before: datetime) -> list[Conversation]:
        return sorted((c for c in self.store.rows(Conversation)
                       if c.status is ConversationStatus.WAITING and c.opened_at <= before
                       and c.escalated_at is None), key=lambda c: c.opened_at)

    def custom_sends_since(self, conversation_id: int, since: datetime) -> int:
        return sum(1 for m in self.store.rows(ConversationMessage)
                   if m.conversation_id == conversation_id and m.delivery is Delivery.CUSTOM
                   and m.at >= since)

    def messages(self, conversation_id: int, after_id: int = 0) -> list[ConversationMessage]:
        return sorted((m for m in self.store.rows(ConversationMessage)
                       if m.conversation_id == conversation_id and m.id > after_id),
                      key=lambda m: m.id)

    def canned(self) -> list[CannedReply]:
        return sorted((r for r in self.store.rows(CannedReply) if r.active),
                      key=lambda r: (r.title, r.id))
