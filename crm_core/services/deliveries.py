"""Idempotent inbound deliveries: a retried delivery is processed once and answered alike."""

from dataclasses import dataclass
from datetime import datetime

from crm_core.model import InboundDelivery
from crm_core.unit_of_work import UnitOfWork


@dataclass(frozen=True)
class Delivery:
    """The dedupe state of one delivery: new (reply None, claimed) or seen (its stored reply)."""

    claimed: bool
    reply: str | None


def begin_delivery(uow: UnitOfWork, channel: str, key: str, at: datetime) -> Delivery:
    """Claim `key` before any side effect, or return the reply the first delivery got.

    A concurrent twin that claims the same key in the meantime makes this raise
    DuplicateError (on flush or commit): roll back and call again to read its reply.
    """
    seen = uow.deliveries.get(channel, key)
    if seen is not None:
        return Delivery(claimed=False, reply=seen.reply)
    uow.deliveries.claim(InboundDelivery(channel=channel, key=key, received_at=at))
    return Delivery(claimed=True, reply=None)


def finish_delivery(uow: UnitOfWork, channel: str, key: str, reply: str) -> None:
    """Store the reply a claimed delivery got, so retries get the very same answer."""
    delivery = uow.deliveries.get(channel, key)
    if delivery is None:
        raise LookupError(f"delivery {channel}:{key} was never claimed")
    delivery.reply = reply
