"""Customers, their interactions, touches and links, and processed deliveries in memory."""

from collections.abc import Sequence
from datetime import datetime
from typing import TypeVar

from crm_core.model import (
    Customer,
    DeferredExchange,
    FollowState,
    InboundDelivery,
    Interaction,
    ManagerCard,
    ManagerLink,
    Touch,
)
from crm_core.unit_of_work import DuplicateDelivery
from tests.fakes.store import FakeStore

Item = TypeVar("Item", Interaction, Touch, ManagerLink)


class FakeCustomers:
    """Customers in memory."""

    def __init__(self, store: FakeStore) -> None:
        self.store = store

    def by_openid(self, openid: str) -> Customer | None:
        return next((c for c in self.store.rows(Customer) if c.openid == openid), None)

    def manager_of(self, openid: str) -> ManagerCard | None:
        customer = self.by_openid(openid)
        link = customer.current_link if customer else None
        return ManagerCard.of(link.manager) if link else None

    def add_if_missing(self, openid: str, at: datetime, source: str,
                       likely_new: bool = False) -> Customer:
        found = self.by_openid(openid)
        if found is None:
            # Inserted at once, as the SQL class's INSERT ... ON CONFLICT DO NOTHING is.
            found = Customer(openid=openid, follow_state=FollowState.UNKNOWN, first_touch_at=at,
                             first_touch_source=source, last_touch_at=at)
            self.store.insert_unless_taken(found)
        return found

    def touch_many(self, touches: dict[str, tuple[datetime, datetime]],
                   source: str) -> dict[str, int]:
        ids = {}
        for openid, (first, last) in touches.items():
            customer = self.add_if_missing(openid, first, source)
            customer.touch(last)
            ids[openid] = customer.id
        return ids

    def with_phone(self, after_id: int, limit: int) -> list[Customer]:
        found = [c for c in self.store.rows(Customer)
                 if c.id > after_id and c.phone_cipher is not None]
        return sorted(found, key=lambda c: c.id)[:limit]


class FakeActivity:
    """Interactions, touches and manager links in memory."""

    def __init__(self, store: FakeStore) -> None:
        self.store = store

    @property
    def items(self) -> list[Interaction | Touch | ManagerLink]:
        self.store.flush()
        return [item for item in self.store.objects
                if isinstance(item, Interaction | Touch | ManagerLink)]

    def of_type(self, kind: type[Item]) -> list[Item]:
        """Return the rows of one kind, in the order they were added (for assertions)."""
        return self.store.rows(kind)

    def add(self, item: Interaction | Touch | ManagerLink) -> None:
        self.store.add(item)

    def append_interactions(self, items: list[Interaction]) -> None:
        for item in items:
            self.store.add(item)

    def interactions_of(self, customer: Customer, limit: int) -> list[Interaction]:
        mine = [i for i in self.store.rows(Interaction) if i.customer_id == customer.id]
        return sorted(mine, key=lambda i: (i.occurred_at, i.id), reverse=True)[:limit]

    def touches_of(self, customer: Customer) -> list[Touch]:
        mine = [t for t in self.store.rows(Touch) if t.customer_id == customer.id]
        return sorted(mine, key=lambda t: (t.occurred_at, t.id))

    def current_links(self, manager_id: int,
                      customer_ids: list[int] | None) -> list[ManagerLink]:
        links = [link for link in self.store.rows(ManagerLink)
                 if link.manager_id == manager_id and link.ended_at is None
                 and (customer_ids is None or link.customer_id in customer_ids)]
        return sorted(links, key=lambda link: link.id)


class FakeDeliveries:
    """Processed deliveries in memory; a twin's claim fails as the unique key makes it."""

    def __init__(self, store: FakeStore) -> None:
        self.store = store

    def get(self, channel: str, key: str) -> InboundDelivery | None:
        return next((d for d in self.store.rows(InboundDelivery)
                     if (d.channel, d.key) == (channel, key)), None)

    def claim(self, delivery: InboundDelivery) -> None:
        if not self.store.insert_unless_taken(delivery):
            raise DuplicateDelivery(f"InboundDelivery {delivery.channel} {delivery.key}")

    def answer(self, delivery: InboundDelivery) -> None:
        pass  # the stored row is the claimed object itself, its reply already set

    def add_answered(self, deliveries: Sequence[InboundDelivery]) -> set[tuple[str, str]]:
        return {(d.channel, d.key) for d in deliveries if self.store.insert_unless_taken(d)}

    def deferred_backlog(self, channel: str) -> tuple[int, datetime | None]:
        waiting = [d.received_at for d in self.store.rows(InboundDelivery)
                   if d.channel == channel and d.deferred is not None]
        return len(waiting), min(waiting, default=None)

    def take_deferred(self, channel: str, sender: str | None,
                      limit: int) -> list[DeferredExchange]:
        waiting = sorted((d for d in self.store.rows(InboundDelivery)
                          if d.channel == channel and d.deferred is not None
                          and (sender is None or d.sender == sender)), key=lambda d: d.id)
        taken = []
        for delivery in waiting[:limit]:
            assert delivery.sender is not None and delivery.deferred is not None
            taken.append(DeferredExchange(delivery.id, delivery.sender, delivery.received_at,
                                          delivery.deferred))
            delivery.deferred = None
        return taken
