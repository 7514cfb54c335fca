"""The segment rule language: what it accepts, and where it says a rule is wrong."""

import re
from datetime import date
from pathlib import Path
from typing import Any

import pytest

from bot.labels import describe_rule
from bot.refusals import REFUSALS, explain
from crm_core.model.segments import (
    Condition,
    DimensionInfo,
    Group,
    Negation,
    RuleError,
    Vocabulary,
    parse_rule,
    profiling_dimensions,
    rules,
)

DIMENSIONS = {code: DimensionInfo(code, behaviour, profiling) for code, behaviour, profiling in [
    ("tier", "label", True), ("aum", "amount", True), ("lifecycle", "label", True),
    ("group", "group", True), ("tag", "tag", False), ("follow", "follow", False),
    ("branch", "branch", False), ("manager", "manager", False), ("channel", "channel", False),
    ("risk", "risk", False), ("interest", "interest", True)]}
WORDS = Vocabulary(DIMENSIONS, lists=frozenset({"新市民", "商户"}), branches=frozenset({"SH001"}),
                   managers=frozenset({"M001"}), categories=frozenset({"理财", "基金"}))


def fault(rule: Any) -> tuple[str, str]:
    with pytest.raises(RuleError) as caught:
        parse_rule(rule, WORDS)
    return caught.value.code, caught.value.path


def test_nested_rule_becomes_a_tree_of_conditions() -> None:
    tree = parse_rule({"all": [
        {"dim": "tier", "op": "in", "value": ["vip", "private"], "month": "2026-10"},
        {"any": [{"dim": "group", "op": "member", "value": "新市民"},
                 {"not": {"dim": "follow", "op": "eq", "value": "unfollowed"}}]},
    ]}, WORDS)
    assert isinstance(tree, Group) and tree.kind == "all"
    assert tree.parts[0] == Condition("tier", "label", "in", ("vip", "private"),
                                      date(2026, 10, 1), profiling=True)
    inner = tree.parts[1]
    assert isinstance(inner, Group) and isinstance(inner.parts[1], Negation)


def test_profile_dimensions_are_collected_through_negations() -> None:
    tree = parse_rule({"any": [{"not": {"dim": "aum", "op": "gte", "value": 50000}},
                               {"dim": "branch", "op": "eq", "value": "SH001"}]}, WORDS)
    assert profiling_dimensions(tree) == {"aum"}
    assert profiling_dimensions(parse_rule({"dim": "tag", "op": "member", "value": "x"},
                                           WORDS)) == frozenset()


@pytest.mark.parametrize(("rule", "expected"), [
    ({"all": [{"dim": "tier", "op": "eq", "value": "vip"}, {"dim": "tier", "op": "like",
                                                            "value": "v"}]},
     ("unknown_operator", "$.all[1].op")),
    ({"any": [{"dim": "shoe_size", "op": "eq", "value": "42"}]},
     ("unknown_dimension", "$.any[0].dim")),
    ({"all": [{"not": {"dim": "group", "op": "member", "value": "外星人"}}]},
     ("no_such_group", "$.all[0].not.value")),
    ({"dim": "branch", "op": "in", "value": ["SH001", "XX9"]}, ("no_such_branch", "$.value[1]")),
    ({"dim": "tier", "op": "eq", "value": "gold"}, ("not_a_code", "$.value")),
    ({"dim": "aum", "op": "between", "value": [9, 1]}, ("bad_between", "$.value")),
    ({"dim": "aum", "op": "gt", "value": "many"}, ("bad_number", "$.value")),
    ({"dim": "aum", "op": "gt", "value": 1, "month": "2026-13"}, ("rule_month", "$.month")),
    ({"dim": "follow", "op": "eq", "value": "following", "month": "2026-01"},
     ("month_not_stored", "$.month")),
    ({"dim": "channel", "op": "within_days", "value": 0}, ("bad_days", "$.value")),
    ({"dim": "channel", "op": "eq", "value": "radio:x"}, ("bad_channel", "$.value")),
    ({"dim": "risk", "op": "gte", "value": 7}, ("bad_risk_level", "$.value")),
    ({"all": []}, ("rule_list", "$.all")),
    ({"both": []}, ("rule_key", "$.both")),
    ({"dim": "tier", "op": "eq", "value": "vip", "when": 1}, ("rule_key", "$.when")),
    ([1, 2], ("rule_shape", "$")),
])
def test_a_faulty_rule_is_refused_with_the_path_of_the_fault(
        rule: Any, expected: tuple[str, str]) -> None:
    assert fault(rule) == expected


def test_a_rule_too_deep_or_too_large_is_refused() -> None:
    deep: dict[str, Any] = {"dim": "tag", "op": "member", "value": "x"}
    for _ in range(8):
        deep = {"not": deep}
    assert fault(deep)[0] == "rule_depth"
    wide = {"any": [{"dim": "tag", "op": "member", "value": f"t{i}"} for i in range(41)]}
    assert fault(wide) == ("rule_size", "$.any[40]")


def test_every_fault_of_a_rule_is_said_in_chinese_with_its_path() -> None:
    source = Path(rules.__file__).read_text(encoding="utf-8")
    codes = set(re.findall(r'RuleError\("([a-z_]+)"', source))
    codes |= {f"no_such_{kind}" for kind in ("group", "branch", "manager", "interest")}
    assert codes - set(REFUSALS) == set()
    with pytest.raises(RuleError) as caught:
        parse_rule({"all": [{"dim": "tier", "op": "like", "value": "v"}]}, WORDS)
    assert explain(caught.value) == "$.all[0].op：维度“tier”不支持比较方式“like”，请重新选择。"


def test_a_rule_reads_as_a_chinese_sentence() -> None:
    assert describe_rule({"all": [
        {"dim": "tier", "op": "in", "value": ["vip", "private"], "month": "2026-10"},
        {"not": {"dim": "channel", "op": "within_days", "value": 30}}]}) == \
        "（资产层级（2026-10） 属于其一 贵宾、私行 且 非（渠道 30 天内活跃））"


def test_mobile_banking_under_channel_reads_as_a_chinese_sentence() -> None:
    assert describe_rule({"any": [
        {"dim": "channel", "op": "in", "value": ["mobile:active"], "month": "2026-10"},
        {"dim": "channel", "op": "gte", "value": "last_login:2026-09"},
        {"dim": "channel", "op": "between",
         "value": ["last_login:2026-06", "last_login:2026-08"]}]}) == (
        "（渠道（2026-10） 属于其一 手机银行月活 或 手机银行最近登录不早于 2026-09"
        " 或 手机银行最近登录介于 2026-06 至 2026-08）")
