"""Numbered choices: when unsure what a customer meant, offer up to three and remember them.

The choices live in the database (one row per customer, replaced by the next offer), so the
customer's "2" is understood by whichever worker receives it, and they expire: a "1" sent the
next day is an ordinary message again.
"""

from dataclasses import dataclass
from datetime import datetime, timedelta

from crm_core.services.customers import ensure_customer
from crm_core.unit_of_work import UnitOfWork

MAX_CHOICES = 3


@dataclass(frozen=True)
class Choice:
    """One option offered: a product (ref = code) or an FAQ entry (ref = key)."""

    kind: str
    ref: str
    label: str


def offer_choices(uow: UnitOfWork, openid: str, choices: list[Choice], ttl: timedelta,
                  now: datetime) -> None:
    """Remember the (at most three) choices offered to a customer until `now + ttl`."""
    customer = ensure_customer(uow, openid, now, source="direct")
    uow.flush()
    options = [{"kind": c.kind, "ref": c.ref, "label": c.label} for c in choices[:MAX_CHOICES]]
    uow.answers.offer(customer.id, options, now + ttl)


def pending_choice(uow: UnitOfWork, openid: str, number: int, now: datetime) -> Choice | None:
    """Return the choice numbered `number` (from 1) offered to a customer, if still pending."""
    customer = uow.customers.by_openid(openid)
    pending = uow.answers.pending(customer.id) if customer else None
    if pending is None or pending.expires_at <= now or not 1 <= number <= len(pending.options):
        return None
    option = pending.options[number - 1]
    return Choice(option["kind"], option["ref"], option["label"])


def clear_choices(uow: UnitOfWork, openid: str) -> None:
    """Forget the choices offered to a customer (answered, or superseded)."""
    customer = uow.customers.by_openid(openid)
    if customer is not None:
        uow.answers.clear(customer.id)
