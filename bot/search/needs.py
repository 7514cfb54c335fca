"""Needs: matching what a question wants the money for against what each product is for.

Customers often state a need ("I fly a lot", "money I may need any day") rather than a
product. The needs vocabulary (bot.search.lexicon.NEEDS, with head office's additions) says
how customers put each need and which words of a product's own text show that the product
serves it; the catalogue's text therefore decides which products fit, and a new product that
says "境外消费" serves travellers without anyone touching the vocabulary. Each match keeps its
reason: the need and the words of the product's text that showed it.
"""

from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass

from bot.search import lexicon


@dataclass(frozen=True)
class NeedMatch:
    """A product that serves a need the question states, and the words that show it."""

    need: str
    evidence: tuple[str, ...]

    def reason(self) -> str:
        """Describe the match for the answer's evidence (stored, read by staff)."""
        return f"need:{self.need}({'/'.join(self.evidence)})"


class NeedIndex:
    """Which products serve which need, read from the catalogue's text once per build."""

    def __init__(self, texts: Iterable[tuple[str, str]], fold: Callable[[str], str],
                 needs: Mapping[str, tuple[tuple[str, ...], tuple[str, ...]]] = lexicon.NEEDS
                 ) -> None:
        self.asked = {need: tuple(fold(w) for w in asked) for need, (asked, _) in needs.items()}
        self.served: dict[str, dict[str, tuple[str, ...]]] = {}
        for code, text in texts:
            for need, (_, served) in needs.items():
                found = tuple(w for w in served if fold(w) in text)
                if found:
                    self.served.setdefault(need, {})[code] = found

    def stated(self, text: str) -> dict[str, list[tuple[int, int]]]:
        """Return the needs a normalized question states, with the spans that state them."""
        found: dict[str, list[tuple[int, int]]] = {}
        for need, words in self.asked.items():
            spans = [(at, at + len(w)) for w in words if (at := text.find(w)) >= 0]
            if spans:
                found[need] = spans
        return found

    def matches(self, needs: Iterable[str]) -> dict[str, list[NeedMatch]]:
        """Return, per product code, the stated needs it serves."""
        result: dict[str, list[NeedMatch]] = {}
        for need in needs:
            for code, evidence in self.served.get(need, {}).items():
                result.setdefault(code, []).append(NeedMatch(need, evidence))
        return result
