"""Leads: one open lead per request, status changes, reminders, escalation and digests."""

from datetime import date, datetime, timedelta

import pytest

from crm_core import services
from crm_core.model import LeadStatus, ManagerState, NoticeKind, NoticeStatus
from tests.builders import org
from tests.fakes import FakeUnitOfWork

T0 = datetime(2026, 11, 28, 9, 0)
SLA = timedelta(hours=2)
ESCALATE = timedelta(hours=4)


def make_uow() -> FakeUnitOfWork:
    uow = FakeUnitOfWork()
    org(uow, {"SH001": ["SH001-01", "SH001-02", "SH001-03"], "BJ001": ["BJ001-01"]})
    services.set_branch_head(uow, "SH001-03", True)
    return uow


def kinds(uow: FakeUnitOfWork) -> list[tuple[NoticeKind, str | None]]:
    return [(n.kind, n.manager.code if n.manager else None) for n in uow.notices.items]


def test_asking_twice_finds_the_open_lead_and_notifies_the_manager_once() -> None:
    uow = make_uow()
    services.follow(uow, "c1", "m:SH001-02", T0)
    first = services.open_lead(uow, "c1", "contact", T0, SLA)
    again = services.open_lead(uow, "c1", "contact", T0 + timedelta(minutes=5), SLA)
    assert (again.lead_id, again.duplicate, first.duplicate) == (first.lead_id, True, False)
    assert first.manager is not None and first.manager.code == "SH001-02"
    assert kinds(uow) == [(NoticeKind.NEW_CUSTOMER, "SH001-02"), (NoticeKind.NEW_LEAD, "SH001-02")]
    [lead] = uow.leads.items
    assert lead.due_at == T0 + SLA and lead.branch is not None and lead.branch.code == "SH001"


def test_another_product_or_a_closed_lead_opens_a_new_one() -> None:
    uow = make_uow()
    services.follow(uow, "c1", "m:SH001-01", T0)
    wealth = services.open_lead(uow, "c1", "product_interest", T0, SLA, product_code="WM001")
    loan = services.open_lead(uow, "c1", "product_interest", T0, SLA, product_code="LN001")
    assert not loan.duplicate and loan.lead_id != wealth.lead_id
    services.update_lead(uow, wealth.lead_id, LeadStatus.CONTACTED, T0)
    still = services.open_lead(uow, "c1", "product_interest", T0, SLA, product_code="WM001")
    assert still.duplicate  # contacted is still open
    services.update_lead(uow, wealth.lead_id, LeadStatus.CONVERTED, T0)
    anew = services.open_lead(uow, "c1", "product_interest", T0, SLA, product_code="WM001")
    assert not anew.duplicate and anew.lead_id not in (wealth.lead_id, loan.lead_id)


def test_a_manager_on_leave_hands_the_lead_to_their_branch_round_robin() -> None:
    uow = make_uow()
    services.follow(uow, "c1", "m:SH001-01", T0)
    services.set_manager_state(uow, "SH001-01", ManagerState.ON_LEAVE)
    outcome = services.open_lead(uow, "c1", "contact", T0, SLA)
    assert outcome.manager is not None and outcome.manager.code in ("SH001-02", "SH001-03")


def test_a_customer_nobody_can_serve_still_gets_a_lead_without_a_notice() -> None:
    uow = make_uow()
    services.set_manager_state(uow, "BJ001-01", ManagerState.LEFT)
    services.follow(uow, "c1", "b:BJ001", T0)
    outcome = services.open_lead(uow, "c1", "menu_appointment", T0, SLA)
    assert outcome.manager is None
    [lead] = uow.leads.items
    assert lead.manager_id is None and lead.branch is not None and lead.branch.code == "BJ001"
    assert uow.notices.items == []


def test_moving_a_lead_stamps_contact_and_close_times_and_keeps_every_note() -> None:
    uow = make_uow()
    services.follow(uow, "c1", "m:SH001-01", T0)
    lead_id = services.open_lead(uow, "c1", "contact", T0, SLA).lead_id
    services.update_lead(uow, lead_id, LeadStatus.CONTACTED, T0 + timedelta(hours=1), "已致电")
    lead = services.update_lead(uow, lead_id, LeadStatus.LOST, T0 + timedelta(days=1), "无意向")
    assert lead.contacted_at == T0 + timedelta(hours=1)
    assert lead.closed_at == T0 + timedelta(days=1)
    assert lead.note == "已致电\n无意向"
    with pytest.raises(LookupError):
        services.update_lead(uow, 999, LeadStatus.LOST, T0)


def test_an_overdue_lead_reminds_its_manager_once_then_tells_the_branch_heads_once() -> None:
    uow = make_uow()
    services.follow(uow, "c1", "m:SH001-01", T0)
    services.open_lead(uow, "c1", "contact", T0, SLA)
    assert services.chase_overdue_leads(uow, T0 + SLA - timedelta(minutes=1), ESCALATE) == 0
    assert services.chase_overdue_leads(uow, T0 + SLA, ESCALATE) == 1
    assert services.chase_overdue_leads(uow, T0 + SLA + timedelta(hours=1), ESCALATE) == 0
    assert services.chase_overdue_leads(uow, T0 + SLA + ESCALATE, ESCALATE) == 1
    assert services.chase_overdue_leads(uow, T0 + SLA + 2 * ESCALATE, ESCALATE) == 0
    assert kinds(uow)[-2:] == [(NoticeKind.LEAD_REMINDER, "SH001-01"),
                               (NoticeKind.LEAD_ESCALATION, "SH001-03")]
    [lead] = uow.leads.items
    assert (lead.reminded_at, lead.escalated_at) == (T0 + SLA, T0 + SLA + ESCALATE)


def test_a_contacted_lead_is_never_chased() -> None:
    uow = make_uow()
    services.follow(uow, "c1", "m:SH001-01", T0)
    lead_id = services.open_lead(uow, "c1", "contact", T0, SLA).lead_id
    services.update_lead(uow, lead_id, LeadStatus.CONTACTED, T0 + timedelta(minutes=30))
    assert services.chase_overdue_leads(uow, T0 + SLA + ESCALATE, ESCALATE) == 0


def test_the_daily_digest_counts_open_and_overdue_leads_once_per_bound_manager_and_day(
        ) -> None:
    uow = make_uow()
    for manager in ("SH001-01", "SH001-02"):
        uow.managers.by_code(manager).openid = f"o-{manager}"  # type: ignore[union-attr]
    services.follow(uow, "c1", "m:SH001-01", T0)
    services.follow(uow, "c2", "m:SH001-01", T0)
    services.open_lead(uow, "c1", "contact", T0, SLA)
    services.open_lead(uow, "c2", "contact", T0 + SLA, SLA)
    later = T0 + SLA + timedelta(minutes=1)
    assert services.queue_digests(uow, date(2026, 11, 28), later) == 2
    assert services.queue_digests(uow, date(2026, 11, 28), later) == 0
    digests = {(n.manager.code, n.status): (n.payload["open_leads"], n.payload["overdue_leads"])
               for n in uow.notices.items if n.kind is NoticeKind.DAILY_DIGEST and n.manager}
    assert digests == {("SH001-01", NoticeStatus.PENDING): (2, 1),
                       ("SH001-02", NoticeStatus.PENDING): (0, 0)}
