"""Misses: questions that got the fallback or an unsure answer, kept for head office.

The text is masked (mobile and ID numbers) before it is stored and no customer is linked to
it: head office needs the wording, not the person. The console groups similar ones by the
words the search reads in them (bot.search.miss_groups), so that one missing word shows as
one line with a count, not as fifty.
"""

from dataclasses import dataclass
from datetime import datetime

from crm_core.model import AnswerMiss
from crm_core.pii import mask_text
from crm_core.unit_of_work import UnitOfWork


@dataclass(frozen=True)
class Miss:
    """One recorded miss: the masked question, what it got and when (UTC)."""

    question: str
    outcome: str
    at: datetime


def recent_misses(uow: UnitOfWork, since: datetime, limit: int = 2000) -> list[Miss]:
    """Return the misses recorded since `since`, newest first (at most `limit`)."""
    return [Miss(m.question, m.outcome, m.at) for m in uow.answers.misses(since, limit)]


def record_miss(uow: UnitOfWork, question: str, outcome: str, now: datetime) -> None:
    """Keep a question that got `outcome` ("not_found" or "unsure"), masked."""
    uow.answers.add(AnswerMiss(at=now, question=mask_text(question)[:500], outcome=outcome))
