"""Misses: questions that got the fallback or an unsure answer, kept for head office.

The text is masked (mobile and ID numbers) before it is stored and no customer is linked to
it: head office needs the wording, not the person. Similar questions are grouped so that one
missing word shows as one line with a count, not as fifty.
"""

import re
from dataclasses import dataclass
from datetime import datetime
from difflib import SequenceMatcher

from crm_core.model import AnswerMiss
from crm_core.pii import mask_text
from crm_core.unit_of_work import UnitOfWork

SIMILAR = 0.6
_CJK = re.compile(r"[^\u4e00-\u9fff]+")


@dataclass(frozen=True)
class MissGroup:
    """Similar missed questions: the most recent wording, how many, and the outcomes seen."""

    question: str
    count: int
    outcomes: tuple[str, ...]
    examples: tuple[str, ...]
    last_at: datetime


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


def grouped_misses(uow: UnitOfWork, since: datetime, limit: int = 500) -> list[MissGroup]:
    """Return the misses since `since`, similar ones grouped, the largest groups first."""
    groups: list[list[AnswerMiss]] = []
    for miss in uow.answers.misses(since, limit):
        home = next((g for g in groups if _similar(g[0].question, miss.question)), None)
        if home is None:
            groups.append([miss])
        else:
            home.append(miss)
    return sorted((_group(g) for g in groups), key=lambda g: (-g.count, g.question))


def _similar(a: str, b: str) -> bool:
    # Compared on their Chinese characters: numbers (masked or not) and punctuation say
    # nothing about what was asked.
    return SequenceMatcher(None, _CJK.sub("", a), _CJK.sub("", b)).ratio() >= SIMILAR


def _group(misses: list[AnswerMiss]) -> MissGroup:
    return MissGroup(misses[0].question, len(misses),
                     tuple(sorted({m.outcome for m in misses})),
                     tuple(dict.fromkeys(m.question for m in misses))[:5], misses[0].at)
