"""Campaign and share attribution on the cards: what a manager's customers did after a
campaign reached them, and what the manager's shares brought, per Beijing month.

A lead is campaign-driven when its customer was reached by a campaign (a message sent, a
manager's contact task, or a follow or scan through the campaign's `c:CMP<id>` code) before
the lead was opened, and at most ATTRIBUTION_DAYS before the month began; it counts for the
lead's manager (else the customer's) in the month it was opened, and again as a conversion in
the month it converted. Follows through a campaign's code count for the code's manager (else
the customer's). Share-driven follows and leads count for the manager the share chain credits
(its root), one per visitor. Each figure keeps the ids of the rows it came from.
"""

from collections import defaultdict
from datetime import datetime, timedelta
from decimal import Decimal
from typing import Any

from crm_core.repositories.performance import attribution as sql
from crm_core.unit_of_work import SqlUnitOfWork

ATTRIBUTION_DAYS = 60  # how long before the month a campaign's reach still earns its leads
SOURCE_IDS = 50  # ids kept per line: the card explains, the tables hold the rest
SHARE_METRICS = {"follow": "share_follows", "lead": "share_leads"}
ROWS = {"campaign_follows": "touches", "campaign_leads": "leads",
        "campaign_conversions": "leads", "share_follows": "share_events",
        "share_leads": "share_events"}


def attributed(uow: SqlUnitOfWork, start: datetime,
               end: datetime) -> dict[int, dict[str, list[int]]]:
    """Return per manager and metric the ids of the rows each attributed figure counts."""
    found: dict[int, dict[str, list[int]]] = defaultdict(lambda: defaultdict(list))
    since = start - timedelta(days=ATTRIBUTION_DAYS)
    for manager_id, lead_id, opened, converted in sql.campaign_leads(uow.session, since,
                                                                     start, end):
        if opened:
            found[manager_id]["campaign_leads"].append(lead_id)
        if converted:
            found[manager_id]["campaign_conversions"].append(lead_id)
    for manager_id, _customer, touch_id in sql.campaign_follows(uow.session, start, end):
        found[manager_id]["campaign_follows"].append(touch_id)
    for manager_id, kind, _visitor, event_id in sql.share_results(uow.session, start, end):
        found[manager_id][SHARE_METRICS[kind]].append(event_id)
    return found


def values_and_sources(ids: dict[str, list[int]]) -> tuple[dict[str, Decimal],
                                                           dict[str, Any]]:
    """Return a manager's attributed figures and, per figure, the rows it came from."""
    values = {metric: Decimal(len(rows)) for metric, rows in ids.items()}
    sources = {metric: {"rows": ROWS[metric], "count": len(rows), "ids": rows[:SOURCE_IDS]}
               for metric, rows in ids.items()}
    return values, sources
