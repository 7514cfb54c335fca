"""Matching customers' Chinese questions to catalogue products.

Why this approach: Chinese has no spaces, customers type on phone keyboards (pinyin input, so
typos are mostly homophones: 理才 for 理财, 代款 for 贷款), and they name products by what they
want ("买房借钱") rather than by catalogue words. So a question goes through four steps:

1. **Segmentation with jieba** (search mode) into words, with the catalogue's product names
   and our vocabulary added to its dictionary so they stay whole.
2. **A synonym table** (bot.search.lexicon, plus head office's additions) maps customers'
   words to concepts (按揭 → 房贷 → 贷款), for products and questions alike; categories are
   concepts too.
3. **Pinyin repair**: every 2–4 character window the segmenter did not understand is turned
   into toneless pinyin (pypinyin), with the distinctions input-method users most often miss
   folded (模糊音: zh/z, in/ing, n/l...), and looked up among the vocabulary's pinyin. That
   repairs homophone typos that segmentation alone would split into nonsense.
4. **Scoring**: concept and word overlap weighted by rarity (IDF, as in BM25) per field (name
   weighs most), plus a fuzzy name match (rapidfuzz partial ratio, for near-miss names and
   partial names), plus exact product codes, which always win.
5. **Needs** (bot.search.needs): a question that states a need (travel, money at call, a
   child's education, retirement, a first home, a shop...) adds NEED_WEIGHT to every product
   whose own text shows it serves that need, more than sharing a word is worth.

Before any of this, numbers are read the same way on both sides (bot.search.numerals: 七天 and
7天, 一年期 and 1年, durations as days), and product codes are compared without case or
separators (wm-001, WM 001, ｗｍ００１).

An embedding model would handle paraphrase better but needs a model download and a GPU-free
latency budget we cannot spare on the webhook (p99 < 30 ms); this runs in about a millisecond
for 2,000 products and every decision it makes can be read and tested.
"""

import math
import re
import unicodedata
from collections import defaultdict
from collections.abc import Iterator
from dataclasses import dataclass, field

from pypinyin import lazy_pinyin
from rapidfuzz import fuzz, process

from bot.search import lexicon, numerals
from bot.search.needs import NeedIndex, NeedMatch
from bot.search.segment import new_tokenizer
from bot.search.vocabulary import Vocabulary
from crm_core.services import ProductCard

FIELD_WEIGHTS = (("name", 3.0), ("keywords", 2.0), ("term", 1.0), ("summary", 0.5))
NEED_WEIGHT = 15.0
# Each further word of a product's text showing the same need (up to two) adds this much:
# a product that says it three times fits better than one that mentions it in passing.
NEED_EVIDENCE = 1.5
CATEGORY_BONUS = 1.5
NAME_WEIGHT = 6.0
NAME_CUTOFF = 70
EXACT = 1000.0
MIN_SCORE = 1.0
COVERAGE = 0.6
_CJK = re.compile(r"[\u4e00-\u9fff]+")
_WORD = re.compile(r"[a-z0-9][a-z0-9_-]{1,31}")
_PUNCT = re.compile(r"[\s\W_]+", re.UNICODE)


@dataclass(frozen=True)
class SearchResult:
    """Products matching a question (best first, with scores) and what it asked about."""

    hits: tuple[tuple[str, float], ...]
    categories: tuple[str, ...]
    exact: bool
    intent: bool
    # The kinds of product the question names (vocabulary concepts, categories included).
    concepts: tuple[str, ...] = ()
    # Why a product was matched beyond its words: the needs it serves (by product code).
    reasons: dict[str, tuple[str, ...]] = field(default_factory=dict)


def normalize(text: str) -> str:
    """Fold width and case, drop punctuation and spaces, and write quantities in digits."""
    return numerals.arabic(_PUNCT.sub("", unicodedata.normalize("NFKC", text).lower()))


def fuzzy_sound(syllable: str) -> str:
    """Fold the pinyin distinctions input-method users most often miss (模糊音):
    zh/z, ch/c, sh/s, front and back nasals (in/ing, en/eng, an/ang) and n/l."""
    for hard, soft in (("zh", "z"), ("ch", "c"), ("sh", "s")):
        if syllable.startswith(hard):
            syllable = soft + syllable[2:]
    if syllable.endswith("ng") and syllable[-3] in "aei":
        syllable = syllable[:-1]
    return "l" + syllable[1:] if syllable.startswith("n") else syllable


def sound_key(word: str) -> str:
    """Return a word's pinyin with fuzzy sounds folded."""
    return "".join(fuzzy_sound(s) for s in lazy_pinyin(word))


class ProductIndex:
    """An in-process index of the catalogue, rebuilt whenever the catalogue changes."""

    def __init__(self, cards: list[ProductCard], vocabulary: Vocabulary | None = None) -> None:
        vocabulary = vocabulary or Vocabulary()
        self.words = {normalize(w): c for w, c in vocabulary.concept_of().items()}
        self.tokenizer = new_tokenizer([*self.words, *(normalize(c.name) for c in cards)])
        self.codes = {normalize(c.code): c.code for c in cards}
        self.needs = NeedIndex(((c.code, normalize(" ".join(
            (c.name, c.summary, c.details, c.keywords or "")))) for c in cards), normalize,
            vocabulary.need_words())
        self.names = {c.code: normalize(c.name) for c in cards}
        self.by_category: dict[str, list[str]] = defaultdict(list)
        self.postings: dict[str, dict[str, float]] = defaultdict(dict)
        for card in cards:
            self.by_category[card.category].append(card.code)
            self._post(card)
        self.idf = {term: math.log(1 + len(cards) / len(docs)) for term, docs in
                    self.postings.items()}
        self.sounds = self._pinyin_vocabulary(cards)

    def _post(self, card: ProductCard) -> None:
        for name, weight in FIELD_WEIGHTS:
            for term in self.terms(normalize(getattr(card, name) or ""), product=True):
                docs = self.postings[term]
                docs[card.code] = max(docs.get(card.code, 0.0), weight)

    def _pinyin_vocabulary(self, cards: list[ProductCard]) -> dict[str, str]:
        # Only whole words: search-mode fragments ("天理" out of "90天理财") would "repair"
        # innocent text into them.
        words = {*self.words, *(w for c in cards for w in self.tokenizer.cut(normalize(
            f"{c.name} {c.keywords or ''}")))}
        return {sound_key(w): w for w in sorted(words, key=len)
                if _CJK.fullmatch(w) and len(w) > 1}

    def terms(self, text: str, product: bool = False) -> set[str]:
        """Return the words and concepts of a normalized text (no typo repair).

        A single character (存, 贷) says which category a question is about, but in a
        product's text it is a fragment of a longer word ("每月存"): it is not indexed.
        """
        words = {w for w in self.tokenizer.cut_for_search(text) if w not in lexicon.STOPWORDS
                 and (len(w) > 1 or (w in self.words and not product))}
        return words | {self.words[w] for w in words if w in self.words} | \
            numerals.quantities(text)

    def _understood(self, text: str) -> tuple[set[str], float]:
        # The text's known words and concepts, and the share of its meaningful characters
        # they cover: a question we mostly do not understand is not answered from one word.
        known: set[str] = set()
        meaningful: set[int] = set()
        covered: set[int] = set()
        for word, start, end in self._pieces(text):
            if word in lexicon.STOPWORDS:
                continue
            meaningful.update(range(start, end))
            if len(word) > 1 or word in self.words:
                known.add(word)
            if word in self.words or word in self.postings or word in lexicon.INTENT_WORDS \
                    or numerals.QUANTITY.fullmatch(word):
                covered.update(range(start, end))
        covered |= self._repair(text, covered, known)
        known |= {self.words[w] for w in known if w in self.words} | numerals.quantities(text)
        return known, len(covered & meaningful) / max(len(meaningful), 1)

    def _pieces(self, text: str) -> Iterator[tuple[str, int, int]]:
        # Quantities (20万, 3年, 2万块钱) are words of their own; jieba would glue their
        # digits or units to the next character ("万存").
        at = 0
        for quantity in numerals.QUANTITY.finditer(text):
            yield from self._cut(text[at:quantity.start()], at)
            yield quantity.group(), quantity.start(), quantity.end()
            at = quantity.end()
        yield from self._cut(text[at:], at)

    def _cut(self, text: str, offset: int) -> Iterator[tuple[str, int, int]]:
        for word, start, end in self.tokenizer.tokenize(text, mode="search"):
            yield word, start + offset, end + offset

    def search(self, question: str, limit: int = 20) -> SearchResult:
        """Return the products that best match a question."""
        text = normalize(question)
        code = next((self.codes[w] for w in _WORD.findall(text) if w in self.codes), None)
        terms, coverage = self._understood(text)
        categories = tuple(sorted({c for t in terms if (c := lexicon.category_of_concept(t))}))
        names = self._name_matches(text)
        served = self.needs.matches(self.needs.stated(text))
        understood = coverage >= COVERAGE or names or categories or served
        scores = self._scores(terms, categories, names) if understood else {}
        for product, matches in served.items():
            scores[product] = scores.get(product, 0.0) + sum(map(_need_score, matches))
        if code is not None:
            scores[code] = EXACT
        ranked = sorted(((c, s) for c, s in scores.items() if s >= MIN_SCORE),
                        key=lambda item: (-item[1], item[0]))[:limit]
        exact = code is not None or self._named(text, ranked)
        intent = bool(ranked or categories or any(w in text for w in lexicon.INTENT_WORDS))
        reasons = {c: tuple(m.reason() for m in served[c]) for c, _ in ranked if c in served}
        concepts = tuple(sorted({t for t in terms if lexicon.category_of_concept(t)}))
        return SearchResult(tuple(ranked), categories, exact, intent, concepts, reasons)

    def _repair(self, text: str, covered: set[int], known: set[str]) -> set[int]:
        # Homophone typos: a window not already understood that sounds like a known word
        # becomes that word (理才 -> 理财, 大额存丹 -> 存单, 基经 -> 基金).
        repaired: set[int] = set()
        for run in _CJK.finditer(text):
            sounds = [fuzzy_sound(s) for s in lazy_pinyin(run.group())]
            for size in (4, 3, 2):
                for offset in range(len(sounds) - size + 1):
                    span = range(run.start() + offset, run.start() + offset + size)
                    word = self.sounds.get("".join(sounds[offset:offset + size]))
                    if word and not set(span) <= covered | repaired:
                        known.add(word)
                        repaired.update(span)
        return repaired

    def _scores(self, terms: set[str], categories: tuple[str, ...],
                names: list[tuple[str, float]]) -> dict[str, float]:
        scores: dict[str, float] = defaultdict(float)
        for term in terms:
            for code, weight in self.postings.get(term, {}).items():
                scores[code] += weight * self.idf[term]
        for category in categories:
            for code in self.by_category.get(category, ()):
                scores[code] += CATEGORY_BONUS
        for code, similarity in names:
            scores[code] += NAME_WEIGHT * (similarity - NAME_CUTOFF) / (100 - NAME_CUTOFF)
        return scores

    def _name_matches(self, text: str) -> list[tuple[str, float]]:
        # Only names about as long as the question or shorter: a two-character question
        # would otherwise "match" inside every long name.
        if len(text) < 3:
            return []
        found = process.extract(text, self.names, scorer=fuzz.partial_ratio, limit=10,
                                score_cutoff=NAME_CUTOFF)
        return [(code, score) for _name, score, code in found
                if score == 100 or len(self.names[code]) <= len(text) * 1.6 + 2]

    def _named(self, text: str, ranked: list[tuple[str, float]]) -> bool:
        # One product is meant when its whole name is in the question, or nearly.
        if not ranked:
            return False
        best = self.names[ranked[0][0]]
        runner_up = ranked[1][1] if len(ranked) > 1 else 0.0
        return (best in text or fuzz.partial_ratio(best, text) >= 90) and \
            ranked[0][1] > runner_up * 1.2


def _need_score(match: NeedMatch) -> float:
    return NEED_WEIGHT + NEED_EVIDENCE * min(len(match.evidence) - 1, 2)
