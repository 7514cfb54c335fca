"""Console page for head office: the questions product answers missed, grouped by similarity.

These are the questions that got the fallback or numbered choices (recorded masked, with no
customer attached); the largest groups show where the vocabulary, the needs or the FAQ fall
short.
"""

from datetime import timedelta

from flask import render_template, request
from flask_login import login_required

from bot.web.console.blueprint import bp
from bot.web.console.support import local_stamp, roles, work
from crm_core import services
from crm_core.model import StaffRole, utcnow

DAY_CHOICES = (7, 30, 90)


@bp.get("/misses")
@login_required
@roles(StaffRole.HEAD_OFFICE)
def misses() -> str:
    """List the missed questions of the last 7, 30 or 90 days, similar ones grouped."""
    days = request.args.get("days", type=int)
    days = days if days in DAY_CHOICES else DAY_CHOICES[1]
    with work() as uow:
        groups = services.grouped_misses(uow, utcnow() - timedelta(days=days))
    rows = [{"question": g.question, "count": g.count, "outcomes": g.outcomes,
             "examples": [e for e in g.examples if e != g.question],
             "last": local_stamp(g.last_at, "%m-%d %H:%M")}
            for g in groups]
    return render_template("console/misses.html", groups=rows, days=days,
                           day_choices=DAY_CHOICES, total=sum(g.count for g in groups))
