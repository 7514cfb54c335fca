"""A campaign approved with a schedule time starts by itself in the worker when the time comes
(nobody presses "send"), is audited as started by the worker, and goes out once; before its
time, or once cancelled, the worker leaves it alone. The clock is injected into the worker."""

from datetime import datetime, timedelta

from crm_core import services
from crm_core.model.campaigns import CampaignState
from crm_core.services import campaigns
from crm_core.unit_of_work import SqlUnitOfWork
from tests.builders import org
from tests.campaigns_support import APPROVER, draft, snapshot
from tests.integration.test_campaign_sending import (
    DAY,
    FOLLOWERS,
    POLICY,
    Factory,
    factory,
    mass_received,
    sender,
    state_of,
)
from tests.sandbox_support import SandboxHandle, api_for
from tests.segments_support import HEAD_OFFICE

__all__ = ["factory"]  # the fixture, shared with the sending tests
LATER = DAY + timedelta(hours=2)  # 12:00 in Beijing


def scheduled(factory: Factory, sandbox: SandboxHandle, at: datetime = LATER) -> int:
    sandbox.follow(*FOLLOWERS)
    with SqlUnitOfWork(factory) as uow:
        org(uow, {"SH001": ["SH001-01"], "SH002": []})
        for openid in FOLLOWERS:
            services.follow(uow, openid, "m:SH001-01", DAY)
        made = draft(uow, snapshot(uow, now=DAY), now=DAY, scheduled_at=at)
        campaigns.submit(uow, HEAD_OFFICE, made, DAY, POLICY)
        campaigns.approve(uow, APPROVER, made, DAY)
        uow.commit()
    return made


def test_a_scheduled_campaign_starts_by_itself_when_its_time_comes(
        factory: Factory, sandbox: SandboxHandle) -> None:
    campaign_id = scheduled(factory, sandbox)
    assert state_of(factory, campaign_id).state is CampaignState.SCHEDULED
    assert sender(factory, api_for(sandbox), LATER - timedelta(minutes=1)).run() == 0
    assert state_of(factory, campaign_id).state is CampaignState.SCHEDULED
    assert set(mass_received(sandbox).values()) == {0}
    assert sender(factory, api_for(sandbox), LATER).run() == 3
    assert set(mass_received(sandbox).values()) == {1}
    assert state_of(factory, campaign_id).state is CampaignState.DONE
    with SqlUnitOfWork(factory) as uow:
        trail = services.audit_trail(uow, HEAD_OFFICE, None)
    assert any(row["action"] == "campaign_started" and row["actor"] == "worker"
               for row in trail)


def test_a_cancelled_scheduled_campaign_never_starts(
        factory: Factory, sandbox: SandboxHandle) -> None:
    campaign_id = scheduled(factory, sandbox)
    with SqlUnitOfWork(factory) as uow:
        campaigns.cancel(uow, APPROVER, campaign_id, DAY)
        uow.commit()
    assert sender(factory, api_for(sandbox), LATER).run() == 0
    assert state_of(factory, campaign_id).state is CampaignState.CANCELLED
    assert set(mass_received(sandbox).values()) == {0}
