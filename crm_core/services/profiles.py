"""Read models of a customer for staff tools and other channels."""

from datetime import datetime
from typing import Any

from crm_core.model import Customer, ManagerLink
from crm_core.unit_of_work import UnitOfWork

RECENT_INTERACTIONS = 20


def customer_profile(uow: UnitOfWork, openid: str) -> dict[str, Any] | None:
    """Return the customer's record as plain JSON-ready data, or None if unknown."""
    customer = uow.customers.by_openid(openid)
    if customer is None:
        return None
    current = customer.current_link
    return {
        "openid": customer.openid,
        "follow_state": customer.follow_state.value,
        "followed_at": _iso(customer.followed_at),
        "unfollowed_at": _iso(customer.unfollowed_at),
        "first_touch": {"at": _iso(customer.first_touch_at),
                        "source": customer.first_touch_source},
        "last_touch_at": _iso(customer.last_touch_at),
        "home_branch": customer.home_branch.code if customer.home_branch else None,
        "manager": _link(current) if current else None,
        "manager_history": [_link(link) for link in customer.links],
        "touches": _touches(uow, customer),
        "recent_interactions": _interactions(uow, customer),
    }


def _iso(at: datetime | None) -> str | None:
    return at.isoformat(timespec="seconds") + "Z" if at else None


def _link(link: ManagerLink) -> dict[str, Any]:
    manager = link.manager
    return {"manager": manager.code, "name": manager.name, "branch": manager.branch.code,
            "branch_name": manager.branch.name, "source": link.source,
            "reason": link.reason.value, "since": _iso(link.started_at),
            "until": _iso(link.ended_at)}


def _touches(uow: UnitOfWork, customer: Customer) -> list[dict[str, Any]]:
    return [{"kind": t.kind.value, "scene": t.scene, "at": _iso(t.occurred_at)}
            for t in uow.activity.touches_of(customer)]


def _interactions(uow: UnitOfWork, customer: Customer) -> list[dict[str, Any]]:
    return [{"direction": i.direction.value, "kind": i.kind, "summary": i.summary,
             "at": _iso(i.occurred_at)}
            for i in uow.activity.interactions_of(customer, RECENT_INTERACTIONS)]
