"""One question, one decision: an FAQ answer, products (sure or unsure), or nothing.

Head office's FAQ answers first when it fits: a question about what a term, a disclosure, a
fee or a process means is not a request for a product list. It does not fit when the question
names a product (a code, a whole name) or a kind of product narrower than a category
(大额存单, 分期): "信用卡分期手续费" asks about that product's fee.

A product answer is unsure when the best products are close in score but of different
categories, or when the best score is weak; the customer then gets up to three choices
rather than a guess (bot.answers).
"""

import functools
from dataclasses import dataclass

from bot.search import lexicon
from bot.search.faq import FaqIndex
from bot.search.index import ProductIndex, SearchResult, normalize
from bot.search.vocabulary import Vocabulary
from crm_core.services import FaqCard, ProductCard

# Below this score the best product shares too little with the question to be answered alone.
WEAK = 4.0
# A runner-up of another category within this share of the best score makes a guess unsafe.
CLOSE = 0.8
# Decisions remembered per matcher: a campaign makes thousands of customers send the same few
# words. (Deciding before the transaction opens was tried and dropped: the searches of the
# other threads then compete for the GIL with the one holding SQLite's writer lock.)
REMEMBERED = 4096


@dataclass(frozen=True)
class Decision:
    """What a question gets: an FAQ entry, or products and whether we are sure of them."""

    faq: FaqCard | None
    products: SearchResult
    sure: bool

    def label(self) -> str:
        """Name the first answer (for scoring): faq:<key>, a product code, not_found or none."""
        if self.faq is not None:
            return f"faq:{self.faq.key}"
        if self.products.hits:
            return self.products.hits[0][0]
        return "not_found" if self.products.intent else "none"


class Matcher:
    """The catalogue's product index and the FAQ's, built together per catalogue version."""

    def __init__(self, cards: list[ProductCard], faq: list[FaqCard],
                 vocabulary: Vocabulary | None = None) -> None:
        self.products = ProductIndex(cards, vocabulary)
        self.faq = FaqIndex(faq, normalize)
        self.category = {card.code: card.category for card in cards}
        # A decision is a pure function of the question and this index (thread-safe cache).
        self.decide = functools.lru_cache(maxsize=REMEMBERED)(self._decide)

    def _decide(self, question: str) -> Decision:
        """Decide what a question gets first."""
        result = self.products.search(question)
        found = self.faq.match(normalize(question))
        if found is not None and not result.exact and not _narrow(result):
            return Decision(found[0], result, True)
        return Decision(None, result, self._sure(result))

    def _sure(self, result: SearchResult) -> bool:
        hits = result.hits
        if result.exact or len(hits) < 2:
            return True
        best, runner_up = (self.category[code] for code, _ in hits[:2])
        named = [c for c in result.concepts if c in lexicon.CATEGORY_WORDS]
        if best in named and runner_up not in named:
            return True  # the question named the kind of product: "养老的保险"
        close = hits[1][1] >= CLOSE * hits[0][1]
        return hits[0][1] >= WEAK and not (best != runner_up and close)


def _narrow(result: SearchResult) -> bool:
    # A kind of product narrower than a category (a concept that is not a category).
    return any(concept in lexicon.CONCEPTS for concept in result.concepts)
