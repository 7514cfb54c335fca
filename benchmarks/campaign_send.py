"""Sending a campaign's mass messages through the loopback sandbox, against a bare loop.

`python -m benchmarks campaign_send [--followers N] [--calls-per-minute N]` makes its own
PostgreSQL database `bench_campaign_send` with N followers (100,000 by default) in a snapshot,
submits, approves and starts a mass-send campaign to them, and runs the worker's campaign
sender (built from a configuration file as `branchlink worker` builds it: runtime, API client,
contact policy, limits) against the sandbox, a separate process on loopback, until the campaign
is done. The **baseline**, in the same run: a bare loop of wechatpy mass sends with the same
openid lists (10,000 a call) to the same sandbox, no database. Printed: elapsed time, batches,
calls per minute against the configured limits, the ratio to the baseline, peak memory.
"""

import argparse
import os
import resource
import sys
import tempfile
import time
from collections.abc import Callable
from datetime import datetime
from pathlib import Path

import psycopg
import requests
from sqlalchemy import func, select
from wechatpy import WeChatClient

from benchmarks import segments_data
from benchmarks.support import ADMIN_URL, fresh_database, serving
from bot.config import load_settings
from bot.runtime import build_runtime, contact_policy, send_limits
from bot.worker.campaigns import CampaignSender
from crm_core.model import Scope, StaffRole, utcnow
from crm_core.model.campaigns import (
    Campaign,
    CampaignBatch,
    CampaignRecipient,
    CampaignState,
    RecipientStatus,
)
from crm_core.services import campaigns
from crm_core.services.campaigns.drafts import sql_unit
from crm_core.services.campaigns.sending import Limits
from crm_core.unit_of_work import UnitOfWork

APP_ID, SECRET, PORT = "wx5e4d5e4d5e4d5e4d", "bench-secret", 18095
SANDBOX = f"http://127.0.0.1:{PORT}"
NAME = "bench_campaign_send"
URL = f"postgresql+psycopg://postgres@127.0.0.1:5432/{NAME}"
TEXT = "本月网点开放日，欢迎到店咨询。"
DRAFTER = Scope(0, "bench", "总行", StaffRole.HEAD_OFFICE, None, None)
APPROVER = Scope(1, "bench-approver", "总行审批", StaffRole.HEAD_OFFICE, None, None)
Units = Callable[[], UnitOfWork]
POLL_SECONDS = 5.0  # the worker's default [campaigns] poll_seconds
SNAPSHOT = [
    """INSERT INTO segments (name, owner, scope, kind, rule, created_at, updated_at)
       VALUES ('关注客户', 'bench', 'network', 'rule',
               '{"dim": "follow", "op": "eq", "value": "following"}', now(), now())""",
    """INSERT INTO segment_snapshots (segment_id, taken_at, rule, members, excluded, staff)
       SELECT id, now(), rule, 0, 0, 'bench' FROM segments""",
    """INSERT INTO segment_members (snapshot_id, customer_id)
       SELECT 1, id FROM customers WHERE follow_state = 'following'""",
]


def main(args: list[str] | None = None) -> None:
    """Load the followers, send the campaign, time the bare loop, drop the database."""
    parser = argparse.ArgumentParser(prog="python -m benchmarks campaign_send")
    parser.add_argument("--followers", type=int, default=100_000)
    parser.add_argument("--calls-per-minute", type=int, default=60,
                        help="[campaigns] calls_per_minute (60: the platform's)")
    parser.add_argument("--keep", action="store_true", help="leave the database")
    options = parser.parse_args(args or [])
    try:
        fresh_database(NAME)
    except psycopg.OperationalError as error:
        sys.exit(f"campaign_send benchmark needs PostgreSQL on 127.0.0.1:5432: {error}")
    try:
        with tempfile.TemporaryDirectory() as name, serving(
                [sys.executable, "-m", "bot.cli", "sandbox", "--port", str(PORT),
                 "--app-id", APP_ID], f"{SANDBOX}/_sandbox/requests",
                {"BRANCHLINK_SANDBOX_APP_SECRET": SECRET}):
            config = _config(Path(name), options.calls_per_minute)
            openids = _load(options.followers)
            _run(config, openids)
    finally:
        if not options.keep:
            with psycopg.connect(ADMIN_URL, autocommit=True) as connection:
                connection.execute(f"DROP DATABASE IF EXISTS {NAME}")


def _config(folder: Path, calls_per_minute: int) -> Path:
    path = folder / "send.toml"
    path.write_text(f'[wechat]\napp_id = "{APP_ID}"\ntoken = "benchtoken"\n'
                    f'app_secret = "{SECRET}"\napi_base_url = "{SANDBOX}"\nread_timeout = 30\n'
                    f'[web]\nsecret_key = "{"s" * 32}"\n[database]\nurl = "{URL}"\n'
                    f'[webhook]\nspool_dir = "{folder}/spool"\n'
                    # No quiet hours: the run must not depend on the time of day.
                    f'[campaigns]\nquiet_start = "00:00"\nquiet_end = "00:00"\n'
                    f"calls_per_minute = {calls_per_minute}\n")
    return path


def _load(followers: int) -> list[str]:
    """Load `followers` following customers (one in 17 of the data set has unfollowed)."""
    started = time.perf_counter()
    customers = followers + (followers - 1) // 16
    with psycopg.connect(URL.replace("+psycopg", ""), autocommit=True) as connection:
        for statement in [*segments_data.statements(customers)[:3], *SNAPSHOT]:
            connection.execute(statement)
        connection.execute("VACUUM ANALYZE")
        openids = [row[0] for row in connection.execute(
            "SELECT c.openid FROM segment_members m JOIN customers c ON c.id = m.customer_id "
            "ORDER BY c.id")]
    # The platform knows them as followers (one call to the sandbox's control API).
    requests.post(f"{SANDBOX}/_sandbox/followers", json={"openids": openids},
                  timeout=120).raise_for_status()
    print(f"campaign_send benchmark: {len(openids):,} followers loaded in "
          f"{time.perf_counter() - started:.0f} s")
    return openids


def _run(config: Path, openids: list[str]) -> None:
    settings = load_settings(config)
    runtime = build_runtime(settings)
    policy, limits = contact_policy(settings), send_limits(settings)
    campaign_id = _campaign(runtime.uow, policy)
    baseline = _bare_loop(openids, limits.batch_size)
    # As `branchlink worker` builds it (bot/worker/scheduler.py), polled as its job is.
    sender = CampaignSender(lambda: sql_unit(runtime.uow()), runtime.api(), policy, limits)
    load = os.getloadavg()[0]
    started = time.perf_counter()
    while _state(runtime.uow, campaign_id) is CampaignState.SENDING:
        if sender.run() == 0:  # the limits leave no call now: the job's next run
            time.sleep(POLL_SECONDS)
    took = time.perf_counter() - started
    sizes, times, sent = _figures(runtime.uow, campaign_id)
    runtime.engine.dispose()
    calls = len(sizes)
    busiest = max(sum(1 for other in times if 0 <= (other - at).total_seconds() < 60)
                  for at in times)
    floor = _limits_floor(calls, limits)
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"send: {sent:,} recipients sent in {took:.2f} s, {calls} mass-send calls "
          f"({min(sizes):,}-{max(sizes):,} openids each, limit {limits.batch_size:,}); "
          f"busiest minute {busiest} calls, limits {limits.calls_per_minute}/min and "
          f"{limits.calls_per_day}/day; the limits alone need >= {floor:.0f} s for {calls} calls")
    print(f"baseline (bare wechatpy loop of the same {calls} mass sends, no database) "
          f"{baseline:.2f} s; the campaign took {took:.2f} s = the limits' {floor:.0f} s + "
          f"{took - floor:.2f} s, {(took - floor) / baseline:.2f}x the bare loop's time "
          f"(a wait for the job's next run, up to {POLL_SECONDS:.0f} s, included when the "
          f"limits held it); "
          f"peak RSS {peak:.0f} MB (this process: loading, planning and sending); load "
          f"{load:.1f} at the start, {os.getloadavg()[0]:.1f} at the end, "
          f"{os.cpu_count()} cores")
    if sent != len(openids):
        sys.exit(f"only {sent:,} of {len(openids):,} recipients were sent")


def _limits_floor(calls: int, limits: Limits) -> float:
    """Return the least time the per-minute and per-day limits leave for `calls` calls."""
    days = -(-calls // limits.calls_per_day) - 1
    last_day = calls - days * limits.calls_per_day
    return days * 86_400.0 + (-(-last_day // limits.calls_per_minute) - 1) * 60.0


def _campaign(uow_factory: Units, policy: campaigns.ContactPolicy) -> int:
    now = utcnow()
    with sql_unit(uow_factory()) as uow:
        draft = campaigns.Draft(name="开放日", purpose="marketing", snapshot_id=1, content=TEXT)
        campaign = campaigns.create_campaign(uow, DRAFTER, draft, now)
        uow.commit()
        figures = campaigns.submit(uow, DRAFTER, campaign.id, now, policy)
        campaigns.approve(uow, APPROVER, campaign.id, now)
        campaigns.start(uow, APPROVER, campaign.id, now)
        uow.commit()
        print("audience: " + ", ".join(f"{key} {value:,}" for key, value in
                                       sorted(figures.items())))
        return campaign.id


def _bare_loop(openids: list[str], batch_size: int) -> float:
    """Time wechatpy's mass sends of the same openid lists, one after another."""
    token = requests.post(f"{SANDBOX}/cgi-bin/stable_token", timeout=5, json={
        "grant_type": "client_credential", "appid": APP_ID, "secret": SECRET}).json()
    client = WeChatClient(APP_ID, SECRET, access_token=token["access_token"], timeout=30)
    client.API_BASE_URL = f"{SANDBOX}/cgi-bin/"
    started = time.perf_counter()
    for number, first in enumerate(range(0, len(openids), batch_size)):
        client.message.send_mass_text(openids[first:first + batch_size], TEXT,
                                      client_msg_id=f"bare-{number}")
    return time.perf_counter() - started


def _state(uow_factory: Units, campaign_id: int) -> CampaignState:
    with sql_unit(uow_factory()) as uow:
        return uow.session.get_one(Campaign, campaign_id).state


def _figures(uow_factory: Units,
             campaign_id: int) -> tuple[list[int], list[datetime], int]:
    with sql_unit(uow_factory()) as uow:
        batches = uow.session.execute(select(CampaignBatch.size, CampaignBatch.created_at)
                                      .where(CampaignBatch.campaign_id == campaign_id)).all()
        sent = uow.session.scalar(select(func.count()).where(
            CampaignRecipient.campaign_id == campaign_id,
            CampaignRecipient.status == RecipientStatus.SENT)) or 0
    return [size for size, _ in batches], [at for _, at in batches], sent
