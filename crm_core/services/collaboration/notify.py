"""Notices about referrals: to the receiver on submission, to the referrer on every change,
to the branch heads when one waits in the queue or is overdue. One kind of notice, its event
in the payload; the idempotency key makes a repeated step send nothing twice."""

from datetime import datetime

from crm_core.model import Manager, NoticeKind, Referral
from crm_core.services.customers import customer_label
from crm_core.services.notices import enqueue_notice
from crm_core.unit_of_work import UnitOfWork


def notify_referral(uow: UnitOfWork, referral: Referral, event: str,
                    recipients: list[Manager], now: datetime) -> int:
    """Queue one notice of `event` per recipient; return how many were queued."""
    payload = referral_payload(referral, event, now)
    return sum(enqueue_notice(uow, f"referral:{referral.id}:{event}:{m.id}",
                              NoticeKind.REFERRAL, m, payload, now) for m in recipients)


def referral_payload(referral: Referral, event: str, now: datetime) -> dict[str, object]:
    """Return what a referral notice says: whom, which step, by whom, and when."""
    return {"referral_id": referral.id, "event": event, "subject": subject_label(referral),
            "line": referral.line.value, "referrer": referral.referrer.name,
            "receiver": referral.receiver.name if referral.receiver else None,
            "at": now.isoformat(), "due_at": referral.due_at.isoformat()
            if referral.due_at else None}


def subject_label(referral: Referral) -> str:
    """Name a referral's subject for staff without showing the whole openid."""
    if referral.organisation is not None:
        return referral.organisation.name
    customer = referral.customer
    if customer is None:
        return "—"
    return customer.display_name or customer_label(customer.openid)
