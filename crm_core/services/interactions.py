"""Recording what customers and the bank said to each other, on any channel."""

from datetime import datetime
from typing import Any

from crm_core.model import Direction, Interaction
from crm_core.pii import mask_text
from crm_core.services.customers import ensure_customer
from crm_core.unit_of_work import UnitOfWork

SUMMARY_LIMIT = 500


def record_interaction(
    uow: UnitOfWork, openid: str, direction: Direction, kind: str, summary: str, at: datetime,
    *, channel: str = "wechat", detail: dict[str, Any] | None = None,
) -> None:
    """Record one message or event; personal numbers in the summary are masked first.
    (A customer's messages and their replies are recorded in batches: `record_deferred`.)"""
    customer = ensure_customer(uow, openid, at, source="direct")
    if direction is Direction.IN:
        customer.touch(at)
    uow.activity.append_interactions([Interaction(
        customer_id=customer.id, channel=channel, direction=direction, kind=kind,
        summary=masked(summary), detail=detail, occurred_at=at)])


# One side of an exchange: direction, kind, summary, detail.
ExchangeEntry = tuple[Direction, str, str, dict[str, Any] | None]


def masked(summary: str) -> str:
    """Return a summary as the timeline keeps it: personal numbers masked, length capped."""
    return mask_text(summary)[:SUMMARY_LIMIT]
