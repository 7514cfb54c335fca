"""Follow, scan and unfollow: linking each customer to a customer manager.

The linking rule: the first link wins. A customer keeps the manager they were first linked to,
whatever codes they scan later (those scans are recorded as touches). The one exception is a
manager who has left the bank: the next code the customer scans links them anew, and the old
link is closed as history with the reason `manager_left`. Unfollowing keeps the link; a
refollow finds it in force again. Moving customers between managers is an explicit transfer.
"""

from dataclasses import dataclass
from datetime import datetime

from crm_core.model import (
    Branch,
    Customer,
    FollowState,
    LinkReason,
    Manager,
    ManagerCard,
    ManagerLink,
    ManagerState,
    NoticeKind,
    Scene,
    SceneError,
    Touch,
    TouchKind,
    parse_scene,
    pick_round_robin,
)
from crm_core.model.manager_branch import in_step
from crm_core.services.customers import customer_label, ensure_customer
from crm_core.services.notices import enqueue_notice
from crm_core.unit_of_work import UnitOfWork


@dataclass(frozen=True)
class Arrival:
    """The outcome of a follow or scan."""

    manager: ManagerCard | None
    newly_linked: bool
    returning: bool


def follow(uow: UnitOfWork, openid: str, scene: str | None, at: datetime,
           default_branch: str | None = None) -> Arrival:
    """Record a follow (optionally through a code) and link the customer to a manager."""
    customer = ensure_customer(uow, openid, at, source=scene or "direct", likely_new=True)
    returning = customer.followed_at is not None
    customer.follow_state, customer.followed_at = FollowState.FOLLOWING, at
    fallback = scene or (f"b:{default_branch}" if default_branch else None)
    return _arrive(uow, customer, TouchKind.FOLLOW, scene, fallback, at, returning)


def scan(uow: UnitOfWork, openid: str, scene: str, at: datetime) -> Arrival:
    """Record a follower's scan of a code; links only a customer without a manager."""
    customer = ensure_customer(uow, openid, at, source=scene)
    if customer.follow_state is not FollowState.FOLLOWING:
        customer.follow_state = FollowState.FOLLOWING
        customer.followed_at = customer.followed_at or at
    return _arrive(uow, customer, TouchKind.SCAN, scene, scene, at, returning=True)


def unfollow(uow: UnitOfWork, openid: str, at: datetime) -> None:
    """Record an unfollow; the manager link and its history are kept."""
    customer = ensure_customer(uow, openid, at, source="direct")
    customer.follow_state, customer.unfollowed_at = FollowState.UNFOLLOWED, at


def my_manager(uow: UnitOfWork, openid: str) -> ManagerCard | None:
    """Return the customer's manager in force, if any."""
    return uow.customers.manager_of(openid)


def _arrive(uow: UnitOfWork, customer: Customer, kind: TouchKind, scene: str | None,
            link_scene: str | None, at: datetime, returning: bool) -> Arrival:
    # The lookups below do not read the customer: its changes go out in one UPDATE later.
    with uow.held_back():
        return _arrive_now(uow, customer, kind, scene, link_scene, at, returning)


def _arrive_now(uow: UnitOfWork, customer: Customer, kind: TouchKind, scene: str | None,
                link_scene: str | None, at: datetime, returning: bool) -> Arrival:
    customer.touch(at)
    parsed = _parse(link_scene)
    manager = uow.managers.by_code(parsed.manager) if parsed and parsed.manager else None
    branch = _branch_of(uow, parsed, manager)
    if scene:
        uow.activity.add(Touch(customer_id=customer.id, kind=kind, scene=scene, occurred_at=at,
                               branch_id=branch.id if branch else None,
                               manager_id=manager.id if manager else None,
                               campaign=parsed.campaign if parsed else None))
    if customer.home_branch_id is None and branch is not None:
        customer.home_branch = branch
    linked = _link(uow, customer, manager, branch, link_scene or "direct", at)
    current = customer.current_link
    card = ManagerCard.of(current.manager) if current else None
    return Arrival(manager=card, newly_linked=linked, returning=returning)


def _parse(scene: str | None) -> Scene | None:
    try:
        return parse_scene(scene) if scene else None
    except SceneError:
        return None  # A foreign scene (another system's code): recorded, never linked.


def _branch_of(uow: UnitOfWork, scene: Scene | None, manager: Manager | None) -> Branch | None:
    if scene and scene.branch:
        return uow.branches.by_code(scene.branch) or (manager.branch if manager else None)
    return manager.branch if manager else None


def _link(uow: UnitOfWork, customer: Customer, manager: Manager | None, branch: Branch | None,
          source: str, at: datetime) -> bool:
    current = customer.current_link
    if current is not None and current.manager.state is not ManagerState.LEFT:
        return False
    target = _target(uow, manager, branch)
    if target is None:
        return False
    reason = LinkReason.FIRST_TOUCH
    if current is not None:
        current.end(at, LinkReason.MANAGER_LEFT)
        uow.flush()  # The old link must be closed before the new one takes the unique slot.
        reason = LinkReason.MANAGER_LEFT
    link = ManagerLink(customer=customer, manager=target, source=source, reason=reason,
                       started_at=at)
    in_step(customer, target)
    uow.activity.add(link)
    uow.flush()
    enqueue_notice(uow, f"link:{link.id}:new", NoticeKind.NEW_CUSTOMER, target, {
        "customer": customer_label(customer.openid), "customer_id": customer.id,
        "source": source,
        "branch": target.branch.name, "at": at.isoformat()}, at)
    return True


def _target(uow: UnitOfWork, manager: Manager | None, branch: Branch | None) -> Manager | None:
    if manager is not None and manager.state is not ManagerState.LEFT:
        return manager
    return assign_in_branch(uow, branch) if branch else None


def assign_in_branch(uow: UnitOfWork, branch: Branch) -> Manager | None:
    """Return the active manager of `branch` whose turn it is (None if nobody is active)."""
    candidates = uow.managers.taking_customers(branch)
    return pick_round_robin(candidates, uow.branches.next_ticket(branch)) if candidates else None
