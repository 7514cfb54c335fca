"""Linking customers to managers: round robin, the first-link rule, refollow, absences."""

from collections import Counter
from datetime import datetime, timedelta

from crm_core import services
from crm_core.model import FollowState, LinkReason, ManagerLink, ManagerState, Touch
from tests.builders import org
from tests.fakes import FakeUnitOfWork

T0 = datetime(2026, 11, 28, 9, 0)


def make_uow(states: dict[str, ManagerState] | None = None) -> FakeUnitOfWork:
    uow = FakeUnitOfWork()
    org(uow, {"SH001": ["SH001-01", "SH001-02", "SH001-03"], "BJ001": ["BJ001-01"]}, states)
    return uow


def test_branch_code_shares_customers_evenly_among_active_managers() -> None:
    uow = make_uow()
    cards = [services.follow(uow, f"o{i}", "b:SH001", T0).manager for i in range(30)]
    assert Counter(card.code for card in cards if card) == {
        "SH001-01": 10, "SH001-02": 10, "SH001-03": 10}


def test_round_robin_skips_managers_on_leave_or_gone() -> None:
    uow = make_uow({"SH001-02": ManagerState.ON_LEAVE, "SH001-03": ManagerState.LEFT})
    cards = [services.follow(uow, f"o{i}", "b:SH001", T0).manager for i in range(4)]
    assert {card.code for card in cards if card} == {"SH001-01"}


def test_manager_code_links_that_manager_and_names_the_branch() -> None:
    uow = make_uow()
    arrival = services.follow(uow, "o1", "m:SH001-02;c:SPRING26", T0)
    assert arrival.manager is not None
    assert (arrival.manager.code, arrival.manager.branch_name) == ("SH001-02", "SH001支行")
    assert arrival.newly_linked
    touch = uow.activity.of_type(Touch)[0]
    assert (touch.scene, touch.campaign) == ("m:SH001-02;c:SPRING26", "SPRING26")


def test_first_link_wins_over_later_scans_of_other_codes() -> None:
    uow = make_uow()
    services.follow(uow, "o1", "m:SH001-01", T0)
    later = services.scan(uow, "o1", "m:BJ001-01", T0 + timedelta(days=3))
    assert later.manager is not None and later.manager.code == "SH001-01"
    assert not later.newly_linked
    assert [t.scene for t in uow.activity.of_type(Touch)] == ["m:SH001-01", "m:BJ001-01"]
    assert len(uow.activity.of_type(ManagerLink)) == 1


def test_refollow_restores_the_same_manager_and_keeps_history() -> None:
    uow = make_uow()
    first = services.follow(uow, "o1", "b:SH001", T0).manager
    services.unfollow(uow, "o1", T0 + timedelta(hours=1))
    customer = uow.customers.by_openid("o1")
    assert customer is not None and customer.follow_state is FollowState.UNFOLLOWED
    assert customer.current_link is not None
    back = services.follow(uow, "o1", "b:BJ001", T0 + timedelta(days=2))
    assert back.returning and not back.newly_linked
    assert back.manager == first
    assert customer.follow_state is FollowState.FOLLOWING


def test_customer_of_a_manager_who_left_is_relinked_by_the_next_code() -> None:
    uow = make_uow()
    services.follow(uow, "o1", "m:SH001-01", T0)
    services.set_manager_state(uow, "SH001-01", ManagerState.LEFT)
    arrival = services.scan(uow, "o1", "b:BJ001", T0 + timedelta(days=1))
    assert arrival.newly_linked and arrival.manager and arrival.manager.code == "BJ001-01"
    customer = uow.customers.by_openid("o1")
    assert customer is not None
    old, new = customer.links
    assert old.end_reason is LinkReason.MANAGER_LEFT and old.ended_at is not None
    assert new.reason is LinkReason.MANAGER_LEFT and new.ended_at is None


def test_manager_on_leave_still_gets_the_customer_who_scanned_their_own_code() -> None:
    uow = make_uow({"SH001-02": ManagerState.ON_LEAVE})
    arrival = services.follow(uow, "o1", "m:SH001-02", T0)
    assert arrival.manager is not None and arrival.manager.code == "SH001-02"


def test_code_of_a_manager_who_left_falls_back_to_their_branch() -> None:
    uow = make_uow({"SH001-01": ManagerState.LEFT})
    arrival = services.follow(uow, "o1", "m:SH001-01", T0)
    assert arrival.manager is not None and arrival.manager.code in {"SH001-02", "SH001-03"}


def test_foreign_scene_is_recorded_but_links_nobody() -> None:
    uow = make_uow()
    arrival = services.follow(uow, "o1", "123123", T0)
    assert arrival.manager is None and not arrival.newly_linked
    assert [t.scene for t in uow.activity.of_type(Touch)] == ["123123"]


def test_follow_without_a_code_uses_the_default_branch_when_configured() -> None:
    uow = make_uow()
    assert services.follow(uow, "o1", None, T0).manager is None
    arrival = services.follow(uow, "o2", None, T0, default_branch="BJ001")
    assert arrival.manager is not None and arrival.manager.code == "BJ001-01"
    assert uow.activity.of_type(Touch) == []


def test_branch_without_active_managers_leaves_the_customer_unlinked_but_homed() -> None:
    uow = make_uow({"BJ001-01": ManagerState.ON_LEAVE})
    arrival = services.follow(uow, "o1", "b:BJ001", T0)
    customer = uow.customers.by_openid("o1")
    assert arrival.manager is None
    assert customer is not None and customer.home_branch is not None
    assert customer.home_branch.code == "BJ001"


def test_first_touch_source_is_the_code_of_the_first_contact() -> None:
    uow = make_uow()
    services.follow(uow, "o1", "b:SH001;c:EXPO", T0)
    services.scan(uow, "o1", "b:BJ001", T0 + timedelta(days=1))
    customer = uow.customers.by_openid("o1")
    assert customer is not None
    assert (customer.first_touch_source, customer.first_touch_at) == ("b:SH001;c:EXPO", T0)
    assert customer.last_touch_at == T0 + timedelta(days=1)
