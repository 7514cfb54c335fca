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
    customer = ensure_customer(uow, openid, at, source="direct")
    if direction is Direction.IN:
        customer.touch(at)
    uow.activity.add(Interaction(
        customer_id=customer.id, channel=channel, direction=direction, kind=kind,
        summary=mask_text(summary)[:SUMMARY_LIMIT], detail=detail, occurred_at=at,
    ))
