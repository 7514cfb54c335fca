"""/api/v1/campaigns: a campaign drafted by one member of head office and approved by another,
sent and reported; refusals come back as 422 with the Chinese reason."""

from flask import Flask

from bot.web.staff_auth import hash_password
from crm_core import services
from crm_core.model import StaffRole, utcnow
from tests.campaigns_support import TEXT, snapshot
from tests.conftest import runtime
from tests.console_support import PASSWORD
from tests.segments_support import populate_segments

STAFF = {"admin": StaffRole.HEAD_OFFICE, "checker": StaffRole.HEAD_OFFICE}


def tokens(app: Flask) -> tuple[int, dict[str, dict[str, str]]]:
    with runtime(app).uow() as uow:
        populate_segments(uow)  # type: ignore[arg-type]
        taken = snapshot(uow)  # type: ignore[arg-type]
        for name, role in STAFF.items():
            services.add_staff(uow, name, f"员工{name}", hash_password(PASSWORD), role, None,
                               None, "test", utcnow())
        uow.flush()
        issued = {name: {"Authorization": "Bearer " + services.issue_api_token(
            uow, name, "t", utcnow(), "test")} for name in STAFF}
        uow.commit()
    return taken, issued


def test_the_api_drafts_submits_approves_sends_and_reports_a_campaign(app: Flask) -> None:
    taken, bearer = tokens(app)
    client = app.test_client()
    made = client.post("/api/v1/campaigns", json={"name": "开放日", "snapshot_id": taken,
                                                   "content": TEXT}, headers=bearer["admin"])
    assert made.status_code == 201 and made.json["state"] == "draft"
    path = f"/api/v1/campaigns/{made.json['id']}"
    submitted = client.post(path + "/submit", headers=bearer["admin"]).json
    assert submitted["state"] == "pending_approval" and submitted["actions"] == ["cancel"]
    listed = client.get("/api/v1/campaigns", headers=bearer["checker"]).json["campaigns"]
    assert listed[0]["actions"] == ["approve", "reject", "cancel"]
    own = client.post(path + "/approve", headers=bearer["admin"])
    assert own.status_code == 422 and "不能审批自己起草的活动" in own.json["error"]["message"]
    assert client.post(path + "/approve", headers=bearer["checker"]).json["state"] == "approved"
    sent = client.post(path + "/send", headers=bearer["checker"]).json
    assert sent["state"] == "sending" and sent["actions"] == ["pause", "cancel"]
    report = client.get(path, headers=bearer["admin"]).json
    assert report["audience"]["planned"] == 7 and report["audience"]["suppressed:no_route"] == 1
    listed = client.get("/api/v1/campaigns", headers=bearer["checker"]).json["campaigns"]
    assert [row["name"] for row in listed] == ["开放日"]


def test_a_template_channel_is_refused_with_the_reason(app: Flask) -> None:
    taken, bearer = tokens(app)
    refused = app.test_client().post(
        "/api/v1/campaigns", json={"name": "x", "snapshot_id": taken, "content": TEXT,
                                   "channels": ["template"]}, headers=bearer["admin"])
    assert refused.status_code == 422
    assert "模板消息只能用于服务通知" in refused.json["error"]["message"]


def test_a_reviewer_rejects_a_campaign_back_to_its_drafter(app: Flask) -> None:
    taken, bearer = tokens(app)
    client = app.test_client()
    made = client.post("/api/v1/campaigns", json={"name": "开放日", "snapshot_id": taken,
                                                   "content": TEXT}, headers=bearer["admin"])
    path = f"/api/v1/campaigns/{made.json['id']}"
    client.post(path + "/submit", headers=bearer["admin"])
    assert client.post(path + "/reject", headers=bearer["admin"]).status_code == 422
    rejected = client.post(path + "/reject", headers=bearer["checker"]).json
    assert rejected["state"] == "draft" and rejected["actions"] == ["submit", "cancel"]
