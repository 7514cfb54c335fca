"""Finding the CJK font: explicit path, Debian paths, fontconfig, and a clear error otherwise."""

from __future__ import annotations

import struct
from pathlib import Path

import pytest

from qr import FontNotFoundError, Fonts, find_cjk_font, load_fonts, texts
from qr.fonts import DEBIAN_FONT_PATHS, has_truetype_outlines

WQY = Path("/usr/share/fonts/truetype/wqy/wqy-microhei.ttc")


def fake_font(path: Path, outline_table: bytes) -> Path:
    """Write an sfnt header whose single table record is outline_table ('glyf' or 'CFF ')."""
    header = struct.pack(">4sHHHH", b"OTTO", 1, 16, 0, 0)
    record = struct.pack(">4sIII", outline_table, 0, 28, 0)
    path.write_bytes(header + record)
    return path


def test_finds_the_installed_debian_cjk_font() -> None:
    found = find_cjk_font()

    assert found in DEBIAN_FONT_PATHS
    assert has_truetype_outlines(found)


def test_an_explicit_font_path_is_used_as_given(tmp_path: Path) -> None:
    font = fake_font(tmp_path / "brand.ttf", b"glyf")

    assert find_cjk_font(str(font)) == font


def test_a_missing_explicit_font_names_the_debian_package(tmp_path: Path) -> None:
    with pytest.raises(FontNotFoundError, match="apt-get install fonts-wqy-microhei"):
        find_cjk_font(str(tmp_path / "missing.ttc"))


def test_no_font_anywhere_names_the_debian_package(tmp_path: Path) -> None:
    with pytest.raises(FontNotFoundError, match="apt-get install fonts-wqy-microhei"):
        find_cjk_font(candidates=[tmp_path / "none.ttc"], use_fontconfig=False)


def test_fontconfig_is_asked_when_no_known_path_exists(tmp_path: Path) -> None:
    found = find_cjk_font(candidates=[tmp_path / "none.ttc"])

    assert has_truetype_outlines(found)


def test_a_cff_font_is_refused_because_reportlab_cannot_embed_it(tmp_path: Path) -> None:
    font = fake_font(tmp_path / "NotoSansCJK-Regular.otf", b"CFF ")

    with pytest.raises(FontNotFoundError, match="TrueType"):
        find_cjk_font(str(font))


def test_the_font_is_registered_once_per_process() -> None:
    assert load_fonts() is load_fonts()
    assert load_fonts(str(WQY)) is load_fonts()


def test_the_font_draws_every_default_text(fonts: Fonts) -> None:
    copy = [
        texts.DEFAULT_FOOTER,
        texts.QR_CAPTION,
        texts.MANAGER_LABEL,
        texts.SHEET_TITLE,
        texts.SHEET_BRANCH_ONLY,
        texts.sheet_page_label(1, 2, 3),
        "…",
    ]

    assert fonts.missing_glyphs("".join(copy)) == ""
