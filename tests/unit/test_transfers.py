"""Transfers of customers between managers: who may move whom, history, notices and audit."""

from datetime import datetime, timedelta

import pytest

from crm_core import services
from crm_core.model import (
    LinkReason,
    ManagerState,
    NoticeKind,
    OutOfScope,
    Scope,
    StaffRole,
)
from crm_core.services import ALL_CUSTOMERS as ALL
from crm_core.services import TransferRefused
from tests.builders import org
from tests.fakes import FakeUnitOfWork

T0 = datetime(2026, 11, 28, 9, 0)
LATER = datetime(2026, 12, 1, 9, 0)


def make_uow() -> FakeUnitOfWork:
    uow = FakeUnitOfWork()
    org(uow, {"SH001": ["SH001-01", "SH001-02", "SH001-03"], "BJ001": ["BJ001-01"]})
    for openid, scene in (("c1", "m:SH001-01"), ("c2", "m:SH001-01"), ("c3", "m:SH001-02")):
        services.follow(uow, openid, scene, T0)
    return uow


def scope(uow: FakeUnitOfWork, role: StaffRole, manager: str | None = None) -> Scope:
    found = uow.managers.by_code(manager) if manager else None
    branch = uow.branches.by_code("SH001")
    assert branch is not None
    return Scope(1, "head", "head", role, found.id if found else None,
                 branch.id if role is not StaffRole.HEAD_OFFICE else None)


def managers_of(uow: FakeUnitOfWork) -> dict[str, str | None]:
    found = {}
    for openid in ("c1", "c2", "c3"):
        customer = uow.customers.by_openid(openid)
        link = customer.current_link if customer else None
        found[openid] = link.manager.code if link else None
    return found


def test_a_branch_head_moves_customers_within_the_branch_keeping_history_with_an_audit(
        ) -> None:
    uow = make_uow()
    head = scope(uow, StaffRole.BRANCH_HEAD)
    moved = services.transfer_customers(uow, head, "SH001-01", "SH001-02", ALL, LATER)
    assert moved == 2
    assert managers_of(uow) == {"c1": "SH001-02", "c2": "SH001-02", "c3": "SH001-02"}
    customer = uow.customers.by_openid("c1")
    assert customer is not None
    old, new = customer.links
    assert (old.manager.code, old.ended_at, old.end_reason) == ("SH001-01", LATER,
                                                                LinkReason.TRANSFER)
    assert (new.reason, new.source, new.started_at) == (LinkReason.TRANSFER, "transfer:head",
                                                        LATER)
    told = [(n.manager.code, n.payload["side"]) for n in uow.notices.items
            if n.kind is NoticeKind.TRANSFER and n.manager]
    assert told == [("SH001-02", "in"), ("SH001-01", "out")]
    [event] = [e for e in uow.audit.events if e.action == "transfer"]
    assert (event.actor, event.subject) == ("head", "SH001-01->SH001-02")
    assert event.detail == {"customers": [1, 2], "leads": []}


def test_a_customer_moves_with_their_open_leads_and_the_notice_says_so() -> None:
    uow = make_uow()
    lead = services.open_lead(uow, "c2", "contact_request", T0, timedelta(hours=2)).lead_id
    kept = services.open_lead(uow, "c1", "contact_request", T0, timedelta(hours=2)).lead_id
    c2, target = uow.customers.by_openid("c2"), uow.managers.by_code("SH001-03")
    assert c2 is not None and target is not None
    head = scope(uow, StaffRole.BRANCH_HEAD)
    plan = services.plan_transfer(uow, head, "SH001-01", "SH001-03", [c2.id])
    assert [(c["id"], [x["id"] for x in c["leads"]]) for c in plan.customers] == [(c2.id, [lead])]
    done = services.move_customers(uow, head, "SH001-01", "SH001-03", [c2.id], LATER,
                                   expect=plan.fingerprint)
    assert (done.customers, done.leads) == ([c2.id], [lead])
    moved, stayed = uow.leads.get(lead), uow.leads.get(kept)
    assert moved is not None and stayed is not None
    assert (moved.manager_id, moved.branch_id) == (target.id, target.branch_id)
    assert stayed.manager_id != target.id
    [told] = [n for n in uow.notices.items if n.kind is NoticeKind.TRANSFER
              and n.payload["side"] == "in"]
    assert (told.payload["count"], told.payload["leads"]) == (1, 1)


def test_a_transfer_that_moves_nobody_notifies_nobody() -> None:
    uow = make_uow()
    head = scope(uow, StaffRole.BRANCH_HEAD)
    assert services.transfer_customers(uow, head, "SH001-03", "SH001-01", ALL, LATER) == 0
    assert not [n for n in uow.notices.items if n.kind is NoticeKind.TRANSFER]


def test_a_confirmation_of_a_preview_that_no_longer_holds_is_refused() -> None:
    uow = make_uow()
    head = scope(uow, StaffRole.BRANCH_HEAD)
    plan = services.plan_transfer(uow, head, "SH001-01", "SH001-02", ALL)
    services.follow(uow, "c4", "m:SH001-01", LATER)
    with pytest.raises(TransferRefused, match="changed"):
        services.move_customers(uow, head, "SH001-01", "SH001-02", ALL, LATER,
                                expect=plan.fingerprint)
    assert managers_of(uow)["c1"] == "SH001-01"


@pytest.mark.parametrize(("role", "manager", "target", "allowed"), [
    (StaffRole.BRANCH_HEAD, None, "BJ001-01", False),
    (StaffRole.MANAGER, "SH001-01", "SH001-02", False),
    (StaffRole.HEAD_OFFICE, None, "BJ001-01", True),
])
def test_only_head_office_moves_customers_across_branches_and_managers_never_do(
        role: StaffRole, manager: str | None, target: str, allowed: bool) -> None:
    uow = make_uow()
    who = scope(uow, role, manager)
    if allowed:
        assert services.transfer_customers(uow, who, "SH001-01", target, ALL, LATER) == 2
        return
    with pytest.raises(OutOfScope):
        services.transfer_customers(uow, who, "SH001-01", target, ALL, LATER)
    assert managers_of(uow)["c1"] == "SH001-01"
    assert not any(e.action == "transfer" for e in uow.audit.events)


def test_only_the_listed_customers_move_and_they_are_told_when_asked() -> None:
    uow = make_uow()
    c2 = uow.customers.by_openid("c2")
    assert c2 is not None
    head = scope(uow, StaffRole.BRANCH_HEAD)
    assert services.transfer_customers(uow, head, "SH001-01", "SH001-03", [c2.id], LATER,
                                       tell_customers=True) == 1
    assert managers_of(uow) == {"c1": "SH001-01", "c2": "SH001-03", "c3": "SH001-02"}
    [told] = [n for n in uow.notices.items if n.kind is NoticeKind.MANAGER_CHANGED]
    assert told.customer is c2 and told.payload == {"manager": "经理SH001-03",
                                                    "branch": "SH001支行"}


def test_a_manager_who_cannot_take_the_customers_is_refused() -> None:
    uow = make_uow()
    head = scope(uow, StaffRole.BRANCH_HEAD)
    services.set_manager_state(uow, "SH001-03", ManagerState.ON_LEAVE)
    for target in ("SH001-03", "SH001-01"):
        with pytest.raises(TransferRefused, match="target_unavailable"):
            services.transfer_customers(uow, head, "SH001-01", target, ALL, LATER)
    with pytest.raises(LookupError):
        services.transfer_customers(uow, head, "SH001-01", "ZZ999-01", ALL, LATER)
    assert managers_of(uow)["c1"] == "SH001-01"


@pytest.mark.parametrize(("listed", "code"), [([], "no_customers"), ([0], "not_theirs"),
                                              ([2**31], "not_theirs")])
def test_an_empty_list_or_an_id_no_customer_has_is_refused(listed: list[int],
                                                            code: str) -> None:
    uow = make_uow()
    head = scope(uow, StaffRole.BRANCH_HEAD)
    with pytest.raises(TransferRefused) as refused:
        services.transfer_customers(uow, head, "SH001-01", "SH001-02", listed, LATER)
    assert refused.value.code == code
    assert managers_of(uow)["c1"] == "SH001-01"


def test_a_customer_of_another_manager_in_the_list_refuses_the_whole_transfer() -> None:
    uow = make_uow()
    c1, c3 = uow.customers.by_openid("c1"), uow.customers.by_openid("c3")
    assert c1 is not None and c3 is not None
    head = scope(uow, StaffRole.BRANCH_HEAD)
    with pytest.raises(TransferRefused) as refused:
        services.transfer_customers(uow, head, "SH001-01", "SH001-03", [c1.id, c3.id, c1.id],
                                    LATER)
    assert (refused.value.code, refused.value.detail) == ("not_theirs", str(c3.id))
    assert managers_of(uow) == {"c1": "SH001-01", "c2": "SH001-01", "c3": "SH001-02"}
    assert not any(e.action == "transfer" for e in uow.audit.events)
