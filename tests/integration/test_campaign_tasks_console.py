"""Managers' calls and visits in the console: each sees their own customers' open tasks (a
branch head the branch's), masked, with the script and due date; recording an outcome is
audited, takes the task off the list, and "有意向" opens a lead."""

from datetime import datetime

from flask import Flask
from flask.testing import FlaskClient

from bot.labels import audit_detail
from bot.web.staff_auth import hash_password
from crm_core import services
from crm_core.services.segments.audience import mask_name
from tests.campaigns_support import TEXT, staff_for_tasks, with_tasks
from tests.conftest import runtime
from tests.console_support import PASSWORD, csrf_token, login
from tests.segments_support import HEAD_OFFICE, populate_segments

TASKS = "/console/campaigns/tasks"
DAY = datetime(2026, 11, 18, 2, 0)  # 10:00 in Beijing: calls are due


def tasked(app: Flask) -> tuple[int, int, str]:
    now = DAY
    with runtime(app).uow() as uow:
        people = populate_segments(uow, now)  # type: ignore[arg-type]
        campaign_id = with_tasks(uow, now)  # type: ignore[arg-type]
        staff_for_tasks(uow, hash_password(PASSWORD), now)  # type: ignore[arg-type]
        uow.commit()
    return campaign_id, people.ids["p4"], mask_name(None, "p4")


def console(app: Flask, username: str) -> FlaskClient:
    client = app.test_client()
    assert login(client, username).status_code == 302
    return client


def test_a_manager_sees_their_own_open_calls_masked_with_the_script(app: Flask) -> None:
    campaign_id, customer_id, masked = tasked(app)
    page = console(app, "mgr2").get(TASKS).text
    assert masked in page and TEXT in page and "待处理 1 条" in page
    assert f'data-task="{campaign_id}-{customer_id}"' in page
    assert "没有待处理的外呼/走访任务" in console(app, "mgr1").get(TASKS).text
    assert "待处理 1 条" in console(app, "head1").get(TASKS).text
    assert "待处理 0 条" in console(app, "head2").get(TASKS).text


def test_the_home_page_and_the_campaign_lead_to_the_calls(app: Flask) -> None:
    campaign_id, _, _ = tasked(app)
    manager = console(app, "mgr2")
    assert "外呼/走访任务（1）" in manager.get("/console/").text
    assert TASKS in console(app, "head1").get("/console/").text
    head_office = console(app, "ho")
    assert TASKS in head_office.get(f"/console/campaigns/{campaign_id}").text


def test_an_interested_customer_becomes_a_lead_and_the_outcome_is_audited(
        app: Flask) -> None:
    campaign_id, customer_id, masked = tasked(app)
    manager = console(app, "mgr2")
    token = csrf_token(manager.get(TASKS).text)
    other = console(app, "mgr1")
    url = f"/console/campaigns/{campaign_id}/tasks/{customer_id}"
    other.post(url, data={"csrf_token": csrf_token(other.get(TASKS).text),
                          "outcome": "reached"})
    assert "不是您名下客户的任务" in other.get(TASKS).text
    manager.post(url, data={"csrf_token": token, "outcome": "maybe"})
    assert "结果只能是" in manager.get(TASKS).text
    manager.post(url, data={"csrf_token": token, "outcome": "interested"})
    page = manager.get(TASKS).text
    assert "已记录结果" in page and masked not in page
    with runtime(app).uow() as uow:
        trail = services.audit_trail(uow, HEAD_OFFICE, None)  # type: ignore[arg-type]
        sources = [lead["source"] for lead in services.list_leads(uow, None, None, 10)]  # type: ignore[arg-type]
    outcome = next(row for row in trail if row["action"] == "campaign_task_outcome")
    assert outcome["actor"] == "mgr2"
    assert "结果：有意向" in audit_detail(outcome["detail"])  # the audit page's words
    assert f"campaign:{campaign_id}" in sources
