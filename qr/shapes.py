"""Drawing primitives in points (origin top-left, y down) shared by the PDF and PNG renderers."""

from __future__ import annotations

from dataclasses import dataclass, replace
from typing import Literal

from qr.matrix import QrMatrix

Rgb = tuple[int, int, int]
Anchor = Literal["start", "middle", "end"]

WHITE: Rgb = (255, 255, 255)
BLACK: Rgb = (0, 0, 0)
# Fake bold (CJK system fonts ship one weight): outline the glyphs with this share of the size.
BOLD_STROKE = 0.03


@dataclass(frozen=True)
class Label:
    """One line of text; y is the baseline."""

    x: float
    y: float
    text: str
    size: float
    colour: Rgb
    anchor: Anchor = "start"
    bold: bool = False


@dataclass(frozen=True)
class Block:
    """A filled and/or outlined rectangle, optionally with rounded corners."""

    x: float
    y: float
    width: float
    height: float
    fill: Rgb | None
    radius: float = 0.0
    stroke: Rgb | None = None
    stroke_width: float = 0.0


@dataclass(frozen=True)
class Line:
    """A straight stroked segment."""

    x0: float
    y0: float
    x1: float
    y1: float
    colour: Rgb
    width: float


@dataclass(frozen=True)
class Symbol:
    """A QR symbol, quiet zone included, filling the square (x, y, side)."""

    x: float
    y: float
    side: float
    matrix: QrMatrix
    logo: bytes | None = None


Shape = Label | Block | Line | Symbol


@dataclass(frozen=True)
class Face:
    """A rectangle of artwork laid out in its own coordinates."""

    width: float
    height: float
    shapes: tuple[Shape, ...]


@dataclass(frozen=True)
class Placement:
    """Where a face sits on a sheet; upside_down turns it 180 degrees in place."""

    face: Face
    x: float = 0.0
    y: float = 0.0
    upside_down: bool = False


@dataclass(frozen=True)
class Sheet:
    """One printed page: faces placed on it plus marks drawn in sheet coordinates."""

    width: float
    height: float
    placements: tuple[Placement, ...]
    marks: tuple[Shape, ...] = ()


def moved(shape: Shape, dx: float, dy: float) -> Shape:
    """Return shape translated by (dx, dy)."""
    if isinstance(shape, Line):
        return replace(
            shape, x0=shape.x0 + dx, y0=shape.y0 + dy, x1=shape.x1 + dx, y1=shape.y1 + dy
        )
    return replace(shape, x=shape.x + dx, y=shape.y + dy)


def tint(colour: Rgb, share: float) -> Rgb:
    """Return colour mixed with white, keeping share of the colour."""
    r, g, b = (round(255 - (255 - c) * share) for c in colour)
    return (r, g, b)
