"""Trying a change head office proposes before it is saved: both evaluation sets and the
misses it is meant to fix, answered before and after, with the change applied in memory.

The evaluation sets are scored on their own sample catalogue and FAQ with the vocabulary in
force (the code's and the additions saved so far), then again with the change; the missed
questions are answered by the live catalogue and FAQ, before and after.
"""

from dataclasses import dataclass, field

from bot.search import evaluation
from bot.search.evaluation import Score
from bot.search.matcher import Decision, Matcher
from bot.search.vocabulary import Vocabulary
from crm_core.services import FaqCard, LearningRefused, NeedCard, ProductCard, SynonymCard


@dataclass(frozen=True)
class Change:
    """One addition: a synonym, a need or an FAQ entry (exactly one is set)."""

    synonym: SynonymCard | None = None
    need: NeedCard | None = None
    faq: FaqCard | None = None

    def applied(self, vocabulary: Vocabulary) -> Vocabulary:
        """Return the vocabulary with this change (LearningRefused if it cannot apply)."""
        if self.synonym is not None:
            return vocabulary.with_synonym(self.synonym)
        if self.need is not None:
            return vocabulary.with_need(self.need)
        return vocabulary

    def extra_faq(self) -> list[FaqCard]:
        """Return the FAQ entries this change adds."""
        return [self.faq] if self.faq is not None else []


@dataclass(frozen=True)
class Answered:
    """What one question gets: its first answer's label and whether the matcher is sure."""

    label: str
    sure: bool

    @classmethod
    def of(cls, decision: Decision) -> "Answered":
        """Read a decision."""
        return cls(decision.label(), decision.sure)


@dataclass(frozen=True)
class Preview:
    """Both evaluation sets and the missed questions, before and after the change."""

    before: dict[str, Score]
    after: dict[str, Score]
    questions: list[tuple[str, Answered, Answered]] = field(default_factory=list)

    def regressed(self) -> list[str]:
        """Return the sets whose score the change lowers."""
        return [name for name in self.before if self.after[name].rate < self.before[name].rate]


@dataclass(frozen=True)
class Live:
    """The live catalogue, FAQ and vocabulary the customers' questions are answered from."""

    cards: list[ProductCard]
    faq: list[FaqCard]
    vocabulary: Vocabulary
    # The matcher already built from them, if any (the process's cached one).
    current: Matcher | None = None

    def matcher(self, change: Change | None = None) -> Matcher:
        """Build the live matcher, with a change applied if given."""
        if change is None:
            return self.current or Matcher(self.cards, self.faq, self.vocabulary)
        return Matcher(self.cards, [*self.faq, *change.extra_faq()],
                       change.applied(self.vocabulary))


def preview(change: Change, live: Live, questions: list[str]) -> Preview:
    """Score both sets and answer `questions` without, then with, the change."""
    if change.faq is not None and any(entry.key == change.faq.key for entry in live.faq):
        raise LearningRefused("key_taken", change.faq.key)
    folder = evaluation.SETS
    after_vocabulary = change.applied(live.vocabulary)
    before = evaluation.score_matcher(evaluation.sample_matcher(folder, live.vocabulary), folder)
    after = evaluation.score_matcher(
        evaluation.sample_matcher(folder, after_vocabulary, change.extra_faq()), folder)
    old, new = live.matcher(), live.matcher(change)
    answered = [(q, Answered.of(old.decide(q)), Answered.of(new.decide(q))) for q in questions]
    return Preview(before, after, answered)
