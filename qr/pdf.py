"""Render sheets to a deterministic PDF with reportlab: vector QR, subset-embedded CJK font."""

from __future__ import annotations

import io
from collections.abc import Iterable, Iterator, Sequence
from typing import Any

from reportlab.lib.utils import ImageReader
from reportlab.pdfgen.canvas import FILL_NON_ZERO, Canvas

from qr.fonts import Fonts
from qr.logo import logo_for_pdf, logo_rect
from qr.matrix import dark_rectangles
from qr.poster import poster_sheet
from qr.shapes import BLACK, BOLD_STROKE, Block, Label, Line, Placement, Rgb, Shape, Sheet, Symbol
from qr.spec import PosterSpec

_FILL_AND_STROKE = 2  # PDF text render mode used for fake bold


def render_pdf(spec: PosterSpec, fonts: Fonts) -> bytes:
    """Return the poster for spec as PDF bytes (same spec and font, same bytes)."""
    title = " ".join(t for t in (spec.branch_name, spec.manager_name) if t)
    return sheets_pdf([poster_sheet(spec, fonts)], fonts, title)


def render_pdf_many(specs: Iterable[PosterSpec], fonts: Fonts) -> Iterator[bytes]:
    """Yield one PDF per spec, reusing the registered font and decoded logos across the batch."""
    for spec in specs:
        yield render_pdf(spec, fonts)


def sheets_pdf(sheets: Sequence[Sheet], fonts: Fonts, title: str) -> bytes:
    """Return a PDF with one page per sheet."""
    buffer = io.BytesIO()
    # invariant=1 fixes the dates and document id; starting in the CJK face keeps the default
    # Helvetica (never embedded) out of the file, so every font in it is embedded.
    size = (sheets[0].width, sheets[0].height)
    canvas = Canvas(buffer, pagesize=size, invariant=1, initialFontName=fonts.pdf_name)
    canvas.setTitle(title)
    canvas.setCreator("BranchLink")
    for sheet in sheets:
        canvas.setPageSize((sheet.width, sheet.height))
        for placement in sheet.placements:
            _draw_placement(canvas, placement, sheet.height, fonts)
        for shape in sheet.marks:
            _draw(canvas, shape, sheet.height, fonts)
        canvas.showPage()
    canvas.save()
    return buffer.getvalue()


def _draw_placement(canvas: Any, placement: Placement, sheet_height: float, fonts: Fonts) -> None:
    face = placement.face
    canvas.saveState()
    bottom = sheet_height - placement.y - face.height
    if placement.upside_down:
        canvas.translate(placement.x + face.width, bottom + face.height)
        canvas.rotate(180)
    else:
        canvas.translate(placement.x, bottom)
    for shape in face.shapes:
        _draw(canvas, shape, face.height, fonts)
    canvas.restoreState()


def _draw(canvas: Any, shape: Shape, height: float, fonts: Fonts) -> None:
    # Shapes use a top-left origin; PDF user space grows upwards, hence height - y.
    if isinstance(shape, Label):
        _label(canvas, shape, height, fonts)
    elif isinstance(shape, Block):
        _block(canvas, shape, height)
    elif isinstance(shape, Line):
        canvas.setStrokeColorRGB(*_unit(shape.colour))
        canvas.setLineWidth(shape.width)
        canvas.line(shape.x0, height - shape.y0, shape.x1, height - shape.y1)
    else:
        _symbol(canvas, shape, height)


def _label(canvas: Any, label: Label, height: float, fonts: Fonts) -> None:
    width = fonts.width(label.text, label.size)
    x = label.x - {"start": 0.0, "middle": width / 2, "end": width}[label.anchor]
    text = canvas.beginText(x, height - label.y)
    text.setFont(fonts.pdf_name, label.size)
    canvas.setFillColorRGB(*_unit(label.colour))
    if label.bold:
        canvas.setStrokeColorRGB(*_unit(label.colour))
        canvas.setLineWidth(label.size * BOLD_STROKE)
        text.setTextRenderMode(_FILL_AND_STROKE)
    text.textOut(label.text)
    canvas.drawText(text)


def _block(canvas: Any, block: Block, height: float) -> None:
    if block.fill is not None:
        canvas.setFillColorRGB(*_unit(block.fill))
    if block.stroke is not None:
        canvas.setStrokeColorRGB(*_unit(block.stroke))
        canvas.setLineWidth(block.stroke_width)
    box = (block.x, height - block.y - block.height, block.width, block.height)
    paint = {"stroke": int(block.stroke is not None), "fill": int(block.fill is not None)}
    if block.radius:
        canvas.roundRect(*box, block.radius, **paint)
    else:
        canvas.rect(*box, **paint)


def _symbol(canvas: Any, symbol: Symbol, height: float) -> None:
    matrix = symbol.matrix
    module = symbol.side / matrix.total
    origin_x = symbol.x + matrix.border * module
    origin_y = height - symbol.y - matrix.border * module
    canvas.saveState()
    # One filled path of merged module runs, drawn in module units with y pointing down.
    canvas.transform(module, 0, 0, -module, origin_x, origin_y)
    path = canvas.beginPath()
    for x, y, w, h in dark_rectangles(matrix):
        path.rect(x, y, w, h)
    canvas.setFillColorRGB(*_unit(BLACK))
    canvas.drawPath(path, stroke=0, fill=1, fillMode=FILL_NON_ZERO)
    canvas.restoreState()
    if symbol.logo is not None and matrix.hole is not None:
        picture, jpeg = logo_for_pdf(symbol.logo)
        left, top, wide, high = (v * module for v in logo_rect(matrix.hole, picture.size))
        source = ImageReader(io.BytesIO(jpeg) if jpeg else picture)
        canvas.drawImage(source, origin_x + left, origin_y - top - high, wide, high)


def _unit(colour: Rgb) -> tuple[float, float, float]:
    return (colour[0] / 255, colour[1] / 255, colour[2] / 255)
