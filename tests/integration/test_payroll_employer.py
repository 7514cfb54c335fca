"""A payroll list sets its employees' 单位 (employer) on the classification dimension, so a
segment on 单位 finds them, in the month segments read, beside the bank's own extract."""

from collections.abc import Iterator
from datetime import timedelta

import pytest

from crm_core.model import Scope, StaffRole
from crm_core.services import segments
from crm_core.services.organisations import import_payroll
from tests.organisation_support import T0, Factory, market, rows, with_organisations

HEAD_OFFICE = Scope(1, "admin", "总行", StaffRole.HEAD_OFFICE, None, None)
AT_LOG01 = {"dim": "employer", "op": "in", "value": ["顺达物流有限公司"]}


@pytest.fixture
def factory(database_url: str) -> Iterator[Factory]:
    with market(database_url) as made:
        with_organisations(made)
        yield made


def employees(factory: Factory, rule: dict[str, object]) -> set[int]:
    with factory() as uow:
        at = segments.moment(T0 + timedelta(days=1), "Asia/Shanghai")
        return {row["id"] for row in segments.preview_rule(uow, HEAD_OFFICE, rule, at)}


def test_payroll_employees_are_found_by_a_segment_on_their_employer(factory: Factory) -> None:
    assert employees(factory, AT_LOG01) == set()
    with factory() as uow:
        import_payroll(uow, rows("organisation,openid\nLOG01,boss-zhang\nLOG01,worker-li\n"),
                       "代发.csv", T0)
        boss = uow.customers.by_openid("boss-zhang")
        uow.commit()
        assert boss is not None
    assert len(employees(factory, AT_LOG01)) == 2
    with factory() as uow:  # the same list again changes nothing
        import_payroll(uow, rows("organisation,openid\nLOG01,boss-zhang\n"), "代发.csv", T0)
        uow.commit()
    assert len(employees(factory, AT_LOG01)) == 2
    other = {"dim": "employer", "op": "in", "value": ["张记水产"]}
    with factory() as uow:
        import_payroll(uow, rows("organisation,openid\nM001,boss-zhang\n"), "代发2.csv", T0)
        uow.commit()
    assert employees(factory, other) == {boss.id}
