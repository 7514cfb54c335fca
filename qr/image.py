"""Raster a QR symbol with Pillow and write deterministic PNG bytes."""

from __future__ import annotations

import io

from PIL import Image, ImageOps

from qr.logo import load_logo, logo_rect
from qr.matrix import ErrorCorrection, QrMatrix, encode

# Dark modules are 1 in the matrix rows; in an 8-bit grey image they become black (0).
_TO_GREY = bytes.maketrans(b"\x00\x01", b"\xff\x00")


def qr_png(
    payload: str,
    *,
    error_correction: ErrorCorrection = "M",
    border: int = 4,
    box_size: int = 10,
    logo: bytes | None = None,
) -> bytes:
    """Return PNG bytes of payload's QR; a logo forces level H and sits on a white centre pad."""
    if box_size < 1:
        raise ValueError(f"box_size must be at least 1 pixel, got {box_size}")
    matrix = encode(payload, error_correction, border, for_logo=logo is not None)
    return png_bytes(symbol_image(matrix, box_size, logo))


def symbol_image(matrix: QrMatrix, module_px: int, logo: bytes | None = None) -> Image.Image:
    """Return the symbol with its quiet zone, module_px pixels per module, logo pasted if any."""
    size = matrix.size
    grey = Image.frombytes("L", (size, size), b"".join(matrix.rows).translate(_TO_GREY))
    framed = ImageOps.expand(grey, border=matrix.border, fill=255)
    side = matrix.total * module_px
    image = framed.resize((side, side), Image.Resampling.NEAREST)
    if logo is None or matrix.hole is None:
        return image
    picture = load_logo(logo)
    x, y, w, h = (v * module_px for v in logo_rect(matrix.hole, picture.size))
    offset = matrix.border * module_px
    scaled = picture.resize((max(1, round(w)), max(1, round(h))), Image.Resampling.LANCZOS)
    rgb = image.convert("RGB")
    rgb.paste(scaled, (offset + round(x), offset + round(y)))
    return rgb


def png_bytes(image: Image.Image, dpi: int | None = None) -> bytes:
    """Encode image as PNG without text or time chunks, so equal images give equal bytes."""
    buffer = io.BytesIO()
    if dpi is None:
        image.save(buffer, format="PNG")
    else:
        image.save(buffer, format="PNG", dpi=(dpi, dpi))
    return buffer.getvalue()
