"""Print posters as 300 dpi PNG: the QR scans, pixel size and dpi, determinism."""

from __future__ import annotations

import io

import pytest
from PIL import Image

from qr import Fonts, render_png
from tests.unit.qr.builders import VARIANTS, a_poster_spec, variants
from tests.unit.qr.readback import decode_qr, png_chunk_types


@pytest.mark.parametrize("name", VARIANTS)
def test_the_qr_in_the_300_dpi_png_decodes_to_the_exact_payload(
    name: str, fonts: Fonts, logo_png: bytes
) -> None:
    spec = variants(logo_png)[name]

    image = Image.open(io.BytesIO(render_png(spec, fonts)))

    copies = 2 if spec.size == "A5_TENT" else 1
    assert decode_qr(image) == [spec.payload] * copies
    assert image.size == (2480, 3508)  # A4 at 300 dpi
    assert image.info["dpi"] == pytest.approx((300, 300), abs=0.01)


def test_a_lower_dpi_scales_the_page_and_still_scans(fonts: Fonts) -> None:
    spec = a_poster_spec(size="A5_TENT")

    image = Image.open(io.BytesIO(render_png(spec, fonts, dpi=100)))

    assert image.size == (827, 1169)
    assert decode_qr(image) == [spec.payload] * 2


def test_the_same_spec_gives_identical_png_bytes(fonts: Fonts, logo_png: bytes) -> None:
    spec = a_poster_spec(logo=logo_png)

    first = render_png(spec, fonts, dpi=72)

    assert render_png(spec, fonts, dpi=72) == first
    assert png_chunk_types(first) <= {b"IHDR", b"IDAT", b"IEND", b"pHYs"}


def test_an_absurd_dpi_is_refused(fonts: Fonts) -> None:
    with pytest.raises(ValueError, match="dpi"):
        render_png(a_poster_spec(), fonts, dpi=5000)
