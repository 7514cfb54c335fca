"""The 服务统计 tab of the conversations page: first responses, resolutions (elapsed and within
business hours), ratings and counts per manager and online agent, in the viewer's scope."""

from datetime import timedelta
from typing import Any

from flask import render_template, request
from flask_login import login_required

from bot import texts
from bot.web.console.blueprint import bp
from bot.web.console.support import now, scope, work
from bot.web.edge import current_runtime
from crm_core.services import conversations as talk

PERIODS = (7, 30, 90)
TIMES = ("first_response_seconds", "first_response_business_seconds", "resolution_seconds",
         "resolution_business_seconds", "handling_business_seconds")


@bp.get("/talk/figures")
@login_required
def talk_figures() -> str:
    """Per-staff conversation figures over the last 7, 30 or 90 days."""
    asked = request.args.get("days", "30")
    days = int(asked) if asked.isdigit() and int(asked) in PERIODS else 30
    until = now()
    with work() as uow:
        rows = talk.scoped_figures(uow, scope(), until - timedelta(days=days), until,
                                   current_runtime().settings.leads.timezone)
    return render_template("console/talk_figures.html", rows=[_shown(r) for r in rows],
                           days=days, periods=PERIODS, texts=texts)


def _shown(row: dict[str, Any]) -> dict[str, Any]:
    return {**row, **{key: minutes(row[key]) for key in TIMES},
            "rating": "—" if row["rating"] is None else f"{row['rating']:.1f}"}


def minutes(seconds: float | None) -> str:
    """Show a duration in minutes (— when there is none)."""
    return "—" if seconds is None else texts.TALK_FIGURE_MINUTES.format(minutes=seconds / 60)
