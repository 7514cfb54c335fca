"""Head office's vocabulary merged with the code's, the misses grouped, and a change tried on
both evaluation sets before it is saved."""

from datetime import datetime, timedelta

import pytest

from bot.search import learning
from bot.search.evaluation import SETS, cards_from_csv, sample_faq
from bot.search.index import ProductIndex
from bot.search.miss_groups import find_group, group_misses, question_words, unknown_runs
from bot.search.vocabulary import Vocabulary
from crm_core.services import LearningRefused, Miss, NeedCard, SynonymCard

CARDS = cards_from_csv(SETS / "catalogue.csv")
SLANG = SynonymCard("薪金煲", "现金管理")


def test_a_synonym_means_what_its_canonical_word_means_and_never_overrides_the_code() -> None:
    words = Vocabulary((SLANG, SynonymCard("宝宝金", "薪金煲"),
                        SynonymCard("按揭", "理财"))).concept_of()
    assert words["薪金煲"] == words["宝宝金"] == "现金管理"  # through another addition too
    assert words["按揭"] == "房贷"  # the code's meaning stays
    assert "薪金煲" not in Vocabulary().concept_of()


def test_an_added_need_extends_a_known_one_or_stands_alone() -> None:
    needs = Vocabulary(needs=(NeedCard("出行", ("自驾游",), ("境外",)),
                              NeedCard("年终奖", ("年终奖",), ("现金管理",)))).need_words()
    assert "自驾游" in needs["出行"][0] and "旅游" in needs["出行"][0]
    assert needs["出行"][1].count("境外") == 1
    assert needs["年终奖"] == (("年终奖",), ("现金管理",))


def test_the_index_built_with_the_additions_answers_what_the_code_alone_missed() -> None:
    assert not ProductIndex(CARDS).search("薪金煲").hits
    assert ProductIndex(CARDS, Vocabulary((SLANG,))).search("薪金煲").hits[0][0] == "WM002"
    needing = Vocabulary(needs=(NeedCard("年终奖", ("年终奖",), ("现金管理",)),))
    found = ProductIndex(CARDS, needing).search("年终奖怎么打理")
    assert found.hits[0][0] == "WM002" and found.reasons["WM002"] == ("need:年终奖(现金管理)",)


@pytest.mark.parametrize(("card", "code"), [
    (SynonymCard("按揭", "理财"), "term_known"),
    (SynonymCard("薪金煲", "不存在"), "canonical_unknown"),
])
def test_a_synonym_for_a_known_word_or_to_an_unknown_one_is_refused(card: SynonymCard,
                                                                    code: str) -> None:
    with pytest.raises(LearningRefused) as refused:
        Vocabulary().with_synonym(card)
    assert refused.value.code == code


def test_misses_sharing_their_words_are_one_group_with_the_words_they_share() -> None:
    at = datetime(2026, 12, 1, 8)
    misses = [Miss(q, "not_found", at - timedelta(minutes=n)) for n, q in enumerate(
        ("薪金煲收益怎么样", "黄金能买吗", "薪金煲的收益高吗", "有没有股票 138****5678",
         "你们有股票吗", "薪金煲收益"))]
    groups = group_misses(misses, question_words(ProductIndex(CARDS)))
    assert [(g.count, g.question) for g in groups] == [
        (3, "薪金煲收益怎么样"), (2, "有没有股票 138****5678"), (1, "黄金能买吗")]
    assert groups[0].shared == {"薪金", "收益"} and groups[0].last_at == at
    assert find_group(groups, "你们有股票吗") is groups[1]


def test_the_words_the_search_knows_nothing_of_are_offered_for_a_synonym() -> None:
    assert unknown_runs(ProductIndex(CARDS), "薪金煲收益怎么样") == ["薪金煲"]


def test_a_preview_scores_both_sets_before_and_after_and_shows_a_harmful_change() -> None:
    live = learning.Live(CARDS, sample_faq(SETS), Vocabulary())
    helpful = learning.preview(learning.Change(synonym=SLANG), live, ["薪金煲收益怎么样"])
    assert set(helpful.before) == {"tuning", "heldout"} and not helpful.regressed()
    _, before, after = helpful.questions[0]
    assert (before.label, after.label) == ("not_found", "WM002")
    harmful = learning.Change(need=NeedCard("出行", ("理财", "存款"), ("境外",)))
    assert learning.preview(harmful, live, []).regressed() == ["tuning", "heldout"]
