"""The unified social credit code is checked by its GB 32100 check character."""

import pytest

from crm_core.model import Refusal, normalise_credit_code
from crm_core.model.organisations import check_character

# The example of GB 32100-2015 itself, and codes printed on well-known companies' licences.
VALID = ["91350100M000100Y43", "91440300708461136T", "91110000802100433B"]


@pytest.mark.parametrize("code", VALID)
def test_the_standards_example_and_real_codes_pass_their_check_character(code: str) -> None:
    assert normalise_credit_code(code) == code
    assert check_character(code[:17]) == code[17]


def test_a_code_in_lower_case_with_spaces_is_read_as_written_on_the_licence() -> None:
    assert normalise_credit_code(" 91350100m000100y43 ") == "91350100M000100Y43"


@pytest.mark.parametrize("code", ["91350100M000100Y42", "91350100M000100Y4A",
                                  "91350100M000100Y34", "91440300708461136U"])
def test_a_mistyped_check_character_or_swapped_digits_are_refused(code: str) -> None:
    with pytest.raises(Refusal) as refused:
        normalise_credit_code(code)
    assert refused.value.code == "credit_code_check"


@pytest.mark.parametrize("code", ["91350100M000100Y4", "91350100M000100Y433",
                                  "91350100M000100I43", "9135A100M000100Y43", ""])
def test_a_code_of_the_wrong_length_or_alphabet_is_refused_by_its_shape(code: str) -> None:
    with pytest.raises(Refusal) as refused:
        normalise_credit_code(code)
    assert refused.value.code == "credit_code_shape"


def test_a_check_character_of_zero_stands_for_a_remainder_of_thirty_one() -> None:
    # Find a body whose weighted sum is a multiple of 31: its check character is 0, not 31.
    body = next(f"9135010{n:010d}" for n in range(10_000)
                if check_character(f"9135010{n:010d}") == "0")
    assert normalise_credit_code(body + "0") == body + "0"
