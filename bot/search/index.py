"""Matching customers' Chinese questions to catalogue products.

Why this approach: Chinese has no spaces, customers type on phone keyboards (pinyin input, so
typos are mostly homophones: 理才 for 理财, 代款 for 贷款), and they name products by what they
want ("买房借钱") rather than by catalogue words. So a question goes through four steps:

1. **Segmentation with jieba** (search mode) into words, with the catalogue's product names
   and our vocabulary added to its dictionary so they stay whole.
2. **A synonym table** (bot.search.lexicon) maps customers' words to concepts (按揭 → 房贷 →
   贷款), for products and questions alike; categories are concepts too.
3. **Pinyin repair**: every 2–4 character window of the question is turned into toneless
   pinyin (pypinyin) and looked up among the vocabulary's pinyin, which repairs homophone typos
   that segmentation alone would split into nonsense.
4. **Scoring**: concept and word overlap weighted by rarity (IDF, as in BM25) per field (name
   weighs most), plus a fuzzy name match (rapidfuzz partial ratio, for near-miss names and
   partial names), plus exact product codes, which always win.

An embedding model would handle paraphrase better but needs a model download and a GPU-free
latency budget we cannot spare on the webhook (p99 < 30 ms); this runs in about a millisecond
for 2,000 products and every decision it makes can be read and tested.
"""

import math
import re
import unicodedata
from collections import defaultdict
from dataclasses import dataclass

from pypinyin import lazy_pinyin
from rapidfuzz import fuzz, process

from bot.search import lexicon
from bot.search.segment import new_tokenizer
from crm_core.services import ProductCard

FIELD_WEIGHTS = (("name", 3.0), ("keywords", 2.0), ("summary", 0.5))
CATEGORY_BONUS = 1.5
NAME_WEIGHT = 6.0
NAME_CUTOFF = 70
EXACT = 1000.0
MIN_SCORE = 1.0
SOUND_CUTOFF = 90
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


def normalize(text: str) -> str:
    """Fold width and case and drop punctuation and spaces."""
    return _PUNCT.sub("", unicodedata.normalize("NFKC", text).lower())


class ProductIndex:
    """An in-process index of the catalogue, rebuilt whenever the catalogue changes."""

    def __init__(self, cards: list[ProductCard]) -> None:
        self.words = lexicon.concept_of()
        self.tokenizer = new_tokenizer([*self.words, *(normalize(c.name) for c in cards)])
        self.codes = {c.code.lower(): c.code for c in cards}
        self.names = {c.code: normalize(c.name) for c in cards}
        self.by_category: dict[str, list[str]] = defaultdict(list)
        self.postings: dict[str, dict[str, float]] = defaultdict(dict)
        for card in cards:
            self.by_category[card.category].append(card.code)
            self._post(card)
        self.idf = {term: math.log(1 + len(cards) / len(docs)) for term, docs in
                    self.postings.items()}
        self.sounds = self._pinyin_vocabulary()

    def _post(self, card: ProductCard) -> None:
        for field, weight in FIELD_WEIGHTS:
            for term in self.terms(normalize(getattr(card, field) or "")):
                docs = self.postings[term]
                docs[card.code] = max(docs.get(card.code, 0.0), weight)

    def _pinyin_vocabulary(self) -> dict[str, str]:
        words = [w for w in (*self.words, *self.postings) if _CJK.fullmatch(w) and len(w) > 1]
        return {"".join(lazy_pinyin(w)): w for w in sorted(words, key=len)}

    def terms(self, text: str) -> set[str]:
        """Return the words and concepts of a normalized product text (no typo repair)."""
        words = {w for w in self.tokenizer.cut_for_search(text)
                 if w not in lexicon.STOPWORDS and (len(w) > 1 or w in self.words)}
        return words | {self.words[w] for w in words if w in self.words}

    def _understood(self, text: str) -> tuple[set[str], float]:
        # The text's known words and concepts, and the share of its meaningful characters
        # they cover: a question we mostly do not understand is not answered from one word.
        known, meaningful = set(), set()
        covered: set[int] = set()
        for word, start, end in self.tokenizer.tokenize(text, mode="search"):
            if word in lexicon.STOPWORDS:
                continue
            meaningful.update(range(start, end))
            if len(word) > 1 or word in self.words:
                known.add(word)
                if word in self.words or word in self.postings:
                    covered.update(range(start, end))
        covered |= self._repair(text, covered, known)
        known |= {self.words[w] for w in known if w in self.words}
        return known, len(covered & meaningful) / max(len(meaningful), 1)

    def search(self, question: str, limit: int = 20) -> SearchResult:
        """Return the products that best match a question."""
        text = normalize(question)
        code = next((self.codes[w] for w in _WORD.findall(text) if w in self.codes), None)
        terms, coverage = self._understood(text)
        if not (terms & self.postings.keys()) and code is None:
            terms |= self._near_sounds(text)
        categories = tuple(sorted({c for t in terms if (c := lexicon.category_of_concept(t))}))
        names = self._name_matches(text)
        scores = self._scores(terms, categories, names) if coverage >= COVERAGE or names else {}
        if code is not None:
            scores[code] = EXACT
        ranked = sorted(((c, s) for c, s in scores.items() if s >= MIN_SCORE),
                        key=lambda item: (-item[1], item[0]))[:limit]
        exact = code is not None or self._named(text, ranked)
        intent = bool(ranked or categories or any(w in text for w in lexicon.INTENT_WORDS))
        return SearchResult(tuple(ranked), categories, exact, intent)

    def _repair(self, text: str, covered: set[int], known: set[str]) -> set[int]:
        # Homophone typos: a window not already understood whose pinyin is a known word's
        # pinyin becomes that word (理才 -> 理财, 大额存丹 -> 存单).
        repaired: set[int] = set()
        for run in _CJK.finditer(text):
            sounds = lazy_pinyin(run.group())
            for size in (4, 3, 2):
                for offset in range(len(sounds) - size + 1):
                    span = range(run.start() + offset, run.start() + offset + size)
                    word = self.sounds.get("".join(sounds[offset:offset + size]))
                    if word and not set(span) <= covered | repaired:
                        known.add(word)
                        repaired.update(span)
        return repaired

    def _near_sounds(self, text: str) -> set[str]:
        # Last resort for questions nothing matched: a near-homophone of a two-character
        # vocabulary word (基经 for 基金: jijing for jijin), by fuzzy matching the pinyin.
        found = set()
        for run in _CJK.findall(text):
            sounds = lazy_pinyin(run)
            for start in range(len(run) - 1):
                key = "".join(sounds[start:start + 2])
                match = process.extractOne(key, self.sounds.keys(), scorer=fuzz.ratio,
                                           score_cutoff=SOUND_CUTOFF)
                if match is not None and len(self.sounds[match[0]]) == 2:
                    word = self.sounds[match[0]]
                    found |= {word, self.words.get(word, word)}
        return found

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
                if len(self.names[code]) <= len(text) * 1.6 + 2]

    def _named(self, text: str, ranked: list[tuple[str, float]]) -> bool:
        # One product is meant when its whole name is in the question, or nearly.
        if not ranked:
            return False
        best = self.names[ranked[0][0]]
        runner_up = ranked[1][1] if len(ranked) > 1 else 0.0
        return (best in text or fuzz.partial_ratio(best, text) >= 90) and \
            ranked[0][1] > runner_up * 1.2
