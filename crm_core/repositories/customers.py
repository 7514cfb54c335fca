"""Customers, their interactions and touches, and processed deliveries in SQL."""


from collections.abc import Sequence
from datetime import datetime
from typing import Any, cast

from sqlalchemy import Table, bindparam, func, insert, null, select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session, joinedload, make_transient_to_detached
from sqlalchemy.orm.attributes import set_committed_value

from crm_core.model import (
    Branch,
    Customer,
    DeferredExchange,
    FollowState,
    InboundDelivery,
    Interaction,
    Manager,
    ManagerCard,
    ManagerLink,
    Touch,
)
from crm_core.repositories.base import (
    DuplicateDelivery,
    dialect_insert,
    insert_unless_taken,
    unique_violation,
)

# The tables written with Core statements on the webhook's path (no session bookkeeping).
CUSTOMERS = cast(Table, Customer.__table__)
INTERACTIONS = cast(Table, Interaction.__table__)
DELIVERIES = cast(Table, InboundDelivery.__table__)
INTERACTION_COLUMNS = ("customer_id", "channel", "direction", "kind", "summary", "detail",
                       "occurred_at")


class SqlCustomers:
    """Customers in SQL, remembered by openid for the rest of the unit of work.

    A miss is remembered too: customers are only created through `add_if_missing`, which
    replaces it, so a first message (handler, then its interaction) looks its sender up once.
    """

    def __init__(self, session: Session) -> None:
        self.session = session
        self.seen: dict[str, Customer | None] = {}

    def by_openid(self, openid: str) -> Customer | None:
        """Return the customer with this openid, with links, managers and branches, in one query."""
        if openid in self.seen:
            return self.seen[openid]
        customer = self.session.scalars(_BY_OPENID, {"openid": openid}).unique().one_or_none()
        self.seen[openid] = customer
        return customer

    def manager_of(self, openid: str) -> ManagerCard | None:
        """Return who the customer's manager in force is (code, name, title, branch name),
        read in one statement from the customer's current manager, loading nothing."""
        row = self.session.execute(_MANAGER_OF, {"openid": openid}).first()
        return ManagerCard(*row) if row else None

    def add_if_missing(self, openid: str, at: datetime, source: str,
                       likely_new: bool = False) -> Customer:
        """Return the customer with this openid, inserting them first if they are new.
        `likely_new` (a follow's sender, say) tries the insert before the lookup."""
        if openid in self.seen or not likely_new:
            found = self.by_openid(openid)
            if found is not None:
                return found
        # Two first messages of one sender at once both miss: ON CONFLICT DO NOTHING makes the
        # second insert wait for the first and then read its row instead of failing. The
        # winner gets its row back from the INSERT itself, and a new customer has no links.
        values = {"openid": openid, "follow_state": FollowState.UNKNOWN, "first_touch_at": at,
                  "first_touch_source": source, "last_touch_at": at}
        row = self.session.execute(_INSERT_NEW, values).mappings().one_or_none()
        if row is None:
            customer = self.session.scalars(_BY_OPENID, {"openid": openid}).unique().one()
        else:
            customer = _attached(self.session, row)
        self.seen[openid] = customer
        return customer

    def touch_many(self, touches: dict[str, tuple[datetime, datetime]],
                   source: str) -> dict[str, int]:
        """For a batch, in three statements: insert the customers not known yet (first
        touched at the earlier time, from `source`), move everyone's last touch forward to
        the later one, and return their ids by openid."""
        if not touches:
            return {}
        dialect = self.session.get_bind().dialect.name
        self.session.execute(
            dialect_insert(dialect, CUSTOMERS).on_conflict_do_nothing(index_elements=["openid"]),
            [{"openid": openid, "follow_state": FollowState.UNKNOWN, "first_touch_at": first,
              "first_touch_source": source, "last_touch_at": last}
             for openid, (first, last) in touches.items()])
        ids = {openid: customer_id for openid, customer_id in self.session.execute(
            select(CUSTOMERS.c.openid, CUSTOMERS.c.id).where(CUSTOMERS.c.openid.in_(touches)))}
        self.session.execute(_TOUCH, [{"customer": ids[openid], "at": last}
                                      for openid, (_first, last) in touches.items()])
        for openid in touches:
            self.seen.pop(openid, None)  # loaded again if read: their rows changed
        return ids

    def with_phone(self, after_id: int, limit: int) -> list[Customer]:
        """Return the next customers (by id, after `after_id`) with an encrypted phone."""
        stmt = (select(Customer).where(Customer.id > after_id, Customer.phone_cipher.is_not(None))
                .order_by(Customer.id).limit(limit))
        return list(self.session.scalars(stmt))


# The webhook's statements are built once (and their cache keys computed once): building
# a statement with its loader options costs more CPU than SQLite spends running it.
_BY_OPENID = (select(Customer).where(Customer.openid == bindparam("openid"))
              .options(joinedload(Customer.links).joinedload(ManagerLink.manager)
                       .joinedload(Manager.branch)))


_MANAGER_OF = (select(Manager.code, Manager.name, Manager.title, Branch.name)
               .join(Customer, Customer.current_manager_id == Manager.id)
               .join(Branch, Branch.id == Manager.branch_id)
               .where(Customer.openid == bindparam("openid")))
_TOUCH = (update(CUSTOMERS).where(CUSTOMERS.c.id == bindparam("customer"),
                                   CUSTOMERS.c.last_touch_at < bindparam("at"))
          .values(last_touch_at=bindparam("at")))
_CLAIM = insert(DELIVERIES).values(channel=bindparam("channel"), key=bindparam("key"),
                                   received_at=bindparam("received_at"))
_ANSWER = (update(DELIVERIES).where(DELIVERIES.c.channel == bindparam("of_channel"),
                                    DELIVERIES.c.key == bindparam("of_key"))
           .values(reply=bindparam("reply"), sender=bindparam("sender"),
                   deferred=bindparam("deferred", type_=DELIVERIES.c.deferred.type)))
_WAITING = (select(DELIVERIES.c.id, DELIVERIES.c.sender, DELIVERIES.c.received_at,
                   DELIVERIES.c.deferred)
            .where(DELIVERIES.c.channel == bindparam("channel"), DELIVERIES.c.deferred.is_not(None))
            .order_by(DELIVERIES.c.id).limit(bindparam("limit")))
_TAKE_BATCH = _WAITING.with_for_update(skip_locked=True)
_TAKE_SENDERS = _WAITING.where(DELIVERIES.c.sender == bindparam("sender")).with_for_update()
_CLEAR_DEFERRED = (update(DELIVERIES).where(DELIVERIES.c.id.in_(bindparam("ids", expanding=True)))
                   .values(deferred=null()))
_ANSWERED_COLUMNS = ("channel", "key", "reply", "received_at", "sender", "deferred")
_INSERT_NEW = insert_unless_taken(
    CUSTOMERS, ("openid", "follow_state", "first_touch_at", "first_touch_source",
                "last_touch_at"), ("openid",), tuple(CUSTOMERS.c.keys()))


def _attached(session: Session, row: Any) -> Customer:
    """Make the ORM object of a row just inserted, without reading it back."""
    customer = Customer(**row)
    make_transient_to_detached(customer)  # as if loaded: nothing to write at the next flush
    session.add(customer)
    set_committed_value(customer, "links", [])  # a new customer has no links yet
    return customer


class SqlActivity:
    """Interactions and touches in SQL."""

    def __init__(self, session: Session) -> None:
        self.session = session

    def add(self, item: Interaction | Touch | ManagerLink) -> None:
        """Add an interaction, touch or link."""
        self.session.add(item)

    def append_interactions(self, items: list[Interaction]) -> None:
        """Insert interactions at once, in one statement: nothing in this unit of work reads
        them back, so they skip the session's bookkeeping."""
        self.session.execute(insert(INTERACTIONS),
                             [{name: getattr(item, name) for name in INTERACTION_COLUMNS}
                              for item in items])

    def interactions_of(self, customer: Customer, limit: int) -> list[Interaction]:
        """Return the customer's latest interactions, newest first."""
        stmt = (select(Interaction).where(Interaction.customer_id == customer.id)
                .order_by(Interaction.occurred_at.desc(), Interaction.id.desc()).limit(limit))
        return list(self.session.scalars(stmt))

    def current_links(self, manager_id: int,
                      customer_ids: list[int] | None) -> list[ManagerLink]:
        """Return the links in force of a manager (only those customers', if given)."""
        stmt = select(ManagerLink).where(ManagerLink.manager_id == manager_id,
                                         ManagerLink.ended_at.is_(None))
        if customer_ids is not None:
            stmt = stmt.where(ManagerLink.customer_id.in_(customer_ids))
        return list(self.session.scalars(stmt.order_by(ManagerLink.id)))

    def touches_of(self, customer: Customer) -> list[Touch]:
        """Return the customer's touches, oldest first."""
        stmt = (select(Touch).where(Touch.customer_id == customer.id)
                .order_by(Touch.occurred_at, Touch.id))
        return list(self.session.scalars(stmt))


class SqlDeliveries:
    """Processed deliveries in SQL."""

    def __init__(self, session: Session) -> None:
        self.session = session

    def get(self, channel: str, key: str) -> InboundDelivery | None:
        """Return the delivery already processed under this key."""
        stmt = select(InboundDelivery).where(InboundDelivery.channel == channel,
                                             InboundDelivery.key == key)
        return self.session.scalar(stmt)

    def claim(self, delivery: InboundDelivery) -> None:
        """Insert the dedupe row now, so a concurrent twin fails before any side effect."""
        try:
            self.session.execute(_CLAIM, {"channel": delivery.channel, "key": delivery.key,
                                          "received_at": delivery.received_at})
        except IntegrityError as error:
            raise DuplicateDelivery(unique_violation(error)) from error

    def answer(self, delivery: InboundDelivery) -> None:
        """Store the reply of a delivery claimed in this unit of work, and its sender and
        exchange to record."""
        self.session.execute(_ANSWER, {"of_channel": delivery.channel, "of_key": delivery.key,
                                       "reply": delivery.reply, "sender": delivery.sender,
                                       "deferred": delivery.deferred})

    def add_answered(self, deliveries: Sequence[InboundDelivery]) -> set[tuple[str, str]]:
        """Insert deliveries with their reply and deferred exchange in one statement; return
        the (channel, key) of those inserted: any other key is taken (a twin, processed or in
        flight: it is waited for)."""
        # In key order: two statements that share keys take their locks in the same order.
        ordered = sorted(deliveries, key=lambda d: (d.channel, d.key))
        values = {f"{name}_{n}": getattr(delivery, name)
                  for n, delivery in enumerate(ordered) for name in _ANSWERED_COLUMNS}
        statement = insert_unless_taken(DELIVERIES, _ANSWERED_COLUMNS, ("channel", "key"),
                                        ("channel", "key"), len(ordered))
        return {(channel, key) for channel, key in self.session.execute(statement, values)}

    def deferred_backlog(self, channel: str) -> tuple[int, datetime | None]:
        """Return how many deliveries' exchanges wait and when the oldest was received."""
        table = DELIVERIES
        count, oldest = self.session.execute(
            select(func.count(), func.min(table.c.received_at))
            .where(table.c.channel == channel, table.c.deferred.is_not(None))).one()
        return int(count), oldest

    def take_deferred(self, channel: str, sender: str | None,
                      limit: int) -> list[DeferredExchange]:
        """Take the oldest deliveries whose exchange waits, clearing it: what one unit of work
        takes, no other does. A batch (no `sender`) skips rows another unit of work holds;
        one sender's next message waits for them instead, so it builds on them."""
        stmt, values = ((_TAKE_BATCH, {"channel": channel, "limit": limit}) if sender is None else
                        (_TAKE_SENDERS, {"channel": channel, "limit": limit, "sender": sender}))
        taken = [DeferredExchange(*row) for row in self.session.execute(stmt, values)]
        if taken:
            self.session.execute(_CLEAR_DEFERRED, {"ids": [t.id for t in taken]})
        return taken
