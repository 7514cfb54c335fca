"""The JSON API: bearer tokens, every endpoint's scope rule, stable JSON errors, OpenAPI."""

from collections.abc import Iterator
from datetime import timedelta
from pathlib import Path

import pytest
from flask import Flask
from flask.testing import FlaskClient

from bot import create_app, texts
from bot.phone_cipher import PhoneCipher
from bot.web.openapi import openapi_path
from crm_core import services
from crm_core.model import Customer, ManagerState, utcnow
from tests.conftest import WEB_SECRET, make_settings, runtime
from tests.console_support import STAFF, World, populate
from tests.product_support import import_sample


@pytest.fixture
def world(app: Flask) -> World:
    return populate(runtime(app))


@pytest.fixture
def tokens(app: Flask, world: World) -> dict[str, str]:
    with runtime(app).uow() as uow:
        issued = {name: services.issue_api_token(uow, name, "tests", utcnow(), "test")
                  for name in STAFF}
        uow.commit()
    return issued


@pytest.fixture
def call(client: FlaskClient, tokens: dict[str, str]) -> Iterator:  # type: ignore[type-arg]
    def request(who: str, method: str, path: str, **kwargs):  # type: ignore[no-untyped-def]
        headers = {"Authorization": f"Bearer {tokens[who]}"} if who else {}
        return client.open(f"/api/v1{path}", method=method, headers=headers, **kwargs)
    yield request


def test_requests_without_a_valid_token_get_401_as_json(call, client) -> None:  # type: ignore[no-untyped-def]
    for response in (client.get("/api/v1/leads"),
                     client.get("/api/v1/leads", headers={"Authorization": "Bearer blk_x"})):
        assert response.status_code == 401
        assert response.json == {"error": {"code": "unauthorized",
                                           "message": texts.API_UNAUTHORIZED}}


@pytest.mark.parametrize(("who", "count"), [("m1", 1), ("m2", 1), ("head", 2), ("admin", 3)])
def test_leads_and_customers_follow_the_scope(call, who: str, count: int) -> None:  # type: ignore[no-untyped-def]
    assert len(call(who, "GET", "/leads").json["leads"]) == count
    assert len(call(who, "GET", "/customers").json["customers"]) == count


def test_customer_outside_scope_is_403_and_inside_shows_history(call, world: World) -> None:  # type: ignore[no-untyped-def]
    theirs = world.customers["c2-sh001-02"]
    assert call("m1", "GET", f"/customers/{theirs}").json["error"]["code"] == "forbidden"
    card = call("m2", "GET", f"/customers/{theirs}").json
    assert card["history"][0]["reason"] == "first_touch" and card["timeline"] == []
    assert call("admin", "GET", "/customers/999999").status_code == 404


def test_phone_numbers_are_shown_to_the_customers_manager_only(app, call, world: World) -> None:  # type: ignore[no-untyped-def]
    cipher = PhoneCipher(WEB_SECRET).seal("13812345678")
    with runtime(app).uow() as uow:
        services.set_customer_details(uow, "c1-sh001-01", "李先生", cipher, "t", utcnow())
        uow.commit()
    customer = world.customers["c1-sh001-01"]
    assert call("m1", "GET", f"/customers/{customer}").json["phone"] == "13812345678"
    head_view = call("head", "GET", f"/customers/{customer}").json
    assert "phone" not in head_view and head_view["phone_masked"] == "*******5678"
    assert call("head", "GET", "/customers?q=5678").json["customers"][0]["label"] == "李先生"


def test_lead_updates_stay_in_scope_and_validate(call, world: World) -> None:  # type: ignore[no-untyped-def]
    mine, theirs = world.leads["c1-sh001-01"], world.leads["c2-sh001-02"]
    assert call("m1", "PATCH", f"/leads/{theirs}", json={"status": "contacted"}).status_code == 403
    assert call("m1", "PATCH", f"/leads/{mine}", json={"status": "bogus"}).status_code == 422
    assert call("m1", "PATCH", f"/leads/{mine}", data="x").json["error"]["code"] == "bad_request"
    done = call("m1", "PATCH", f"/leads/{mine}", json={"status": "contacted", "note": "已电联"})
    assert done.status_code == 200
    assert call("m1", "GET", "/leads?status=contacted").json["leads"][0]["note"] == "已电联"


def test_branch_overview_is_for_its_head_and_head_office(call) -> None:  # type: ignore[no-untyped-def]
    assert call("m1", "GET", "/branches/SH001").status_code == 403
    assert call("head", "GET", "/branches/SH002").status_code == 403
    overview = call("head", "GET", "/branches/SH001").json
    assert {m["code"]: (m["customers"], m["open_leads"]) for m in overview["managers"]} == {
        "SH001-01": (1, 1), "SH001-02": (1, 1)}  # SH002-01's customer and lead not counted
    assert len(overview["overdue_leads"]) == 2
    assert call("admin", "GET", "/branches/SH002").status_code == 200


def test_the_branch_overview_lists_customers_without_an_active_manager(  # type: ignore[no-untyped-def]
        app: Flask, call) -> None:
    with runtime(app).uow() as uow:
        branch = uow.branches.by_code("SH001")
        uow.session.add(Customer(openid="o-nobody-sh001", home_branch_id=branch.id,
                                 first_touch_source="test"))
        uow.managers.by_code("SH001-02").state = ManagerState.ON_LEAVE
        uow.commit()
    overview = call("head", "GET", "/branches/SH001").json
    assert sorted(c["label"][-6:] for c in overview["unmanaged_customers"]) == [
        "-sh001", "001-02"]  # the new customer has no manager; c2's is on leave


def test_transfers_only_within_the_heads_branch_and_are_audited(call) -> None:  # type: ignore[no-untyped-def]
    body = {"from": "SH001-02", "to": "SH001-01", "all": True}
    assert call("m1", "POST", "/transfers", json=body).status_code == 403
    assert call("head", "POST", "/transfers",
                json={"from": "SH002-01", "to": "SH001-01", "all": True}).status_code == 403
    assert call("head", "POST", "/transfers", json=body).json == {"moved": 1}
    assert len(call("m1", "GET", "/customers").json["customers"]) == 2
    events = call("admin", "GET", "/audit?action=transfer").json["events"]
    assert events[0]["subject"] == "SH001-02->SH001-01"
    assert call("head", "GET", "/audit").status_code == 403


def test_notices_are_for_heads_and_only_failed_ones_can_be_retried(call) -> None:  # type: ignore[no-untyped-def]
    assert call("m1", "GET", "/notices").status_code == 403
    notices = call("head", "GET", "/notices").json["notices"]
    assert notices and call("head", "POST", f"/notices/{notices[0]['id']}/retry").status_code == 409


def test_openapi_document_describes_every_route(app, client) -> None:  # type: ignore[no-untyped-def]
    spec = client.get("/api/v1/openapi.json").json
    documented = {(path, method) for path, ops in spec["paths"].items() for method in ops}
    served = {(openapi_path(rule.rule), method.lower())
              for rule in app.url_map.iter_rules() if rule.rule.startswith("/api/v1/")
              and not rule.rule.endswith("openapi.json")
              for method in rule.methods - {"HEAD", "OPTIONS"}}
    assert served == documented


@pytest.mark.parametrize(("who", "managers"), [("m1", ["SH001-01"]), ("m2", ["SH001-02"]),
                                               ("head", ["SH001-01", "SH001-02"]),
                                               ("admin", ["SH001-01", "SH001-02", "SH002-01"])])
def test_the_share_leaderboard_follows_the_scope(app: Flask, world: World, call, who: str,
                                                 managers: list[str]) -> None:  # type: ignore[no-untyped-def]
    with runtime(app).uow() as uow:
        import_sample(uow)
        for customer_id in world.customers.values():  # each customer's link opened twice
            for visitor in ("friend-a", "friend-b"):
                services.record_open(uow, services.ShareClaim(f"c{customer_id}", "WM001"),
                                     visitor, None, utcnow(), timedelta(hours=1))
        uow.commit()
    board = call(who, "GET", "/shares/leaderboard").json
    assert sorted(row["manager"] for row in board["managers"]) == managers
    assert len(board["customers"]) == len(managers)
    assert all(row["opens"] == 2 for row in board["managers"] + board["customers"])


def test_a_whole_openid_with_like_wildcards_finds_exactly_that_customer(app, call) -> None:  # type: ignore[no-untyped-def]
    openids = ["o_under_score", "oXunderXscore", "o%percent", "oYpercent", "o/slash"]
    with runtime(app).uow() as uow:
        for openid in openids:
            services.follow(uow, openid, "m:SH001-01", utcnow())
        ids = {openid: uow.customers.by_openid(openid).id for openid in openids}  # type: ignore[union-attr]
        uow.commit()
    for openid in ("o_under_score", "o%percent", "o/slash"):
        found = call("admin", "GET", "/customers", query_string={"q": openid}).json
        assert [c["id"] for c in found["customers"]] == [ids[openid]]
    assert len(call("admin", "GET", "/customers", query_string={"q": "o_"}).json[
        "customers"]) == 1


@pytest.mark.parametrize(("body", "status"), [
    ({}, 422), ({"customers": []}, 422), ({"all": False}, 422),
    ({"all": True, "customers": [1]}, 422), ({"all": "yes"}, 400), ({"customers": "1;2"}, 400),
    ({"customers": [True]}, 400), ({"customers": [0]}, 400), ({"customers": [2**31]}, 400)])
def test_a_transfer_without_an_explicit_all_or_with_a_bad_list_moves_nobody(
        call, body: dict[str, object], status: int) -> None:  # type: ignore[no-untyped-def]
    answer = call("head", "POST", "/transfers",
                  json={"from": "SH001-02", "to": "SH001-01", **body})
    assert answer.status_code == status and answer.json["error"]["message"]
    assert len(call("m2", "GET", "/customers").json["customers"]) == 1


def test_a_transfer_naming_another_managers_customer_moves_nobody(call, world: World) -> None:  # type: ignore[no-untyped-def]
    listed = [world.customers["c2-sh001-02"], world.customers["c1-sh001-01"]]
    answer = call("head", "POST", "/transfers",
                  json={"from": "SH001-02", "to": "SH001-01", "customers": listed})
    assert answer.status_code == 422 and str(listed[1]) in answer.json["error"]["message"]
    assert len(call("m2", "GET", "/customers").json["customers"]) == 1


@pytest.mark.parametrize(("body", "field"), [
    ({"status": "contacted", "note": {"a": 1}}, "note"),
    ({"status": "contacted", "note": ["a"]}, "note"),
    ({"status": "contacted", "note": 7}, "note"),
    ({"status": ["contacted"]}, "status"),
    ({"status": {"s": 1}}, "status"),
    ({"note": "x"}, "status"),
    ({"status": "contacted", "note": "a\u0000b"}, "note"),
    ({"status": "contacted", "note": "a\ud800b"}, "note"),
    ({"status": "contacted\u0000"}, "status"),
    ({"status": "contacted", "note": "记" * 501}, "note"),
    ({"status": "contacted", "notes": "x"}, "notes"),
])
def test_a_lead_update_with_a_field_of_the_wrong_kind_is_refused_naming_it(
        call, world: World, body: dict[str, object], field: str) -> None:  # type: ignore[no-untyped-def]
    lead = world.leads["c1-sh001-01"]
    answer = call("m1", "PATCH", f"/leads/{lead}", json=body)
    assert answer.status_code == 400
    assert answer.json["error"]["code"] == "bad_request"
    assert field in answer.json["error"]["message"]
    assert call("m1", "GET", "/leads").json["leads"][0]["status"] == "new"


def test_a_note_of_the_longest_length_is_kept(call, world: World) -> None:  # type: ignore[no-untyped-def]
    lead = world.leads["c1-sh001-01"]
    note = "记" * 500
    answer = call("m1", "PATCH", f"/leads/{lead}", json={"status": "contacted", "note": note})
    assert answer.status_code == 200
    assert call("m1", "GET", "/leads").json["leads"][0]["note"] == note


@pytest.mark.parametrize("query", ["/customers?q=a%00b", "/leads?status=%01", "/audit?action=%00",
                                   "/branches/SH%00"])
def test_a_parameter_with_a_control_character_is_refused_before_it_reaches_sql(
        call, query: str) -> None:  # type: ignore[no-untyped-def]
    answer = call("admin", "GET", query)
    assert answer.status_code == 400 and answer.json["error"]["code"] == "bad_request"


@pytest.mark.parametrize(("method", "path", "status"), [
    ("GET", "/customers/null%2Cnull", 404), ("GET", "/nothing-here", 404),
    ("GET", "/customers/2147483648", 404), ("POST", "/notices/9223372036854775808/retry", 404),
    ("DELETE", "/leads", 405), ("GET", "/leads?stauts=lost", 400)])
def test_every_refusal_under_the_api_is_the_documented_json_error(
        call, method: str, path: str, status: int) -> None:  # type: ignore[no-untyped-def]
    answer = call("admin", method, path)
    assert answer.status_code == status and answer.mimetype == "application/json"
    assert set(answer.json["error"]) == {"code", "message"}
    if status == 405:
        assert answer.headers["Allow"]


def test_a_database_outage_is_a_documented_503_with_retry_after(tmp_path: Path) -> None:
    app = create_app(make_settings("postgresql+psycopg://nobody@127.0.0.1:9/none", tmp_path))
    client = app.test_client()
    response = client.get("/api/v1/leads", headers={"Authorization": "Bearer blk_x"})
    assert response.status_code == 503 and int(response.headers["Retry-After"]) > 0
    assert response.json["error"]["code"] == "unavailable"
    spec = client.get("/api/v1/openapi.json").json
    assert "unavailable" in spec["components"]["schemas"]["Error"]["properties"]["error"][
        "properties"]["code"]["enum"]
    assert all("503" in operation["responses"]
               for operations in spec["paths"].values() for operation in operations.values())
