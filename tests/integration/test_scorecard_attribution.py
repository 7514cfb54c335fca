"""Campaign and share attribution on the cards, over a month built by hand: a campaign reaching
two customers of one manager, one of whom asks for contact and buys, a follow through the
campaign's own code, and a follow through another manager's share."""

from collections.abc import Iterator
from datetime import datetime, timedelta
from typing import Any

import pytest
from sqlalchemy import select

from crm_core import services
from crm_core.model import Lead, LeadStatus, ManagerRole, ShareEvent
from crm_core.model.campaigns import CampaignRecipient, RecipientStatus
from crm_core.repositories import performance as sql
from crm_core.services.collaboration import ReferralPolicy
from crm_core.services.performance import (
    ProfitPolicy,
    RunPolicy,
    month_facts,
    run_month,
    save_template,
)
from crm_core.services.shares import share_key
from crm_core.unit_of_work import SqlUnitOfWork
from tests.organisation_support import T0, Factory, market
from tests.performance_support import DECEMBER, NOVEMBER

D = datetime(2026, 12, 3, 2, 0)  # 3 December, 10:00 Beijing time
SLA = timedelta(hours=2)
CAMPAIGN = 7
ATTRIBUTED = ("campaign_follows", "campaign_leads", "campaign_conversions", "share_follows",
              "share_leads")


@pytest.fixture
def factory(database_url: str) -> Iterator[Factory]:
    with market(database_url) as made:
        yield made


def _id(uow: SqlUnitOfWork, code: str) -> int:
    found = uow.managers.by_code(code)
    assert found is not None
    return found.id


def _reach(uow: SqlUnitOfWork, openid: str, at: datetime) -> None:
    customer = uow.customers.by_openid(openid)
    assert customer is not None
    uow.session.add(CampaignRecipient(campaign_id=CAMPAIGN, customer_id=customer.id,
                                      channel="mass", status=RecipientStatus.SENT, due_at=at))


def _month(uow: SqlUnitOfWork) -> dict[str, Any]:
    """The hand-built December; returns the ids the cards should name."""
    for openid in ("reached-1", "reached-2"):
        services.follow(uow, openid, "m:SH001-01", T0)
        _reach(uow, openid, D)
    lead = services.open_lead(uow, "reached-1", "contact_request", D + timedelta(days=1),
                              SLA).lead_id
    services.update_lead(uow, lead, LeadStatus.CONVERTED, D + timedelta(days=2))
    # A customer of the same manager the campaign never reached: their lead is not its.
    services.open_lead(uow, "boss-zhang", "contact_request", D, SLA)
    services.follow(uow, "scanned", f"m:SH001-01;c:CMP{CAMPAIGN}", D)
    share = uow.shares.ensure({"key": share_key("mSH001-02", "FUND1", None),
                               "product_code": "FUND1", "sharer": "mSH001-02",
                               "root_manager_id": _id(uow, "SH001-02")})
    scene = services.share_scene(uow, share.key)
    services.follow(uow, "friend", scene, D)
    services.follow_through_share(uow, "friend", scene, D, SLA)
    uow.flush()
    event = uow.session.scalars(select(ShareEvent.id)).one()
    return {"lead": lead, "share_event": event}


def test_a_campaigns_lead_and_conversion_count_for_the_manager_of_the_customers_it_reached(
        factory: Factory) -> None:
    with factory() as uow:
        made = _month(uow)
        facts = month_facts(uow, DECEMBER, ProfitPolicy(), ReferralPolicy())
        a, b = _id(uow, "SH001-01"), _id(uow, "SH001-02")
        assert {m: facts.values[a].get(m, 0) for m in ATTRIBUTED} == {
            "campaign_follows": 1, "campaign_leads": 1, "campaign_conversions": 1,
            "share_follows": 0, "share_leads": 0}
        assert facts.sources[a]["campaign_leads"] == {"rows": "leads", "count": 1,
                                                      "ids": [made["lead"]]}
        assert {m: facts.values[b].get(m, 0) for m in ATTRIBUTED} == {
            "campaign_follows": 0, "campaign_leads": 0, "campaign_conversions": 0,
            "share_follows": 1, "share_leads": 0}
        assert facts.sources[b]["share_follows"]["ids"] == [made["share_event"]]
        assert uow.session.scalars(select(Lead)).all()  # the unreached lead exists, uncounted


def test_a_lead_opened_before_the_campaign_reached_its_customer_is_not_the_campaigns(
        factory: Factory) -> None:
    with factory() as uow:
        services.follow(uow, "early", "m:SH001-01", T0)
        services.open_lead(uow, "early", "contact_request", D, SLA)
        _reach(uow, "early", D + timedelta(hours=1))
        facts = month_facts(uow, DECEMBER, ProfitPolicy(), ReferralPolicy())
        assert "campaign_leads" not in facts.values[_id(uow, "SH001-01")]
        november = month_facts(uow, NOVEMBER, ProfitPolicy(), ReferralPolicy())
        assert "campaign_leads" not in november.values[_id(uow, "SH001-01")]


def _line(cards: dict[int, list[dict[str, Any]]], manager_id: int,
          metric: str) -> dict[str, Any]:
    return next(line for line in cards[manager_id] if line["metric"] == metric)


def test_head_office_scores_attribution_and_each_card_names_the_rows_it_came_from(
        factory: Factory) -> None:
    lines = [{"metric": "new_customers", "weight": 20, "target": 1},
             *({"metric": m, "weight": 16, "target": 1, "floor": 0} for m in ATTRIBUTED)]
    with factory() as uow:
        made = _month(uow)
        save_template(uow, ManagerRole.RETAIL, {"lines": lines}, "head", D)
        run_month(uow, DECEMBER, RunPolicy(), "head", D)
        cards = {c.manager_id: c.lines for c in sql.cards_of(uow.session, DECEMBER)}
        a, b = _id(uow, "SH001-01"), _id(uow, "SH001-02")
        lead = _line(cards, a, "campaign_leads")
        assert (lead["value"], lead["score"]) == ("1.00", "16.00")
        assert lead["source"] == {"rows": "leads", "count": 1, "ids": [made["lead"]]}
        assert _line(cards, a, "share_follows")["score"] == "0.00"
        follow = _line(cards, b, "share_follows")
        assert (follow["value"], follow["source"]["ids"]) == ("1.00", [made["share_event"]])
        assert _line(cards, b, "campaign_leads")["source"] == {"rows": "leads", "count": 0,
                                                               "ids": []}
