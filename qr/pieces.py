"""Reusable poster pieces (text, pill, QR card, manager line) and the vertical stacker."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, replace

from qr.errors import LayoutError
from qr.fonts import Fonts
from qr.matrix import QrMatrix
from qr.shapes import WHITE, Anchor, Block, Label, Line, Rgb, Shape, Symbol, moved, tint
from qr.textfit import Fitted, TextBox, fit_text

LEADING = 1.3
# Baseline below the centre of a line box, as a share of the size: CJK ink spans about
# 0.82 em above the baseline and 0.10 em below it.
_BASELINE_DROP = 0.36


@dataclass(frozen=True)
class Palette:
    """The poster colours, derived from the bank's accent colour."""

    accent: Rgb
    tint: Rgb
    ink: Rgb = (33, 37, 41)
    muted: Rgb = (100, 106, 115)
    hairline: Rgb = (214, 217, 222)

    @classmethod
    def from_accent(cls, accent: Rgb) -> Palette:
        """Return the palette for an accent colour."""
        return cls(accent=accent, tint=tint(accent, 0.09))


@dataclass(frozen=True)
class Piece:
    """Shapes laid out from y = 0 down to height, ready to be stacked."""

    height: float
    shapes: tuple[Shape, ...]


def baseline(top: float, size: float) -> float:
    """Return the baseline that centres a line of size in a line box starting at top."""
    return top + size * LEADING / 2 + size * _BASELINE_DROP


def text_lines(fitted: Fitted, x: float, anchor: Anchor, colour: Rgb, bold: bool) -> Piece:
    """Return the fitted lines as labels at x, one line box of size * LEADING each."""
    lead = fitted.size * LEADING
    labels = tuple(
        Label(x, baseline(i * lead, fitted.size), line, fitted.size, colour, anchor, bold)
        for i, line in enumerate(fitted.lines)
    )
    return Piece(lead * len(fitted.lines), labels)


def pill(fonts: Fonts, text: str, box: TextBox, x: float, anchor: Anchor, pal: Palette) -> Piece:
    """Return text on a rounded tinted pill whose outer width stays within box.max_width."""
    pad_x, pad_y = box.size * 1.2, box.size * 0.45
    inner = TextBox(box.field, box.max_width - 2 * pad_x, box.size, box.min_size, box.max_lines)
    fitted = fit_text(fonts, text, inner)
    width = max(fonts.width(line, fitted.size) for line in fitted.lines) + 2 * pad_x
    left = _left(x, width, anchor)
    body = text_lines(fitted, left + width / 2, "middle", pal.accent, False)
    height = body.height + 2 * pad_y
    radius = min(height / 2, fitted.size * LEADING / 2 + pad_y)
    back = Block(left, 0, width, height, pal.tint, radius=radius)
    return Piece(height, (back, *(moved(s, 0, pad_y) for s in body.shapes)))


def qr_card(
    matrix: QrMatrix,
    side: float,
    caption: str,
    caption_size: float,
    x: float,
    pal: Palette,
    logo: bytes | None = None,
) -> Piece:
    """Return the symbol (side points, quiet zone included) over a caption, in a hairline card."""
    height = qr_card_height(side, caption_size)
    left = x - side / 2
    card = Block(
        left, 0, side, height, WHITE, radius=side * 0.04, stroke=pal.hairline, stroke_width=0.8
    )
    # The caption's ink starts below the symbol square, keeping the quiet zone clear.
    label = Label(x, side + caption_size * 1.05, caption, caption_size, pal.muted, "middle")
    return Piece(height, (card, Symbol(left, 0, side, matrix, logo), label))


def qr_card_height(side: float, caption_size: float) -> float:
    """Return the height qr_card() gives a symbol of side with its caption."""
    return side + caption_size * 1.8


def manager_line(
    fonts: Fonts,
    names: tuple[str, str | None, str],
    sizes: tuple[float, float, float],
    width: float,
    x: float,
    anchor: Anchor,
    pal: Palette,
) -> Piece:
    """Return 'label' over 'name  title' (title optional), sized to fit width."""
    name, title, caption = names
    label_size, name_size, title_size = sizes
    top = text_lines(Fitted(label_size, (caption,)), x, anchor, pal.muted, False)
    name_fit = fit_text(fonts, name, TextBox("manager_name", width * 0.6, name_size, name_size / 2))
    line_top = top.height + label_size * 0.3
    base = baseline(line_top, name_fit.size)
    row = [Label(0, base, name_fit.lines[0], name_fit.size, pal.ink, "start", True)]
    gap = name_fit.size * 0.4
    if title:
        room = width - fonts.width(name_fit.lines[0], name_fit.size) - gap
        title_fit = fit_text(
            fonts, title, TextBox("manager_title", room, title_size, title_size / 2)
        )
        row.append(Label(0, base, title_fit.lines[0], title_fit.size, pal.muted))
    placed = _side_by_side(fonts, row, gap, x, anchor)
    return Piece(line_top + name_fit.size * LEADING, (*top.shapes, *placed))


def _side_by_side(
    fonts: Fonts, labels: list[Label], gap: float, x: float, anchor: Anchor
) -> list[Label]:
    widths = [fonts.width(label.text, label.size) for label in labels]
    left = _left(x, sum(widths) + gap * (len(labels) - 1), anchor)
    placed = []
    for label, width in zip(labels, widths, strict=True):
        placed.append(replace(label, x=left))
        left += width + gap
    return placed


def band(fonts: Fonts, text: str, box: TextBox, size: tuple[float, float], pal: Palette) -> Piece:
    """Return a full-width accent band of size (width, height) with text centred in white."""
    width, height = size
    fitted = fit_text(fonts, text, box)
    body = text_lines(fitted, width / 2, "middle", WHITE, True)
    top = (height - body.height) / 2
    return Piece(
        height, (Block(0, 0, width, height, pal.accent), *(moved(s, 0, top) for s in body.shapes))
    )


def footer(
    fonts: Fonts,
    text: str,
    box: TextBox,
    size: tuple[float, float],
    bottom_margin: float,
    pal: Palette,
) -> tuple[float, list[Shape]]:
    """Return the top y of the footer (its rule) and the shapes: a hairline over muted text."""
    width, height = size
    fitted = fit_text(fonts, text, box)
    body = text_lines(fitted, width / 2, "middle", pal.muted, False)
    top = height - bottom_margin - body.height
    rule_y = top - fitted.size * 0.9
    margin = (width - box.max_width) / 2
    rule = Line(margin, rule_y, width - margin, rule_y, pal.hairline, 0.6)
    return rule_y, [rule, *(moved(s, 0, top) for s in body.shapes)]


def stack(pieces: Sequence[Piece], top: float, bottom: float, min_gap: float) -> list[Shape]:
    """Spread pieces evenly between top and bottom (equal gaps, ends included)."""
    room = bottom - top - sum(p.height for p in pieces)
    gap = room / (len(pieces) + 1)
    if gap < min_gap:
        missing = min_gap * (len(pieces) + 1) - room
        raise LayoutError(
            f"the poster texts need {missing:.0f} pt more height than the page has; "
            "shorten the slogan or campaign"
        )
    shapes: list[Shape] = []
    y = top + gap
    for piece in pieces:
        shapes.extend(moved(s, 0, y) for s in piece.shapes)
        y += piece.height + gap
    return shapes


def _left(x: float, width: float, anchor: Anchor) -> float:
    return {"start": x, "middle": x - width / 2, "end": x - width}[anchor]
