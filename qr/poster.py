"""Lay out a PosterSpec as a sheet: an A4 poster, or an A4 sheet that folds into an A5 tent."""

from __future__ import annotations

from qr.fonts import Fonts
from qr.matrix import QrMatrix, encode
from qr.pieces import (
    Palette,
    Piece,
    band,
    footer,
    manager_line,
    pill,
    qr_card,
    qr_card_height,
    stack,
    text_lines,
)
from qr.shapes import WHITE, Anchor, Face, Line, Placement, Sheet
from qr.spec import PosterSpec
from qr.textfit import TextBox, fit_text
from qr.texts import MANAGER_LABEL, QR_CAPTION

MM = 72 / 25.4
A4_SIZE = (210 * MM, 297 * MM)
QUIET_ZONE = 4


def poster_matrix(spec: PosterSpec) -> QrMatrix:
    """Return the symbol printed for spec: its level, a standard quiet zone, a pad for a logo."""
    return encode(spec.payload, spec.error_correction, QUIET_ZONE, for_logo=spec.logo is not None)


def poster_sheet(spec: PosterSpec, fonts: Fonts) -> Sheet:
    """Return the sheet to print for spec (see PosterSize for the two formats)."""
    matrix = poster_matrix(spec)
    width, height = A4_SIZE
    if spec.size == "A4":
        return Sheet(width, height, (Placement(a4_face(spec, fonts, matrix)),))
    face = tent_face(spec, fonts, matrix)
    # The upper face is turned so that, folded along the middle, both faces stand upright.
    placements = (Placement(face, 0, 0, upside_down=True), Placement(face, 0, height / 2))
    return Sheet(width, height, placements, marks=_fold_ticks(width, height / 2))


def a4_face(spec: PosterSpec, fonts: Fonts, matrix: QrMatrix) -> Face:
    """Return the A4 portrait poster: band, slogan, campaign, QR card, manager, footer."""
    width, height = A4_SIZE
    pal, text_width, centre = Palette.from_accent(spec.accent_rgb), width - 96, width / 2
    head = band(
        fonts, spec.branch_name, TextBox("branch_name", text_width, 32, 18, 2), (width, 140), pal
    )
    foot_top, foot = footer(
        fonts, spec.footer, TextBox("footer", text_width, 9, 6.5, 4), (width, height), 34, pal
    )
    slogan = fit_text(fonts, spec.slogan, TextBox("slogan", text_width, 30, 18, 2))
    before = [text_lines(slogan, centre, "middle", pal.accent, True)]
    if spec.campaign:
        box = TextBox("campaign", text_width, 16, 11, 2)
        before.append(pill(fonts, spec.campaign, box, centre, "middle", pal))
    after = _manager(spec, fonts, (14, 30, 17), text_width, centre, "middle", pal)
    room = foot_top - head.height
    side = _qr_side(room, [*before, *after], 13, gap=28, limits=(190, 260))
    card = qr_card(matrix, side, QR_CAPTION, 13, centre, pal, spec.logo)
    body = stack([*before, card, *after], head.height, foot_top, min_gap=12)
    return Face(width, height, (*head.shapes, *body, *foot))


def tent_face(spec: PosterSpec, fonts: Fonts, matrix: QrMatrix) -> Face:
    """Return one A5 landscape tent face: band, texts on the left, QR card on the right."""
    width, height = A4_SIZE[0], A4_SIZE[1] / 2
    pal, margin = Palette.from_accent(spec.accent_rgb), 32.0
    head = band(
        fonts,
        spec.branch_name,
        TextBox("branch_name", width - 2 * margin, 22, 13, 2),
        (width, 62),
        pal,
    )
    foot_top, foot = footer(
        fonts,
        spec.footer,
        TextBox("footer", width - 2 * margin, 7.5, 6, 2),
        (width, height),
        24,
        pal,
    )
    side = _qr_side(foot_top - head.height, [], 10, gap=14, limits=(130, 180))
    card = qr_card(matrix, side, QR_CAPTION, 10, width - margin - side / 2, pal, spec.logo)
    column = width - 2 * margin - side - 30
    slogan = fit_text(fonts, spec.slogan, TextBox("slogan", column, 22, 14, 2))
    pieces = [text_lines(slogan, margin, "start", pal.accent, True)]
    if spec.campaign:
        box = TextBox("campaign", column, 12, 9, 2)
        pieces.append(pill(fonts, spec.campaign, box, margin, "start", pal))
    pieces += _manager(spec, fonts, (10, 20, 12), column, margin, "start", pal)
    texts = stack(pieces, head.height, foot_top, min_gap=8)
    qr = stack([card], head.height, foot_top, min_gap=8)
    return Face(width, height, (*head.shapes, *texts, *qr, *foot))


def _manager(
    spec: PosterSpec,
    fonts: Fonts,
    sizes: tuple[float, float, float],
    width: float,
    x: float,
    anchor: Anchor,
    pal: Palette,
) -> list[Piece]:
    if not spec.manager_name:
        return []
    names = (spec.manager_name, spec.manager_title, MANAGER_LABEL)
    return [manager_line(fonts, names, sizes, width, x, anchor, pal)]


def _qr_side(
    room: float,
    others: list[Piece],
    caption_size: float,
    gap: float,
    limits: tuple[float, float],
) -> float:
    # The symbol takes whatever height the texts leave at comfortable gaps, within limits.
    spare = room - sum(p.height for p in others) - gap * (len(others) + 2)
    spare -= qr_card_height(0, caption_size)
    return max(limits[0], min(limits[1], spare))


def _fold_ticks(width: float, y: float) -> tuple[Line, ...]:
    # Short white ticks on the accent bands mark the fold without printing a line across.
    return (Line(16, y, 40, y, WHITE, 0.8), Line(width - 40, y, width - 16, y, WHITE, 0.8))
