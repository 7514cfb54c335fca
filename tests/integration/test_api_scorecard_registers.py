"""The staff API's registers and the wealth line: complaints and overrides listed in scope
with customers masked; a head-office account on the wealth line reads wealth managers' cards
across branches, the wealth league table, and nothing else."""

from datetime import date, timedelta
from typing import Any

import pytest
from flask import Flask
from flask.testing import FlaskClient

from crm_core import services
from crm_core.model import ManagerRole, Product, Scope, StaffRole, utcnow
from crm_core.model.performance.registers import ComplaintChannel
from crm_core.services.performance import RunPolicy, run_month
from crm_core.services.performance.registers import (
    ComplaintForm,
    OverrideForm,
    decide_complaint,
    record_complaint,
    record_override,
)
from tests.conftest import runtime
from tests.integration.test_console_referrals import staffed  # noqa: F401
from tests.performance_support import BOOK, NOVEMBER, import_text

Call = Any
HEAD = Scope(0, "test", "总行", StaffRole.HEAD_OFFICE, None, None)
TODAY = date(2026, 12, 2)


@pytest.fixture
def call(staffed: Flask, client: FlaskClient) -> Call:  # noqa: F811
    with runtime(staffed).uow() as uow:
        services.add_manager(uow, "SH002-W1", "经理SH002-W1", "SH002",  # type: ignore[arg-type]
                             role=ManagerRole.WEALTH)
        uow.session.add(Product(code="FD001", name="进取混合基金", category="基金",  # type: ignore[attr-defined]
                                risk_level=4, summary="高波动"))
        for name, line in (("ho", None), ("wl", ManagerRole.WEALTH)):
            services.add_staff(uow, name, "总行", "x", StaffRole.HEAD_OFFICE, None, None, "test",
                               utcnow())
            services.set_staff_line(uow, name, line, "test", utcnow())
        uow.flush()
        boss = uow.customers.by_openid("boss-zhang").id  # type: ignore[union-attr]
        services.set_customer_details(uow, "boss-zhang", "张大海", None, "test", utcnow())
        for manager in ("SH001-W1", "SH001-01"):
            made = record_complaint(uow, HEAD, ComplaintForm(  # type: ignore[arg-type]
                boss, manager, date(2026, 11, 3), ComplaintChannel.LETTER, "态度差"),
                TODAY, utcnow())
        decide_complaint(uow, HEAD, made.id, True, "属实", utcnow())  # type: ignore[arg-type]
        record_override(uow, HEAD, OverrideForm(boss, "SH001-W1", "FD001",  # type: ignore[arg-type]
                                                date(2026, 11, 4), "客户坚持"),
                        TODAY, timedelta(days=365), utcnow())
        import_text(uow, NOVEMBER, BOOK + "10000009,SH002-W1,存款,10,1,2,,,,\n",  # type: ignore[arg-type]
                    utcnow())
        run_month(uow, NOVEMBER, RunPolicy(), "test", utcnow())  # type: ignore[arg-type]
        tokens = {name: services.issue_api_token(uow, name, "t", utcnow(), "test")
                  for name in ("ho", "wl", "r1", "head")}
        uow.commit()

    def send(who: str, path: str) -> Any:
        return client.get(f"/api/v1{path}", headers={"Authorization": f"Bearer {tokens[who]}"})
    return send


def test_complaints_and_overrides_are_listed_in_scope_with_the_customer_masked(
        call: Call) -> None:
    everything = call("ho", "/scorecards/complaints?month=2026-11").json
    assert everything["total"] == 2
    assert {(c["manager"], c["verdict"], c["customer"]) for c in everything["complaints"]} == {
        ("SH001-W1", "pending", "张**"), ("SH001-01", "substantiated", "张**")}
    assert call("ho", "/scorecards/complaints?verdict=substantiated").json["total"] == 1
    own = call("r1", "/scorecards/complaints").json
    assert [c["manager"] for c in own["complaints"]] == ["SH001-01"]
    assert call("r1", "/scorecards/overrides").json["total"] == 0
    overrides = call("head", "/scorecards/overrides").json["overrides"]
    assert [(o["manager"], o["customer_level"], o["product_level"]) for o in overrides] == [
        ("SH001-W1", None, 4)]
    assert call("ho", "/scorecards/complaints?verdict=maybe").status_code == 422


def test_the_wealth_line_reads_wealth_managers_across_branches_and_no_one_else(
        call: Call) -> None:
    cards = call("wl", "/scorecards?month=2026-11").json["cards"]
    assert sorted(c["manager"] for c in cards) == ["SH001-W1", "SH002-W1"]
    assert call("wl", "/scorecards/2026-11/SH002-W1").status_code == 200
    assert call("wl", "/scorecards/2026-11/SH001-01").status_code == 403
    assert call("wl", "/scorecards/2026-11/SH001-01/book").status_code == 403
    assert call("wl", "/scorecards/league?month=2026-11&role=retail").status_code == 403
    assert call("wl", "/scorecards/league?month=2026-11&role=wealth").json["total"] == 2
    assert [c["manager"] for c in call("wl", "/scorecards/complaints").json["complaints"]] == [
        "SH001-W1"]
    assert call("ho", "/scorecards?month=2026-11").json["total"] == 3
    card = call("ho", "/scorecards/2026-11/SH001-W1").json
    penalty = next(line for line in card["lines"] if line["metric"] == "suitability")
    assert penalty["score"] == "-10.00" and penalty["source"]["rows"] == "suitability_overrides"
