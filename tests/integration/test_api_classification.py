"""The staff API's classification: the catalogue counted in the caller's scope, a customer's
current values (only a customer the caller may see) and the import batches (head office)."""

import io
from datetime import date

from flask import Flask

from crm_core.model import DimensionValue
from tests.conftest import runtime
from tests.integration.test_segments_web import bearer, world


def test_the_catalogue_counts_values_only_in_the_callers_scope(app: Flask) -> None:
    _, tokens = world(app)
    client = app.test_client()
    everyone = client.get("/api/v1/classification/dimensions", headers=bearer(tokens["admin"]))
    branch = client.get("/api/v1/classification/dimensions", headers=bearer(tokens["head2"]))
    tiers = {d["code"]: d for d in everyone.json["dimensions"]}["tier"]
    assert tiers["name"] == "资产层级" and tiers["month"] == "2026-11-01"
    assert {c["value"]: c["customers"] for c in tiers["counts"]}["vip"] == 4
    branch_tiers = {d["code"]: d for d in branch.json["dimensions"]}["tier"]
    assert {c["value"]: c["customers"] for c in branch_tiers["counts"]} == {
        "affluent": 1, "private": 1, "vip": 1}


def test_a_customers_classification_shows_current_values_and_tags(app: Flask) -> None:
    people, tokens = world(app)
    answer = app.test_client().get(f"/api/v1/customers/{people.ids['p2']}/classification",
                                   headers=bearer(tokens["admin"]))
    assert answer.status_code == 200
    values = answer.json["dimensions"]
    assert values["tier"][0]["value"] == "private"
    assert values["aum"][0]["amount"] == "7000000.00"
    assert [t["value"] for t in values["tag"]] == ["老客户"]


def test_mobile_banking_shows_under_channel_for_a_customer_and_in_the_catalogue(
        app: Flask) -> None:
    people, tokens = world(app)
    with runtime(app).uow() as uow:
        uow.session.add_all([DimensionValue(  # type: ignore[attr-defined]
            customer_id=people.ids["p2"], dimension="mobile", month=date(2026, month, 1),
            value=state, amount=count)
            for month, state, count in [(9, "active", 4), (10, "active", 7), (11, "inactive", 0)]])
        uow.commit()
    client = app.test_client()
    answer = client.get(f"/api/v1/customers/{people.ids['p2']}/classification",
                        headers=bearer(tokens["admin"]))
    assert [(v["value"], v["amount"]) for v in answer.json["dimensions"]["channel"]] == [
        ("mobile:inactive", "0.00"), ("last_login:2026-10", None)]
    assert "mobile" not in answer.json["dimensions"]
    catalogue = client.get("/api/v1/classification/dimensions", headers=bearer(tokens["admin"]))
    channel = {d["code"]: d for d in catalogue.json["dimensions"]}["channel"]
    assert channel["month"] == "2026-11-01"
    assert channel["counts"] == [{"value": "mobile:inactive", "customers": 1}]


def test_a_manager_cannot_read_another_managers_customer_or_the_imports(app: Flask) -> None:
    people, tokens = world(app)
    client = app.test_client()
    other = client.get(f"/api/v1/customers/{people.ids['p1']}/classification",
                       headers=bearer(tokens["m2"]))
    own = client.get(f"/api/v1/customers/{people.ids['p3']}/classification",
                     headers=bearer(tokens["m2"]))
    imports = client.get("/api/v1/classification/batches", headers=bearer(tokens["m2"]))
    assert (other.status_code, own.status_code) == (403, 200)
    assert imports.status_code == 403 and "总行" in imports.json["error"]["message"]


def test_head_office_lists_the_latest_imports_newest_first(app: Flask) -> None:
    _, tokens = world(app)
    answer = app.test_client().get("/api/v1/classification/batches",
                                   headers=bearer(tokens["admin"]))
    assert [(b["list_name"], b["month"]) for b in answer.json["batches"]] == [
        ("商户", "2026-11-01"), ("新市民", "2026-10-01"), ("新市民", "2026-11-01")]


def test_head_office_uploads_an_extract_and_a_bad_file_reports_every_row(
        app: Flask) -> None:
    _, tokens = world(app)
    client = app.test_client()
    good = "客户号,网点,月日均资产\n6200000001,SH001,1000.50\n".encode()
    bad = "客户号,网点,月日均资产\n6200000001,SH001,-5\n6200000002,SH001,abc\n".encode()
    form = {"kind": "balances", "month": "2026-12"}
    done = client.post("/api/v1/classification/imports", headers=bearer(tokens["admin"]),
                       data=form | {"file": (io.BytesIO(good), "aum.csv")})
    refused = client.post("/api/v1/classification/imports", headers=bearer(tokens["admin"]),
                          data=form | {"file": (io.BytesIO(bad), "aum.csv")})
    manager = client.post("/api/v1/classification/imports", headers=bearer(tokens["m2"]),
                          data=form | {"file": (io.BytesIO(good), "aum.csv")})
    assert done.status_code == 201
    assert (done.json["rows"], done.json["unmatched"]) == (1, 1)
    assert refused.status_code == 422
    assert [row["line"] for row in refused.json["rows"]] == [2, 3]
    assert manager.status_code == 403
