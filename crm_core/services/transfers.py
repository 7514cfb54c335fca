"""Moving customers from one manager to another: a preview first, then the move itself.

A transfer names its customers or explicitly all of the source manager's: no list means
nobody, never everybody. A customer moves with their open leads (those the source manager
held), so the new manager follows them up. The preview's fingerprint lets the move refuse
when the customers changed since the preview. A transfer that moves nobody tells nobody.
"""

import hashlib
from dataclasses import dataclass
from datetime import datetime
from typing import Any, Final, Literal

from crm_core.model import (
    ID_MAX,
    LinkReason,
    Manager,
    ManagerLink,
    ManagerState,
    NoticeKind,
    OutOfScope,
    Scope,
    StaffRole,
)
from crm_core.services.customers import customer_label
from crm_core.services.notices import enqueue_customer_notice, enqueue_notice
from crm_core.services.staff import audit
from crm_core.unit_of_work import UnitOfWork

ALL_CUSTOMERS: Final = "all"  # a transfer of every customer must say so: no list means nothing


class TransferRefused(ValueError):
    """A transfer that cannot be done as asked; `code` says why, `detail` names what."""

    def __init__(self, code: str, detail: str = "") -> None:
        super().__init__(f"{code}: {detail}" if detail else code)
        self.code, self.detail = code, detail


@dataclass(frozen=True)
class TransferPlan:
    """Who a transfer would move: each customer with their open leads, and its fingerprint."""

    source: Manager
    target: Manager
    every: bool
    customers: list[dict[str, Any]]
    fingerprint: str

    @property
    def lead_count(self) -> int:
        """Return how many open leads move with the customers."""
        return sum(len(c["leads"]) for c in self.customers)


def plan_transfer(uow: UnitOfWork, scope: Scope, from_code: str, to_code: str,
                  customers: list[int] | Literal["all"]) -> TransferPlan:
    """Return who a transfer would move, refusing it as the move itself would."""
    source, target = _managers(uow, scope, from_code, to_code)
    links = _links(uow, source, _listed(customers))
    ids = [link.customer_id for link in links]
    leads: dict[int, list[dict[str, Any]]] = {}
    found = uow.leads.open_of(ids, source.id) if ids else []
    products = uow.products.by_codes([x.product_code for x in found if x.product_code])
    for lead in found:
        product = products.get(lead.product_code or "")
        leads.setdefault(lead.customer_id, []).append(
            {"id": lead.id, "source": lead.source, "status": lead.status.value,
             "product": product.name if product else lead.product_code})
    rows = [{"id": link.customer_id, "name": link.customer.display_name
             or customer_label(link.customer.openid), "leads": leads.get(link.customer_id, [])}
            for link in links]
    return TransferPlan(source, target, customers == ALL_CUSTOMERS, rows, _fingerprint(ids))


@dataclass(frozen=True)
class TransferDone:
    """The customers and open leads a transfer moved."""

    customers: list[int]
    leads: list[int]


def transfer_customers(uow: UnitOfWork, scope: Scope, from_code: str, to_code: str,
                       customers: list[int] | Literal["all"], now: datetime,
                       tell_customers: bool = False) -> int:
    """Move customers (ALL_CUSTOMERS, or those listed) and their open leads to another
    manager, keeping history; return how many customers moved.

    A listed customer who is not the source manager's refuses the whole transfer.
    """
    return len(move_customers(uow, scope, from_code, to_code, customers, now,
                              tell_customers).customers)


def move_customers(uow: UnitOfWork, scope: Scope, from_code: str, to_code: str,
                   customers: list[int] | Literal["all"], now: datetime,
                   tell_customers: bool = False, expect: str | None = None) -> TransferDone:
    """Do a transfer as `transfer_customers` does; `expect`: the fingerprint of the preview
    that was confirmed (TransferRefused "changed" when the customers are no longer those)."""
    source, target = _managers(uow, scope, from_code, to_code)
    links = _links(uow, source, _listed(customers))
    if expect is not None and expect != _fingerprint([link.customer_id for link in links]):
        raise TransferRefused("changed")
    moved = _move(uow, links, target, now, scope.username)
    leads = _move_leads(uow, moved, source, target)
    audit(uow, now, scope.username, "transfer", f"{from_code}->{to_code}",
          {"customers": moved, "leads": leads})
    if moved:
        _notify(uow, source, target, moved, len(leads), now)
    if moved and tell_customers:
        _tell_customers(uow, moved, target.name, target.branch.name, now)
    return TransferDone(moved, leads)


def _managers(uow: UnitOfWork, scope: Scope, from_code: str,
              to_code: str) -> tuple[Manager, Manager]:
    source, target = uow.managers.by_code(from_code), uow.managers.by_code(to_code)
    if source is None or target is None:
        raise LookupError(f"unknown manager {from_code!r} or {to_code!r}")
    _may_transfer(scope, source.branch_id, target.branch_id)
    if target.state is not ManagerState.ACTIVE or source.id == target.id:
        raise TransferRefused("target_unavailable", target.name)
    return source, target


def _may_transfer(scope: Scope, from_branch: int, to_branch: int) -> None:
    if scope.role is StaffRole.HEAD_OFFICE:
        return
    if scope.role is StaffRole.BRANCH_HEAD and scope.branch_id == from_branch == to_branch:
        return
    raise OutOfScope("transfer outside your branch")


def _listed(customers: list[int] | Literal["all"]) -> list[int] | None:
    if customers == ALL_CUSTOMERS:
        return None
    if not customers:
        raise TransferRefused("no_customers")
    beyond = [i for i in customers if not 0 < i <= ID_MAX]  # no customer has such an id
    if beyond:
        raise TransferRefused("not_theirs", ", ".join(map(str, beyond)))
    return list(dict.fromkeys(customers))


def _links(uow: UnitOfWork, source: Manager, customer_ids: list[int] | None) -> list[ManagerLink]:
    links = uow.activity.current_links(source.id, customer_ids)
    missing = set(customer_ids or ()) - {link.customer_id for link in links}
    if missing:
        raise TransferRefused("not_theirs", ", ".join(map(str, sorted(missing))))
    return links


def _fingerprint(customer_ids: list[int]) -> str:
    text = ",".join(map(str, sorted(customer_ids)))
    return hashlib.sha256(text.encode()).hexdigest()[:16]


def _move(uow: UnitOfWork, links: list[ManagerLink], target: Manager, now: datetime,
          actor: str) -> list[int]:
    for link in links:
        link.end(now, LinkReason.TRANSFER)
    uow.flush()  # free the one-current-link slot before the new links take it
    for link in links:
        uow.activity.add(ManagerLink(customer_id=link.customer_id, manager=target,
                                     source=f"transfer:{actor}"[:64],
                                     reason=LinkReason.TRANSFER, started_at=now))
    return [link.customer_id for link in links]


def _move_leads(uow: UnitOfWork, customer_ids: list[int], source: Manager,
                target: Manager) -> list[int]:
    leads = uow.leads.open_of(customer_ids, source.id) if customer_ids else []
    for lead in leads:
        # The new manager has not been reminded of it: a late lead reminds them once.
        lead.manager, lead.branch, lead.reminded_at = target, target.branch, None
    return [lead.id for lead in leads]


def _notify(uow: UnitOfWork, source: Manager, target: Manager, moved: list[int], leads: int,
            now: datetime) -> None:
    payload: dict[str, Any] = {"count": len(moved), "leads": leads, "from": source.name,
                               "to": target.name, "at": now.isoformat()}
    if len(moved) == 1:
        payload["customer_id"] = moved[0]
    for manager, side in ((target, "in"), (source, "out")):
        enqueue_notice(uow, f"transfer:{now.isoformat()}:{source.id}:{target.id}:{side}",
                       NoticeKind.TRANSFER, manager, payload | {"side": side}, now)


def _tell_customers(uow: UnitOfWork, customer_ids: list[int], name: str, branch: str,
                    now: datetime) -> None:
    customers = uow.products.customers(customer_ids)
    for customer_id in customer_ids:
        customer = customers.get(customer_id)
        if customer is not None:
            enqueue_customer_notice(uow, f"manager-changed:{customer_id}:{now.isoformat()}",
                                    NoticeKind.MANAGER_CHANGED, customer,
                                    {"manager": name, "branch": branch}, now)
