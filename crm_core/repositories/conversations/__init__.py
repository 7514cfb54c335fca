"""Conversations, their messages, presence, business hours and quick replies in SQL."""

from datetime import datetime

from sqlalchemy import bindparam, select
from sqlalchemy.orm import Session

from crm_core.model import StaffAccount, StaffRole
from crm_core.model.conversations import (
    LIVE_STATUSES,
    Assignment,
    BranchHours,
    CannedReply,
    Conversation,
    ConversationMessage,
    ConversationNote,
    ConversationStatus,
    StaffPresence,
)
from crm_core.repositories.campaigns import window_sends

Row = Conversation | ConversationMessage | Assignment | ConversationNote | StaffPresence \
    | BranchHours | CannedReply


_LIVE_ID = (select(Conversation.id)
            .where(Conversation.customer_id == bindparam("customer_id"),
                   Conversation.status.in_(LIVE_STATUSES))
            .limit(1))


class SqlConversations:
    """Conversations and what goes with them, in SQL."""

    def __init__(self, session: Session) -> None:
        self.session = session

    def add(self, item: Row) -> None:
        """Add a row."""
        self.session.add(item)

    def get(self, conversation_id: int) -> Conversation | None:
        """Return a conversation by id."""
        return self.session.get(Conversation, conversation_id)

    def live_of(self, customer_id: int) -> Conversation | None:
        """Return the customer's conversation in progress, if any.

        Every message on the webhook's path asks, and nearly all have none: the id is looked
        up with a statement built once, and the row loaded only when there is one.
        """
        found = self.session.execute(_LIVE_ID, {"customer_id": customer_id}).scalar()
        return None if found is None else self.session.get(Conversation, found)

    def last_closed(self, customer_id: int) -> Conversation | None:
        """Return the customer's most recently closed conversation."""
        stmt = (select(Conversation)
                .where(Conversation.customer_id == customer_id,
                       Conversation.status == ConversationStatus.CLOSED)
                .order_by(Conversation.closed_at.desc(), Conversation.id.desc()))
        return self.session.scalars(stmt.limit(1)).first()

    def presence(self, staff_id: int) -> StaffPresence | None:
        """Return what a staff member said about themselves."""
        return self.session.get(StaffPresence, staff_id)

    def account_of(self, manager_id: int) -> StaffAccount | None:
        """Return the active console account of a manager."""
        stmt = select(StaffAccount).where(StaffAccount.manager_id == manager_id,
                                          StaffAccount.role == StaffRole.MANAGER,
                                          StaffAccount.active.is_(True))
        return self.session.scalars(stmt.order_by(StaffAccount.id).limit(1)).first()

    def hours(self, branch_id: int) -> BranchHours | None:
        """Return a branch's business hours, if it set them."""
        return self.session.get(BranchHours, branch_id)

    def unanswered_since(self, before: datetime) -> list[Conversation]:
        """Return waiting conversations opened before `before` and not escalated yet."""
        stmt = (select(Conversation)
                .where(Conversation.status == ConversationStatus.WAITING,
                       Conversation.opened_at <= before, Conversation.escalated_at.is_(None))
                .order_by(Conversation.opened_at))
        return list(self.session.scalars(stmt))

    def custom_sends_since(self, conversation_id: int, since: datetime) -> int:
        """Count customer-service messages sent to the conversation's customer since a time:
        the platform counts them per customer, so campaigns' count too, and other
        conversations'."""
        customer_id = self.session.scalar(select(Conversation.customer_id).where(
            Conversation.id == conversation_id))
        return window_sends(self.session, customer_id, since) if customer_id else 0

    def messages(self, conversation_id: int, after_id: int = 0) -> list[ConversationMessage]:
        """Return a conversation's messages after an id, in order."""
        stmt = (select(ConversationMessage)
                .where(ConversationMessage.conversation_id == conversation_id,
                       ConversationMessage.id > after_id)
                .order_by(ConversationMessage.id))
        return list(self.session.scalars(stmt))

    def canned(self) -> list[CannedReply]:
        """Return the active quick replies by title."""
        stmt = select(CannedReply).where(CannedReply.active.is_(True))
        return list(self.session.scalars(stmt.order_by(CannedReply.title, CannedReply.id)))
