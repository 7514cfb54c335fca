"""The customer's wishes: opt-out ("退订"/"TD"), resubscription ("订阅"), staff's do-not-contact,
consent per purpose. Each change is audited; each stops or allows marketing on every channel."""

from datetime import datetime

from crm_core.model import AuditEvent, Customer
from crm_core.model.campaigns import ContactBlock, ContactConsent
from crm_core.services.customers import ensure_customer
from crm_core.unit_of_work import SqlUnitOfWork


def opt_out(uow: SqlUnitOfWork, openid: str, now: datetime) -> None:
    """Stop marketing to the customer who sent "退订" (again: nothing changes)."""
    customer = ensure_customer(uow, openid, now, "message")
    _block(uow, customer, "opt_out", f"customer:{openid}"[:64], None, now)


def opt_in(uow: SqlUnitOfWork, openid: str, now: datetime) -> bool:
    """Resume marketing to the customer who sent "订阅"; say whether they had opted out."""
    customer = ensure_customer(uow, openid, now, "message")
    block = uow.session.get(ContactBlock, (customer.id, "opt_out"))
    if block is not None:
        uow.session.delete(block)
        _audit(uow, customer, f"customer:{openid}"[:64], "contact_opt_in", now, None)
    return block is not None


def do_not_contact(uow: SqlUnitOfWork, customer_id: int, staff: str, note: str,
                   now: datetime) -> None:
    """Record staff's do-not-contact for a customer (after a complaint, say)."""
    customer = uow.session.get_one(Customer, customer_id)
    _block(uow, customer, "dnc", staff, note[:200], now)


def record_consent(uow: SqlUnitOfWork, customer_id: int, purpose: str, text_version: str,
                   now: datetime) -> None:
    """Record a customer's consent to marketing for a purpose, with the text's version."""
    consent = uow.session.get(ContactConsent, (customer_id, purpose))
    if consent is None:
        uow.session.add(ContactConsent(customer_id=customer_id, purpose=purpose,
                                       text_version=text_version, given_at=now))
    else:
        consent.text_version, consent.given_at = text_version, now


def _block(uow: SqlUnitOfWork, customer: Customer, kind: str, by: str, note: str | None,
           now: datetime) -> None:
    if uow.session.get(ContactBlock, (customer.id, kind)) is not None:
        return
    uow.session.add(ContactBlock(customer_id=customer.id, kind=kind, by=by, note=note, at=now))
    _audit(uow, customer, by, f"contact_{kind}", now, note)


def _audit(uow: SqlUnitOfWork, customer: Customer, actor: str, action: str, now: datetime,
           note: str | None) -> None:
    uow.audit.add(AuditEvent(at=now, actor=actor, action=action, subject=str(customer.id),
                             detail={"note": note} if note else {}))
