"""The customer's wishes: opt-out ("退订"/"TD"), resubscription ("订阅"), staff's do-not-contact,
consent per purpose. Each change is audited; each stops or allows marketing on every channel."""

from datetime import datetime

from crm_core.model import AuditEvent, Customer
from crm_core.model.campaigns import ContactBlock
from crm_core.services.campaigns.drafts import sql_unit
from crm_core.services.customers import ensure_customer
from crm_core.unit_of_work import SqlUnitOfWork, UnitOfWork


def opt_out(uow: UnitOfWork, openid: str, now: datetime) -> None:
    """Stop marketing to the customer who sent "退订" (again: nothing changes)."""
    customer = ensure_customer(uow, openid, now, "message")
    _block(sql_unit(uow), customer.id, "opt_out", f"customer:{openid}"[:64], None, now)


def opt_in(uow: UnitOfWork, openid: str, now: datetime) -> bool:
    """Resume marketing to the customer who sent "订阅"; say whether they had opted out."""
    work = sql_unit(uow)
    customer = ensure_customer(uow, openid, now, "message")
    block = work.contacts.block(customer.id, "opt_out")
    if block is None:
        return False
    work.contacts.remove_block(block)
    _audit(work, customer.id, f"customer:{openid}"[:64], "contact_opt_in", now, None)
    return True


def do_not_contact(uow: SqlUnitOfWork, customer_id: int, staff: str, note: str,
                   now: datetime) -> None:
    """Record staff's do-not-contact for a customer (after a complaint, say)."""
    customer = uow.session.get_one(Customer, customer_id)
    _block(uow, customer.id, "dnc", staff, note[:200], now)


def import_do_not_contact(uow: SqlUnitOfWork, openids: list[str], staff: str, source: str,
                          now: datetime) -> tuple[int, list[str]]:
    """Record an imported do-not-contact list; return how many were added, and the unknown."""
    added, unknown = 0, []
    for openid in dict.fromkeys(o.strip() for o in openids if o.strip()):
        customer = uow.customers.by_openid(openid)
        if customer is None:
            unknown.append(openid)
        elif uow.contacts.block(customer.id, "dnc") is None:
            _block(uow, customer.id, "dnc", staff, f"导入：{source}"[:200], now)
            added += 1
    return added, unknown


def record_consent(uow: SqlUnitOfWork, customer_id: int, purpose: str, text_version: str,
                   now: datetime) -> None:
    """Record a customer's consent to marketing for a purpose, with the text's version."""
    uow.contacts.give_consent(customer_id, purpose, text_version[:16], now)
    _audit(uow, customer_id, f"customer:{customer_id}", "contact_consent", now,
           f"{purpose}:{text_version}")


def _block(uow: SqlUnitOfWork, customer_id: int, kind: str, by: str, note: str | None,
           now: datetime) -> None:
    if uow.contacts.block(customer_id, kind) is not None:
        return
    uow.contacts.add_block(ContactBlock(customer_id=customer_id, kind=kind, by=by, note=note,
                                        at=now))
    _audit(uow, customer_id, by, f"contact_{kind}", now, note)


def _audit(uow: SqlUnitOfWork, customer_id: int, actor: str, action: str, now: datetime,
           note: str | None) -> None:
    uow.audit.add(AuditEvent(at=now, actor=actor, action=action, subject=str(customer_id),
                             detail={"note": note} if note else {}))
