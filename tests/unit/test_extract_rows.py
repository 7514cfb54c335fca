"""Rows of the bank's extracts are checked one by one: keys become keyed hashes, a mobile its
masked form, amounts must be non-negative numbers, and each refusal carries its code."""

from datetime import date

import pytest

from crm_core.model import BatchKind, Refusal
from crm_core.services import ImportRejected
from crm_core.services.classification import parse_spec, thresholds
from crm_core.services.classification.extracts import RowChecker


class Keys:
    """Readable stand-ins for the keyed hashes."""

    def digest(self, number: str) -> str:
        return f"phone:{number}"

    def customer_key(self, number: str) -> str:
        return f"no:{number}"


def checker(kind: str, header: list[str]) -> RowChecker:
    return RowChecker(parse_spec(kind, "2026-11"), header, Keys())


def test_a_kind_and_month_are_read_with_a_lists_name() -> None:
    spec = parse_spec("list:新市民", "2026-11")
    assert (spec.kind, spec.month, spec.list_name) == (BatchKind.LIST, date(2026, 11, 1), "新市民")
    assert spec.dimension == "group" and spec.value == "新市民"
    for kind, month, code in [("list:", "2026-11", "bad_list_name"), ("loans", "2026-11",
                              "bad_kind"), ("balances", "2026-13", "bad_month"),
                              ("balances", "11/2026", "bad_month")]:
        with pytest.raises(Refusal) as refused:
            parse_spec(kind, month)
        assert refused.value.code == code


def test_a_balance_row_keeps_only_hashes_and_a_masked_phone() -> None:
    rows = checker("balances", ["客户号", "手机号", "网点", "月日均资产"])
    row = rows.check(2, ["", "+86 138-0000-0001", "SH001", "1,200.50"])
    assert (row.key_hash, row.phone_hash, row.masked_phone) == (
        None, "phone:13800000001", "138****0001")
    assert (row.branch, row.value, row.amount) == ("SH001", "aum", "1200.50")
    assert rows.check(3, ["6200000001", "", "", "0"]).key_hash == "no:6200000001"


@pytest.mark.parametrize(("values", "code"), [
    (["", "", "", "1"], "no_key"), (["62-01", "", "", "1"], "bad_customer_no"),
    (["", "12345", "", "1"], "bad_mobile"), (["6200000001", "", "", "-1"], "negative_amount"),
    (["6200000001", "", "", "abc"], "bad_balance"), (["6200000001", "", "", "1.234"],
                                                     "bad_balance"),
    (["6200000001", "", "", "1", "x"], "too_many_values")])
def test_each_bad_row_is_refused_with_its_reason(values: list[str], code: str) -> None:
    with pytest.raises(Refusal) as refused:
        checker("balances", ["客户号", "手机号", "网点", "月日均资产"]).check(2, values)
    assert refused.value.code == code


def test_a_header_missing_its_columns_or_with_strange_ones_is_refused() -> None:
    for kind, header in [("balances", ["客户号"]), ("holdings", ["客户号", "产品大类"]),
                         ("mapping", ["客户号"]), ("media", ["介质"]),
                         ("balances", ["客户号", "月日均资产", "身份证号"])]:
        with pytest.raises(ImportRejected) as rejected:
            checker(kind, header)
        assert rejected.value.errors[0].code == "bad_header"


def test_tier_thresholds_must_rise_from_potential_to_private() -> None:
    fields = {"threshold_potential": "50,000", "threshold_affluent": "200000",
              "threshold_vip": "500000", "threshold_private": "6000000"}
    assert thresholds(fields) == {"potential": 50000, "affluent": 200000, "vip": 500000,
                                  "private": 6000000}
    for bad in ({"threshold_vip": "100000"}, {"threshold_potential": "-1"},
                {"threshold_private": "abc"}, {"threshold_affluent": "200000.5"}):
        with pytest.raises(Refusal):
            thresholds(fields | bad)
