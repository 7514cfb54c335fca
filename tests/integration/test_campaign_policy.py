"""The contact policy per recipient, planned on the database: opt-out, do-not-contact, quiet
hours, caps across campaigns, the monthly platform cap, suitability, personalisation off and the
control group, against the hand-built population of tests/segments_support.py."""

from datetime import datetime, timedelta

import pytest
from sqlalchemy import select, update

from crm_core import services
from crm_core.model import AuditEvent, Customer, RecommendationPref
from crm_core.model.campaigns import CampaignRecipient, Caps
from crm_core.services import campaigns
from crm_core.unit_of_work import SqlUnitOfWork
from tests.campaigns_support import APPROVER, DAY, RICH, draft, live, snapshot
from tests.campaigns_support import people as people
from tests.campaigns_support import uow as uow
from tests.segments_support import HEAD_OFFICE, Population

POLICY = campaigns.ContactPolicy()




def plan(uow: SqlUnitOfWork, snapshot_id: int, policy: campaigns.ContactPolicy = POLICY,
         now: datetime = DAY, **fields: object) -> dict[int, tuple[str, str, str | None]]:
    campaign_id = draft(uow, snapshot_id, now=now, **fields)
    campaigns.submit(uow, HEAD_OFFICE, campaign_id, now, policy)
    rows = uow.session.execute(select(
        CampaignRecipient.customer_id, CampaignRecipient.status, CampaignRecipient.channel,
        CampaignRecipient.reason).where(CampaignRecipient.campaign_id == campaign_id))
    return {row[0]: (row[1].value, row[2], row[3]) for row in rows}


def reasons(rows: dict[int, tuple[str, str, str | None]]) -> dict[int, str | None]:
    return {customer: reason for customer, (_, _, reason) in rows.items()}


def test_everyone_following_is_planned_for_the_mass_send_and_the_unfollowed_has_no_route(
        uow: SqlUnitOfWork, people: Population) -> None:
    rows = plan(uow, snapshot(uow, now=DAY))
    assert rows[people.ids["p1"]] == ("planned", "mass", None)
    assert rows[people.ids["p4"]] == ("suppressed", "none", "no_route")


def test_an_unfollowed_customer_becomes_a_task_for_their_manager_when_calls_are_a_channel(
        uow: SqlUnitOfWork, people: Population) -> None:
    rows = plan(uow, snapshot(uow, now=DAY), channels=("mass", "task"))
    assert rows[people.ids["p4"]] == ("planned", "task", None)


def test_a_customer_who_sent_td_is_suppressed_with_the_reason_and_back_after_subscribing(
        uow: SqlUnitOfWork, people: Population) -> None:
    campaigns.opt_out(uow, "p2", DAY)
    taken = snapshot(uow, now=DAY)
    assert plan(uow, taken)[people.ids["p2"]] == ("suppressed", "mass", "opt_out")
    assert campaigns.opt_in(uow, "p2", DAY)
    assert plan(uow, taken)[people.ids["p2"]] == ("planned", "mass", None)
    actions = uow.session.scalars(select(AuditEvent.action)).all()
    assert {"contact_opt_out", "contact_opt_in"} <= set(actions)


def test_staff_do_not_contact_suppresses_on_every_channel(
        uow: SqlUnitOfWork, people: Population) -> None:
    campaigns.do_not_contact(uow, people.ids["p4"], "admin", "客户投诉", DAY)
    rows = plan(uow, snapshot(uow, now=DAY), channels=("mass", "task"))
    assert rows[people.ids["p4"]] == ("suppressed", "task", "do_not_contact")


def test_a_campaign_planned_in_the_quiet_hours_waits_for_eight_in_the_morning(
        uow: SqlUnitOfWork, people: Population) -> None:
    late = datetime(2026, 11, 18, 14, 30)  # 22:30 in Beijing
    campaign_id = draft(uow, snapshot(uow, now=late), now=late)
    campaigns.submit(uow, HEAD_OFFICE, campaign_id, late, POLICY)
    due = set(uow.session.scalars(select(CampaignRecipient.due_at).where(
        CampaignRecipient.campaign_id == campaign_id, CampaignRecipient.status == "planned")))
    assert due == {datetime(2026, 11, 19, 0, 0)}  # 08:00 the next day, nobody dropped


def test_the_weekly_cap_counts_messages_across_two_earlier_campaigns(
        uow: SqlUnitOfWork, people: Population) -> None:
    taken = snapshot(uow, now=DAY)
    live(uow, taken, DAY, POLICY)
    live(uow, taken, DAY, POLICY)
    rows = plan(uow, taken, channels=("mass", "task"))
    assert rows[people.ids["p1"]] == ("suppressed", "mass", "weekly_cap")
    assert rows[people.ids["p4"]] == ("planned", "task", None)  # never reached, never capped


def test_the_platform_monthly_cap_closes_the_mass_route_and_calls_take_over(
        uow: SqlUnitOfWork, people: Population) -> None:
    policy = campaigns.ContactPolicy(caps=Caps(per_week=10, mass_per_month=1))
    taken = snapshot(uow, now=DAY)
    live(uow, taken, DAY, policy)
    rows = plan(uow, taken, policy, channels=("mass", "task"))
    assert rows[people.ids["p1"]] == ("planned", "task", None)
    with pytest.raises(campaigns.CampaignRefused) as refused:
        plan(uow, taken, policy)
    assert refused.value.code == "empty_audience"  # nobody left for a mass send


def test_an_investment_campaign_reaches_only_those_whose_valid_assessment_covers_it(
        uow: SqlUnitOfWork, people: Population) -> None:
    text = "稳健理财新品发售。理财非存款、产品有风险、投资须谨慎"
    rows = plan(uow, snapshot(uow, now=DAY), content=text, product_risk=4)
    planned = {customer for customer, (status, _, _) in rows.items() if status == "planned"}
    assert planned == people.members("p1")  # p6's C5 expired
    assert reasons(rows)[people.ids["p6"]] == "unsuitable"


def test_a_customer_who_turned_personalisation_off_leaves_a_profile_based_audience(
        uow: SqlUnitOfWork, people: Population) -> None:
    taken = snapshot(uow, rule=RICH, now=DAY)
    uow.session.add(RecommendationPref(customer_id=people.ids["p1"], personalised=False))
    rows = plan(uow, taken)
    assert rows[people.ids["p1"]] == ("suppressed", "mass", "personalisation_off")
    assert people.ids["p6"] not in rows  # left out of the snapshot itself


def test_a_purpose_needing_consent_reaches_only_those_who_gave_it(
        uow: SqlUnitOfWork, people: Population) -> None:
    policy = campaigns.ContactPolicy(consent_purposes=frozenset({"marketing"}))
    campaigns.record_consent(uow, people.ids["p3"], "marketing", "v1", DAY)
    rows = plan(uow, snapshot(uow, now=DAY), policy)
    planned = {customer for customer, (status, _, _) in rows.items() if status == "planned"}
    assert planned == people.members("p3")
    assert reasons(rows)[people.ids["p1"]] == "no_consent"


def test_the_control_group_holds_out_its_share_of_those_who_could_be_reached(
        uow: SqlUnitOfWork, people: Population) -> None:
    rows = plan(uow, snapshot(uow, now=DAY), control_share=50)
    statuses = [status for status, _, _ in rows.values()]
    assert statuses.count("control") == 3  # half of the 7 reachable, rounded down
    assert statuses.count("planned") == 4
    held = {customer for customer, (status, _, _) in rows.items() if status == "control"}
    assert all(rows[customer][2] == "control" for customer in held)


def test_the_report_compares_leads_of_those_contacted_with_the_control_group(
        uow: SqlUnitOfWork, people: Population) -> None:
    campaign_id = draft(uow, snapshot(uow, now=DAY), now=DAY, control_share=50)
    campaigns.submit(uow, HEAD_OFFICE, campaign_id, DAY, POLICY)
    campaigns.approve(uow, APPROVER, campaign_id, DAY)
    uow.session.execute(update(CampaignRecipient).where(
        CampaignRecipient.campaign_id == campaign_id, CampaignRecipient.status == "planned")
        .values(status="sent"))
    contacted = uow.session.scalars(select(CampaignRecipient.customer_id).where(
        CampaignRecipient.status == "sent",
        CampaignRecipient.customer_id != people.ids["p1"])).first()  # p1 has a lead already
    customer = uow.session.get_one(Customer, contacted)
    services.open_lead(uow, customer.openid, "product_interest", DAY + timedelta(hours=1),
                       timedelta(hours=2), product_code="WM001")
    lift = campaigns.campaign_report(uow, HEAD_OFFICE, campaign_id)["lift"]
    assert lift == {"contacted": 4, "contacted_leads": 1, "control": 3, "control_leads": 0}
