"""Masking of personal data (mobile numbers, ID numbers) before it is stored or shown.

People write numbers in many ways: `+86 138 1234 5678`, `8613812345678`, `138-1234-5678`,
full-width `１３８１２３４５６７８`, an ID number in groups. A number is found as a chain of
digit groups (any Unicode decimal digits) joined by at most a few separators (spaces,
hyphens, dots), and every run of whole groups in a chain that reads, once normalised, as a
mainland mobile (with an optional +86, 86 or 0086) or an 18-character ID number is masked.
Groups glued to other digits are never split: an order number keeps its digits.
"""

import re
import unicodedata
from collections.abc import Iterator
from dataclasses import dataclass

_GROUP = re.compile(r"\d+")
# Between two groups of one written number: spaces (also no-break and ideographic), hyphens
# and dashes of every width, dots.
_SEPARATOR = re.compile(r"[ \t\u00a0\u3000\-\u2010-\u2014\u2212\uff0d.\uff0e]{1,3}")
_MOBILE = re.compile(r"(?:0086|86)?(1[3-9]\d)\d{4}(\d{4})")
_ID_NUMBER = re.compile(r"\d{6}(?:19|20)\d{2}\d{7}[\dX]")
_CHECK_X = "XxＸｘ"
_PLUS = "+＋"
_BRACKETS = str.maketrans("", "", "()（）")
_LONGEST = 22  # digits in a window worth trying: 0086 and a mobile, or an ID number


@dataclass(frozen=True)
class _Group:
    start: int
    end: int
    digits: str  # ASCII


def mask_text(text: str) -> str:
    """Mask every mobile (138****5678) and ID number (last 4 kept) in text, however written."""
    pieces: list[str] = []
    done = 0
    for start, end, masked in _numbers(text):
        pieces += [text[done:start], masked]
        done = end
    return "".join(pieces) + text[done:]


def normalise_mobile(text: str) -> str | None:
    """Return the 11 digits of `text` if it is one mainland mobile number, else None."""
    text = text.strip().translate(_BRACKETS)  # "(+86) 138…" as often written
    found = list(_numbers(text))
    if len(found) != 1 or found[0][:2] != (0, len(text)):
        return None
    digits = _ascii(text)
    return digits[-11:] if _MOBILE.fullmatch(digits) else None


def _numbers(text: str) -> Iterator[tuple[int, int, str]]:
    # (start, end, masked form) of each number found, in order.
    for chain in _chains(text):
        i = 0
        while i < len(chain):
            found = _longest_from(text, chain, i)
            if found is None:
                i += 1
                continue
            j, end, masked = found
            yield _with_plus(text, chain[i].start), end, masked
            i = j + 1


def _longest_from(text: str, chain: list[_Group], i: int) -> tuple[int, int, str] | None:
    digits, best = "", None
    for j in range(i, len(chain)):
        digits += chain[j].digits
        if len(digits) > _LONGEST:
            break
        after = chain[j].end
        if (mobile := _MOBILE.fullmatch(digits)) is not None:
            best = (j, after, f"{mobile.group(1)}****{mobile.group(2)}")
        elif len(digits) == 17 and text[after:after + 1] and text[after] in _CHECK_X:
            if _ID_NUMBER.fullmatch(digits + "X"):
                best = (j, after + 1, "*" * 14 + digits[-3:] + "X")
        elif _ID_NUMBER.fullmatch(digits):
            best = (j, after, "*" * 14 + digits[-4:])
    return best


def _with_plus(text: str, start: int) -> int:
    # A `+` written before the country code goes with the number.
    return start - 1 if start and text[start - 1] in _PLUS else start


def _chains(text: str) -> Iterator[list[_Group]]:
    chain: list[_Group] = []
    for match in _GROUP.finditer(text):
        group = _Group(match.start(), match.end(), _ascii(match.group()))
        if chain and not _SEPARATOR.fullmatch(text, chain[-1].end, group.start):
            yield chain
            chain = []
        chain.append(group)
    if chain:
        yield chain


def _ascii(text: str) -> str:
    # Full-width and other Unicode decimal digits as ASCII digits; anything else dropped.
    return "".join(str(unicodedata.decimal(c)) for c in text if unicodedata.decimal(c, None)
                   is not None)
