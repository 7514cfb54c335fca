"""A campaign's report: its audience by status and reason, by channel and by branch, and its
mass batches with the platform's final counts."""

from datetime import datetime
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from crm_core.model import Branch, Customer, Lead, Touch
from crm_core.model.campaigns import CampaignBatch, CampaignRecipient, RecipientStatus

R = CampaignRecipient


def by_status(session: Session, campaign_id: int) -> dict[str, int]:
    """Return the recipients counted by status, suppressions also by reason."""
    rows = session.execute(select(R.status, R.reason, func.count())
                           .where(R.campaign_id == campaign_id).group_by(R.status, R.reason))
    figures: dict[str, int] = {}
    for status, reason, count in rows:
        figures[status.value] = figures.get(status.value, 0) + count
        if status.value == "suppressed" and reason:
            figures[f"suppressed:{reason}"] = count
    return figures


def by_branch(session: Session, campaign_id: int) -> list[dict[str, Any]]:
    """Return, per branch of the customers' managers, the recipients by status."""
    rows = session.execute(
        select(Branch.name, R.status, func.count())
        .join(Customer, Customer.id == R.customer_id)
        .outerjoin(Branch, Branch.id == func.coalesce(Customer.manager_branch_id,
                                                      Customer.home_branch_id))
        .where(R.campaign_id == campaign_id).group_by(Branch.name, R.status)
        .order_by(Branch.name))
    found: dict[str, dict[str, Any]] = {}
    for name, status, count in rows:
        found.setdefault(name or "", {"branch": name or ""})[status.value] = count
    return list(found.values())


def batches(session: Session, campaign_id: int) -> list[dict[str, Any]]:
    """Return the campaign's mass batches: size, status and the platform's counts."""
    rows = session.scalars(select(CampaignBatch).where(CampaignBatch.campaign_id == campaign_id)
                           .order_by(CampaignBatch.id))
    return [{"id": b.id, "size": b.size, "status": b.status, "sent": b.sent,
             "failed": b.failed} for b in rows]


def lift(session: Session, campaign_id: int, since: datetime | None) -> dict[str, int]:
    """Return, for those contacted and the control group, how many opened a lead since `since`
    (the campaign's approval): the report's lift over customers not contacted."""
    if since is None:
        return {"contacted": 0, "contacted_leads": 0, "control": 0, "control_leads": 0}
    led = select(Lead.customer_id).where(Lead.created_at > since).distinct().subquery()
    rows = session.execute(
        select(R.status, func.count(), func.count(led.c.customer_id))
        .outerjoin(led, led.c.customer_id == R.customer_id)
        .where(R.campaign_id == campaign_id,
               R.status.in_((RecipientStatus.SENT, RecipientStatus.TASK,
                             RecipientStatus.CONTROL)))
        .group_by(R.status))
    found = {"contacted": 0, "contacted_leads": 0, "control": 0, "control_leads": 0}
    for status, total, leads in rows:
        key = "control" if status is RecipientStatus.CONTROL else "contacted"
        found[key] += total
        found[f"{key}_leads"] += leads
    return found


def scene_code(campaign_id: int) -> str:
    """Return the campaign's code in QR scenes (`c:CMP12`): follows and scans credit it."""
    return f"CMP{campaign_id}"


def touches(session: Session, campaign_id: int) -> dict[str, int]:
    """Return the follows and scans through the campaign's QR codes (`c:` scenes)."""
    rows = session.execute(select(Touch.kind, func.count(func.distinct(Touch.customer_id)))
                           .where(Touch.campaign == scene_code(campaign_id))
                           .group_by(Touch.kind))
    return {kind.value: count for kind, count in rows}
