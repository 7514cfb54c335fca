"""Per-staff conversation figures, crediting a transferred conversation to each person for
their part: the first response to whoever answered first, each holding period (from one
assignment to the next, the close, or the period's end) to whoever held it, and the
resolution and the customer's rating to whoever held the conversation when it was closed.
Times are given elapsed and within the branch's business hours (the scorecard reads these)."""

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from crm_core.model import Scope, StaffRole
from crm_core.queries.conversations.figures import (
    branch_usernames,
    first_answers,
    holds_of,
    opened_between,
    staff_names,
)
from crm_core.services.conversations.hours import business_seconds, hours_of
from crm_core.unit_of_work import SqlUnitOfWork

# (branch, start, end) -> (elapsed seconds, seconds within the branch's hours)
Measure = Callable[[int | None, datetime, datetime], tuple[float, float]]


@dataclass(frozen=True)
class Span:
    """One conversation as the figures see it: who held it when, and who answered first."""

    branch_id: int | None
    opened: datetime
    closed: datetime | None
    rating: int | None
    holds: tuple[tuple[datetime, int | None], ...]  # (from when, whom; None: the queue)
    first_answer: tuple[datetime, int] | None


@dataclass
class Tally:
    """What one person is credited with."""

    conversations: set[int] = field(default_factory=set)
    handling: list[tuple[float, float]] = field(default_factory=list)
    first: list[tuple[float, float]] = field(default_factory=list)
    solved: list[tuple[float, float]] = field(default_factory=list)
    ratings: list[int] = field(default_factory=list)


def segments(span: Span, until: datetime) -> list[tuple[int, datetime, datetime]]:
    """Return each holding period of a conversation: (whom, from, to), the queue left out."""
    end = min(span.closed or until, until)
    bounds = [at for at, _ in span.holds[1:]] + [end]
    return [(who, start, max(start, min(stop, end)))
            for (start, who), stop in zip(span.holds, bounds, strict=True) if who is not None]


def holder_at(span: Span, moment: datetime) -> int | None:
    """Return who held the conversation at a moment (the last assignment up to it)."""
    held = [who for at, who in span.holds if at <= moment]
    return held[-1] if held else None


def credit(spans: dict[int, Span], until: datetime, measure: Measure) -> dict[int, Tally]:
    """Credit each person with their part of every conversation."""
    tallies: dict[int, Tally] = {}
    for conversation_id, span in spans.items():
        for who, start, stop in segments(span, until):
            tally = tallies.setdefault(who, Tally())
            tally.conversations.add(conversation_id)
            tally.handling.append(measure(span.branch_id, start, stop))
        if span.first_answer is not None:
            at, who = span.first_answer
            tallies.setdefault(who, Tally()).first.append(measure(span.branch_id, span.opened, at))
        closer = holder_at(span, span.closed) if span.closed else None
        if span.closed is not None and closer is not None:
            tally = tallies.setdefault(closer, Tally())
            tally.solved.append(measure(span.branch_id, span.opened, span.closed))
            tally.ratings.extend([span.rating] if span.rating is not None else [])
    return tallies


def talk_figures(uow: SqlUnitOfWork, since: datetime, until: datetime,
                 timezone: str) -> list[dict[str, Any]]:
    """Per manager and agent, for conversations opened in [since, until): conversations and
    holding periods, first responses, resolutions and ratings, as credited above."""
    spans = load_spans(uow, since, until)
    hours: dict[int | None, Any] = {}

    def measure(branch_id: int | None, start: datetime, end: datetime) -> tuple[float, float]:
        within = hours.setdefault(branch_id, hours_of(uow, branch_id))
        return (end - start).total_seconds(), business_seconds(within, start, end, timezone)

    tallies = credit(spans, until, measure)
    names = staff_names(uow.session, set(tallies))
    return sorted((_row(names[who], tally) for who, tally in tallies.items() if who in names),
                  key=lambda row: str(row["username"]))


def scoped_figures(uow: SqlUnitOfWork, scope: Scope, since: datetime, until: datetime,
                   timezone: str) -> list[dict[str, Any]]:
    """The figures as a scope sees them: one's own, a branch head's branch, head office all."""
    rows = talk_figures(uow, since, until, timezone)
    if scope.role is StaffRole.HEAD_OFFICE:
        return rows
    shown = {scope.username}
    if scope.role is StaffRole.BRANCH_HEAD:
        shown |= branch_usernames(uow.session, scope.branch_id)
    return [row for row in rows if row["username"] in shown]


def load_spans(uow: SqlUnitOfWork, since: datetime, until: datetime) -> dict[int, Span]:
    """Read the conversations opened in the period with their assignments and first answers."""
    holds: dict[int, list[tuple[datetime, int | None]]] = {}
    for conversation_id, at, who in holds_of(uow.session, since, until):
        holds.setdefault(conversation_id, []).append((at, who))
    firsts = {c: (at, who) for c, at, who in first_answers(uow.session, since, until)}
    return {c: Span(branch, opened, closed, rating, tuple(holds.get(c, [])), firsts.get(c))
            for c, branch, opened, closed, rating in opened_between(uow.session, since, until)}


def _row(name: tuple[str, str], tally: Tally) -> dict[str, Any]:
    return {"username": name[0], "name": name[1], "conversations": len(tally.conversations),
            "segments": len(tally.handling),
            "handling_seconds": _mean(tally.handling, 0),
            "handling_business_seconds": _mean(tally.handling, 1),
            "answered": len(tally.first), "first_response_seconds": _mean(tally.first, 0),
            "first_response_business_seconds": _mean(tally.first, 1),
            "resolved": len(tally.solved), "resolution_seconds": _mean(tally.solved, 0),
            "resolution_business_seconds": _mean(tally.solved, 1),
            "ratings": len(tally.ratings),
            "rating": round(sum(tally.ratings) / len(tally.ratings), 2) if tally.ratings else None}


def _mean(pairs: Iterable[tuple[float, float]], index: int) -> float | None:
    values = [pair[index] for pair in pairs]
    return round(sum(values) / len(values), 1) if values else None
