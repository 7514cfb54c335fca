"""Managers' calls and visits through /api/v1 and `branchlink campaigns tasks`: each caller
lists the tasks in their scope (a manager their own customers', a branch head the branch's),
masked and filtered; an outcome recorded there is refused on another's customer, opens a lead
when the customer is interested, is audited as the console's, and leaves the open list."""

import json
from datetime import datetime

from flask import Flask

from bot.web.staff_auth import hash_password
from crm_core import services
from crm_core.model.campaigns import ContactBlock
from crm_core.services.segments.audience import mask_name
from tests.campaigns_support import TEXT, staff_for_tasks, with_tasks
from tests.conftest import runtime
from tests.console_support import PASSWORD
from tests.integration.test_campaigns_cli import run
from tests.segments_support import HEAD_OFFICE, populate_segments

DAY = datetime(2026, 11, 18, 2, 0)  # 10:00 in Beijing: calls are due
TASKS = "/api/v1/campaigns/tasks"
STAFF = ("mgr1", "mgr2", "head1", "head2", "ho")


def tasked(app: Flask) -> tuple[int, int, dict[str, dict[str, str]]]:
    with runtime(app).uow() as uow:
        people = populate_segments(uow, DAY)  # type: ignore[arg-type]
        campaign_id = with_tasks(uow, DAY)  # type: ignore[arg-type]
        staff_for_tasks(uow, hash_password(PASSWORD), DAY)  # type: ignore[arg-type]
        uow.flush()
        bearer = {name: {"Authorization": "Bearer " + services.issue_api_token(
            uow, name, "t", DAY, "test")} for name in STAFF}
        uow.commit()
    return campaign_id, people.ids["p4"], bearer


def test_the_api_lists_tasks_in_scope_and_records_an_outcome(app: Flask) -> None:
    campaign_id, customer_id, bearer = tasked(app)
    client = app.test_client()
    mine = client.get(TASKS, headers=bearer["mgr2"]).json
    assert mine["total"] == 1
    (task,) = mine["tasks"]
    assert task["customer_id"] == customer_id and task["customer"] == mask_name(None, "p4")
    assert task["script"] == TEXT and task["outcome"] is None and task["due_at"].endswith("Z")
    assert client.get(TASKS, headers=bearer["mgr1"]).json["total"] == 0
    assert client.get(TASKS, headers=bearer["head1"]).json["total"] == 1
    assert client.get(TASKS, headers=bearer["head2"]).json["total"] == 0
    assert client.get(f"{TASKS}?campaign_id={campaign_id + 1}",
                      headers=bearer["ho"]).json["total"] == 0
    url = f"/api/v1/campaigns/{campaign_id}/tasks/{customer_id}"
    other = client.post(url, json={"outcome": "reached"}, headers=bearer["mgr1"])
    assert other.status_code == 404 and "不是您名下客户的任务" in other.json["error"]["message"]
    wrong = client.post(url, json={"outcome": "maybe"}, headers=bearer["mgr2"])
    assert wrong.status_code == 422 and "结果只能是" in wrong.json["error"]["message"]
    done = client.post(url, json={"outcome": "interested"}, headers=bearer["mgr2"])
    assert done.status_code == 200 and done.json["outcome"] == "interested"
    assert client.get(TASKS, headers=bearer["mgr2"]).json["total"] == 0
    recorded = client.get(f"{TASKS}?state=done&outcome=interested", headers=bearer["mgr2"]).json
    assert [row["outcome"] for row in recorded["tasks"]] == ["interested"]
    assert client.get(f"{TASKS}?state=later", headers=bearer["mgr2"]).status_code == 422
    with runtime(app).uow() as uow:
        trail = services.audit_trail(uow, HEAD_OFFICE, None)  # type: ignore[arg-type]
        sources = [lead["source"] for lead in services.list_leads(uow, None, None, 10)]  # type: ignore[arg-type]
    outcome = next(row for row in trail if row["action"] == "campaign_task_outcome")
    assert outcome["actor"] == "mgr2" and outcome["detail"]["task_outcome"] == "interested"
    assert f"campaign:{campaign_id}" in sources


def test_the_cli_lists_tasks_and_records_a_do_not_contact(app: Flask) -> None:
    campaign_id, customer_id, _ = tasked(app)
    listed = run(app, ["tasks", "list", "--as", "mgr2"])
    assert listed.exit_code == 0
    (task,) = [json.loads(line) for line in listed.stdout.splitlines()]
    assert task["customer_id"] == customer_id and task["campaign_id"] == campaign_id
    assert run(app, ["tasks", "list", "--as", "mgr1"]).stdout == ""
    refused = run(app, ["tasks", "outcome", str(campaign_id), str(customer_id), "reached",
                        "--as", "mgr1"])
    assert refused.exit_code == 1 and "不是您名下客户的任务" in refused.output
    done = run(app, ["tasks", "outcome", str(campaign_id), str(customer_id), "do_not_contact",
                     "--as", "mgr2"])
    assert done.exit_code == 0, done.output
    assert run(app, ["tasks", "list", "--as", "mgr2"]).stdout == ""
    recorded = run(app, ["tasks", "list", "--state", "done", "--as", "head1"]).stdout
    assert json.loads(recorded)["outcome"] == "do_not_contact"
    with runtime(app).uow() as uow:
        trail = services.audit_trail(uow, HEAD_OFFICE, None)  # type: ignore[arg-type]
        block = uow.session.get(ContactBlock, (customer_id, "dnc"))  # type: ignore[attr-defined]
        blocked_by = block.by if block else None
    assert ("campaign_task_outcome", "mgr2") in [(row["action"], row["actor"]) for row in trail]
    assert blocked_by == "mgr2"  # no campaign reaches them again
