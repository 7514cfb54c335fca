"""Matching questions to head office's FAQ entries by their key phrases.

An FAQ entry lists the phrases that make a question its own (业绩比较基准, 犹豫期, 多久到账);
head office writes them, as it writes the answer. A question matches the entry whose phrases
it contains most (the longest total), compared on the same normalized text as products
(width, case, punctuation, numerals), so 风险等级R2 and r2 风险等级 are one question.
"""

from collections.abc import Callable

from crm_core.services import FaqCard


class FaqIndex:
    """The active FAQ entries' phrases, normalized once per build."""

    def __init__(self, entries: list[FaqCard], fold: Callable[[str], str]) -> None:
        self.entries = {entry.key: entry for entry in entries}
        self.phrases = [(entry.key, folded) for entry in entries
                        for phrase in entry.keywords if (folded := fold(phrase))]

    def match(self, text: str) -> tuple[FaqCard, int] | None:
        """Return the entry a normalized question matches best and its score, or None."""
        scores: dict[str, int] = {}
        for key, phrase in self.phrases:
            if phrase in text:
                scores[key] = scores.get(key, 0) + len(phrase)
        if not scores:
            return None
        key = max(scores, key=lambda k: (scores[k], k))
        return self.entries[key], scores[key]
