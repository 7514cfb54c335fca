"""Idempotent inbound deliveries: a retried delivery is processed once and answered alike."""

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from crm_core.model import Direction, InboundDelivery, Interaction, seconds_since
from crm_core.services.interactions import ExchangeEntry, masked
from crm_core.unit_of_work import UnitOfWork

# Deferred exchanges recorded per unit of work by a worker's pass.
DEFERRED_BATCH = 200


def claim_delivery(uow: UnitOfWork, channel: str, key: str, at: datetime) -> InboundDelivery:
    """Write the dedupe row before any side effect.

    Raises DuplicateError when the key was processed (or is being processed) already: roll
    back and read the stored reply with `stored_reply`.
    """
    delivery = InboundDelivery(channel=channel, key=key, received_at=at)
    uow.deliveries.claim(delivery)
    return delivery


def answer_delivery(uow: UnitOfWork, delivery: InboundDelivery, reply: str, sender: str,
                    entries: list[ExchangeEntry]) -> None:
    """Store the reply of a delivery claimed in this unit of work, for its retries, with the
    exchange still to record (`record_deferred`) in the same write."""
    delivery.reply, delivery.sender, delivery.deferred = reply, sender, _at_rest(entries)
    uow.deliveries.answer(delivery)


def stored_reply(uow: UnitOfWork, channel: str, key: str) -> str | None:
    """Return the reply the first delivery of `key` got (None if it is still in flight)."""
    delivery = uow.deliveries.get(channel, key)
    return delivery.reply if delivery else None


@dataclass(frozen=True)
class AnsweredAtOnce:
    """A delivery answered from reads alone: its key, when it came, its reply, its sender
    and the exchange still to record."""

    key: str
    received_at: datetime
    reply: str
    sender: str
    entries: list[ExchangeEntry]


def answer_at_once(uow: UnitOfWork, channel: str,
                   answered: Sequence[AnsweredAtOnce]) -> list[bool]:
    """Store deliveries answered from reads alone, each with its reply and the exchange still
    to record (masked already: it waits at rest), in one write. For each, in order: True if
    stored, False if its key was taken by a twin (processed, or in flight and waited for):
    read the twin's reply with `stored_reply`. Of twins in one call, the first is stored."""
    firsts: dict[str, AnsweredAtOnce] = {}
    for item in answered:
        firsts.setdefault(item.key, item)
    stored = uow.deliveries.add_answered([InboundDelivery(
        channel=channel, key=item.key, received_at=item.received_at, reply=item.reply,
        sender=item.sender, deferred=_at_rest(item.entries)) for item in firsts.values()])
    return [firsts[item.key] is item and (channel, item.key) in stored for item in answered]


def _at_rest(entries: list[ExchangeEntry]) -> list[list[Any]] | None:
    """An exchange as it waits in its delivery's row: masked already (None: nothing)."""
    return [[str(direction), kind, masked(summary), detail]
            for direction, kind, summary, detail in entries] or None


def timeline_backlog(uow: UnitOfWork, channel: str, now: datetime) -> tuple[int, float]:
    """Return how many exchanges wait to be recorded and how long the oldest has (seconds)."""
    count, oldest = uow.deliveries.deferred_backlog(channel)
    return count, seconds_since(oldest, now)


def record_deferred(uow: UnitOfWork, channel: str, sender: str | None = None,
                    limit: int = DEFERRED_BATCH) -> int:
    """Record exchanges that wait (only `sender`'s, if given) in a few set-based statements:
    their senders (new ones created, everyone's last touch moved on) and their interactions,
    oldest first. Return how many deliveries they came from."""
    taken = uow.deliveries.take_deferred(channel, sender, limit)
    if not taken:
        return 0
    touches: dict[str, tuple[datetime, datetime]] = {}
    for item in taken:  # oldest first: the first time a sender is seen is their earliest
        first, _last = touches.get(item.sender, (item.received_at, item.received_at))
        touches[item.sender] = (first, item.received_at)
    ids = uow.customers.touch_many(touches, source="direct")
    uow.activity.append_interactions([
        Interaction(customer_id=ids[item.sender], channel=channel, direction=Direction(direction),
                    kind=kind, summary=summary, detail=detail, occurred_at=item.received_at)
        for item in taken for direction, kind, summary, detail in item.entries])
    return len(taken)
