"""The staff API's scorecards: a manager reads their own card and book, not another's; a
branch head the branch's; everyone the league table; a bad month is refused in Chinese."""

from typing import Any

import pytest
from flask import Flask
from flask.testing import FlaskClient

from crm_core import services
from crm_core.model import StaffRole, utcnow
from crm_core.services.performance import RunPolicy, run_month
from tests.conftest import runtime
from tests.integration.test_console_referrals import staffed  # noqa: F401
from tests.performance_support import BOOK, NOVEMBER, import_text

Call = Any


@pytest.fixture
def call(staffed: Flask, client: FlaskClient) -> Call:  # noqa: F811
    with runtime(staffed).uow() as uow:
        services.add_staff(uow, "w1", "财富经理", "x", StaffRole.MANAGER, "SH001-W1", None,
                           "test", utcnow())
        services.add_staff(uow, "ho", "总行", "x", StaffRole.HEAD_OFFICE, None, None, "test",
                           utcnow())
        uow.flush()
        import_text(uow, NOVEMBER, BOOK, utcnow())  # type: ignore[arg-type]
        run_month(uow, NOVEMBER, RunPolicy(), "test", utcnow())  # type: ignore[arg-type]
        tokens = {name: services.issue_api_token(uow, name, "t", utcnow(), "test")
                  for name in ("w1", "r1", "head", "ho")}
        uow.commit()

    def send(who: str, path: str) -> Any:
        return client.get(f"/api/v1{path}", headers={"Authorization": f"Bearer {tokens[who]}"})
    return send


def test_a_manager_reads_their_own_card_and_book_but_no_one_elses(call: Call) -> None:
    own = call("w1", "/scorecards/2026-11/SH001-W1")
    assert own.status_code == 200, own.json
    assert own.json["profit"] == "2633.33" and own.json["lines"][0]["metric"] == "profit"
    assert own.json["trend"] == [{"month": "2026-11", "total": own.json["total"],
                                  "profit": "2633.33"}]
    book = call("w1", "/scorecards/2026-11/SH001-W1/book").json
    assert [r["profit"] for r in book["rows"]] == ["833.33", "1200.00", "600.00"]
    assert call("w1", "/scorecards/2026-11/SH001-01").status_code == 403
    assert [c["manager"] for c in call("w1", "/scorecards?month=2026-11").json["cards"]] == [
        "SH001-W1"]


def test_a_branch_head_sees_the_branch_and_everyone_the_league(call: Call) -> None:
    listed = call("head", "/scorecards?month=2026-11").json
    assert sorted(c["manager"] for c in listed["cards"]) == ["SH001-01", "SH001-W1"]
    assert call("head", "/scorecards/2026-11/SH001-01/book").status_code == 200
    league = call("r1", "/scorecards/league?month=2026-11&role=wealth").json
    assert [(r["rank"], r["name"]) for r in league["cards"]] == [(1, "经理SH001-W1")]
    assert call("ho", "/scorecards?month=2026-11&role=retail").json["total"] == 1


def test_a_bad_month_or_role_is_refused_in_chinese(call: Call) -> None:
    bad = call("ho", "/scorecards?month=2026-13")
    assert bad.status_code == 422
    assert bad.json["error"]["message"] == "月份“2026-13”写法不对：请写成 2026-11 的格式。"
    assert call("ho", "/scorecards/league?month=2026-11&role=golf").status_code == 422
    assert call("ho", "/scorecards/2026-11/NOBODY").status_code == 404
