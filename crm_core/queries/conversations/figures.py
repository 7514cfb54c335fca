"""What the per-staff figures are worked out from, for conversations opened in a period:
each conversation, every assignment of it in order, and its first answer by a person."""

from datetime import datetime
from typing import Any

from sqlalchemy import func, or_, select
from sqlalchemy.orm import Session

from crm_core.model import Manager, StaffAccount
from crm_core.model.conversations import Assignment, Author, Conversation, ConversationMessage


def opened_between(session: Session, since: datetime, until: datetime) -> list[Any]:
    """Return (id, branch, opened, closed, rating) of the conversations opened in the period."""
    stmt = (select(Conversation.id, Conversation.branch_id, Conversation.opened_at,
                   Conversation.closed_at, Conversation.rating)
            .where(Conversation.opened_at >= since, Conversation.opened_at < until)
            .order_by(Conversation.id))
    return list(session.execute(stmt))


def holds_of(session: Session, since: datetime, until: datetime) -> list[Any]:
    """Return (conversation, at, to whom) of every assignment of those conversations, in order."""
    stmt = (select(Assignment.conversation_id, Assignment.at, Assignment.to_staff_id)
            .join(Conversation, Conversation.id == Assignment.conversation_id)
            .where(Conversation.opened_at >= since, Conversation.opened_at < until)
            .order_by(Assignment.conversation_id, Assignment.at, Assignment.id))
    return list(session.execute(stmt))


def first_answers(session: Session, since: datetime, until: datetime) -> list[Any]:
    """Return (conversation, at, staff) of the first message a person wrote in each of them."""
    first = (select(func.min(ConversationMessage.id).label("id"))
             .join(Conversation, Conversation.id == ConversationMessage.conversation_id)
             .where(Conversation.opened_at >= since, Conversation.opened_at < until,
                    ConversationMessage.author == Author.STAFF)
             .group_by(ConversationMessage.conversation_id).subquery())
    stmt = (select(ConversationMessage.conversation_id, ConversationMessage.at,
                   ConversationMessage.staff_id)
            .join(first, first.c.id == ConversationMessage.id))
    return list(session.execute(stmt))


def staff_names(session: Session, ids: set[int]) -> dict[int, tuple[str, str]]:
    """Return the login and display name of each staff id."""
    stmt = select(StaffAccount.id, StaffAccount.username, StaffAccount.display_name)
    return {i: (u, n) for i, u, n in session.execute(stmt.where(StaffAccount.id.in_(ids)))}


def branch_usernames(session: Session, branch_id: int | None) -> set[str]:
    """Return the logins of a branch's staff: its managers' and those placed in it."""
    if branch_id is None:
        return set()
    stmt = (select(StaffAccount.username)
            .outerjoin(Manager, Manager.id == StaffAccount.manager_id)
            .where(or_(StaffAccount.branch_id == branch_id, Manager.branch_id == branch_id)))
    return set(session.scalars(stmt))
