"""Poster layout: nothing overlaps or leaves the page, long texts fit or fail loudly."""

from __future__ import annotations

import itertools

import pytest

from qr import Fonts, LayoutError, PosterSpec
from qr.poster import poster_sheet
from qr.shapes import Face, Label, Symbol
from qr.textfit import TextBox, fit_text, wrap
from tests.unit.qr.builders import VARIANTS, a_busy_poster_spec, a_poster_spec, variants

Box = tuple[float, float, float, float]
PRINTER_MARGIN = 12.0  # about 4 mm that office printers leave blank


def ink_boxes(face: Face, fonts: Fonts) -> list[tuple[str, Box]]:
    """Return the box each label's glyphs and each QR symbol occupy on the face."""
    boxes = []
    for shape in face.shapes:
        if isinstance(shape, Label):
            width = fonts.width(shape.text, shape.size)
            left = shape.x - {"start": 0.0, "middle": width / 2, "end": width}[shape.anchor]
            box = (left, shape.y - 0.9 * shape.size, left + width, shape.y + 0.25 * shape.size)
            boxes.append((shape.text, box))
        elif isinstance(shape, Symbol):
            boxes.append(("QR", (shape.x, shape.y, shape.x + shape.side, shape.y + shape.side)))
    return boxes


def overlaps(a: Box, b: Box) -> bool:
    return a[0] < b[2] and b[0] < a[2] and a[1] < b[3] and b[1] < a[3]


def layouts(logo: bytes) -> dict[str, PosterSpec]:
    specs = variants(logo)
    specs["a4-busy"] = a_busy_poster_spec()
    specs["tent-busy"] = a_busy_poster_spec(size="A5_TENT")
    return specs


@pytest.mark.parametrize("name", [*VARIANTS, "a4-busy", "tent-busy"])
def test_no_text_overlaps_another_or_the_qr_and_all_stays_printable(
    name: str, fonts: Fonts, logo_png: bytes
) -> None:
    sheet = poster_sheet(layouts(logo_png)[name], fonts)

    for placement in sheet.placements:
        face = placement.face
        boxes = ink_boxes(face, fonts)
        for (first, a), (second, b) in itertools.combinations(boxes, 2):
            assert not overlaps(a, b), f"{first!r} overlaps {second!r}"
        for text, (left, top, right, bottom) in boxes:
            assert left >= PRINTER_MARGIN and right <= face.width - PRINTER_MARGIN, text
            assert top >= 0 and bottom <= face.height - PRINTER_MARGIN, text


def test_the_tent_folds_into_two_upright_a5_faces(fonts: Fonts) -> None:
    sheet = poster_sheet(a_poster_spec(size="A5_TENT"), fonts)

    upper, lower = sheet.placements
    assert upper.face == lower.face
    assert (upper.upside_down, lower.upside_down) == (True, False)
    assert upper.face.height * 2 == pytest.approx(sheet.height)
    millimetres = (upper.face.width / 72 * 25.4, upper.face.height / 72 * 25.4)
    assert millimetres == pytest.approx((210, 148.5))


def test_a_slogan_too_long_for_the_page_is_refused_naming_the_field(fonts: Fonts) -> None:
    spec = a_poster_spec(slogan="扫码关注" * 40)

    with pytest.raises(LayoutError, match="slogan"):
        poster_sheet(spec, fonts)


def test_a_character_the_font_cannot_draw_is_refused_naming_the_field(fonts: Fonts) -> None:
    spec = a_poster_spec(manager_name="张伟\U0001f600")

    with pytest.raises(LayoutError, match="manager_name"):
        poster_sheet(spec, fonts)


def test_a_long_text_wraps_into_balanced_lines(fonts: Fonts) -> None:
    slogan = "扫码关注我们的公众号，网点动态、理财讲座、专属活动第一时间通知您"

    fitted = fit_text(fonts, slogan, TextBox("slogan", 500, 30, 18, 2))

    first, second = (fonts.width(line, fitted.size) for line in fitted.lines)
    assert "".join(fitted.lines) == slogan
    assert abs(first - second) <= 2 * fitted.size


def test_a_short_text_keeps_its_preferred_size_on_one_line(fonts: Fonts) -> None:
    fitted = fit_text(fonts, "扫码关注", TextBox("slogan", 500, 30, 18, 2))

    assert fitted == type(fitted)(30, ("扫码关注",))


def test_wrapping_keeps_closing_punctuation_off_the_start_of_a_line(fonts: Fonts) -> None:
    text = "扫码关注网点，了解活动。预约服务"
    for width in range(40, 200, 5):
        for line in wrap(fonts, text, 10, width)[1:]:
            assert line[0] not in "，。", (width, line)


def test_latin_words_and_urls_are_not_split(fonts: Fonts) -> None:
    lines = wrap(fonts, "请访问 https://bank.example.cn/vip 了解详情", 10, 120)

    assert "https://bank.example.cn/vip" in lines
