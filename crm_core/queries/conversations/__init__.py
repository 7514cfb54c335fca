"""The inbox and the transcript in SQL: conversations in scope by tab, a page at a time; a
conversation's messages after an id with their delivery's outcome (figures: `figures`)."""

from typing import Any

from sqlalchemy import ColumnElement, Select, func, or_, select, true
from sqlalchemy.orm import Session, aliased

from crm_core.model import Customer, Notice, Scope, StaffAccount, StaffRole
from crm_core.model.conversations import (
    Assignment,
    Conversation,
    ConversationMessage,
    ConversationNote,
    ConversationStatus,
)
from crm_core.queries.classification import current_rows
from crm_core.queries.paging import ListSpec, Page, PageRequest, page_of

INBOX = ListSpec(sorts=("waiting",), filters=("tab",))
TABS = {"waiting": ConversationStatus.WAITING, "open": ConversationStatus.OPEN,
        "closed": ConversationStatus.CLOSED}


def conversation_scope(scope: Scope) -> ColumnElement[bool]:
    """Return the conversations the scope sees (as `services.conversations.sees` does)."""
    if scope.role is StaffRole.HEAD_OFFICE or (scope.role is StaffRole.SERVICE
                                               and scope.branch_id is None):
        return true()
    mine = Conversation.assignee_id == scope.staff_id
    if scope.role is StaffRole.MANAGER:
        customers = select(Customer.id).where(Customer.current_manager_id == scope.manager_id)
        return or_(mine, Conversation.customer_id.in_(customers))
    return or_(mine, Conversation.branch_id == scope.branch_id)


def inbox_statement(scope: Scope, tab: str) -> Select[Any]:
    """Return the conversations of a tab in scope, with customer and assignee names and the
    latest message's text."""
    assignee = aliased(StaffAccount)
    latest = (select(ConversationMessage.body)
              .where(ConversationMessage.conversation_id == Conversation.id)
              .order_by(ConversationMessage.id.desc()).limit(1)
              .correlate(Conversation).scalar_subquery())
    return (select(Conversation, Customer.display_name, Customer.openid,
                   assignee.display_name, latest.label("latest"))
            .join(Customer, Customer.id == Conversation.customer_id)
            .outerjoin(assignee, assignee.id == Conversation.assignee_id)
            .where(conversation_scope(scope), Conversation.status == TABS[tab]))


def inbox_page(session: Session, scope: Scope, tab: str, request: PageRequest) -> Page[Any]:
    """Return one page of a tab: waiting ones oldest first (the queue's order), the others
    by their latest message."""
    order: list[Any]
    if TABS[tab] is ConversationStatus.WAITING:
        order = [Conversation.opened_at, Conversation.id]
    else:
        order = [Conversation.last_message_at.desc(), Conversation.id.desc()]
    ids = select(Conversation.id).where(conversation_scope(scope),
                                        Conversation.status == TABS[tab])
    return page_of(session, inbox_statement(scope, tab), request, order, rows=True,
                   cut=(Conversation.id, ids))


def tab_counts(session: Session, scope: Scope) -> dict[str, int]:
    """Count the waiting and open conversations in scope."""
    stmt = (select(Conversation.status, func.count()).where(
        conversation_scope(scope), Conversation.status != ConversationStatus.CLOSED)
        .group_by(Conversation.status))
    counts = {status.value: int(n) for status, n in session.execute(stmt)}
    return {tab: counts.get(tab, 0) for tab in ("waiting", "open")}


def messages_after(session: Session, conversation_id: int, after_id: int) -> list[Any]:
    """Return a conversation's messages after an id, each with its author's name and its
    delivery's status and error code."""
    stmt = (select(ConversationMessage, StaffAccount.display_name, Notice.status,
                   Notice.error_code)
            .outerjoin(StaffAccount, StaffAccount.id == ConversationMessage.staff_id)
            .outerjoin(Notice, Notice.key == ConversationMessage.notice_key)
            .where(ConversationMessage.conversation_id == conversation_id,
                   ConversationMessage.id > after_id)
            .order_by(ConversationMessage.id))
    return list(session.execute(stmt).all())


def customer_tier(session: Session, customer_id: int) -> str | None:
    """Return a customer's current asset tier (None before the bank's first extract)."""
    current = current_rows(session, "tier")
    found = session.scalar(select(current.c.value).where(current.c.customer_id == customer_id))
    return None if found is None else str(found)


def notes_of(session: Session, conversation_id: int) -> list[ConversationNote]:
    """Return the staff notes of a conversation, oldest first."""
    stmt = select(ConversationNote).where(ConversationNote.conversation_id == conversation_id)
    return list(session.scalars(stmt.order_by(ConversationNote.id)))


def assignments_of(session: Session, conversation_id: int) -> list[Any]:
    """Return a conversation's assignments, each with the name of whom it went to."""
    stmt = (select(Assignment, StaffAccount.display_name)
            .outerjoin(StaffAccount, StaffAccount.id == Assignment.to_staff_id)
            .where(Assignment.conversation_id == conversation_id).order_by(Assignment.id))
    return list(session.execute(stmt).all())


__all__ = ["INBOX", "TABS", "assignments_of", "conversation_scope", "customer_tier", "inbox_page",
           "messages_after", "notes_of", "tab_counts"]
