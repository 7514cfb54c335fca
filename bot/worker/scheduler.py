"""Background work run by `branchlink worker` on APScheduler.

Every worker delivers notices and replays the spool (in-memory jobs: safe to run anywhere,
claims and dedupe keep them exactly-once). Clock jobs (lead chasing, the daily digest, the home
pages' figures) live in the database job store and run only on the worker holding the leader
lease, so that they survive restarts and never run twice; their effects are idempotent besides.
"""

import logging
import os
import socket
import uuid
from datetime import UTC, datetime
from typing import Any
from zoneinfo import ZoneInfo

from apscheduler.executors.pool import ThreadPoolExecutor
from apscheduler.jobstores.sqlalchemy import SQLAlchemyJobStore
from apscheduler.schedulers.base import BaseScheduler
from apscheduler.schedulers.blocking import BlockingScheduler
from apscheduler.triggers.cron import CronTrigger
from sqlalchemy.exc import SQLAlchemyError

from bot.config import Settings
from bot.inbound import CHANNEL, OUTAGE
from bot.metrics import WORKER_LEADER
from bot.runtime import Runtime, contact_policy, send_limits
from bot.spool import FAILED
from bot.worker.campaigns import CampaignSender, TrackedText
from bot.worker.outbox import Outbox
from crm_core import services
from crm_core.model import utcnow
from crm_core.services.campaigns.drafts import sql_unit

log = logging.getLogger(__name__)
LEADER_KEY = "scheduler:leader"
LEASE_SECONDS, LEASE_CHECK_SECONDS = 30, 10
PERSISTENT = "persistent"
# Clock jobs are stored by reference; replace_existing rewrites a stored reference on start.
JOBS = "bot.worker.jobs"


def worker_id() -> str:
    """Name this worker process uniquely (host, pid, random suffix)."""
    return f"{socket.gethostname()}:{os.getpid()}:{uuid.uuid4().hex[:6]}"


def replay_spool(runtime: Runtime) -> int:
    """Process messages spooled during a database outage; keep them if it is still down."""
    spool = runtime.inbound.spool
    try:
        replayed = runtime.inbound.replay_spool()
    except OUTAGE:  # The database is still away: the files stay for the next run.
        log.warning("spool replay stopped; %d message(s) wait", len(spool.waiting()))
        return 0
    if replayed.done:
        log.info("replayed %d spooled message(s)", replayed.done)
    if spool.waiting(FAILED):
        log.warning("%d message(s) parked after handler errors: see `branchlink spool`",
                    len(spool.waiting(FAILED)))
    return replayed.done


def record_deferred(runtime: Runtime) -> int:
    """Write the exchanges of answered messages to the timelines, batch after batch until
    none wait; if the database is away, or refuses a batch, they wait for the next run."""
    recorded = 0
    try:
        while True:
            with runtime.uow() as uow:
                done = services.record_deferred(uow, CHANNEL)
                uow.commit()
            recorded += done
            if done < services.DEFERRED_BATCH:
                return recorded
    except OUTAGE:
        log.warning("database unavailable; exchanges wait to be recorded")
    except SQLAlchemyError as error:  # statements only: the parameters are hidden (make_engine)
        log.error("the database refused a batch of exchanges; they wait: %s", error)
    return recorded


class Leadership:
    """Attach the persistent job store only while this worker holds the leader lease."""

    def __init__(self, runtime: Runtime, scheduler: BaseScheduler, me: str,
                 config_path: str | None) -> None:
        self.runtime, self.scheduler, self.me = runtime, scheduler, me
        self.config_path = config_path
        self.leading = False

    def check(self) -> bool:
        """Take or renew the lease; start or stop the clock jobs accordingly."""
        with self.runtime.uow() as uow:
            held = services.take_lease(uow, LEADER_KEY, self.me, LEASE_SECONDS, utcnow())
            uow.commit()
        if held and not self.leading:
            self._lead()
        elif not held and self.leading:
            self.scheduler.remove_jobstore(PERSISTENT, shutdown=True)
            log.info("lost the leader lease; clock jobs stop here")
        self.leading = held
        WORKER_LEADER.labels("scheduler").set(int(held))
        return held

    def _lead(self) -> None:
        self.scheduler.add_jobstore(SQLAlchemyJobStore(engine=self.runtime.engine), PERSISTENT)
        common = {"args": [self.config_path], "jobstore": PERSISTENT, "replace_existing": True,
                  "coalesce": True, "max_instances": 1, "misfire_grace_time": 3600}
        for name, when in clock_jobs(self.runtime.settings).items():
            self.scheduler.add_job(f"{JOBS}:{name}", id=name, **when, **common)
        log.info("leader: clock jobs run here")


def clock_jobs(settings: Settings) -> dict[str, dict[str, Any]]:
    """Return the leader's clock jobs (`bot.worker.jobs` functions) and when each runs."""
    zone = settings.leads.timezone
    hour, minute = settings.leads.digest_time.split(":")
    return {
        "chase_leads": {"trigger": "interval", "minutes": 1},
        "chase_conversations": {"trigger": "interval", "minutes": 1},
        "chase_referrals": {"trigger": "interval", "minutes": 5},
        "chase_chain_leads": {"trigger": "interval", "minutes": 5},
        # Chain leads are made once a day, before the digest tells managers of them.
        "make_chain_leads": {"trigger": digest_trigger(*CHAIN_LEADS_AT, zone)},
        "send_digests": {"trigger": digest_trigger(hour, minute, zone)},
        # Last month's scorecards, as drafts for head office to approve.
        "run_scorecards": {"trigger": CronTrigger(day=settings.scorecards.run_day, hour=6,
                                                  timezone=ZoneInfo(zone))},
        # The home pages' figures: counted at once on taking the lead, then every few minutes.
        "refresh_figures": {"trigger": "interval", "minutes": services.FIGURES_EVERY_MINUTES,
                            "next_run_time": datetime.now(UTC)},
    }


CHAIN_LEADS_AT = ("07", "30")  # local time


def digest_trigger(hour: str, minute: str, timezone: str) -> CronTrigger:
    """Return the daily trigger of the digest at local HH:MM."""
    return CronTrigger(hour=int(hour), minute=int(minute), timezone=ZoneInfo(timezone))


def build_scheduler(runtime: Runtime, config_path: str | None) -> BlockingScheduler:
    """Return the worker's scheduler with every job registered."""
    me = worker_id()
    senders = runtime.settings.outbox.senders
    scheduler = BlockingScheduler(timezone=ZoneInfo(runtime.settings.leads.timezone))
    interval = {"max_instances": 1, "coalesce": True}
    scheduler.add_job(replay_spool, "interval", args=[runtime], id="replay_spool",
                      seconds=runtime.settings.server.spool_replay_seconds, **interval)
    scheduler.add_job(record_deferred, "interval", args=[runtime], id="record_deferred",
                      seconds=runtime.settings.server.timeline_seconds, **interval)
    if runtime.settings.wechat.app_secret:
        # Each sender is a loop of its own over the shared outbox, as another worker's would
        # be: while one waits on the platform, the others claim and send.
        for n in range(senders):
            outbox = Outbox(runtime.uow, runtime.api(), runtime.settings, f"{me}/{n}")
            scheduler.add_job(outbox.deliver_backlog, "interval", id=f"outbox-{n}",
                              seconds=runtime.settings.outbox.poll_seconds, **interval)
        sender = CampaignSender(lambda: sql_unit(runtime.uow()), runtime.api(),
                                contact_policy(runtime.settings), send_limits(runtime.settings),
                                compose=TrackedText(lambda: sql_unit(runtime.uow()),
                                                    runtime.links))
        scheduler.add_job(sender.run, "interval", id="campaigns",
                          seconds=runtime.settings.campaigns.poll_seconds, **interval)
    else:
        log.error("[wechat] app_secret is not set: notices are queued but not delivered")
    leadership = Leadership(runtime, scheduler, me, config_path)
    scheduler.add_job(leadership.check, "interval", id="leadership", seconds=LEASE_CHECK_SECONDS,
                      next_run_time=datetime.now(UTC), **interval)
    # A thread for every job that may run at once: this worker's own (its senders among them)
    # and the clock jobs it runs while it leads.
    threads = len(scheduler.get_jobs()) + len(clock_jobs(runtime.settings))
    scheduler.add_executor(ThreadPoolExecutor(threads), "default")
    return scheduler
