"""Campaign and share attribution per manager, in set-based SQL: one statement per kind of
fact for the whole network, each row naming the record it came from."""

from collections.abc import Sequence
from datetime import datetime
from typing import Any

from sqlalchemy import Row, and_, case, exists, func, or_, select, union_all
from sqlalchemy.orm import Session

from crm_core.model import (
    Customer,
    Lead,
    LeadStatus,
    ShareEvent,
    ShareEventKind,
    ShareLink,
    Touch,
    TouchKind,
)
from crm_core.model.campaigns import CampaignRecipient, RecipientStatus

CAMPAIGN_SCENES = "CMP%"  # a campaign's own QR scene: `c:CMP<id>` (shares use S-/L-)
KINDS = (ShareEventKind.FOLLOW.value, ShareEventKind.LEAD.value)  # what a share brought
REACHED = (RecipientStatus.SENT, RecipientStatus.TASK)  # a message went, or a manager's task


def _reach(since: datetime, end: datetime) -> Any:
    """Customers reached by a campaign between `since` and `end`, and when."""
    sent = select(CampaignRecipient.customer_id.label("customer_id"),
                  CampaignRecipient.due_at.label("at")).where(
        CampaignRecipient.status.in_(REACHED), CampaignRecipient.due_at >= since,
        CampaignRecipient.due_at < end)
    touched = select(Touch.customer_id.label("customer_id"), Touch.occurred_at.label("at")).where(
        Touch.campaign.like(CAMPAIGN_SCENES), Touch.occurred_at >= since, Touch.occurred_at < end)
    return union_all(sent, touched).subquery("reach")


def campaign_leads(session: Session, since: datetime, start: datetime,
                   end: datetime) -> Sequence[Row[Any]]:
    """Return (manager id, lead id, opened, converted) for the leads opened or converted
    between `start` and `end` by customers a campaign reached since `since`, before the lead."""
    reach = _reach(since, end)
    opened = and_(Lead.created_at >= start, Lead.created_at < end)
    converted = and_(Lead.status == LeadStatus.CONVERTED, Lead.closed_at >= start,
                     Lead.closed_at < end)
    owner = func.coalesce(Lead.manager_id, Customer.current_manager_id)
    stmt = (select(owner.label("manager_id"), Lead.id, case((opened, 1), else_=0).label("opened"),
                   case((converted, 1), else_=0).label("converted"))
            .join(Customer, Customer.id == Lead.customer_id)
            .where(or_(opened, converted), owner.is_not(None),
                   exists().where(reach.c.customer_id == Lead.customer_id,
                                  reach.c.at <= Lead.created_at))
            .order_by(Lead.id))
    return session.execute(stmt).all()


def campaign_follows(session: Session, start: datetime, end: datetime) -> Sequence[Row[Any]]:
    """Return (manager id, customer id, first touch id) of the customers who followed through
    a campaign's QR scene between `start` and `end`, credited to the code's manager or else
    the customer's own."""
    owner = func.coalesce(Touch.manager_id, Customer.current_manager_id)
    stmt = (select(owner.label("manager_id"), Touch.customer_id, func.min(Touch.id))
            .join(Customer, Customer.id == Touch.customer_id)
            .where(Touch.kind == TouchKind.FOLLOW, Touch.campaign.like(CAMPAIGN_SCENES),
                   Touch.occurred_at >= start, Touch.occurred_at < end, owner.is_not(None))
            .group_by(owner, Touch.customer_id).order_by(func.min(Touch.id)))
    return session.execute(stmt).all()


def share_results(session: Session, start: datetime, end: datetime) -> Sequence[Row[Any]]:
    """Return (manager id, kind, visitor, first event id) of the follows and leads that shares
    credited to a manager brought between `start` and `end`, one per visitor and kind."""
    stmt = (select(ShareLink.root_manager_id, ShareEvent.kind, ShareEvent.visitor,
                   func.min(ShareEvent.id))
            .join(ShareLink, ShareLink.id == ShareEvent.share_id)
            .where(ShareEvent.kind.in_(KINDS), ShareEvent.first_at >= start,
                   ShareEvent.first_at < end, ShareLink.root_manager_id.is_not(None))
            .group_by(ShareLink.root_manager_id, ShareEvent.kind, ShareEvent.visitor)
            .order_by(func.min(ShareEvent.id)))
    return session.execute(stmt).all()
