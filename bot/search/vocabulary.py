"""The search vocabulary in force: the code's (bot.search.lexicon) and head office's additions.

Head office adds synonyms (a word customers use, read as a word the vocabulary knows) and
needs (how customers state one, and the words of a product's text that show it is served)
from the misses; they are stored in the database and merged here whenever a search index is
built. The code's vocabulary always wins: an addition never changes what a word meant.
"""

from dataclasses import dataclass, replace

from bot.search import lexicon
from crm_core.services import LearningRefused, NeedCard, SynonymCard

NeedWords = dict[str, tuple[tuple[str, ...], tuple[str, ...]]]


@dataclass(frozen=True)
class Vocabulary:
    """The code's vocabulary plus head office's synonyms and needs, in the order added."""

    synonyms: tuple[SynonymCard, ...] = ()
    needs: tuple[NeedCard, ...] = ()

    def concept_of(self) -> dict[str, str]:
        """Return {word: concept}: the code's words, then each synonym as its canonical word."""
        words = lexicon.concept_of()
        for synonym in self.synonyms:
            concept = words.get(synonym.canonical.lower())
            if concept is not None:
                words.setdefault(synonym.term.lower(), concept)
        return words

    def need_words(self) -> NeedWords:
        """Return every need with its asked and served words, additions appended."""
        needs = dict(lexicon.NEEDS)
        for need in self.needs:
            asked, served = needs.get(need.name, ((), ()))
            needs[need.name] = (tuple(dict.fromkeys((*asked, *need.asked))),
                                tuple(dict.fromkeys((*served, *need.served))))
        return needs

    def with_synonym(self, card: SynonymCard) -> "Vocabulary":
        """Return this vocabulary with one more synonym (refused as `check_synonym` says)."""
        self.check_synonym(card)
        return replace(self, synonyms=(*self.synonyms, card))

    def with_need(self, card: NeedCard) -> "Vocabulary":
        """Return this vocabulary with one more need (or more words for a known one)."""
        return replace(self, needs=(*self.needs, card))

    def check_synonym(self, card: SynonymCard) -> None:
        """Refuse a synonym whose term is already a word, or whose canonical word is not one."""
        words = self.concept_of()
        if card.term.lower() in words:
            raise LearningRefused("term_known", f"{card.term}:{words[card.term.lower()]}")
        if card.canonical.lower() not in words:
            raise LearningRefused("canonical_unknown", card.canonical)

    @staticmethod
    def concepts() -> list[str]:
        """Return the categories and concepts a synonym may point to (for the form)."""
        return [*lexicon.CATEGORY_WORDS, *lexicon.CONCEPTS]
