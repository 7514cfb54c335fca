"""Scheduled jobs, importable by reference so APScheduler can persist them across restarts."""

from dataclasses import replace
from datetime import timedelta
from functools import cache

from sqlalchemy.orm import Session, sessionmaker

from bot.config import load_settings
from bot.runtime import Runtime, build_runtime, database_timeouts, run_policy
from crm_core import services
from crm_core.db import make_engine, make_session_factory
from crm_core.model import local_date, utcnow
from crm_core.services import conversations as talk
from crm_core.services import performance
from crm_core.unit_of_work import SqlUnitOfWork

FIGURES_STATEMENT_SECONDS = 300.0


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


def chase_conversations(config_path: str | None) -> int:
    """Tell branch heads about conversations nobody answered within the first-response SLA."""
    runtime = _runtime(config_path)
    sla = timedelta(minutes=runtime.settings.talk.sla_minutes)
    with runtime.uow() as uow:
        escalated = talk.escalate_unanswered(uow, utcnow(), sla)
        uow.commit()
    return escalated


def chase_referrals(config_path: str | None) -> int:
    """Remind receivers of referrals past their SLA, escalate, expire the abandoned ones."""
    runtime = _runtime(config_path)
    with runtime.uow() as uow:
        queued = services.collaboration.chase_referrals(uow, runtime.referral_policy, utcnow())
        uow.commit()
    return queued


def make_chain_leads(config_path: str | None) -> int:
    """Turn the counterparties of key links into chain leads; chase the overdue ones."""
    runtime = _runtime(config_path)
    leads = runtime.settings.leads
    with runtime.uow() as uow:
        assert isinstance(uow, SqlUnitOfWork)  # noqa: S101 - the runtime's units are SQL
        made = services.organisations.make_chain_leads(
            uow, utcnow(), timedelta(minutes=leads.contact_sla_minutes))
        uow.commit()
    return len(made.created)


def chase_chain_leads(config_path: str | None) -> int:
    """Remind managers of chain leads past due and escalate to branch heads."""
    runtime = _runtime(config_path)
    escalate_after = timedelta(minutes=runtime.settings.leads.escalate_after_minutes)
    with runtime.uow() as uow:
        assert isinstance(uow, SqlUnitOfWork)  # noqa: S101 - the runtime's units are SQL
        queued = services.organisations.chase_chain_leads(uow, utcnow(), escalate_after)
        uow.commit()
    return queued


def run_scorecards(config_path: str | None) -> int:
    """Compute last month's draft cards (Beijing calendar); a frozen month is left alone."""
    runtime = _runtime(config_path)
    today = local_date(utcnow(), runtime.settings.leads.timezone)
    month = performance.add_months(today.replace(day=1), -1)
    with runtime.uow() as uow:
        assert isinstance(uow, SqlUnitOfWork)  # noqa: S101 - the runtime's units are SQL
        if not performance.is_draft(uow, month):
            return 0
        made = performance.run_month(uow, month, run_policy(runtime.settings), "worker",
                                     utcnow())
        uow.commit()
    return made


def send_digests(config_path: str | None) -> int:
    """Queue today's digest for every bound manager."""
    runtime = _runtime(config_path)
    now = utcnow()
    today = local_date(now, runtime.settings.leads.timezone)
    with runtime.uow() as uow:
        queued = services.queue_digests(uow, today, now)
        uow.commit()
    return queued


def refresh_figures(config_path: str | None) -> None:
    """Recount the figures of the home pages (branches, managers, the network)."""
    settings = _runtime(config_path).settings
    with SqlUnitOfWork(_figure_sessions(config_path)) as uow:
        services.refresh_home_figures(uow, utcnow(), settings.leads.timezone)
        uow.commit()


@cache
def _figure_sessions(config_path: str | None) -> sessionmaker[Session]:
    # Recounting a million customers takes seconds, where a request may take a fraction of
    # one: the recount gets connections of its own with a longer statement budget.
    settings = _runtime(config_path).settings
    timeouts = replace(database_timeouts(settings), statement=FIGURES_STATEMENT_SECONDS)
    return make_session_factory(make_engine(settings.database.url, timeouts))
