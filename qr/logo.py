"""Decode a logo once and fit it into the white pad at the centre of a QR symbol."""

from __future__ import annotations

import io
import zlib
from functools import lru_cache

from PIL import Image

from qr.matrix import ModuleBox

MAX_LOGO_PX = 512
# The logo prints about 20 mm wide, so 256 px is over 300 dpi; a photographic logo that would
# still weigh more than the budget losslessly goes into the PDF as JPEG instead.
PDF_LOGO_PX = 256
PDF_LOSSLESS_BUDGET = 60_000
# White margin between the pad edge and the logo, in modules.
LOGO_MARGIN = 0.6


@lru_cache(maxsize=16)
def load_logo(data: bytes) -> Image.Image:
    """Decode logo bytes (PNG, JPEG...) into an RGB image flattened on white; treat as read-only."""
    try:
        with Image.open(io.BytesIO(data)) as img:
            img.load()
            rgba = img.convert("RGBA")
    except (OSError, ValueError, Image.DecompressionBombError) as exc:
        raise ValueError("logo is not a readable image") from exc
    flat = Image.new("RGB", rgba.size, "white")
    flat.paste(rgba, mask=rgba.getchannel("A"))
    flat.thumbnail((MAX_LOGO_PX, MAX_LOGO_PX), Image.Resampling.LANCZOS)
    return flat


@lru_cache(maxsize=16)
def logo_for_pdf(data: bytes) -> tuple[Image.Image, bytes | None]:
    """Return the logo scaled for print, plus JPEG bytes when lossless would be too heavy."""
    picture = load_logo(data).copy()
    picture.thumbnail((PDF_LOGO_PX, PDF_LOGO_PX), Image.Resampling.LANCZOS)
    if len(zlib.compress(picture.tobytes(), 6)) <= PDF_LOSSLESS_BUDGET:
        return picture, None
    buffer = io.BytesIO()
    picture.save(buffer, format="JPEG", quality=90, subsampling=0)
    return picture, buffer.getvalue()


def logo_rect(hole: ModuleBox, logo_size: tuple[int, int]) -> tuple[float, float, float, float]:
    """Return (x, y, width, height) in modules of the logo centred in the hole, aspect kept."""
    room = hole.count - 2 * LOGO_MARGIN
    width, height = logo_size
    scale = room / max(width, height)
    w, h = width * scale, height * scale
    centre = hole.start + hole.count / 2
    return (centre - w / 2, centre - h / 2, w, h)
