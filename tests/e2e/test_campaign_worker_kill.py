"""A campaign sent by a real `branchlink worker` process through the sandbox over HTTP: the
worker is SIGKILLed while the platform holds the answer to a batch it has already delivered,
then started again; every follower gets the message exactly once and the campaign's counts
agree with what the platform received."""

import signal
from collections import Counter
from datetime import time
from pathlib import Path

import pytest
from sqlalchemy import select

from crm_core import services
from crm_core.db import make_engine, make_session_factory
from crm_core.model import utcnow
from crm_core.model.campaigns import Campaign, CampaignBatch, CampaignState, QuietHours
from crm_core.services import campaigns
from crm_core.unit_of_work import SqlUnitOfWork
from tests.builders import org
from tests.campaigns_support import APPROVER, draft, snapshot
from tests.e2e.test_notifications import sandbox, start, stop, wait_for, write_config
from tests.e2e.test_serve_and_simulate import free_port
from tests.sandbox_support import SandboxHandle, fake_openid
from tests.segments_support import HEAD_OFFICE

__all__ = ["sandbox"]  # the fixture: a sandbox where everyone follows
pytestmark = pytest.mark.slow
FOLLOWERS = [fake_openid(f"killed-{n}") for n in range(44)]
BATCH = 8  # 44 followers: 6 batches (5 of 8, one of 4)
MASS_SEND = "/cgi-bin/message/mass/send"
# Outside any quiet hours (start = end), so the test runs at any time of day.
ALWAYS_OPEN = QuietHours(time(0, 0), time(0, 0))


def started_campaign(database_url: str) -> int:
    now = utcnow()
    engine = make_engine(database_url)
    with SqlUnitOfWork(make_session_factory(engine)) as uow:
        org(uow, {"SH001": ["SH001-01"], "SH002": []})
        for openid in FOLLOWERS:
            services.follow(uow, openid, "m:SH001-01", now)
        made = draft(uow, snapshot(uow, now=now), now=now)
        campaigns.submit(uow, HEAD_OFFICE, made, now,
                         campaigns.ContactPolicy(quiet=ALWAYS_OPEN))
        campaigns.approve(uow, APPROVER, made, now)
        campaigns.start(uow, APPROVER, made, now)
        uow.commit()
    engine.dispose()
    return made


def progress(database_url: str, campaign_id: int) -> tuple[CampaignState, dict[str, int],
                                                          list[CampaignBatch]]:
    engine = make_engine(database_url)
    with SqlUnitOfWork(make_session_factory(engine)) as uow:
        state = uow.session.get_one(Campaign, campaign_id).state
        figures = campaigns.audience_figures(uow, campaign_id)
        batches = list(uow.session.scalars(select(CampaignBatch).where(
            CampaignBatch.campaign_id == campaign_id).order_by(CampaignBatch.id)))
        uow.session.expunge_all()
    engine.dispose()
    return state, figures, batches


def test_a_worker_killed_mid_send_and_restarted_sends_every_recipient_exactly_once(
        database_url: str, tmp_path: Path, sandbox: SandboxHandle) -> None:
    config = write_config(tmp_path / "b.toml", database_url, sandbox, free_port(),
                          read_timeout=5.0)
    config.write_text(config.read_text() + f"""
[campaigns]
quiet_start = "00:00"
quiet_end = "00:00"
batch_size = {BATCH}
poll_seconds = 0.2
""")
    sandbox.follow(*FOLLOWERS)
    campaign_id = started_campaign(database_url)
    # Each batch is delivered at once, its answer held back: a kill lands between the two.
    sandbox.inject({"path": MASS_SEND, "delay_seconds": 0.6, "times": 1000})
    log = tmp_path / "worker.log"
    worker = start(config, "worker", log)
    try:
        wait_for(lambda: sandbox.count(MASS_SEND) >= 2, 30)
    finally:
        stop(worker, signal.SIGKILL)
    state, figures, batches = progress(database_url, campaign_id)
    assert state is CampaignState.SENDING and figures.get("sent", 0) < len(FOLLOWERS)
    assert batches[-1].status == "claimed"  # delivered by the platform, never confirmed
    interrupted = batches[-1].client_msg_id
    restarted = start(config, "worker", log)
    try:
        wait_for(lambda: progress(database_url, campaign_id)[0] is CampaignState.DONE, 40)
    finally:
        stop(restarted)

    received = Counter(openid for openid in FOLLOWERS for entry in sandbox.inbox(openid)
                       if entry["kind"] == "mass")
    assert set(received.values()) == {1} and len(received) == len(FOLLOWERS)
    state, figures, batches = progress(database_url, campaign_id)
    assert figures == {"sent": len(FOLLOWERS)}
    assert [batch.size for batch in batches] == [BATCH] * 5 + [4]
    assert all(batch.status == "submitted" for batch in batches)
    calls = sandbox.requests(MASS_SEND)
    accepted = {call["json"]["clientmsgid"]: call["response"]["msg_id"] for call in calls
                if call["response"].get("errcode", 0) == 0}
    # One job per batch, each recorded with the platform's msg_id; the batch the kill
    # interrupted was sent again with its clientmsgid and answered with its first job.
    assert {batch.client_msg_id: batch.msg_id for batch in batches} == accepted
    again = [call for call in calls if call["response"].get("errcode") == 45065]
    assert [call["json"]["clientmsgid"] for call in again] == [interrupted]
