"""Grouping the misses head office reads: questions that share their meaningful words.

A question's words are what the search itself reads in it (the product index's segmenter
and vocabulary, stop words left out; numbers, masked or not, say nothing of what was asked),
so two questions are grouped when they share most of those words (Jaccard similarity ≥
SIMILAR with the group's first question), and each group shows the words all its questions
share: the reason they are one line, and usually near the word the vocabulary is missing.
"""

import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import datetime

from bot.search import lexicon
from bot.search.index import ProductIndex, normalize
from crm_core.services import Miss

SIMILAR = 0.5
_CJK = re.compile(r"[\u4e00-\u9fff]")


@dataclass
class MissGroup:
    """Similar missed questions, newest first, and the words they all share."""

    words: frozenset[str]
    shared: set[str]
    misses: list[Miss] = field(default_factory=list)

    @property
    def question(self) -> str:
        """Return the most recent wording."""
        return self.misses[0].question

    @property
    def count(self) -> int:
        """Return how many times questions of the group were asked."""
        return len(self.misses)

    @property
    def last_at(self) -> datetime:
        """Return when a question of the group was last asked (UTC)."""
        return self.misses[0].at

    def questions(self) -> list[str]:
        """Return the group's distinct wordings, newest first."""
        return list(dict.fromkeys(m.question for m in self.misses))

    def outcomes(self) -> list[str]:
        """Return the outcomes its questions got (not_found, unsure)."""
        return sorted({m.outcome for m in self.misses})


def question_words(index: ProductIndex) -> Callable[[str], frozenset[str]]:
    """Return a function giving a question's meaningful words as the search reads them."""
    def words(question: str) -> frozenset[str]:
        text = normalize(question)
        found = {w for w in index.terms(text) if _CJK.search(w) or w in index.words}
        return frozenset(found) or frozenset({text})
    return words


def unknown_runs(index: ProductIndex, question: str) -> list[str]:
    """Return the runs of a question's words that the search knows nothing of (neither the
    vocabulary, nor a product's text, nor a stop word), longest first: usually the word a
    synonym or a need should add (薪金煲 in 薪金煲收益怎么样)."""
    runs: list[str] = []
    run = ""
    for word, _start, _end in index.tokenizer.tokenize(normalize(question)):
        if _known(index, word):
            runs.append(run)
            run = ""
        else:
            run += word
    return sorted(filter(None, [*runs, run]), key=lambda r: (-len(r), r))


def _known(index: ProductIndex, word: str) -> bool:
    return word in index.words or word in index.postings or word in lexicon.STOPWORDS or \
        word in lexicon.INTENT_WORDS or not word.strip()


def group_misses(misses: Iterable[Miss], words: Callable[[str], frozenset[str]]
                 ) -> list[MissGroup]:
    """Group misses (given newest first) by shared words; the largest groups first."""
    groups: list[MissGroup] = []
    seen: dict[str, MissGroup] = {}  # the same wording asked again joins its group at once
    for miss in misses:
        home = seen.get(miss.question)
        if home is None:
            found = words(miss.question)
            home = next((g for g in groups if _similarity(g.words, found) >= SIMILAR), None)
            if home is None:
                home = MissGroup(found, set(found))
                groups.append(home)
            home.shared &= found
            seen[miss.question] = home
        home.misses.append(miss)
    return sorted(groups, key=lambda g: (-g.count, -g.last_at.timestamp(), g.question))


def find_group(groups: list[MissGroup], question: str) -> MissGroup | None:
    """Return the group one of whose questions is `question`."""
    return next((g for g in groups if question in g.questions()), None)


def _similarity(a: frozenset[str], b: frozenset[str]) -> float:
    return len(a & b) / max(len(a | b), 1)
