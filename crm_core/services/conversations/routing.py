"""Who answers a conversation: the customer's own manager when at work and online, the
delegate they named while away, otherwise the online service queue of the manager's branch
(or the network's), oldest first. Every assignment is recorded with its reason."""

from dataclasses import dataclass
from datetime import datetime

from crm_core.model import Customer, Manager, ManagerState, StaffAccount
from crm_core.model.conversations import Assignment, Conversation, Presence
from crm_core.unit_of_work import UnitOfWork


@dataclass(frozen=True)
class Route:
    """Where a new conversation goes and why."""

    assignee: StaffAccount | None  # None: the queue of `branch_id`
    branch_id: int | None
    reason: str                    # own_manager, delegate, queue


def route_for(uow: UnitOfWork, customer: Customer) -> Route:
    """Pick who answers a customer who asked for a person now."""
    link = customer.current_link
    manager = link.manager if link else None
    branch_id = manager.branch_id if manager else customer.home_branch_id
    account = uow.conversations.account_of(manager.id) if manager else None
    if manager is None or account is None:
        return Route(None, branch_id, "queue")
    presence = uow.conversations.presence(account.id)
    status = presence.status if presence else Presence.AWAY
    if manager.state is ManagerState.ACTIVE and status is Presence.ONLINE:
        return Route(account, branch_id, "own_manager")
    delegate = _delegate(uow, presence.delegate_id if presence else None)
    if manager.state is not ManagerState.LEFT and delegate is not None:
        return Route(delegate, branch_id, "delegate")
    return Route(None, branch_id, "queue")


def _delegate(uow: UnitOfWork, staff_id: int | None) -> StaffAccount | None:
    account = uow.staff.get(staff_id) if staff_id else None
    if account is None or not account.active:
        return None
    presence = uow.conversations.presence(account.id)
    return account if presence and presence.status is not Presence.AWAY else None


def assign(uow: UnitOfWork, conversation: Conversation, to: StaffAccount | None,
           reason: str, by: int | None, now: datetime) -> None:
    """Hand a conversation to someone (or to the queue), recording from whom and why."""
    uow.conversations.add(Assignment(
        conversation_id=conversation.id, at=now, from_staff_id=conversation.assignee_id,
        to_staff_id=to.id if to else None, reason=reason, by_staff_id=by))
    conversation.assignee = to
    conversation.assignee_id = to.id if to else None


def manager_of(uow: UnitOfWork, account: StaffAccount | None) -> Manager | None:
    """Return the manager record behind a console account (for WeChat notices)."""
    return uow.managers.get(account.manager_id) if account and account.manager_id else None
