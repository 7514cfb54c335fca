"""Home pages (工作台): a manager's day, a branch head's branch, head office's network."""

from datetime import datetime, timedelta

from flask import render_template
from flask_login import login_required

from bot.web.console import charts
from bot.web.console.blueprint import bp
from bot.web.console.support import scope, work
from bot.web.edge import current_runtime
from crm_core import services
from crm_core.model import StaffRole, local_time, utcnow
from crm_core.services.campaigns import tasks as campaign_tasks
from crm_core.services.classification import tier_board

WEEKDAYS = "一二三四五六日"
# Figures older than a few refreshes mean the worker has stopped: the page says so.
STALE_AFTER = timedelta(minutes=3 * services.FIGURES_EVERY_MINUTES)


@bp.get("/")
@login_required
def home() -> str:
    """Each role's home: today's work, the branch's figures, or the network's."""
    role = scope().role
    if role is StaffRole.MANAGER:
        return _manager()
    if role is StaffRole.BRANCH_HEAD:
        return _branch(None)
    return _network()


@bp.get("/home/<code>")
@login_required
def branch_home(code: str) -> str:
    """A branch's figures as its head sees them: head office's drill-down from the network."""
    return _branch(code)


def _manager() -> str:
    now, zone = utcnow(), _zone()
    with work() as uow:
        view = services.manager_home(uow, scope(), now, zone)
        board = tier_board(uow, scope())
        referrals = services.collaboration.manager_referrals(
            uow, scope(), current_runtime().referral_policy, now)
        calls = campaign_tasks.open_task_count(uow, scope())
    local = local_time(now, zone)
    today = f"{local:%Y年%-m月%-d日} 星期{WEEKDAYS[local.weekday()]}"
    return render_template("console/home_manager.html", h=view, today=today, now=now,
                           board=board, referrals=referrals, calls=calls)


def _branch(code: str | None) -> str:
    with work() as uow:
        view = services.branch_home(uow, scope(), code)
    figures = view["figures"]
    return render_template(
        "console/home_branch.html", h=view, stale=_stale(view["updated_at"]),
        status_chart=charts.leads_by_status(figures) if figures else None,
        load_chart=charts.managers_load(view["managers"]) if view["managers"] else None,
        every=services.FIGURES_EVERY_MINUTES)


def _network() -> str:
    with work() as uow:
        view = services.network_home(uow, scope())
    return render_template(
        "console/home_network.html", h=view, stale=_stale(view["updated_at"]),
        chart=charts.network(view["branches"]) if view["totals"] else None,
        every=services.FIGURES_EVERY_MINUTES)


def _stale(updated_at: datetime | None) -> bool:
    return updated_at is not None and utcnow() - updated_at > STALE_AFTER


def _zone() -> str:
    return current_runtime().settings.leads.timezone
