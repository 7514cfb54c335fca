"""Fit Chinese text into a width: shrink within limits, then wrap into balanced lines."""

from __future__ import annotations

import re
from dataclasses import dataclass

from qr.errors import LayoutError
from qr.fonts import Fonts

# Latin words, numbers and URLs stay whole; every other character may break.
_TOKEN = re.compile(r"[A-Za-z0-9][A-Za-z0-9@._%+\-/:#&=?]*|\s+|.")
# Punctuation that must not start a line (and opening marks that must not end one).
_NO_LINE_START = set("，。、；：！？）》」』”’%·…,.;:!?)")
_NO_LINE_END = set("（《「『“‘(")
_SIZE_STEP = 0.5


@dataclass(frozen=True)
class TextBox:
    """How a text may be set: widest line, preferred and smallest size, most lines."""

    field: str
    max_width: float
    size: float
    min_size: float
    max_lines: int = 1


@dataclass(frozen=True)
class Fitted:
    """The chosen size and the lines of one text."""

    size: float
    lines: tuple[str, ...]


Token = tuple[str, float]  # a token and its width at size 1


def fit_text(fonts: Fonts, text: str, box: TextBox) -> Fitted:
    """Return the largest size (preferring fewer lines) at which text fits box, or raise."""
    missing = fonts.missing_glyphs(text)
    if missing:
        raise LayoutError(f"{box.field}: the font {fonts.path.name} has no glyph for {missing!r}")
    paragraphs = _measure(fonts, text)
    for lines in range(1, box.max_lines + 1):
        size = _largest_size(paragraphs, box, lines)
        # A further line is only worth it when one line fewer would shrink the text a lot.
        if size is not None and (size >= box.size * 0.8 or lines == box.max_lines):
            return Fitted(size, _balanced(paragraphs, box.max_width / size, lines))
    raise LayoutError(
        f"{box.field} is too long to print: {len(text)} characters do not fit in "
        f"{box.max_lines} line(s) at {box.min_size} pt"
    )


def wrap(fonts: Fonts, text: str, size: float, max_width: float) -> list[str]:
    """Break text into lines no wider than max_width (explicit newlines kept)."""
    return [line for line, _ in _wrap(_measure(fonts, text), max_width / size)]


def _measure(fonts: Fonts, text: str) -> list[list[Token]]:
    # Widths scale with the size and add up (no kerning), so measure each token once at size 1.
    return [
        [(token, fonts.width(token, 1.0)) for token in _TOKEN.findall(paragraph.strip())]
        for paragraph in text.split("\n")
    ]


def _largest_size(paragraphs: list[list[Token]], box: TextBox, lines: int) -> float | None:
    size = box.size
    while size >= box.min_size:
        if _fits(paragraphs, box.max_width / size, lines):
            return size
        size -= _SIZE_STEP
    return None


def _balanced(paragraphs: list[list[Token]], measure: float, lines: int) -> tuple[str, ...]:
    # Narrow the measure while the line count holds, so a two-line slogan splits evenly.
    low, high = measure / (lines + 1), measure
    for _ in range(12):
        middle = (low + high) / 2
        if _fits(paragraphs, middle, lines):
            high = middle
        else:
            low = middle
    return tuple(line for line, _ in _wrap(paragraphs, high))


def _fits(paragraphs: list[list[Token]], measure: float, lines: int) -> bool:
    wrapped = _wrap(paragraphs, measure)
    return len(wrapped) <= lines and all(width <= measure for _, width in wrapped)


def _wrap(paragraphs: list[list[Token]], measure: float) -> list[Token]:
    lines: list[Token] = []
    for tokens in paragraphs:
        lines.extend(_wrap_paragraph(tokens, measure))
    return lines


def _wrap_paragraph(tokens: list[Token], measure: float) -> list[Token]:
    lines: list[list[Token]] = [[]]
    width = 0.0
    for token in tokens:
        current = lines[-1]
        if not current or width + token[1] <= measure:
            if current or not token[0].isspace():
                current.append(token)
                width += token[1]
            continue
        carried = _carry(current, token)
        while carried and carried[0][0].isspace():
            carried.pop(0)
        lines.append(carried)
        width = sum(w for _, w in carried)
    return [
        ("".join(t for t, _ in line).strip(), sum(w for _, w in line)) for line in lines if line
    ]


def _carry(current: list[Token], token: Token) -> list[Token]:
    # Keep closing punctuation off the start of a line (and opening marks off the end) by
    # moving the previous character down with it.
    if len(current) > 1 and (token[0][0] in _NO_LINE_START or current[-1][0][-1] in _NO_LINE_END):
        return [current.pop(), token]
    return [token]
