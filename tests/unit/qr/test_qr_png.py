"""A single QR as PNG: payload round trip, error correction, quiet zone, logo, determinism."""

from __future__ import annotations

import io

import pytest
from PIL import Image

from qr import ErrorCorrection, encode, qr_png
from qr.matrix import logo_hole
from tests.unit.qr.builders import CHINESE_PAYLOAD, WECHAT_TICKET_URL
from tests.unit.qr.readback import decode_qr, png_chunk_types

LONG_URL = "https://bank.example.cn/onboarding?" + "&".join(f"k{i}=v{i}" for i in range(30))
PAYLOADS = [WECHAT_TICKET_URL, CHINESE_PAYLOAD, "扫码关注陆家嘴支行", LONG_URL]
LEVELS: tuple[ErrorCorrection, ...] = ("L", "M", "Q", "H")


def open_png(data: bytes) -> Image.Image:
    return Image.open(io.BytesIO(data))


@pytest.mark.parametrize("level", LEVELS)
@pytest.mark.parametrize("payload", PAYLOADS[:3])
def test_qr_decodes_to_the_exact_payload_at_every_error_correction_level(
    payload: str, level: ErrorCorrection
) -> None:
    image = open_png(qr_png(payload, error_correction=level, box_size=4))

    assert decode_qr(image) == [payload]


@pytest.mark.parametrize("payload", [*PAYLOADS, "A"])
def test_logo_qr_still_decodes_to_the_exact_payload(payload: str, logo_png: bytes) -> None:
    image = open_png(qr_png(payload, box_size=5, logo=logo_png))

    assert decode_qr(image) == [payload]


def test_higher_error_correction_needs_more_modules() -> None:
    sizes = [encode(LONG_URL, level).size for level in LEVELS]

    assert sizes == sorted(set(sizes))


def test_a_logo_forces_error_correction_h(logo_png: bytes) -> None:
    matrix = encode(WECHAT_TICKET_URL, "L", for_logo=True)
    image = open_png(qr_png(WECHAT_TICKET_URL, error_correction="L", box_size=3, logo=logo_png))

    assert matrix.error_correction == "H"
    assert image.width == matrix.total * 3


@pytest.mark.parametrize("version", range(1, 41))
def test_logo_pad_is_centred_and_at_most_a_quarter_of_the_symbol_width(version: int) -> None:
    size = 17 + 4 * version
    hole = logo_hole(size)

    assert hole.count % 2 == 1
    assert hole.start * 2 + hole.count == size
    assert hole.count / size <= 0.25


def test_logo_sits_on_a_white_pad_without_dark_modules(logo_png: bytes) -> None:
    matrix = encode(WECHAT_TICKET_URL, for_logo=True)
    assert matrix.hole is not None
    box = 10
    image = open_png(qr_png(WECHAT_TICKET_URL, box_size=box, logo=logo_png)).convert("RGB")
    pad_top = (matrix.border + matrix.hole.start) * box
    pad_bottom = pad_top + matrix.hole.count * box - 1

    # The logo is wider than tall, so the pad's top and bottom module rows stay plain white.
    for y in (pad_top + 2, pad_bottom - 2):
        row = [image.getpixel((x, y)) for x in range(pad_top, pad_bottom + 1)]
        assert set(row) == {(255, 255, 255)}


def test_quiet_zone_is_border_modules_of_white() -> None:
    matrix = encode(WECHAT_TICKET_URL, "M", border=2)
    image = open_png(qr_png(WECHAT_TICKET_URL, border=2, box_size=5)).convert("L")
    pixels = image.load()
    assert pixels is not None

    assert image.size == (matrix.total * 5, matrix.total * 5)
    assert all(pixels[x, y] == 255 for y in range(10) for x in range(image.width))
    assert any(pixels[x, 10] == 0 for x in range(image.width))


def test_same_input_gives_identical_png_bytes(logo_png: bytes) -> None:
    first = qr_png(CHINESE_PAYLOAD, error_correction="Q", logo=logo_png)

    assert qr_png(CHINESE_PAYLOAD, error_correction="Q", logo=logo_png) == first


def test_png_carries_no_text_or_time_chunks(logo_png: bytes) -> None:
    data = qr_png(WECHAT_TICKET_URL, logo=logo_png)

    assert png_chunk_types(data) <= {b"IHDR", b"PLTE", b"IDAT", b"IEND", b"pHYs"}


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"payload": ""}, "empty"),
        ({"payload": "x", "error_correction": "X"}, "error_correction"),
        ({"payload": "x" * 3000}, "does not fit"),
        ({"payload": "x", "border": -1}, "border"),
        ({"payload": "x", "box_size": 0}, "box_size"),
        ({"payload": "x", "logo": b"not an image"}, "logo"),
    ],
)
def test_rejects_input_that_cannot_make_a_qr(kwargs: dict[str, object], message: str) -> None:
    with pytest.raises(ValueError, match=message):
        qr_png(**kwargs)  # type: ignore[arg-type]
