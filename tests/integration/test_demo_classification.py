"""`branchlink demo seed` gives the demo followers four months of balances and two lists, so a
demo manager's home shows tiers and this month's moves; seeding again changes nothing."""

from flask import Flask
from sqlalchemy import func, select

from crm_core.model import DimensionValue, OfflineProspect, Scope, StaffRole
from crm_core.services.classification import tier_board
from tests.conftest import runtime
from tests.integration.test_demo_seed import seed


def board(app: Flask) -> dict[str, object]:
    with runtime(app).uow() as uow:
        manager = uow.managers.by_code("SH001-01")
        assert manager is not None
        scope = Scope(1, "zhangwei", "张伟", StaffRole.MANAGER, manager.id, manager.branch_id)
        return tier_board(uow, scope)  # type: ignore[arg-type]


def counts(app: Flask) -> tuple[int, int]:
    with runtime(app).engine.connect() as connection:
        values = connection.scalar(select(func.count()).select_from(DimensionValue))
        prospects = connection.scalar(select(func.count()).select_from(OfflineProspect))
    return int(values or 0), int(prospects or 0)


def test_the_demo_manager_sees_tiers_groups_and_moves(app: Flask) -> None:
    assert "demo classification: 4 months" in seed(app).output
    found = board(app)
    tiers = dict(found["tiers"])  # type: ignore[call-overload]
    assert tiers == {"private": 1, "vip": 1, "affluent": 3, "potential": 1, "mass": 1}
    assert dict(found["groups"]) == {"新市民": 2, "代发客户": 2, "老年客户": 1}  # type: ignore[call-overload]
    assert [m["label"] for m in found["up"]] == ["杨洋"]  # type: ignore[index]
    # 张伟民 was 贵宾 and has been below it for three months: he drops this month.
    assert [m["label"] for m in found["down"]] == ["张伟民"]  # type: ignore[index]
    first = counts(app)
    seed(app)
    assert counts(app) == first and first[1] > 0
