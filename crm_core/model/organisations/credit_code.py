"""The unified social credit code (统一社会信用代码, GB 32100-2015): 18 characters whose last
is a check character over the first 17.

The alphabet is the digits and the capital letters without I, O, Z, S and V (31 symbols);
the check character is 31 minus the weighted sum modulo 31 (31 itself written as 0). A
mistyped character changes the sum, so a code read off a licence with one slip is refused
before it names the wrong company.
"""

import re

from crm_core.model.refusal import Refusal

ALPHABET = "0123456789ABCDEFGHJKLMNPQRTUWXY"
WEIGHTS = (1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28)
LENGTH = 18
# Registration authority, organisation type, six-digit division code, nine characters of
# the organisation code, the check character.
_SHAPE = re.compile(rf"[{ALPHABET}]{{2}}[0-9]{{6}}[{ALPHABET}]{{10}}")


def check_character(first17: str) -> str:
    """Return the check character of a code's first 17 characters."""
    total = sum(ALPHABET.index(ch) * weight for ch, weight in zip(first17, WEIGHTS, strict=True))
    return ALPHABET[(31 - total % 31) % 31]


def normalise_credit_code(text: str) -> str:
    """Return a credit code in capitals if it is well formed and its check character right;
    raise a Refusal (`credit_code_shape` or `credit_code_check`) otherwise."""
    code = text.strip().upper()
    if len(code) != LENGTH or not _SHAPE.fullmatch(code):
        raise Refusal("credit_code_shape", f"credit code {code[:30]!r} is not 18 characters "
                      "of the code's alphabet", value=code[:30])
    expected = check_character(code[:17])
    if code[17] != expected:
        raise Refusal("credit_code_check", f"credit code {code} fails its check character",
                      value=code)
    return code
