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
    """Record one message or event; personal numbers in the summary are masked first."""
    record_exchange(uow, openid, at, [(direction, kind, summary, detail)], channel=channel)


# One side of an exchange: direction, kind, summary, detail.
ExchangeEntry = tuple[Direction, str, str, dict[str, Any] | None]


def record_exchange(uow: UnitOfWork, openid: str, at: datetime, entries: list[ExchangeEntry],
                    *, channel: str = "wechat") -> None:
    """Record a message and its reply in one write; personal numbers are masked first."""
    customer = ensure_customer(uow, openid, at, source="direct")
    if any(direction is Direction.IN for direction, *_ in entries):
        customer.touch(at)
    uow.activity.append_interactions([Interaction(
        customer_id=customer.id, channel=channel, direction=direction, kind=kind,
        summary=masked(summary), detail=detail, occurred_at=at,
    ) for direction, kind, summary, detail in entries])


def masked(summary: str) -> str:
    """Return a summary as the timeline keeps it: personal numbers masked, length capped."""
    return mask_text(summary)[:SUMMARY_LIMIT]
