"""Mobile banking is part of 渠道: active in a month, and the last-login month (the latest
month a customer was active in the imported data) compared as a month; rules that still name
the former dimension `mobile` count the same customers."""

from datetime import date
from typing import Any

import pytest
from flask import Flask
from sqlalchemy import select

from crm_core.model import Customer, DimensionValue, utcnow
from crm_core.model.segments import RuleError
from crm_core.queries.segments.compile import Moment
from crm_core.services.segments.rules import audience
from tests.classify_support import population
from tests.conftest import runtime
from tests.segments_support import HEAD_OFFICE

# openid → the months they were active (是) or not (否) in the mobile-banking extracts
ACTIVITY = {"o-wang": {"2026-09": "active", "2026-10": "inactive", "2026-11": "active"},
            "o-li": {"2026-08": "active", "2026-09": "inactive", "2026-10": "inactive",
                     "2026-11": "inactive"},
            "o-zhao": {"2026-09": "inactive", "2026-11": "inactive"}}


@pytest.fixture
def people(app: Flask) -> Flask:
    population(app)
    with runtime(app).uow() as uow:
        for openid, months in ACTIVITY.items():
            customer = uow.customers.by_openid(openid)
            assert customer is not None
            for month, state in months.items():
                year, number = month.split("-")
                uow.session.add(DimensionValue(  # type: ignore[attr-defined]
                    customer_id=customer.id, dimension="mobile",
                    month=date(int(year), int(number), 1), value=state, amount=3))
        uow.commit()
    return app


def matched(app: Flask, rule: Any) -> set[str]:
    now = utcnow()
    with runtime(app).uow() as uow:
        _, found = audience(uow, HEAD_OFFICE, rule, Moment(now, now.date()))  # type: ignore[arg-type]
        return set(uow.session.scalars(select(Customer.openid).where(found.members)))  # type: ignore[attr-defined]


def login(op: str, *months: str) -> dict[str, Any]:
    values = [f"last_login:{m}" for m in months]
    return {"dim": "channel", "op": op, "value": values if op in ("in", "between") else values[0]}


def test_the_last_login_month_is_the_latest_month_active_compared_as_a_month(
        people: Flask) -> None:
    assert matched(people, login("gte", "2026-09")) == {"o-wang"}
    assert matched(people, login("lt", "2026-09")) == {"o-li"}
    assert matched(people, login("lte", "2026-11")) == {"o-wang", "o-li"}
    assert matched(people, login("between", "2026-08", "2026-10")) == {"o-li"}
    assert matched(people, login("eq", "2026-09")) == set()  # o-wang came back in 11
    assert matched(people, login("in", "2026-08", "2026-11")) == {"o-wang", "o-li"}
    assert matched(people, {"not": login("gte", "2026-09")}) == {"o-li", "o-zhao"}


def test_mobile_banking_activity_is_a_channel_condition_in_a_month_or_the_latest(
        people: Flask) -> None:
    active = {"dim": "channel", "op": "in", "value": ["mobile:active"]}
    assert matched(people, active) == {"o-wang"}  # 2026-11, the latest month imported
    assert matched(people, active | {"month": "2026-10"}) == set()
    assert matched(people, {"dim": "channel", "op": "eq", "value": "mobile:inactive",
                            "month": "2026-09"}) == {"o-li", "o-zhao"}
    assert matched(people, {"any": [active, login("eq", "2026-08")]}) == {"o-wang", "o-li"}


def test_a_rule_naming_the_former_mobile_dimension_counts_the_same_customers(
        people: Flask) -> None:
    assert matched(people, {"dim": "mobile", "op": "in", "value": ["active"]}) == {"o-wang"}
    assert matched(people, {"dim": "mobile", "op": "ne", "value": "active",
                            "month": "2026-09"}) == {"o-li", "o-zhao"}


@pytest.mark.parametrize(("rule", "code", "path"), [
    ({"dim": "channel", "op": "gte", "value": "branch:SH001"}, "channel_compare", "$.value"),
    ({"dim": "channel", "op": "in", "value": ["branch:SH001"], "month": "2026-11"},
     "month_not_stored", "$.month"),
    ({"dim": "channel", "op": "eq", "value": "mobile:maybe"}, "not_a_code", "$.value"),
    ({"dim": "channel", "op": "gte", "value": "last_login:2026-13"}, "rule_month", "$.value"),
    ({"dim": "channel", "op": "between", "value": ["last_login:2026-10", "last_login:2026-08"]},
     "bad_between", "$.value"),
])
def test_a_faulty_channel_condition_is_named_by_its_path(
        people: Flask, rule: dict[str, Any], code: str, path: str) -> None:
    with pytest.raises(RuleError) as raised:
        matched(people, rule)
    assert (raised.value.code, raised.value.path) == (code, path)
