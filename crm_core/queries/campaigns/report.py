"""A campaign's report: its audience by status and reason, by channel and by branch, its
mass batches with the platform's final counts, and what it brought: opens of its tracked links
and conversions (imported outcome events) by branch and manager."""

from collections import Counter
from collections.abc import Iterable
from datetime import UTC, date, datetime, time, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from crm_core.model import (
    Branch,
    Customer,
    Lead,
    Manager,
    ShareEvent,
    ShareEventKind,
    ShareLink,
    Touch,
)
from crm_core.model.campaigns import (
    CampaignBatch,
    CampaignRecipient,
    RecipientStatus,
    campaign_sharer,
)
from crm_core.model.classification import CustomerKey
from crm_core.model.performance import BookKind, BookRow

R = CampaignRecipient
# An outcome event counts for a campaign that contacted the customer at most this many days
# before the event's month began (the scorecards' campaign attribution uses the same 60 days).
CONVERSION_DAYS = 60
CONTACTED = (RecipientStatus.SENT, RecipientStatus.TASK)
_LOOKUP_CHUNK = 1000


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


def outcomes(session: Session, campaign_id: int, timezone: str) -> dict[str, Any]:
    """Return what the campaign brought: opens of its tracked links (customers known, and
    browsers not known as a customer), conversions of the customers it contacted and of its
    control group, events by name, and opens and conversions by branch and by manager."""
    opened, strangers = _openers(session, campaign_id)
    converted, control, events = _converted(session, campaign_id, timezone)
    homes = _homes(session, opened | converted)
    branches: dict[str, Counter[str]] = {}
    managers: dict[tuple[str, str, str], Counter[str]] = {}
    for figure, customers in (("opened", opened), ("converted", converted)):
        for customer_id in customers:
            branch, code, name = homes.get(customer_id, ("", "", ""))
            branches.setdefault(branch, Counter())[figure] += 1
            managers.setdefault((code, name, branch), Counter())[figure] += 1
    return {"opened": len(opened) + strangers, "opened_customers": len(opened),
            "converted": len(converted), "control_converted": len(control),
            "events": dict(sorted(events.items())),
            "branches": [{"branch": branch, "opened": counts["opened"],
                          "converted": counts["converted"]}
                         for branch, counts in sorted(branches.items())],
            "managers": [{"manager": code, "name": name, "branch": branch,
                          "opened": counts["opened"], "converted": counts["converted"]}
                         for (code, name, branch), counts in sorted(managers.items())]}


def _openers(session: Session, campaign_id: int) -> tuple[set[int], int]:
    """Return the customers who opened the campaign's links, and how many browsers opened them
    that are known as no customer. A per-recipient link's open is the recipient's unless web
    authorisation named another customer; the mass link's open is the identified customer's."""
    own = campaign_sharer(campaign_id)
    rows = session.execute(
        select(ShareLink.sharer, ShareEvent.visitor, ShareEvent.customer_id)
        .join(ShareEvent, ShareEvent.share_id == ShareLink.id)
        .where(ShareLink.campaign_id == campaign_id, ShareEvent.kind == ShareEventKind.OPEN.value))
    customers: set[int] = set()
    strangers: set[str] = set()
    for sharer, visitor, customer_id in rows:
        recipient = sharer.removeprefix(f"{own}-")
        if customer_id is None and recipient.isdigit():
            customer_id = int(recipient)
        if customer_id is None:
            strangers.add(visitor)
        else:
            customers.add(customer_id)
    return customers, len(strangers)


def _converted(session: Session, campaign_id: int,
               timezone: str) -> tuple[set[int], set[int], Counter[str]]:
    """Return the contacted customers with an outcome event credited to the campaign, the
    control group's customers with one (held out at the same time), and the events by name."""
    rows = session.execute(
        select(R.customer_id, R.status, R.due_at, BookRow.month, BookRow.product)
        .join(CustomerKey, CustomerKey.customer_id == R.customer_id)
        .join(BookRow, BookRow.customer_key == CustomerKey.key_hash)
        .where(R.campaign_id == campaign_id, BookRow.kind == BookKind.EVENT,
               R.status.in_((*CONTACTED, RecipientStatus.CONTROL))))
    contacted: set[int] = set()
    control: set[int] = set()
    events: Counter[str] = Counter()
    for customer_id, status, due_at, month, product in rows:
        if not _credited(due_at, month, timezone):
            continue
        if status is RecipientStatus.CONTROL:
            control.add(customer_id)
        else:
            contacted.add(customer_id)
            events[product] += 1
    return contacted, control, events


def _credited(contacted_at: datetime, month: date, timezone: str) -> bool:
    """An event of `month` (local) is credited to a contact made before the month ended and
    at most CONVERSION_DAYS before it began."""
    zone = ZoneInfo(timezone)
    start = datetime.combine(month, time(), tzinfo=zone).astimezone(UTC).replace(tzinfo=None)
    following = (month.replace(day=28) + timedelta(days=4)).replace(day=1)
    end = datetime.combine(following, time(), tzinfo=zone).astimezone(UTC).replace(tzinfo=None)
    return start - timedelta(days=CONVERSION_DAYS) <= contacted_at < end


def _homes(session: Session, customers: Iterable[int]) -> dict[int, tuple[str, str, str]]:
    """Return each customer's branch name and manager (code, name), '' where none."""
    ids = sorted(customers)
    found: dict[int, tuple[str, str, str]] = {}
    for at in range(0, len(ids), _LOOKUP_CHUNK):
        rows = session.execute(
            select(Customer.id, Branch.name, Manager.code, Manager.name)
            .outerjoin(Branch, Branch.id == func.coalesce(Customer.manager_branch_id,
                                                          Customer.home_branch_id))
            .outerjoin(Manager, Manager.id == Customer.current_manager_id)
            .where(Customer.id.in_(ids[at:at + _LOOKUP_CHUNK])))
        for customer_id, branch, code, name in rows:
            found[customer_id] = (branch or "", code or "", name or "")
    return found
