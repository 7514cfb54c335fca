"""A contact sheet for a batch: A4 pages with a grid of small labelled QR codes."""

from __future__ import annotations

from collections.abc import Sequence

from qr.errors import LayoutError
from qr.fonts import Fonts
from qr.pdf import sheets_pdf
from qr.pieces import Palette, text_lines
from qr.poster import A4_SIZE, poster_matrix
from qr.shapes import Block, Face, Label, Line, Placement, Shape, Sheet, Symbol, moved
from qr.spec import PosterSpec
from qr.textfit import Fitted, TextBox, fit_text
from qr.texts import SHEET_BRANCH_ONLY, SHEET_TITLE, sheet_page_label

MARGIN = 36.0
GRID_TOP = 72.0
THUMB_SIDE = 100.0  # about 35 mm: still scans from a phone held close to the page
_PAL = Palette.from_accent((60, 64, 72))


def contact_sheet(
    specs: Sequence[PosterSpec], fonts: Fonts, columns: int = 4, rows: int = 5
) -> bytes:
    """Return a PDF listing every spec as a numbered QR thumbnail with branch and manager."""
    if not specs:
        raise ValueError("contact_sheet needs at least one spec")
    if columns < 1 or rows < 1:
        raise ValueError("contact_sheet needs at least one column and one row")
    per_page = columns * rows
    pages = -(-len(specs) // per_page)
    sheets = [
        _page(specs[start : start + per_page], start, (pages, len(specs)), (columns, rows), fonts)
        for start in range(0, len(specs), per_page)
    ]
    return sheets_pdf(sheets, fonts, SHEET_TITLE)


def _page(
    specs: Sequence[PosterSpec],
    first: int,
    counts: tuple[int, int],
    grid: tuple[int, int],
    fonts: Fonts,
) -> Sheet:
    width, height = A4_SIZE
    pages, total = counts
    cell_w = (width - 2 * MARGIN) / grid[0]
    cell_h = (height - GRID_TOP - MARGIN) / grid[1]
    shapes: list[Shape] = [
        Label(MARGIN, 44, SHEET_TITLE, 16, _PAL.ink, "start", bold=True),
        Label(
            width - MARGIN,
            44,
            sheet_page_label(first // (grid[0] * grid[1]) + 1, pages, total),
            9,
            _PAL.muted,
            "end",
        ),
        Line(MARGIN, 56, width - MARGIN, 56, _PAL.hairline, 0.6),
    ]
    for i, spec in enumerate(specs):
        x = MARGIN + (i % grid[0]) * cell_w
        y = GRID_TOP + (i // grid[0]) * cell_h
        cell = _cell(spec, first + i + 1, (cell_w, cell_h), fonts)
        shapes.extend(moved(s, x, y) for s in cell)
    return Sheet(width, height, (Placement(Face(width, height, tuple(shapes))),))


def _cell(spec: PosterSpec, number: int, size: tuple[float, float], fonts: Fonts) -> list[Shape]:
    width, height = size
    side = min(THUMB_SIDE, width - 16, height * 0.66)
    centre = width / 2
    branch = _clipped(fonts, spec.branch_name, TextBox("branch_name", width - 14, 8.5, 6, 2))
    who = " · ".join(t for t in (spec.manager_name, spec.manager_title) if t) or SHEET_BRANCH_ONLY
    person = _clipped(fonts, who, TextBox("manager_name", width - 14, 7.5, 5.5, 1))
    names = text_lines(branch, centre, "middle", _PAL.ink, False)
    role = text_lines(person, centre, "middle", _PAL.muted, False)
    top = 8 + side + 2
    return [
        Block(3, 3, width - 6, height - 6, None, radius=6, stroke=_PAL.hairline, stroke_width=0.6),
        Label(9, 15, f"#{number}", 6.5, _PAL.muted),
        Symbol(centre - side / 2, 8, side, poster_matrix(spec), spec.logo),
        *(moved(s, 0, top) for s in names.shapes),
        *(moved(s, 0, top + names.height) for s in role.shapes),
    ]


def _clipped(fonts: Fonts, text: str, box: TextBox) -> Fitted:
    # A thumbnail label may be shortened with an ellipsis; a missing glyph is still an error.
    while True:
        try:
            return fit_text(fonts, text, box)
        except LayoutError:
            if fonts.missing_glyphs(text) or len(text) <= 2:
                raise
            text = text[:-2] + "…"
