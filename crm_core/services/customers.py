"""Finding or creating the customer behind a channel identity."""

from datetime import datetime

from crm_core.model import Customer
from crm_core.unit_of_work import UnitOfWork


def ensure_customer(uow: UnitOfWork, openid: str, at: datetime, source: str,
                    likely_new: bool = False) -> Customer:
    """Return the customer with `openid`, creating them at their first touch (`likely_new`:
    a follow's, which tries the insert first)."""
    return uow.customers.add_if_missing(openid, at, source, likely_new)


def customer_label(openid: str) -> str:
    """Name a customer for staff without showing the whole openid."""
    return f"客户…{openid[-6:]}"
