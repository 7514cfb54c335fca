"""Conversations in memory: routing by presence and leave, business hours, the platform's
window and its per-window count, rating and escalation."""

from datetime import datetime, timedelta

import pytest

from crm_core import services
from crm_core.model import ManagerState, NoticeKind, Scope, StaffRole
from crm_core.model.conversations import BranchHours, Delivery, Presence
from crm_core.services import conversations as talk
from tests.builders import org
from tests.fakes import FakeUnitOfWork

T0 = datetime(2026, 12, 1, 2, 0)  # a Tuesday, 10:00 in Beijing
ZONE = "Asia/Shanghai"


def make_uow() -> FakeUnitOfWork:
    uow = FakeUnitOfWork()
    org(uow, {"SH001": ["SH001-01", "SH001-02"]})
    services.set_branch_head(uow, "SH001-02", True)
    for name, role, manager, branch in (("m1", StaffRole.MANAGER, "SH001-01", None),
                                        ("m2", StaffRole.MANAGER, "SH001-02", None),
                                        ("agent", StaffRole.SERVICE, None, "SH001")):
        services.add_staff(uow, name, name, "x", role, manager, branch, "t", T0)
    uow.flush()
    services.follow(uow, "c1", "m:SH001-01", T0)
    return uow


def scope(uow: FakeUnitOfWork, name: str) -> Scope:
    account = uow.staff.by_username(name)
    assert account is not None
    return services.scope_of(account)


def online(uow: FakeUnitOfWork, name: str, status: Presence = Presence.ONLINE,
           delegate: str | None = None) -> None:
    talk.set_presence(uow, scope(uow, name), status, delegate, T0)


def assignee(uow: FakeUnitOfWork, opened: talk.Opened) -> str | None:
    held = uow.conversations.get(opened.conversation_id)
    assert held is not None
    return held.assignee.username if held.assignee else None


def test_the_own_manager_online_answers_and_is_told_once() -> None:
    uow = make_uow()
    online(uow, "m1")
    opened = talk.open_conversation(uow, "c1", "keyword", T0, ZONE)
    again = talk.open_conversation(uow, "c1", "keyword", T0, ZONE)
    assert (assignee(uow, opened), opened.again, again.again) == ("m1", False, True)
    assert opened.opens_at is None and opened.answerer == "m1"
    assert [n.kind for n in uow.notices.items] == [NoticeKind.NEW_CUSTOMER,
                                                   NoticeKind.TALK_WAITING]


@pytest.mark.parametrize(("state", "presence", "delegate", "expected"), [
    (ManagerState.ACTIVE, Presence.BUSY, None, None),       # busy: the queue
    (ManagerState.ON_LEAVE, Presence.ONLINE, "m2", "m2"),   # on leave: the delegate
    (ManagerState.ACTIVE, Presence.AWAY, "m2", "m2"),       # away with a delegate
    (ManagerState.LEFT, Presence.ONLINE, "m2", None),       # gone: the queue
])
def test_routing_follows_presence_leave_and_delegates(state: ManagerState, presence: Presence,
                                                      delegate: str | None,
                                                      expected: str | None) -> None:
    uow = make_uow()
    online(uow, "m2")
    online(uow, "m1", presence, delegate)
    services.set_manager_state(uow, "SH001-01", state)
    assert assignee(uow, talk.open_conversation(uow, "c1", "keyword", T0, ZONE)) == expected


def test_outside_business_hours_the_customer_is_told_the_next_opening() -> None:
    uow = make_uow()
    talk.set_hours(uow, "SH001", "12345", "09:00", "17:00")
    friday_night = datetime(2026, 12, 4, 13, 0)  # Friday 21:00 in Beijing
    opened = talk.open_conversation(uow, "c1", "keyword", friday_night, ZONE)
    assert opened.opens_at == datetime(2026, 12, 7, 9, 0)  # Monday 09:00 local


def test_the_window_allows_five_custom_messages_then_the_page() -> None:
    uow = make_uow()
    online(uow, "m1")
    opened = talk.open_conversation(uow, "c1", "keyword", T0, ZONE)
    deliveries = [talk.reply(uow, scope(uow, "m1"), opened.conversation_id, f"第{i}条",
                             T0 + timedelta(minutes=i)).delivery for i in range(7)]
    assert deliveries == [Delivery.CUSTOM] * 5 + [Delivery.PAGE] * 2
    pages = [n for n in uow.notices.items if n.kind is NoticeKind.TALK_PAGE]
    assert len(pages) == 1  # one service notice per silence of the customer


def test_rating_counts_once_within_a_day_of_the_close() -> None:
    uow = make_uow()
    opened = talk.open_conversation(uow, "c1", "keyword", T0, ZONE)
    assert not talk.rate(uow, "c1", 5, T0)  # still open: a digit is just a digit
    talk.close(uow, scope(uow, "agent"), opened.conversation_id, T0)
    assert talk.rate(uow, "c1", 4, T0 + timedelta(hours=1))
    assert not talk.rate(uow, "c1", 5, T0 + timedelta(hours=2))


def test_an_unanswered_conversation_escalates_once_to_the_branch_head() -> None:
    uow = make_uow()
    talk.open_conversation(uow, "c1", "keyword", T0, ZONE)
    sla = timedelta(minutes=10)
    assert talk.escalate_unanswered(uow, T0 + timedelta(minutes=5), sla) == 0
    assert talk.escalate_unanswered(uow, T0 + timedelta(minutes=11), sla) == 1
    assert talk.escalate_unanswered(uow, T0 + timedelta(minutes=20), sla) == 0
    heads = [n.manager.code for n in uow.notices.items  # type: ignore[union-attr]
             if n.kind is NoticeKind.TALK_ESCALATION]
    assert heads == ["SH001-02"]


def test_an_unanswered_conversation_in_the_network_queue_escalates_to_head_office() -> None:
    uow = make_uow()
    org(uow, {"HQ": ["HQ-01", "HQ-02"]})
    for name, manager, active in (("hq", "HQ-01", True), ("hq-off", "HQ-02", False),
                                  ("hq-nolink", None, True)):
        services.add_staff(uow, name, name, "x", StaffRole.HEAD_OFFICE, manager, None, "t", T0)
        account = uow.staff.by_username(name)
        assert account is not None
        account.active = active
    services.follow(uow, "c9", "", T0)  # nobody's customer: the network's queue
    opened = talk.open_conversation(uow, "c9", "keyword", T0, ZONE)
    held = uow.conversations.get(opened.conversation_id)
    assert held is not None and held.branch_id is None
    assert talk.escalate_unanswered(uow, T0 + timedelta(minutes=11), timedelta(minutes=10)) == 1
    assert talk.escalate_unanswered(uow, T0 + timedelta(minutes=30), timedelta(minutes=10)) == 0
    told = [(n.manager.code, n.payload["conversation_id"])  # type: ignore[union-attr]
            for n in uow.notices.items if n.kind is NoticeKind.TALK_ESCALATION]
    assert told == [("HQ-01", opened.conversation_id)]


WEEKDAYS_9_TO_5 = BranchHours(days="12345", opens="09:00", closes="17:00")


@pytest.mark.parametrize(("start", "end", "minutes"), [
    # Beijing times as UTC (UTC+8): Friday 2026-11-27 18:00 to Monday 2026-11-30 09:30.
    (datetime(2026, 11, 27, 10), datetime(2026, 11, 30, 1, 30), 30),
    # Inside one day's hours: elapsed time.
    (datetime(2026, 11, 30, 2), datetime(2026, 11, 30, 3, 15), 75),
    # Monday 16:00 to Tuesday 10:00: one hour each day.
    (datetime(2026, 11, 30, 8), datetime(2026, 12, 1, 2), 120),
    # A whole week end to end: five days of eight hours.
    (datetime(2026, 11, 29, 16), datetime(2026, 12, 6, 16), 5 * 8 * 60),
    # Saturday only: no business time at all.
    (datetime(2026, 11, 28, 1), datetime(2026, 11, 28, 9), 0),
])
def test_business_time_counts_only_the_branch_hours(start: datetime, end: datetime,
                                                    minutes: int) -> None:
    assert talk.business_seconds(WEEKDAYS_9_TO_5, start, end, "Asia/Shanghai") == minutes * 60
