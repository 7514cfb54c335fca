"""What a refused import keeps of its errors: no number a person could be found by."""

from crm_core.services import RowError
from crm_core.services.classification.refused import error_count, masked


def test_mobiles_ids_and_customer_numbers_are_masked_in_a_stored_reason() -> None:
    assert masked("客户号“6200000001-9”格式不对") == "客户号“******0001-9”格式不对"
    assert masked("手机号 138 1234 5678 重复") == "手机号 138****5678 重复"
    assert masked("身份证 11010519491231002X") == "身份证 **************002X"
    assert masked("金额“12,345.00”不是笔数；第 7 行") == "金额“12,345.00”不是笔数；第 7 行"


def test_the_error_count_includes_the_rows_left_unlisted() -> None:
    errors = [RowError(2, "坏"), RowError(3, "坏"),
              RowError(0, "另有", "more_rows", {"count": 998})]
    assert error_count(errors) == 1000
