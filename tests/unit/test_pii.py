"""Personal numbers are masked however they are written; other numbers are left alone."""

import pytest

from crm_core.pii import mask_text, normalise_mobile

MASKED_MOBILE = "138****5678"
MASKED_ID = "**************1234"


@pytest.mark.parametrize("written", [
    "13812345678", "+86 138 1234 5678", "+8613812345678", "8613812345678", "86 13812345678",
    "86-138-1234-5678", "0086 138 1234 5678", "008613812345678", "138-1234-5678",
    "138 1234 5678", "138.1234.5678", "138 - 1234 - 5678", "138—1234—5678",
    "1 3 8 1 2 3 4 5 6 7 8", "１３８１２３４５６７８", "１３８ １２３４ ５６７８",
    "＋８６－１３８－１２３４－５６７８", "００８６１３８１２３４５６７８",
    "138\u30001234\u30005678", "138\u00a01234\u00a05678", "+86\u2011138\u20111234\u20115678",
])
def test_a_mobile_number_is_masked_however_it_is_written(written: str) -> None:
    assert mask_text(f"我的手机{written}，谢谢") == f"我的手机{MASKED_MOBILE}，谢谢"
    assert mask_text(written) == MASKED_MOBILE
    assert normalise_mobile(written) == "13812345678"


@pytest.mark.parametrize(("written", "masked"), [
    ("110101199003071234", MASKED_ID), ("110101 19900307 1234", MASKED_ID),
    ("110101-1990-0307-1234", MASKED_ID), ("１１０１０１１９９００３０７１２３４", MASKED_ID),
    ("11010119900307123X", "**************123X"), ("11010119900307123x", "**************123X"),
    ("110101 19900307 123Ｘ", "**************123X"),
])
def test_an_id_number_is_masked_however_it_is_written(written: str, masked: str) -> None:
    assert mask_text(f"身份证：{written}。") == f"身份证：{masked}。"


def test_a_mobile_written_beside_brackets_or_other_numbers_is_still_masked() -> None:
    assert mask_text("(+86) 138-1234-5678") == "(+86) 138****5678"
    assert mask_text("存10000 13812345678") == "存10000 138****5678"
    assert mask_text("电话13812345678身份证110101199003071234") == (
        f"电话{MASKED_MOBILE}身份证{MASKED_ID}")


@pytest.mark.parametrize("text", [
    "订单号2023138123456789", "13812345678901", "2026-11-28 买了10000元", "利率3.50%，期限90天",
    "12812345678", "卡号 6222 0212 3456 7890 123", "工号 SH001-01", "",
])
def test_numbers_that_are_not_personal_are_left_alone(text: str) -> None:
    assert mask_text(text) == text


@pytest.mark.parametrize("text", ["12812345678", "138123456789", "110101199003071234",
                                  "138 1234 5678 9", "手机13812345678", "",
                                  "13812345678 13812345678"])
def test_only_one_whole_mobile_number_normalises(text: str) -> None:
    assert normalise_mobile(text) is None
