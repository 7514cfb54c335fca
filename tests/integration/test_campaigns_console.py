"""The console's campaigns: drafted from a snapshot, submitted, approved by a second person,
shown with the compliance check and the audience after suppressions, exported (audited)."""

from flask import Flask
from flask.testing import FlaskClient

from bot.web.staff_auth import hash_password
from crm_core import services
from crm_core.model import StaffRole, utcnow
from tests.campaigns_support import TEXT, snapshot
from tests.conftest import runtime
from tests.console_support import PASSWORD, csrf_token, login
from tests.segments_support import HEAD_OFFICE, populate_segments


def staffed(app: Flask) -> int:
    with runtime(app).uow() as uow:
        people = populate_segments(uow)  # type: ignore[arg-type]
        services.campaigns.opt_out(uow, "p2", utcnow())
        taken = snapshot(uow)  # type: ignore[arg-type]
        for name in ("drafter", "checker"):
            services.add_staff(uow, name, f"员工{name}", hash_password(PASSWORD),
                               StaffRole.HEAD_OFFICE, None, None, "test", utcnow())
        uow.commit()
    assert people.ids
    return taken


def console(app: Flask, username: str) -> tuple[FlaskClient, str]:
    client = app.test_client()
    assert login(client, username).status_code == 302
    return client, csrf_token(client.get("/console/campaigns").text)


def test_a_campaign_is_drafted_submitted_and_approved_by_another_in_the_console(
        app: Flask) -> None:
    taken = staffed(app)
    drafter, token = console(app, "drafter")
    saved = drafter.post("/console/campaigns", data={
        "csrf_token": token, "name": "开放日", "snapshot_id": str(taken), "content": TEXT,
        "channels": "mass", "control_share": "0"})
    assert saved.headers["Location"].endswith("/console/campaigns/1")
    drafter.post("/console/campaigns/1/submit", data={"csrf_token": token})
    page = drafter.get("/console/campaigns/1").text
    assert "待审批" in page and "合规检查通过" in page and "已剔除：客户退订" in page
    # The drafter is offered no approval; a refused action posted anyway still says why.
    assert 'data-action="cancel"' in page and 'data-action="approve"' not in page
    drafter.post("/console/campaigns/1/approve", data={"csrf_token": token})
    assert "不能审批自己起草的活动" in drafter.get("/console/campaigns/1").text
    checker, token = console(app, "checker")
    assert 'data-action="approve"' in checker.get("/console/campaigns/1").text
    checker.post("/console/campaigns/1/approve", data={"csrf_token": token})
    page = checker.get("/console/campaigns/1").text
    assert "已审批" in page and 'data-action="send"' in page and 'data-action="submit"' not in page
    exported = checker.get("/console/campaigns/1/report.csv")
    assert "已剔除：客户退订,1" in exported.text
    with runtime(app).uow() as uow:
        actions = [row["action"] for row in services.audit_trail(uow, HEAD_OFFICE, None)]  # type: ignore[arg-type]
    assert "campaign_export" in actions


def test_a_template_channel_or_a_banned_phrase_is_refused_on_the_form(app: Flask) -> None:
    taken = staffed(app)
    drafter, token = console(app, "drafter")
    drafter.post("/console/campaigns", data={
        "csrf_token": token, "name": "x", "snapshot_id": str(taken), "content": "保本保息",
        "channels": "mass"})
    assert "禁用表述“保本”" in drafter.get("/console/campaigns").text


def test_a_schedule_in_beijing_time_is_kept_and_a_past_one_is_refused(app: Flask) -> None:
    taken = staffed(app)
    drafter, token = console(app, "drafter")
    form = {"csrf_token": token, "name": "开放日", "snapshot_id": str(taken), "content": TEXT,
            "channels": "mass"}
    drafter.post("/console/campaigns", data={**form, "scheduled_at": "2020-01-01T10:00"})
    assert "排期发送时间须晚于现在" in drafter.get("/console/campaigns").text
    drafter.post("/console/campaigns", data={**form, "scheduled_at": "明天"})
    assert "排期发送时间须晚于现在" in drafter.get("/console/campaigns").text
    saved = drafter.post("/console/campaigns", data={**form, "scheduled_at": "2099-03-01T10:00"})
    page = drafter.get(saved.headers["Location"]).text
    assert "排期 2099-03-01 10:00（北京时间" in page
    with runtime(app).uow() as uow:
        (row,) = services.campaigns.campaigns_seen(uow, HEAD_OFFICE)  # type: ignore[arg-type]
        assert row.scheduled_at is not None and row.scheduled_at.hour == 2  # stored in UTC


def test_a_product_to_link_is_kept_and_an_unknown_one_is_refused_on_the_form(
        app: Flask) -> None:
    taken = staffed(app)
    drafter, token = console(app, "drafter")
    form = {"csrf_token": token, "name": "开放日", "snapshot_id": str(taken), "content": TEXT,
            "channels": "mass"}
    drafter.post("/console/campaigns", data={**form, "product_code": "NOPE"})
    assert "产品代码“NOPE”不存在或不能分享" in drafter.get("/console/campaigns").text
    saved = drafter.post("/console/campaigns", data={**form, "product_code": "WM001"})
    assert "活动链接（产品 WM001）打开 0 人" in drafter.get(saved.headers["Location"]).text
