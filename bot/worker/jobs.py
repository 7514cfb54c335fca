"""Scheduled jobs, importable by reference so APScheduler can persist them across restarts."""

from datetime import timedelta
from functools import cache

from bot.config import load_settings
from bot.runtime import Runtime, build_runtime
from crm_core import services
from crm_core.model import local_date, utcnow


@cache
def _runtime(config_path: str | None) -> Runtime:
    # One runtime per worker process and configuration, built on the first run of a job.
    return build_runtime(load_settings(config_path))


def chase_leads(config_path: str | None) -> int:
    """Remind managers of overdue leads and escalate to branch heads."""
    runtime = _runtime(config_path)
    escalate_after = timedelta(minutes=runtime.settings.leads.escalate_after_minutes)
    with runtime.uow() as uow:
        queued = services.chase_overdue_leads(uow, utcnow(), escalate_after)
        uow.commit()
    return queued


def send_digests(config_path: str | None) -> int:
    """Queue today's digest for every bound manager."""
    runtime = _runtime(config_path)
    now = utcnow()
    today = local_date(now, runtime.settings.leads.timezone)
    with runtime.uow() as uow:
        queued = services.queue_digests(uow, today, now)
        uow.commit()
    return queued
