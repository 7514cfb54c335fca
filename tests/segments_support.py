"""A hand-built population for segments: tiers, balances, lists, tags, opt-outs, risk, leads.

Who is who (managers SH001-01, SH001-02 of SH001; SH002-01 of SH002), latest month NOW_MONTH:
p1 SH001-01 vip 80万 新市民, risk C4 fresh, asked about a 理财 product
p2 SH001-01 private 700万 tagged 老客户
p3 SH001-02 vip 60万, nothing else
p4 SH001-02 vip 90万 新市民 but unfollowed
p5 SH002-01 affluent 30万 新市民, tagged 老客户
p6 SH002-01 private 800万 新市民, tagged 老客户, switched off personalisation, risk C5 expired
p7 SH001-01 mass 2万 新市民 (vip the month before)
p8 SH002-01 vip 70万, on 新市民 only in the earlier month's list
"""

from dataclasses import dataclass
from datetime import date, datetime, timedelta
from decimal import Decimal

from crm_core import services
from crm_core.model import (
    ClassificationBatch,
    Customer,
    CustomerTag,
    DimensionValue,
    FollowState,
    Product,
    RecommendationPref,
    RiskAssessment,
    Scope,
    StaffRole,
    utcnow,
)
from crm_core.unit_of_work import SqlUnitOfWork
from tests.builders import org

NOW_MONTH, LAST_MONTH = date(2026, 11, 1), date(2026, 10, 1)
# openid: manager, tier now, aum now (元), lists now, tags
PEOPLE = {
    "p1": ("SH001-01", "vip", 800_000, ["新市民"], []),
    "p2": ("SH001-01", "private", 7_000_000, [], ["老客户"]),
    "p3": ("SH001-02", "vip", 600_000, [], []),
    "p4": ("SH001-02", "vip", 900_000, ["新市民"], []),
    "p5": ("SH002-01", "affluent", 300_000, ["新市民"], ["老客户"]),
    "p6": ("SH002-01", "private", 8_000_000, ["新市民"], ["老客户"]),
    "p7": ("SH001-01", "mass", 20_000, ["新市民"], []),
    "p8": ("SH002-01", "vip", 700_000, [], []),
}
HEAD_OFFICE = Scope(1, "admin", "总行", StaffRole.HEAD_OFFICE, None, None)


@dataclass(frozen=True)
class Population:
    """The customers' ids by openid, and a scope for each role."""

    ids: dict[str, int]
    branch_ids: dict[str, int]
    manager_ids: dict[str, int]

    def members(self, *openids: str) -> set[int]:
        """Return the ids of the named customers."""
        return {self.ids[openid] for openid in openids}

    def branch_head(self, code: str) -> Scope:
        """Return the scope of the head of a branch."""
        return Scope(2, f"head-{code}", "网点负责人", StaffRole.BRANCH_HEAD, None,
                     self.branch_ids[code])

    def manager(self, code: str) -> Scope:
        """Return the scope of a manager."""
        return Scope(3, f"mgr-{code}", "客户经理", StaffRole.MANAGER, self.manager_ids[code],
                     None)


def populate_segments(uow: SqlUnitOfWork, now: datetime | None = None) -> Population:
    """Create the organisation and the eight customers above, with every value they hold."""
    now = now or utcnow()
    org(uow, {"SH001": ["SH001-01", "SH001-02"], "SH002": ["SH002-01"]})
    for name, month in [("新市民", NOW_MONTH), ("新市民", LAST_MONTH), ("商户", NOW_MONTH)]:
        _batch(uow, name, month)
    for openid, (manager, tier, aum, groups, tags) in PEOPLE.items():
        services.follow(uow, openid, f"m:{manager}", now - timedelta(hours=5))
        uow.flush()
        customer = uow.customers.by_openid(openid)
        assert customer is not None
        _values(uow, customer.id, tier, aum, groups)
        uow.session.add_all([CustomerTag(customer_id=customer.id, tag=tag, tagged_by="test")
                             for tag in tags])
    _specifics(uow, now)
    uow.flush()
    return _population(uow)


def _values(uow: SqlUnitOfWork, customer_id: int, tier: str, aum: int,
            groups: list[str]) -> None:
    rows = [("tier", tier, None), ("aum", "aum", Decimal(aum))]
    rows += [("group", name, None) for name in groups]
    uow.session.add_all([DimensionValue(customer_id=customer_id, dimension=dim, month=NOW_MONTH,
                                        value=value, amount=amount) for dim, value, amount in rows])


def _specifics(uow: SqlUnitOfWork, now: datetime) -> None:
    ids = {openid: uow.customers.by_openid(openid).id for openid in PEOPLE}  # type: ignore[union-attr]
    session = uow.session
    session.get_one(Customer, ids["p4"]).follow_state = FollowState.UNFOLLOWED
    session.add(RecommendationPref(customer_id=ids["p6"], personalised=False))
    session.add_all([
        RiskAssessment(customer_id=ids["p1"], level=4, assessed_on=now.date() - timedelta(30),
                       source="test"),
        RiskAssessment(customer_id=ids["p6"], level=5, assessed_on=now.date() - timedelta(800),
                       source="test"),
        DimensionValue(customer_id=ids["p7"], dimension="tier", month=LAST_MONTH, value="vip"),
        DimensionValue(customer_id=ids["p8"], dimension="group", month=LAST_MONTH,
                       value="新市民"),
        Product(code="WM001", name="稳享理财1号", category="理财", risk_level=2, summary="稳健"),
    ])
    uow.flush()
    services.open_lead(uow, "p1", "product_interest", now, timedelta(hours=2),
                       product_code="WM001")


def _batch(uow: SqlUnitOfWork, name: str, month: date) -> int:
    batch = ClassificationBatch(kind="list", list_name=name, month=month, filename=f"{name}.csv",
                                sha256="0" * 64, staff="test")
    uow.session.add(batch)
    uow.flush()
    return batch.id


def _population(uow: SqlUnitOfWork) -> Population:
    ids = {openid: uow.customers.by_openid(openid).id for openid in PEOPLE}  # type: ignore[union-attr]
    branches = {code: uow.branches.by_code(code).id for code in ("SH001", "SH002")}  # type: ignore[union-attr]
    managers = {code: uow.managers.by_code(code).id  # type: ignore[union-attr]
                for code in ("SH001-01", "SH001-02", "SH002-01")}
    return Population(ids, branches, managers)
