"""Which conversations a staff member may read and act on.

Managers: those they hold and those of their own customers. Online service agents: their
branch's (the network's agents: all). Branch heads: their branch's. Head office: all. Only the
customer's own manager reads phone and ID numbers in a transcript; the others see them masked.
"""

from crm_core.model import OutOfScope, Scope, StaffRole
from crm_core.model.conversations import Conversation
from crm_core.unit_of_work import UnitOfWork


def sees(scope: Scope, conversation: Conversation) -> bool:
    """Say whether the scope may read (and answer) the conversation."""
    if scope.role is StaffRole.HEAD_OFFICE or conversation.assignee_id == scope.staff_id:
        return True
    if scope.role is StaffRole.MANAGER:
        return scope.manager_id is not None and \
            conversation.customer.current_manager_id == scope.manager_id
    if scope.role is StaffRole.SERVICE and scope.branch_id is None:
        return True
    return scope.branch_id is not None and conversation.branch_id == scope.branch_id


def own_manager(scope: Scope, conversation: Conversation) -> bool:
    """Say whether the scope is the customer's own manager (who reads their numbers)."""
    return scope.role is StaffRole.MANAGER and scope.manager_id is not None and \
        conversation.customer.current_manager_id == scope.manager_id


def visible(uow: UnitOfWork, scope: Scope, conversation_id: int) -> Conversation:
    """Return the conversation if the scope sees it (LookupError, OutOfScope otherwise)."""
    conversation = uow.conversations.get(conversation_id)
    if conversation is None:
        raise LookupError(f"no conversation {conversation_id}")
    if not sees(scope, conversation):
        raise OutOfScope(f"conversation {conversation_id}")
    return conversation
