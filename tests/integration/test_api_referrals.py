"""The staff API's organisations and referrals keep the console's rules: scope, refusals in
Chinese (422), managers only for referring, the receiver only for steps."""

from typing import Any

import pytest
from flask import Flask
from flask.testing import FlaskClient

from crm_core import services
from crm_core.model import utcnow
from tests.conftest import runtime
from tests.integration.test_console_referrals import ACCOUNTS, staffed  # noqa: F401

Call = Any


@pytest.fixture
def call(staffed: Flask, client: FlaskClient) -> Call:  # noqa: F811
    with runtime(staffed).uow() as uow:
        tokens = {name: services.issue_api_token(uow, name, "t", utcnow(), "test")
                  for name in ACCOUNTS}
        boss = uow.customers.by_openid("boss-zhang")
        uow.commit()
    assert boss is not None

    def send(who: str, method: str, path: str, **kwargs: Any) -> Any:
        path = path.replace("{boss}", str(boss.id))
        return client.open(f"/api/v1{path}", method=method,
                           headers={"Authorization": f"Bearer {tokens[who]}"}, **kwargs)
    return send


def test_a_manager_refers_through_the_api_and_the_receiver_accepts(call: Call) -> None:
    made = call("r1", "POST", "/referrals", json={"customer_id": "{boss}", "line": "对公"})
    assert made.status_code == 400  # an id is a number, not text
    boss = call("r1", "GET", "/referrals").json
    assert boss == {"referrals": [], "total": 0}
    made = call("r1", "POST", "/referrals",
                json={"customer_id": _boss_id(call), "line": "对公", "potential_value": 500000})
    assert made.status_code == 201, made.json
    assert made.json["receiver_code"] == "SH001-C1" and made.json["status"] == "submitted"
    again = call("r1", "POST", "/referrals", json={"customer_id": _boss_id(call), "line": "对公"})
    assert again.status_code == 422 and "锁定期内不能重复转介" in again.json["error"]["message"]
    assert call("c2", "PATCH", "/referrals/1", json={"status": "accepted"}).status_code == 403
    moved = call("c1", "PATCH", "/referrals/1", json={"status": "accepted"})
    assert moved.status_code == 200 and moved.json["status"] == "accepted"
    assert call("c1", "GET", "/referrals?box=received").json["total"] == 1


def test_only_managers_refer_and_only_in_their_scope(call: Call) -> None:
    head = call("head", "POST", "/referrals", json={"customer_id": _boss_id(call),
                                                     "line": "对公"})
    assert head.status_code == 403
    stranger = call("c2", "POST", "/referrals", json={"organisation": "M001", "line": "零售"})
    assert stranger.status_code == 422
    assert stranger.json["error"]["message"].startswith("只能转介自己名下的客户")
    both = call("r1", "POST", "/referrals", json={"organisation": "M001", "customer_id": 1,
                                                  "line": "对公"})
    assert both.status_code == 422


def test_organisations_follow_the_scope(call: Call) -> None:
    assert [o["code"] for o in call("c1", "GET", "/organisations").json["organisations"]] == [
        "M001", "LOG01"]
    assert call("c1", "GET", "/organisations/F001").status_code == 403
    card = call("head", "GET", "/organisations/M001").json
    assert card["contacts"][0]["name"] == "张老板"


def _boss_id(call: Call) -> int:
    answer = call("c1", "GET", "/organisations/M001").json
    return int(answer["contacts"][0]["customer_id"])


def test_heads_read_the_referrers_board_and_managers_may_not(call: Call) -> None:
    made = call("r1", "POST", "/referrals", json={"customer_id": _boss_id(call), "line": "对公"})
    assert made.status_code == 201
    board = call("head", "GET", "/referrers")
    assert board.status_code == 200
    assert [(r["code"], r["sent"], r["converted"], r["open"], r["value"], r["rate"])
            for r in board.json["referrers"]] == [("SH001-01", 1, 0, 1, 0, 0.0)]
    refused = call("r1", "GET", "/referrers")
    assert refused.status_code == 403 and "网点负责人" in refused.json["error"]["message"]
