"""The campaign page shows its progress live: while the campaign may still send, a fragment of
its audience and state is polled (htmx); when the worker has sent it, the fragment says so,
updates the state badge and stops polling."""

from flask import Flask

from bot.web.staff_auth import hash_password
from crm_core import services
from crm_core.model import StaffRole, utcnow
from crm_core.unit_of_work import SqlUnitOfWork
from tests.console_support import PASSWORD, login
from tests.integration.test_campaign_schedule import LATER, scheduled
from tests.integration.test_campaign_sending import Factory, factory, sender
from tests.sandbox_support import SandboxHandle, api_for

__all__ = ["factory"]  # the fixture, shared with the sending tests


def test_the_campaign_page_polls_its_progress_until_the_worker_has_sent_it(
        app: Flask, factory: Factory, sandbox: SandboxHandle) -> None:
    campaign_id = scheduled(factory, sandbox)
    with SqlUnitOfWork(factory) as uow:
        services.add_staff(uow, "watcher", "总行员工", hash_password(PASSWORD),
                           StaffRole.HEAD_OFFICE, None, None, "test", utcnow())
        uow.commit()
    client = app.test_client()
    assert login(client, "watcher").status_code == 302
    progress = f"/console/campaigns/{campaign_id}/progress"
    page = client.get(f"/console/campaigns/{campaign_id}").text
    assert f'hx-get="{progress}"' in page and 'hx-trigger="every 5s"' in page
    assert "已排期" in page and "待发送" in page
    sender(factory, api_for(sandbox), LATER).run()
    fragment = client.get(progress).text
    assert "已发送" in fragment and ">25<" in fragment and "待发送" not in fragment
    assert 'id="campaign-state" hx-swap-oob="true">已完成' in fragment
    assert "hx-trigger" not in fragment
    assert client.get("/console/campaigns/999/progress").status_code == 404
