"""Finding or creating the customer behind a channel identity."""

from datetime import datetime

from crm_core.model import Customer, FollowState
from crm_core.unit_of_work import UnitOfWork


def ensure_customer(uow: UnitOfWork, openid: str, at: datetime, source: str) -> Customer:
    """Return the customer with `openid`, creating them at their first touch."""
    customer = uow.customers.by_openid(openid)
    if customer is None:
        customer = Customer(openid=openid, follow_state=FollowState.UNKNOWN, first_touch_at=at,
                            first_touch_source=source, last_touch_at=at, links=[])
        uow.customers.add(customer)
        uow.flush()
    return customer


def customer_label(openid: str) -> str:
    """Name a customer for staff without showing the whole openid."""
    return f"客户…{openid[-6:]}"
