"""Fixtures for the qr tests: the process-wide CJK font and a logo image."""

from __future__ import annotations

import io

import pytest
from PIL import Image, ImageDraw

from qr import FontNotFoundError, Fonts, load_fonts


@pytest.fixture(scope="session")
def fonts() -> Fonts:
    """Return the system CJK font, failing loudly when `make sysdeps` has not installed one."""
    try:
        return load_fonts()
    except FontNotFoundError as exc:
        pytest.fail(f"{exc} (run `make sysdeps`)")


@pytest.fixture(scope="session")
def logo_png() -> bytes:
    """Return a wide red badge with transparent corners, like a bank logo."""
    image = Image.new("RGBA", (240, 160), (0, 0, 0, 0))
    draw = ImageDraw.Draw(image)
    draw.rounded_rectangle((0, 0, 239, 159), radius=40, fill=(179, 32, 42, 255))
    draw.ellipse((80, 40, 160, 120), fill=(255, 204, 0, 255))
    buffer = io.BytesIO()
    image.save(buffer, format="PNG")
    return buffer.getvalue()
