"""Customers' questions in ordinary Chinese reach the right product or category."""

import pytest

from bot.search.index import ProductIndex
from tests.product_support import sample_cards

# (question as customers type it, expected product code or category). Typos and synonyms on
# purpose; the last block was written after the matcher and never tuned against.
QUESTIONS = [
    ("理财", "理财"), ("有什么理财产品推荐吗", "理财"), ("理才", "理财"),
    ("存款利率", "存款"), ("现在定期存款利率多少", "存款"), ("贷款", "贷款"),
    ("我想借点钱", "贷款"), ("信用卡", "信用卡"), ("信用咔怎么办", "信用卡"),
    ("代款利率", "贷款"), ("WM001", "WM001"), ("wm003怎么样", "WM003"),
    ("稳盈90天", "WM001"), ("稳赢90天理财", "WM001"), ("天天利", "WM002"),
    ("有没有随用随取的理财", "WM002"), ("大额存单", "DP001"), ("大额存单利率多少", "DP001"),
    ("大额存丹", "DP001"), ("三年期大额存单起存金额", "DP001"), ("七天通知存款", "DP003"),
    ("美元存款利率", "DP004"), ("美金定期", "DP004"), ("结构性存款", "DP005"),
    ("零存整取怎么存", "DP006"), ("房贷利率多少", "LN001"), ("买房贷款", "LN001"),
    ("按揭", "LN001"), ("首套房公积金贷款", "LN001"), ("装修贷款", "LN002"),
    ("装修想借钱", "LN002"), ("买车可以贷款吗", "LN003"), ("车贷", "LN003"),
    ("消费贷", "LN004"), ("做生意周转资金", "LN005"), ("个体户经营贷", "LN005"),
    ("白金卡", "CC001"), ("大学生信用卡", "CC002"), ("出国留学用什么信用卡", "CC003"),
    ("境外旅游刷卡", "CC003"), ("车主信用卡加油优惠", "CC004"), ("信用卡账单分期", "CC005"),
    ("基金", "基金"), ("指数基金", "FD001"), ("沪深300", "FD001"), ("债基", "FD002"),
    ("货币基金", "FD003"), ("基金定投", "FD004"), ("定头", "FD004"), ("保险", "保险"),
    ("重疾险", "IN001"), ("大病保险", "IN001"), ("百万医疗", "IN002"),
    ("住院报销的保险", "IN002"), ("养老年金", "IN003"), ("孩子教育金", "IN004"),
    ("意外险", "IN005"), ("养老理财", "WM004"), ("一年的理财产品", "WM003"),
    ("短期理财两周", "WM006"), ("定期存款", "存款"), ("有没有黄金相关的存款", "DP005"),
    ("基经", "基金"), ("我想存钱", "存款"), ("请问信用卡怎么申请", "信用卡"),
    ("理财产品收益怎么样", "理财"), ("我要办一张白金信用卡", "CC001"),
    # Written afterwards, not tuned against:
    ("我想买点稳健的理财", "理财"), ("存款哪个利息高", "存款"), ("有没有适合学生的卡", "CC002"),
    ("房子按揭要什么条件", "LN001"), ("想给孩子存教育费用", "IN004"),
    ("退休以后每月领钱的保险", "IN003"), ("两万块钱存三年", "存款"),
    ("境外消费不收手续费的卡", "CC003"), ("WM006详情", "WM006"), ("货基", "FD003"),
    ("稳建双周盈", "WM006"), ("指数定投", "基金"), ("汽车贷款利率", "LN003"),
    ("信用卡分期手续费", "CC005"), ("百万医疗险多少钱一年", "IN002"),
    ("我想开个体户需要周转", "LN005"), ("有没有七天的存款", "DP003"), ("保本理财", "理财"),
    # A later probe of unseen phrasing; its misses were added to the lexicon, then kept here:
    ("想存点钱", "存款"), ("有没有稳健一点的投资", "理财"), ("有没有适合老人的理财", "WM004"),
    ("小孩读书的保险", "IN004"), ("大额存单还有额度吗", "DP001"), ("车贷利率", "LN003"),
    ("经营贷款利率", "LN005"), ("分期还款", "CC005"), ("基金定投怎么弄", "FD004"),
]
SMALL_TALK = ["你好", "谢谢", "今天天气怎么样", "在吗", "人工客服", "hi", "我的客户经理是谁",
              "营业时间", "我要投诉"]


@pytest.fixture(scope="module")
def index() -> ProductIndex:
    return ProductIndex(sample_cards())


def test_at_least_ninety_percent_of_real_questions_find_the_right_product_first(
        index: ProductIndex) -> None:
    category = {card.code: card.category for card in sample_cards()}
    misses = []
    for question, expected in QUESTIONS:
        hits = index.search(question).hits
        top = hits[0][0] if hits else None
        if top != expected and (top is None or category[top] != expected):
            misses.append((question, expected, top))
    rate = 1 - len(misses) / len(QUESTIONS)
    print(f"top-1 accuracy {rate:.1%} over {len(QUESTIONS)} questions; misses: {misses}")
    assert len(QUESTIONS) >= 50 and rate >= 0.9, misses


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
