"""Share links: who opened, who is credited, what the manager is told and the leaderboard."""

from datetime import datetime, timedelta

import pytest

from crm_core import services
from crm_core.model import NoticeKind, Scope, ShareEventKind, StaffRole
from crm_core.services import NotShareable, ShareClaim
from tests.builders import org
from tests.fakes import FakeUnitOfWork

T0 = datetime(2026, 11, 28, 9, 0, 30)
BATCH = timedelta(minutes=10)
SLA = timedelta(hours=2)
CATALOGUE = """code,name,category,risk,rate,term,summary,private
WM001,稳盈90天理财,理财,R2,2.60%,90天,固收类理财,false
DP001,三年期大额存单,存款,R1,2.35%,3年,大额存单,false
WM005,私享家精选一号,理财,R4,4.50%,2年,私募理财,true
"""
HANDED = ShareClaim("c1", "WM001", direct=True)  # what the bot hands customer 1


def make_uow() -> FakeUnitOfWork:
    uow = FakeUnitOfWork()
    org(uow, {"SH001": ["SH001-01", "SH001-02"], "BJ001": ["BJ001-01"]})
    services.import_products(uow, services.read_rows(CATALOGUE, "csv", "product"), "t.csv",
                             T0)
    services.follow(uow, "o-sharer", "m:SH001-01", T0)  # customer 1
    return uow


def open_link(uow: FakeUnitOfWork, visitor: str, claim: ShareClaim = HANDED,
              customer: int | None = None, *, verified: bool = False,
              at: datetime = T0) -> services.OpenOutcome:
    return services.record_open(uow, claim, visitor, customer, at, BATCH, verified=verified)


def opens_of_sharer(uow: FakeUnitOfWork) -> int:
    return uow.shares.unique_opens(1, "WM001")


def test_the_first_cookie_only_open_of_a_handed_link_is_the_sharers_and_not_counted() -> None:
    uow = make_uow()
    own = open_link(uow, "b-sharer")
    assert not own.counted and own.customer_id == 1
    assert own.page_claim == ShareClaim("c1", "WM001", None)
    assert services.share_leaderboard(uow) == {"managers": [], "customers": []}
    friend = open_link(uow, "b-friend")
    assert friend.counted and friend.customer_id is None
    assert opens_of_sharer(uow) == 1
    assert [e.kind for e in uow.shares.events] == [ShareEventKind.SELF, ShareEventKind.OPEN]


def test_a_verified_sharer_is_never_counted_and_a_verified_friend_always_is() -> None:
    uow = make_uow()
    services.follow(uow, "o-friend", "b:SH001", T0)  # customer 2
    assert not open_link(uow, "b-sharer", customer=1, verified=True).counted
    assert open_link(uow, "b-friend", customer=2, verified=True).counted
    assert open_link(uow, "b-stranger", verified=True).counted
    assert opens_of_sharer(uow) == 2


def test_repeated_opens_by_one_visitor_count_once() -> None:
    uow = make_uow()
    open_link(uow, "b-sharer")
    for minute in range(3):
        open_link(uow, "b-friend", at=T0 + timedelta(minutes=minute))
    assert opens_of_sharer(uow) == 1
    [opened] = [e for e in uow.shares.events if e.kind == ShareEventKind.OPEN]
    assert (opened.hits, opened.first_at, opened.last_at) == (3, T0, T0 + timedelta(minutes=2))


def test_a_forwarded_link_is_a_child_share_that_credits_the_first_sharer() -> None:
    uow = make_uow()
    open_link(uow, "b-sharer")
    forwarded = open_link(uow, "b-friend").page_claim
    root = uow.shares.by_key(services.share_key("c1", "WM001", None))
    assert root is not None and forwarded == ShareClaim("vb-friend", "WM001", root.key)
    assert open_link(uow, "b-stranger", forwarded).counted
    child = uow.shares.by_key(services.share_key("vb-friend", "WM001", root.key))
    assert child is not None and child.parent_id == root.id
    assert (child.root_customer_id, child.root_manager_id) == (1, root.root_manager_id)
    assert opens_of_sharer(uow) == 2


def test_the_manager_gets_one_notice_per_batch_with_the_count_when_it_is_sent() -> None:
    uow = make_uow()
    for visitor in ("b-sharer", "b-1", "b-2", "b-3"):
        open_link(uow, visitor)
    open_link(uow, "b-4", at=T0 + BATCH)
    shares = [n for n in uow.notices.items if n.kind is NoticeKind.SHARE_OPENS]
    assert len(shares) == 2 and shares[0].manager is not None
    first = shares[0]
    assert (first.manager.code, first.payload["opens"], first.payload["product"]) == (
        "SH001-01", 3, "稳盈90天理财")
    assert first.next_attempt_at == datetime(2026, 11, 28, 9, 10)  # the end of its window


@pytest.mark.parametrize("code", ["WM005", "ZZ999"])
def test_private_placements_and_unknown_products_are_never_shareable(code: str) -> None:
    uow = make_uow()
    with pytest.raises(NotShareable):
        open_link(uow, "b-friend", ShareClaim("mSH001-01", code))
    assert uow.shares.events == []


def test_a_follow_through_a_share_is_credited_and_an_interest_scene_opens_one_lead() -> None:
    uow = make_uow()
    open_link(uow, "b-sharer")
    open_link(uow, "b-friend")
    key = services.share_key("c1", "WM001", None)
    scene = services.share_scene(uow, key)
    assert scene == f"m:SH001-01;c:S-{key}"
    arrival = services.follow(uow, "o-friend", scene, T0)
    assert arrival.manager is not None and arrival.manager.code == "SH001-01"
    assert services.follow_through_share(uow, "o-friend", scene, T0, SLA) is None
    interest = services.share_scene(uow, key, interest=True)
    first = services.follow_through_share(uow, "o-friend", interest, T0, SLA)
    again = services.follow_through_share(uow, "o-friend", interest, T0, SLA)
    assert first is not None and again is not None and again.lead.duplicate
    assert (first.product_code, first.lead.lead_id) == ("WM001", again.lead.lead_id)
    kinds = [e.kind for e in uow.shares.events]
    assert kinds == [ShareEventKind.SELF, ShareEventKind.OPEN, ShareEventKind.FOLLOW,
                     ShareEventKind.LEAD]


def board_rows(uow: FakeUnitOfWork, scope: Scope | None = None) -> dict[str, list[tuple]]:  # type: ignore[type-arg]
    board = services.share_leaderboard(uow, scope)
    return {"managers": [(r["manager"], r["opens"], r["follows"], r["leads"])
                         for r in board["managers"]],
            "customers": [(r["customer_id"], r["opens"], r["follows"], r["leads"])
                          for r in board["customers"]]}


def test_the_leaderboard_counts_distinct_visitors_but_never_the_sharers_own_opens() -> None:
    uow = make_uow()
    open_link(uow, "b-sharer")
    open_link(uow, "b-1")
    open_link(uow, "b-1")
    services.follow(uow, "o-friend", "b:SH001", T0)
    services.request_product_lead(uow, "o-friend", "WM001", T0, SLA,
                                  services.share_key("c1", "WM001", None))
    open_link(uow, "b-2", ShareClaim("mBJ001-01", "DP001"))
    open_link(uow, "b-3", ShareClaim("mBJ001-01", "DP001"))
    assert board_rows(uow) == {"managers": [("BJ001-01", 2, 0, 0), ("SH001-01", 1, 0, 1)],
                               "customers": [(1, 1, 0, 1)]}


def scope(role: StaffRole, manager: str | None, branch: str | None,
          uow: FakeUnitOfWork) -> Scope:
    found = uow.managers.by_code(manager) if manager else None
    home = uow.branches.by_code(branch) if branch else None
    return Scope(1, "staff", "staff", role, found.id if found else None,
                 home.id if home else None)


@pytest.mark.parametrize(("role", "manager", "branch", "managers"), [
    (StaffRole.MANAGER, "SH001-01", None, ["SH001-01"]),
    (StaffRole.MANAGER, "SH001-02", None, []),
    (StaffRole.BRANCH_HEAD, None, "BJ001", ["BJ001-01"]),
    (StaffRole.HEAD_OFFICE, None, None, ["BJ001-01", "SH001-01"]),
])
def test_the_leaderboard_shows_only_the_shares_credited_within_the_scope(
        role: StaffRole, manager: str | None, branch: str | None, managers: list[str]) -> None:
    uow = make_uow()
    open_link(uow, "b-sharer")
    open_link(uow, "b-1")
    open_link(uow, "b-2", ShareClaim("mBJ001-01", "DP001"))
    open_link(uow, "b-3", ShareClaim("mBJ001-01", "DP001"))
    rows = board_rows(uow, scope(role, manager, branch, uow))
    assert sorted(code for code, *_ in rows["managers"]) == managers
    assert [c for c, *_ in rows["customers"]] == ([1] if "SH001-01" in managers else [])
