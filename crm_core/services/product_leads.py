"""Interest in a product becomes a lead for the right manager (with the share credited)."""

from dataclasses import dataclass
from datetime import datetime, timedelta

from crm_core.services.leads import LeadOutcome, open_lead
from crm_core.services.shares import credit_follow, credit_lead
from crm_core.unit_of_work import UnitOfWork

PRODUCT_INTEREST = "product_interest"


@dataclass(frozen=True)
class ShareInterest:
    """A follower asked, through a share's interest code, to be contacted about its product."""

    product_code: str
    product_name: str
    lead: LeadOutcome


def request_product_lead(uow: UnitOfWork, openid: str, code: str, now: datetime,
                         sla: timedelta, share: str | None = None) -> LeadOutcome | None:
    """Open (or find) a lead about a product; None if there is no such product."""
    product = uow.products.by_code(code.upper())
    if product is None:
        return None
    outcome = open_lead(uow, openid, PRODUCT_INTEREST, now, sla, product_code=product.code)
    customer = uow.customers.by_openid(openid)
    if share and customer is not None and not outcome.duplicate:
        credit_lead(uow, share, customer.id, now)
    return outcome


def openid_of(uow: UnitOfWork, customer_id: int) -> str | None:
    """Return the openid of a customer known by id (a visitor identified by the web edge)."""
    customer = uow.products.customers([customer_id]).get(customer_id)
    return customer.openid if customer else None


def customer_id_of(uow: UnitOfWork, openid: str) -> int | None:
    """Return the id of the customer with `openid` (a visitor the channel verified), never
    creating one: a visitor who never followed the account is no customer."""
    customer = uow.customers.by_openid(openid)
    return customer.id if customer else None


def follow_through_share(uow: UnitOfWork, openid: str, scene: str | None, now: datetime,
                         sla: timedelta) -> ShareInterest | None:
    """Credit a follow or scan through a share scene; an interest scene also opens a lead
    about the share's product (once while it is open), credited to the share."""
    credit = credit_follow(uow, openid, scene, now)
    if credit is None or not credit.interest:
        return None
    product = uow.products.by_code(credit.product_code)
    lead = request_product_lead(uow, openid, credit.product_code, now, sla, credit.share_key)
    if product is None or lead is None:
        return None
    return ShareInterest(product.code, product.name, lead)
