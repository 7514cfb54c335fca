"""Idempotent inbound deliveries: a retried delivery is processed once and answered alike."""

from datetime import datetime

from crm_core.model import InboundDelivery
from crm_core.unit_of_work import UnitOfWork


def claim_delivery(uow: UnitOfWork, channel: str, key: str, at: datetime) -> InboundDelivery:
    """Write the dedupe row before any side effect.

    Raises DuplicateError when the key was processed (or is being processed) already: roll
    back and read the stored reply with `stored_reply`.
    """
    delivery = InboundDelivery(channel=channel, key=key, received_at=at)
    uow.deliveries.claim(delivery)
    return delivery


def answer_delivery(uow: UnitOfWork, delivery: InboundDelivery, reply: str) -> None:
    """Store the reply of a delivery claimed in this unit of work, for its retries."""
    delivery.reply = reply
    uow.deliveries.answer(delivery)


def stored_reply(uow: UnitOfWork, channel: str, key: str) -> str | None:
    """Return the reply the first delivery of `key` got (None if it is still in flight)."""
    delivery = uow.deliveries.get(channel, key)
    return delivery.reply if delivery else None
