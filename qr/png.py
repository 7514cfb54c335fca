"""Render sheets to raster PNG with Pillow (300 dpi for print by default)."""

from __future__ import annotations

from PIL import Image, ImageDraw

from qr.fonts import Fonts
from qr.image import png_bytes, symbol_image
from qr.poster import poster_sheet
from qr.shapes import BOLD_STROKE, WHITE, Block, Label, Line, Shape, Sheet, Symbol
from qr.spec import PosterSpec

_ANCHORS = {"start": "ls", "middle": "ms", "end": "rs"}


def render_png(spec: PosterSpec, fonts: Fonts, dpi: int = 300) -> bytes:
    """Return the poster for spec as PNG bytes at dpi (same spec and font, same bytes)."""
    if not 36 <= dpi <= 1200:
        raise ValueError(f"dpi must be between 36 and 1200, got {dpi}")
    return png_bytes(sheet_image(poster_sheet(spec, fonts), fonts, dpi), dpi=dpi)


def sheet_image(sheet: Sheet, fonts: Fonts, dpi: int) -> Image.Image:
    """Return the sheet rastered at dpi as an RGB image."""
    scale = dpi / 72
    image = Image.new("RGB", (round(sheet.width * scale), round(sheet.height * scale)), WHITE)
    for placement in sheet.placements:
        face = Image.new(
            "RGB",
            (round(placement.face.width * scale), round(placement.face.height * scale)),
            WHITE,
        )
        _draw_all(face, placement.face.shapes, scale, fonts)
        if placement.upside_down:
            face = face.transpose(Image.Transpose.ROTATE_180)
        image.paste(face, (round(placement.x * scale), round(placement.y * scale)))
    _draw_all(image, sheet.marks, scale, fonts)
    return image


def _draw_all(image: Image.Image, shapes: tuple[Shape, ...], scale: float, fonts: Fonts) -> None:
    draw = ImageDraw.Draw(image)
    for shape in shapes:
        if isinstance(shape, Label):
            _label(draw, shape, scale, fonts)
        elif isinstance(shape, Block):
            _block(draw, shape, scale)
        elif isinstance(shape, Line):
            ends = [(shape.x0 * scale, shape.y0 * scale), (shape.x1 * scale, shape.y1 * scale)]
            draw.line(ends, fill=shape.colour, width=max(1, round(shape.width * scale)))
        else:
            _symbol(image, shape, scale)


def _label(draw: ImageDraw.ImageDraw, label: Label, scale: float, fonts: Fonts) -> None:
    size = label.size * scale
    stroke = size * BOLD_STROKE / 2 if label.bold else 0
    draw.text(
        (label.x * scale, label.y * scale),
        label.text,
        fill=label.colour,
        font=fonts.pillow(size),
        anchor=_ANCHORS[label.anchor],
        stroke_width=stroke,
        stroke_fill=label.colour,
    )


def _block(draw: ImageDraw.ImageDraw, block: Block, scale: float) -> None:
    box = (
        block.x * scale,
        block.y * scale,
        (block.x + block.width) * scale,
        (block.y + block.height) * scale,
    )
    width = max(1, round(block.stroke_width * scale)) if block.stroke else 0
    draw.rounded_rectangle(
        box, radius=block.radius * scale, fill=block.fill, outline=block.stroke, width=width
    )


def _symbol(image: Image.Image, symbol: Symbol, scale: float) -> None:
    # Whole pixels per module keep the modules crisp; centre the symbol in its square.
    side = symbol.side * scale
    module_px = max(1, int(side // symbol.matrix.total))
    picture = symbol_image(symbol.matrix, module_px, symbol.logo)
    inset = (side - picture.width) / 2
    image.paste(picture, (round(symbol.x * scale + inset), round(symbol.y * scale + inset)))
