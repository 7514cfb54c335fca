"""Read back what the renderers wrote: QR payloads, a PDF page raster, its fonts, PNG chunks."""

from __future__ import annotations

import io
import re
import struct
from dataclasses import dataclass, field
from typing import Any

from PIL import Image, ImageDraw
from pypdf import PdfReader
from pypdf.generic import ContentStream
from pyzbar.pyzbar import decode

Matrix = tuple[float, float, float, float, float, float]
Rgb = tuple[int, int, int]
IDENTITY: Matrix = (1, 0, 0, 1, 0, 0)
_NUMERIC = {"cm", "rg", "g", "re", "m", "l", "c"}


def decode_qr(image: Image.Image) -> list[str]:
    """Return every QR payload a real decoder (zbar) finds in image, sorted."""
    return sorted(symbol.data.decode("utf-8") for symbol in decode(image.convert("L")))


def multiply(m: Matrix, n: Matrix) -> Matrix:
    """Return m then n, as PDF composes a `cm` operand m with the current matrix n."""
    a, b, c, d, e, f = m
    a2, b2, c2, d2, e2, f2 = n
    return (
        a * a2 + b * c2,
        a * b2 + b * d2,
        c * a2 + d * c2,
        c * b2 + d * d2,
        e * a2 + f * c2 + e2,
        e * b2 + f * d2 + f2,
    )


def rasterise(pdf: bytes, page_number: int = 0, scale: float = 2.0) -> Image.Image:
    """Paint the page's filled paths (curves as their corners) and images; text is skipped."""
    reader = PdfReader(io.BytesIO(pdf))
    page = reader.pages[page_number]
    painter = _Painter(page, scale)
    for operands, operator in ContentStream(page.get_contents(), reader).operations:
        painter.run(operator.decode(), operands)
    return painter.image


@dataclass
class _Painter:
    """Just enough of the PDF imaging model for rectangles, simple paths and images."""

    page: Any
    scale: float
    ctm: Matrix = IDENTITY
    fill: Rgb = (0, 0, 0)
    saved: list[tuple[Matrix, Rgb]] = field(default_factory=list)
    path: list[list[tuple[float, float]]] = field(default_factory=list)
    image: Image.Image = field(init=False)

    def __post_init__(self) -> None:
        box = self.page.mediabox
        self.height = float(box.height)
        size = (round(float(box.width) * self.scale), round(self.height * self.scale))
        self.image = Image.new("RGB", size, "white")

    def to_px(self, x: float, y: float) -> tuple[float, float]:
        a, b, c, d, e, f = self.ctm
        return ((a * x + c * y + e) * self.scale, (self.height - (b * x + d * y + f)) * self.scale)

    def run(self, op: str, operands: list[Any]) -> None:
        args = [float(v) for v in operands] if op in _NUMERIC else operands
        if op == "q":
            self.saved.append((self.ctm, self.fill))
        elif op == "Q":
            self.ctm, self.fill = self.saved.pop()
        elif op == "cm":
            self.ctm = multiply((args[0], args[1], args[2], args[3], args[4], args[5]), self.ctm)
        elif op in ("rg", "g"):
            r, g, b = (args * 3)[:3] if op == "g" else args
            self.fill = (round(r * 255), round(g * 255), round(b * 255))
        elif op == "re":
            x, y, w, h = args
            corners = [(x, y), (x + w, y), (x + w, y + h), (x, y + h)]
            self.path.append([self.to_px(px, py) for px, py in corners])
        elif op in ("m", "l", "c"):
            if op == "m" or not self.path:
                self.path.append([])
            self.path[-1].append(self.to_px(args[-2], args[-1]))
        elif op in ("f", "f*", "B", "B*", "n", "S"):
            self.paint(filled=op not in ("n", "S"))
        elif op == "Do":
            self.paste_image(operands[0])

    def paint(self, filled: bool) -> None:
        draw = ImageDraw.Draw(self.image)
        for polygon in self.path if filled else []:
            if len(polygon) >= 3:
                draw.polygon(polygon, fill=self.fill)
        self.path = []

    def paste_image(self, name: str) -> None:
        xobject = self.page["/Resources"]["/XObject"][name].get_object()
        picture = xobject.decode_as_image().convert("RGB")
        corners = [self.to_px(x, y) for x, y in ((0, 0), (1, 0), (1, 1), (0, 1))]
        xs, ys = [c[0] for c in corners], [c[1] for c in corners]
        box = (round(min(xs)), round(min(ys)), round(max(xs)), round(max(ys)))
        if self.ctm[0] < 0:  # a face turned upside down
            picture = picture.transpose(Image.Transpose.ROTATE_180)
        self.image.paste(picture.resize((box[2] - box[0], box[3] - box[1])), box[:2])


def embedded_fonts(pdf: bytes) -> list[Any]:
    """Return the font dictionaries used by every page."""
    reader = PdfReader(io.BytesIO(pdf))
    fonts: list[Any] = []
    for page in reader.pages:
        resources: Any = page["/Resources"]
        fonts.extend(ref.get_object() for ref in resources["/Font"].values())
    return fonts


def mapped_characters(font: Any) -> set[str]:
    """Return the characters a simple font's ToUnicode CMap maps its codes to."""
    cmap = font["/ToUnicode"].get_object().get_data().decode("latin-1")
    chars: set[str] = set()
    for block in re.findall(r"beginbfchar(.*?)endbfchar", cmap, re.S):
        for target in re.findall(r"<[0-9A-Fa-f]+>\s*<([0-9A-Fa-f]+)>", block):
            chars.add(bytes.fromhex(target).decode("utf-16-be"))
    for block in re.findall(r"beginbfrange(.*?)endbfrange", cmap, re.S):
        for lo, hi, start in re.findall(r"<(\w+)>\s*<(\w+)>\s*<(\w+)>", block):
            first = int(start, 16)
            chars.update(chr(first + i) for i in range(int(hi, 16) - int(lo, 16) + 1))
    return chars


def page_text(pdf: bytes) -> str:
    """Return all pages' extracted text with whitespace removed."""
    reader = PdfReader(io.BytesIO(pdf))
    return re.sub(r"\s+", "", "".join(page.extract_text() for page in reader.pages))


def png_chunk_types(data: bytes) -> set[bytes]:
    """Return the chunk types present in PNG data."""
    types: set[bytes] = set()
    offset = 8
    while offset < len(data):
        length, kind = struct.unpack(">I4s", data[offset : offset + 8])
        types.add(kind)
        offset += 12 + length
    return types
