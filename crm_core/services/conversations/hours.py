"""Business hours: whether a branch answers now, and when it next opens (local time).

A branch without hours of its own answers on weekdays 09:00–17:00; the customer is told the
next opening when they write outside them, so nobody waits for an answer that cannot come.
"""

from datetime import UTC, datetime, time, timedelta
from zoneinfo import ZoneInfo

from crm_core.model.conversations import BranchHours, ConversationRefused
from crm_core.unit_of_work import UnitOfWork

DEFAULT = BranchHours(days="12345", opens="09:00", closes="17:00")
_DAYS = set("1234567")


def hours_of(uow: UnitOfWork, branch_id: int | None) -> BranchHours:
    """Return a branch's hours, or the default ones."""
    found = uow.conversations.hours(branch_id) if branch_id is not None else None
    return found or DEFAULT


def is_open(hours: BranchHours, now: datetime, timezone: str) -> bool:
    """Say whether `now` (naive UTC) lies within the hours."""
    local = now.replace(tzinfo=UTC).astimezone(ZoneInfo(timezone))
    stamp = local.strftime("%H:%M")
    return str(local.isoweekday()) in hours.days and hours.opens <= stamp < hours.closes


def next_opening(hours: BranchHours, now: datetime, timezone: str) -> datetime | None:
    """Return the next local opening time after `now` (None: open now or never open)."""
    if is_open(hours, now, timezone) or not set(hours.days) & _DAYS:
        return None
    local = now.replace(tzinfo=UTC).astimezone(ZoneInfo(timezone))
    hour, minute = (int(part) for part in hours.opens.split(":"))
    for ahead in range(8):
        day = local + timedelta(days=ahead)
        opening = day.replace(hour=hour, minute=minute, second=0, microsecond=0)
        if str(day.isoweekday()) in hours.days and opening > local:
            return opening.replace(tzinfo=None)
    return None


def business_seconds(hours: BranchHours, start: datetime, end: datetime,
                     timezone: str) -> float:
    """Return how much of [start, end] (naive UTC) lies within the hours, in seconds: a
    question asked on Friday evening and answered on Monday at 09:30 waited half an hour."""
    zone = ZoneInfo(timezone)
    first, last = (at.replace(tzinfo=UTC).astimezone(zone) for at in (start, end))
    total, day = 0.0, first.date()
    while day <= last.date():
        if str(day.isoweekday()) in hours.days:
            opens, closes = (datetime.combine(day, _clock(text), zone)
                             for text in (hours.opens, hours.closes))
            total += max((min(closes, last) - max(opens, first)).total_seconds(), 0.0)
        day += timedelta(days=1)
    return total


def _clock(text: str) -> time:
    hour, minute = (int(part) for part in text.split(":"))
    return time(hour, minute)


def set_hours(uow: UnitOfWork, branch_code: str, days: str, opens: str, closes: str) -> None:
    """Set a branch's business hours (days as digits 1–7, times as HH:MM)."""
    branch = uow.branches.by_code(branch_code)
    if branch is None:
        raise ConversationRefused("unknown_branch", branch_code)
    if not days or set(days) - _DAYS or not _time(opens) or not _time(closes) \
            or opens >= closes:
        raise ConversationRefused("bad_hours", f"{days} {opens}-{closes}")
    row = uow.conversations.hours(branch.id)
    if row is None:
        uow.conversations.add(BranchHours(branch_id=branch.id, days=days, opens=opens,
                                          closes=closes))
    else:
        row.days, row.opens, row.closes = days, opens, closes


def _time(value: str) -> bool:
    parts = value.split(":")
    return (len(value) == 5 and len(parts) == 2 and all(p.isdigit() for p in parts)
            and int(parts[0]) < 24 and int(parts[1]) < 60)
