"""Segments through the console and /api/v1: live counts, faults by JSON path, snapshots,
the masked export, each caller's scope."""

import json
from typing import Any

from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import select

from bot.web.staff_auth import hash_password
from crm_core import services
from crm_core.model import AuditEvent, StaffRole, utcnow
from tests.conftest import runtime
from tests.console_support import PASSWORD, csrf_token, login
from tests.segments_support import Population, populate_segments

RULE = {"all": [{"dim": "tier", "op": "in", "value": ["vip", "private"]},
                {"any": [{"dim": "group", "op": "member", "value": "新市民"},
                         {"dim": "tag", "op": "member", "value": "老客户"}]},
                {"not": {"dim": "follow", "op": "eq", "value": "unfollowed"}}]}
STAFF = {"admin": (StaffRole.HEAD_OFFICE, None, None),
         "head2": (StaffRole.BRANCH_HEAD, None, "SH002"),
         "m2": (StaffRole.MANAGER, "SH001-02", None)}


def world(app: Flask) -> tuple[Population, dict[str, str]]:
    with runtime(app).uow() as uow:
        people = populate_segments(uow)  # type: ignore[arg-type]
        for name, (role, manager, branch) in STAFF.items():
            services.add_staff(uow, name, f"员工{name}", hash_password(PASSWORD), role, manager,
                               branch, "test", utcnow())
        uow.flush()
        tokens = {name: services.issue_api_token(uow, name, "t", utcnow(), "test")
                  for name in STAFF}
        uow.commit()
    return people, tokens


def bearer(token: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {token}"}


def console(app: Flask, username: str) -> tuple[FlaskClient, str]:
    client = app.test_client()
    assert login(client, username).status_code == 302
    return client, csrf_token(client.get("/console/segments/new").text)


def test_the_api_counts_a_rule_and_points_at_a_fault_by_its_json_path(app: Flask) -> None:
    _, tokens = world(app)
    client = app.test_client()
    counted = client.post("/api/v1/segments/count", json={"rule": RULE},
                          headers=bearer(tokens["admin"]))
    assert counted.json == {"members": 2, "excluded": 1, "profiling": ["group", "tier"]}
    bad = {"all": [RULE["all"][0], {"dim": "tier", "op": "like", "value": "v"}]}
    refused = client.post("/api/v1/segments/count", json={"rule": bad},
                          headers=bearer(tokens["admin"]))
    assert refused.status_code == 400
    assert refused.json["error"]["path"] == "$.all[1].op"
    assert "比较方式" in refused.json["error"]["message"]


def test_the_api_saves_previews_and_snapshots_in_the_callers_scope(app: Flask) -> None:
    people, tokens = world(app)
    client = app.test_client()
    made = client.post("/api/v1/segments", json={"name": "本行全部", "rule": {
        "dim": "follow", "op": "in", "value": ["following", "unfollowed"]}},
        headers=bearer(tokens["head2"]))
    assert made.status_code == 201 and made.json["scope"] == "branch"
    segment = made.json["id"]
    preview = client.get(f"/api/v1/segments/{segment}/preview", headers=bearer(tokens["head2"]))
    assert {row["id"] for row in preview.json["members"]} == people.members("p5", "p6", "p8")
    assert client.get(f"/api/v1/segments/{segment}/count",
                      headers=bearer(tokens["admin"])).json["members"] == 3
    assert client.get(f"/api/v1/segments/{segment}/count",
                      headers=bearer(tokens["m2"])).status_code == 404
    frozen = client.post(f"/api/v1/segments/{segment}/snapshots", headers=bearer(tokens["head2"]))
    assert frozen.status_code == 201 and frozen.json["members"] == 3
    listed = client.get("/api/v1/segments", headers=bearer(tokens["m2"])).json["segments"]
    assert listed == []


def test_the_builder_counts_live_and_shows_a_fault_with_its_path(app: Flask) -> None:
    world(app)
    client, token = console(app, "admin")
    page = client.get("/console/segments/new").text
    options = json.loads(page.split('id="segment-options">')[1].split("</script>")[0])
    assert {"tier", "group", "risk", "channel", "follow"} <= {d["code"] for d in options}
    tier = next(d for d in options if d["code"] == "tier")
    assert ["vip", "贵宾"] in tier["values"] and tier["profiling"]
    fragment = client.post("/console/segments/count", data={
        "rule": json.dumps(RULE), "csrf_token": token}).text
    assert 'data-members="2"' in fragment and 'data-excluded="1"' in fragment
    fault = client.post("/console/segments/count", data={
        "rule": json.dumps({"any": [{"dim": "鞋码", "op": "eq", "value": "1"}]}),
        "csrf_token": token}).text
    assert 'data-path="$.any[0].dim"' in fault and "没有名为“鞋码”的维度" in fault


def test_a_saved_segment_is_snapshotted_previewed_and_exported_masked(app: Flask) -> None:
    people, _ = world(app)
    client, token = console(app, "admin")
    saved = client.post("/console/segments", data={"name": "贵宾新市民", "rule": json.dumps(RULE),
                                                    "csrf_token": token})
    segment = int(saved.headers["Location"].rsplit("/", 1)[1])
    assert client.post(f"/console/segments/{segment}/snapshot",
                       data={"csrf_token": token}).status_code == 302
    page = client.get(f"/console/segments/{segment}").text
    assert "data-snapshot=" in page and "贵宾新市民" in page
    preview = client.post("/console/segments/preview", data={
        "rule": json.dumps(RULE), "segment": str(segment), "csrf_token": token}).text
    assert preview.count("data-customer=") == 2 and 'id="segment-branch"' in preview
    exported = client.get(f"/console/segments/{segment}.csv")
    lines = exported.get_data(as_text=True).lstrip("\ufeff").splitlines()
    assert lines[0].startswith("编号,客户,手机") and len(lines) == 3
    assert all("客户…" in line for line in lines[1:])
    with runtime(app).uow() as uow:
        actions: Any = list(uow.session.scalars(select(AuditEvent.action)))  # type: ignore[attr-defined]
    assert {"segment_created", "segment_snapshot", "segment_exported"} <= set(actions)
    listing = client.get(f"/console/segments/{segment}/count").text
    assert 'data-members="2"' in listing
    assert people.ids
