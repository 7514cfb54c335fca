"""Console page for head office: the questions product answers missed, grouped by similarity.

These are the questions that got the fallback or numbered choices (recorded masked, with no
customer attached), grouped by the words the search reads in them (bot.search.miss_groups);
the largest groups show where the vocabulary, the needs or the FAQ fall short, and each
offers the additions that would fix it (bot.web.console.learning).
"""

from datetime import timedelta
from typing import Any

from flask import render_template, request
from flask_login import login_required

from bot import texts
from bot.search.matcher import Matcher
from bot.search.miss_groups import MissGroup, group_misses, question_words
from bot.web.console.blueprint import bp
from bot.web.console.support import local_stamp, roles, work
from bot.web.edge import current_runtime
from crm_core import services
from crm_core.model import StaffRole, utcnow
from crm_core.unit_of_work import UnitOfWork

DAY_CHOICES = (7, 30, 90)
PAGE_SIZE = 20


@bp.get("/misses")
@login_required
@roles(StaffRole.HEAD_OFFICE)
def misses() -> str:
    """List the missed questions of the last 7, 30 or 90 days, similar ones grouped, by page."""
    days = chosen_days(request.args.get("days", type=int))
    with work() as uow:
        groups = miss_groups(uow, live_matcher(uow), days)
        added = [{"kind": texts.LEARN_ADDED[a.kind], "subject": a.subject, "words": a.words,
                  "by": a.created_by, "at": local_stamp(a.created_at)}
                 for a in services.vocabulary_additions(uow)]
    first, last, page = _page(len(groups), request.args.get("page", 1, type=int))
    return render_template("console/misses.html", groups=[_row(g) for g in groups[first:last]],
                           days=days, day_choices=DAY_CHOICES, page=page, first=first + 1,
                           last=last, total_groups=len(groups),
                           total=sum(g.count for g in groups), pages=_pages(len(groups)),
                           learn_kinds=texts.LEARN_KINDS, added=added)


def chosen_days(days: int | None) -> int:
    """Return the window asked for, or the default one."""
    return days if days in DAY_CHOICES else DAY_CHOICES[1]


def live_matcher(uow: UnitOfWork) -> Matcher:
    """Return this process's matcher of the live catalogue, FAQ and vocabulary."""
    return current_runtime().inbound.policy.catalogue.get(uow)


def miss_groups(uow: UnitOfWork, matcher: Matcher, days: int) -> list[MissGroup]:
    """Group the misses of the last `days` days by the words the live search reads."""
    found = services.recent_misses(uow, utcnow() - timedelta(days=days))
    return group_misses(found, question_words(matcher.products))


def _row(group: MissGroup) -> dict[str, Any]:
    return {"question": group.question, "count": group.count, "outcomes": group.outcomes(),
            "shared": sorted(group.shared), "last": local_stamp(group.last_at, "%m-%d %H:%M"),
            "examples": [q for q in group.questions() if q != group.question][:5]}


def _pages(groups: int) -> int:
    return max(1, -(-groups // PAGE_SIZE))


def _page(groups: int, page: int) -> tuple[int, int, int]:
    page = min(max(page, 1), _pages(groups))
    first = (page - 1) * PAGE_SIZE
    return first, min(first + PAGE_SIZE, groups), page
