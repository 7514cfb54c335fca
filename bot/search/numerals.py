"""Chinese numerals and time units as customers type them, read as numbers.

Customers write 三百, 七天, 一年期, 两个礼拜 as often as 300, 7天, 1年, 2周; the catalogue
mixes both. Questions and catalogue text alike go through `arabic`, so both sides say 7天,
and durations are also read as a number of days (`durations`), so that 一年 finds 365天 and
两周 finds 14天.

A numeral run is only converted when it is a quantity: followed by a unit, or written with a
multiplier (十, 百, 千). Bare 一 stays, or 一下, 一些, 一点 and 万一 would turn into numbers.
"""

import re

DIGITS = {"零": 0, "〇": 0, "一": 1, "二": 2, "两": 2, "三": 3, "四": 4, "五": 5, "六": 6,
          "七": 7, "八": 8, "九": 9}
MULTIPLIERS = {"十": 10, "百": 100, "千": 1000}
# Units after which a numeral is a quantity, and the ones renamed so both sides agree.
UNITS = ("天", "日", "年", "个月", "月", "周", "星期", "礼拜", "期", "万", "元", "块", "岁")
RENAMED = (("个礼拜", "周"), ("个星期", "周"), ("礼拜", "周"), ("星期", "周"),
           ("年期", "年"), ("个月期", "个月"), ("天期", "天"))
YUAN_PER = {"万": 10000, "千": 1000, "百": 100, "": 1}
DAYS_PER = {"天": 1, "日": 1, "周": 7, "个月": 30, "月": 30, "年": 365}
_NUMERAL = re.compile(f"[{''.join(DIGITS)}{''.join(MULTIPLIERS)}]+")
_UNIT_AFTER = re.compile("|".join(UNITS))
# An amount or a duration as one word (20万, 3年, 2万块钱, 6个月).
QUANTITY = re.compile(r"\d+(?:万|千|百)?(?:个月|天|日|周|年|元|块钱|块)?")
_DURATION = re.compile(r"(\d+)(个月|天|日|周|年)")
_AMOUNT = re.compile(r"(\d+)(万|千|百)?(?:元|块钱|块)|(\d+)(万|千)")


def value(numeral: str) -> int | None:
    """Return the value of a numeral run (三百 -> 300, 二十五 -> 25, 一千五 -> 1500), or None."""
    if not any(ch in MULTIPLIERS for ch in numeral):
        return int("".join(str(DIGITS[ch]) for ch in numeral))
    total, digit = 0, None
    for ch in numeral:
        if ch in DIGITS:
            digit = DIGITS[ch]
            continue
        if digit is None and total and ch != "十":
            return None  # 百百: not a number
        total += (1 if digit is None else digit) * MULTIPLIERS[ch]
        digit = None
    last = MULTIPLIERS.get(numeral[-2], 10) if len(numeral) > 1 else 10
    return total + (digit or 0) * (last // 10 if numeral[-1] in DIGITS else 1)


def arabic(text: str) -> str:
    """Rewrite the quantities of a normalized text in digits, with units in one spelling."""
    for old, new in RENAMED:
        text = text.replace(old, new)
    return _NUMERAL.sub(_convert, text)


def _convert(match: re.Match[str]) -> str:
    numeral = match.group()
    quantity = bool(_UNIT_AFTER.match(match.string, match.end()))
    multiplied = len(numeral) > 1 and any(ch in MULTIPLIERS for ch in numeral)
    if not (quantity or multiplied):
        return numeral
    number = value(numeral)
    return numeral if number is None else str(number)


def durations(text: str) -> set[str]:
    """Return the durations in a text as day counts (`365天` for 1年, 14天 for 2周)."""
    return {f"{int(n) * DAYS_PER[unit]}天" for n, unit in _DURATION.findall(text)}


def quantities(text: str) -> set[str]:
    """Return a text's durations in days and sums in yuan, as terms both sides share."""
    return durations(text) | amounts(text)


def amounts(text: str) -> set[str]:
    """Return the sums of money in a text in yuan (`200000元` for 20万, 二十万元, 20万块)."""
    found = set()
    for match in _AMOUNT.finditer(text):
        digits, scale = (match.group(1), match.group(2)) if match.group(1) else \
            (match.group(3), match.group(4))
        found.add(f"{int(digits) * YUAN_PER[scale or '']}元")
    return found
