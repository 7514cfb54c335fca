"""Scoring product answers against a question set: the share whose first answer is right.

Two sets live in bot/search/evaluation_sets (shipped with the package: the console re-runs
them before head office saves a vocabulary or FAQ change): `tuning_questions.csv`, which the
vocabulary and the weights are tuned on, and `heldout_questions.csv`, written before any
tuning by someone who had not read the vocabulary, which is only ever scored. A matcher that
fits only the first set shows up as a gap between the two scores.

Each row is a question, what the first answer must be and the kind of question. The expected
answer is a product code (the first product shown), a category (the first product shown is of
it), `faq:<key>` (that head-office answer) or `none` (small talk: no product answer at all).
"""

import csv
from collections import Counter
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path

from bot.search.matcher import Matcher
from bot.search.vocabulary import Vocabulary
from crm_core.services import FaqCard, ProductCard, read_rows
from crm_core.services.answers.faq import faq_values
from crm_core.services.catalogue import product_values

NONE = "none"
SETS = Path(__file__).parent / "evaluation_sets"
SET_NAMES = ("tuning", "heldout")


@dataclass(frozen=True)
class Question:
    """One question of a set and the answer it must get first."""

    text: str
    expected: str
    kind: str


@dataclass(frozen=True)
class Score:
    """How many questions of a set got the right first answer, and which did not."""

    total: int
    misses: tuple[tuple[Question, str], ...]
    kinds: Counter[str]

    @property
    def rate(self) -> float:
        """Return the share of questions answered right first."""
        return 1 - len(self.misses) / max(self.total, 1)

    def by_kind(self) -> dict[str, float]:
        """Return the rate per kind of question."""
        missed = Counter(question.kind for question, _ in self.misses)
        return {kind: 1 - missed[kind] / count for kind, count in sorted(self.kinds.items())}


def load(path: Path) -> list[Question]:
    """Read a question set (CSV: question, expected, kind)."""
    with path.open(encoding="utf-8", newline="") as handle:
        return [Question(row["question"], row["expected"], row["kind"])
                for row in csv.DictReader(handle)]


def score(answer: Callable[[str], str], questions: Iterable[Question],
          categories: dict[str, str]) -> Score:
    """Score `answer` (question -> first answer's label) over a set.

    `categories` maps product codes to their category, so a category question counts as
    right when its first product is of that category.
    """
    misses, kinds = [], Counter[str]()
    for question in questions:
        kinds[question.kind] += 1
        got = answer(question.text)
        if got != question.expected and categories.get(got) != question.expected:
            misses.append((question, got))
    return Score(sum(kinds.values()), tuple(misses), kinds)


def cards_from_csv(path: Path) -> list[ProductCard]:
    """Read a catalogue file as cards (checked as an import checks it), without a database."""
    cards = []
    for row in read_rows(path.read_text(encoding="utf-8"), "csv", "product"):
        values = product_values(row.fields, lambda _code: True)
        cards.append(ProductCard(values["code"], values["name"], values["category"],
                                 values["risk_level"], values["rate"], values["term"],
                                 values["min_amount"], values["summary"], values["details"],
                                 values["past_performance"], values["keywords"],
                                 values["private_placement"], 1))
    return cards


def sample_faq(folder: Path) -> list[FaqCard]:
    """Read a folder's sample FAQ (faq.csv): its active entries, as an import checks them."""
    faq = []
    for row in read_rows((folder / "faq.csv").read_text(encoding="utf-8"), "csv", "faq"):
        values = faq_values(row.fields)
        if values["active"]:
            faq.append(FaqCard(values["key"], values["topic"], values["question"],
                               values["answer"], tuple(values["keywords"].split()), 1))
    return faq


def sample_matcher(folder: Path, vocabulary: Vocabulary | None = None,
                   extra_faq: Iterable[FaqCard] = ()) -> Matcher:
    """Build the matcher of a folder's sample catalogue and FAQ (catalogue.csv, faq.csv),
    with a vocabulary's additions and further FAQ entries if given."""
    return Matcher(cards_from_csv(folder / "catalogue.csv"),
                   [*sample_faq(folder), *extra_faq], vocabulary)


def score_matcher(matcher: Matcher, folder: Path) -> dict[str, Score]:
    """Score a matcher built on `folder`'s sample catalogue on its tuning and held-out sets."""
    return {name: score(lambda q: matcher.decide(q).label(),
                        load(folder / f"{name}_questions.csv"), matcher.category)
            for name in SET_NAMES}


def score_sets(folder: Path) -> dict[str, Score]:
    """Score the sample matcher on the tuning and the held-out set of `folder`."""
    return score_matcher(sample_matcher(folder), folder)
