"""Customers' questions in ordinary Chinese reach the right product or category."""

import pytest

from bot.search import evaluation
from bot.search.index import ProductIndex
from tests.product_support import QUESTION_SETS, sample_cards

# The held-out set (heldout_questions.csv) is only ever scored: never change the matcher or
# the vocabulary for one of its questions; tune on this one.
TUNING = evaluation.load(QUESTION_SETS / "tuning_questions.csv")
SMALL_TALK = [q.text for q in TUNING if q.expected == evaluation.NONE]


@pytest.fixture(scope="module")
def index() -> ProductIndex:
    return ProductIndex(sample_cards())


def _report(name: str, score: evaluation.Score) -> None:
    print(f"{name}: top-1 {score.rate:.1%} over {score.total}; by kind {score.by_kind()}; "
          f"misses {[(q.text, q.expected, got) for q, got in score.misses]}")


def test_the_tuning_questions_get_the_right_answer_first() -> None:
    score = evaluation.score_sets(QUESTION_SETS)["tuning"]
    _report("tuning", score)
    assert score.total >= 140 and score.rate >= 0.95, score.misses


def test_the_held_out_questions_get_the_right_answer_first() -> None:
    # The goal is 95 %; the set was written before the matcher was changed and is never tuned on.
    score = evaluation.score_sets(QUESTION_SETS)["heldout"]
    _report("held-out", score)
    assert score.total >= 150 and score.rate >= 0.95, score.misses


@pytest.mark.parametrize("text", SMALL_TALK)
def test_small_talk_is_not_taken_for_a_product_question(index: ProductIndex, text: str) -> None:
    result = index.search(text)
    assert not result.hits and not result.intent


def test_a_product_question_without_a_match_still_reads_as_a_product_question(
        index: ProductIndex) -> None:
    result = index.search("你们有股票产品吗")
    assert result.intent and not result.hits


@pytest.mark.parametrize(("question", "code"), [("WM001", "WM001"), ("详情dp003", "DP003"),
                                                ("稳盈90天理财", "WM001")])
def test_codes_and_whole_names_are_exact_matches(index: ProductIndex, question: str,
                                                 code: str) -> None:
    result = index.search(question)
    assert result.exact and result.hits[0][0] == code


def test_a_category_question_is_not_an_exact_match(index: ProductIndex) -> None:
    result = index.search("理财")
    assert not result.exact and result.categories == ("理财",)


def test_a_rebuilt_index_forgets_the_names_of_products_gone_from_the_catalogue() -> None:
    # Each index gets its own copy of jieba's dictionary: a name added for one catalogue
    # must not stay whole in the next one (nor leak into jieba's shared default).
    cards = sample_cards()
    renamed = [c for c in cards if c.code != "WM001"]
    before, after = ProductIndex(cards), ProductIndex(renamed)
    assert "稳盈90天理财" in before.tokenizer.lcut("稳盈90天理财")
    assert "稳盈90天理财" not in after.tokenizer.lcut("稳盈90天理财")
