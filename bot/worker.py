"""Background jobs run by `branchlink worker` on APScheduler."""

import logging

from apscheduler.schedulers.blocking import BlockingScheduler

from bot.runtime import Runtime
from bot.spool import FAILED

log = logging.getLogger(__name__)


def replay_spool(runtime: Runtime) -> int:
    """Process messages spooled during a database outage; keep them if it is still down."""
    spool = runtime.inbound.spool
    try:
        done = spool.replay(runtime.inbound.replay)
    except Exception:  # The database is still away: the files stay for the next run.
        log.warning("spool replay stopped; %d message(s) wait", len(spool.waiting()))
        return 0
    if done:
        log.info("replayed %d spooled message(s)", done)
    if spool.waiting(FAILED):
        log.warning("%d message(s) parked after handler errors: see `branchlink spool`",
                    len(spool.waiting(FAILED)))
    return done


def build_scheduler(runtime: Runtime) -> BlockingScheduler:
    """Return the scheduler with every periodic job registered."""
    scheduler = BlockingScheduler(timezone="Asia/Shanghai")
    scheduler.add_job(replay_spool, "interval", args=[runtime], id="replay_spool",
                      seconds=runtime.settings.server.spool_replay_seconds,
                      max_instances=1, coalesce=True)
    return scheduler
