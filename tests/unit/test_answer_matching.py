"""Codes, Chinese numerals, needs and the FAQ: how customers really ask."""

from dataclasses import replace

import pytest

from bot.search import evaluation, numerals
from bot.search.index import ProductIndex
from bot.search.matcher import Matcher
from tests.product_support import QUESTION_SETS, sample_cards


@pytest.fixture(scope="module")
def matcher() -> Matcher:
    return evaluation.sample_matcher(QUESTION_SETS)


@pytest.mark.parametrize(("typed", "read"), [
    ("三百块", "300块"), ("七天通知存款", "7天通知存款"), ("一年期大额存单", "1年大额存单"),
    ("两个礼拜", "2周"), ("九十天", "90天"), ("二十万起存", "20万起存"), ("一千五", "1500"),
    ("三个月期", "3个月"), ("一下", "一下"), ("万一", "万一"), ("一点", "一点"), ("十分", "十分"),
])
def test_chinese_numerals_are_read_as_numbers_only_when_they_are_quantities(
        typed: str, read: str) -> None:
    assert numerals.arabic(typed) == read


def test_durations_and_sums_are_compared_in_days_and_yuan() -> None:
    assert numerals.quantities("1年") == {"365天"}
    assert numerals.quantities("2周") == {"14天"}
    assert numerals.quantities("20万元起存") == {"200000元"}


@pytest.mark.parametrize(("question", "code"), [
    ("wm-001", "WM001"), ("Wm 003", "WM003"), ("ｗｍ００２", "WM002"), ("ln_005利率", "LN005"),
])
def test_product_codes_match_in_any_case_with_or_without_separators(
        matcher: Matcher, question: str, code: str) -> None:
    result = matcher.products.search(question)
    assert result.exact and result.hits[0][0] == code


def test_a_catalogue_code_with_a_separator_matches_typed_without_it() -> None:
    cards = [replace(c, code="WM-01") if c.code == "WM001" else c for c in sample_cards()]
    result = ProductIndex(cards).search("wm01")
    assert result.exact and result.hits[0][0] == "WM-01"


@pytest.mark.parametrize(("question", "code"), [
    ("七天的存款", "DP003"), ("九十天的理财", "WM001"), ("两周的理财", "WM006"),
])
def test_numbers_in_chinese_find_the_product_of_that_term(
        matcher: Matcher, question: str, code: str) -> None:
    assert matcher.products.search(question).hits[0][0] == code


def test_a_stated_need_ranks_the_product_that_serves_it_first_and_keeps_why(
        matcher: Matcher) -> None:
    result = matcher.products.search("有没有存取灵活的理财")
    assert result.hits[0][0] == "WM002"
    assert result.reasons["WM002"] == ("need:随时取用(随用随取/现金管理/活钱/t+1/申请赎回)",)


def test_a_product_that_serves_the_need_outranks_one_that_only_shares_a_word(
        matcher: Matcher) -> None:
    # LN004 has 借钱 among its keywords; LN002's own text says it is for 装修.
    hits = [code for code, _ in matcher.products.search("房子翻新要借钱").hits]
    assert hits.index("LN002") < hits.index("LN004")


def test_the_need_comes_from_the_catalogue_text_not_from_the_vocabulary(
        matcher: Matcher) -> None:
    cards = [replace(c, summary="境外消费免货币转换费。") if c.code == "LN004" else c
             for c in sample_cards()]
    result = ProductIndex(cards).search("要去日本旅游")
    assert "LN004" in result.reasons


@pytest.mark.parametrize(("question", "key"), [
    ("业绩比较基准是什么意思", "benchmark"), ("r3的产品风险大吗", "risk-levels"),
    ("保险犹豫期多久", "cooling-off"),
])
def test_a_question_about_a_term_gets_the_faq_answer(matcher: Matcher, question: str,
                                                     key: str) -> None:
    decision = matcher.decide(question)
    assert decision.faq is not None and decision.faq.key == key


@pytest.mark.parametrize("question", ["信用卡分期手续费", "WM001手续费"])
def test_a_question_about_one_kind_of_product_goes_to_the_products(
        matcher: Matcher, question: str) -> None:
    decision = matcher.decide(question)
    assert decision.faq is None and decision.products.hits


def test_close_products_of_different_categories_make_an_unsure_answer(matcher: Matcher) -> None:
    decision = matcher.decide("准备退休后按月领钱")
    assert not decision.sure and len(decision.products.hits) >= 2


def test_a_named_category_makes_the_answer_sure(matcher: Matcher) -> None:
    assert matcher.decide("退休以后每月领钱的保险").sure
