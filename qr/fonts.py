"""Find a CJK TrueType font on the system and load it once per process for PDF and PNG."""

from __future__ import annotations

import shutil
import struct
import subprocess
import zlib
from collections.abc import Sequence
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Any

from PIL import ImageFont
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont

from qr.errors import FontNotFoundError

INSTALL_HINT = "apt-get install fonts-wqy-microhei"

# TrueType-outline CJK fonts shipped by Debian. Noto CJK is deliberately absent: its .ttc files
# hold CFF (PostScript) outlines, which reportlab cannot embed.
DEBIAN_FONT_PATHS: tuple[Path, ...] = (
    Path("/usr/share/fonts/truetype/wqy/wqy-microhei.ttc"),
    Path("/usr/share/fonts/truetype/wqy/wqy-zenhei.ttc"),
    Path("/usr/share/fonts/truetype/arphic/uming.ttc"),
    Path("/usr/share/fonts/truetype/arphic/ukai.ttc"),
    Path("/usr/share/fonts/truetype/droid/DroidSansFallbackFull.ttf"),
)


def find_cjk_font(
    explicit_path: str | None = None,
    *,
    candidates: Sequence[Path] = DEBIAN_FONT_PATHS,
    use_fontconfig: bool = True,
) -> Path:
    """Return the path of a CJK TrueType font: the explicit one, a Debian one, or fontconfig's."""
    if explicit_path is not None:
        return _checked_explicit(Path(explicit_path))
    for path in candidates:
        if path.is_file() and has_truetype_outlines(path):
            return path
    for path in _fontconfig_fonts() if use_fontconfig else []:
        if has_truetype_outlines(path):
            return path
    raise FontNotFoundError(
        f"No CJK TrueType font found for Chinese text; install one with `{INSTALL_HINT}` "
        "or pass an explicit .ttf/.ttc path."
    )


def _checked_explicit(path: Path) -> Path:
    # An operator who names a font wants that font: a silent fallback would hide a typo.
    if not path.is_file():
        raise FontNotFoundError(
            f"CJK font {path} does not exist; fix the path or install `{INSTALL_HINT}`."
        )
    if not has_truetype_outlines(path):
        raise FontNotFoundError(
            f"{path} has no TrueType outlines (CFF/OpenType fonts cannot be embedded); "
            f"use a .ttf/.ttc font such as the one from `{INSTALL_HINT}`."
        )
    return path


def _fontconfig_fonts() -> list[Path]:
    fc_list = shutil.which("fc-list")
    if fc_list is None:
        return []
    try:
        # Fixed argv, no shell: the only input is fontconfig's own binary.
        done = subprocess.run(  # noqa: S603
            [fc_list, ":lang=zh", "file"], capture_output=True, text=True, timeout=10, check=False
        )
    except (OSError, subprocess.TimeoutExpired):
        return []
    files = {line.strip().rstrip(":") for line in done.stdout.splitlines() if line.strip()}
    return sorted(Path(name) for name in files if name.lower().endswith((".ttf", ".ttc")))


def has_truetype_outlines(path: Path) -> bool:
    """Tell whether a .ttf/.ttc file (first face) carries a 'glyf' table reportlab can embed."""
    try:
        with path.open("rb") as fh:
            head = fh.read(16)  # a TTC header: tag, version, count, first face's offset
            offset = struct.unpack(">I", head[12:16])[0] if head[:4] == b"ttcf" else 0
            fh.seek(offset)
            num_tables = struct.unpack(">4sH", fh.read(6))[1]
            fh.seek(offset + 12)
            records = fh.read(16 * num_tables)
    except (OSError, struct.error):
        return False
    return any(records[i : i + 4] == b"glyf" for i in range(0, len(records), 16))


@dataclass(frozen=True)
class Fonts:
    """The CJK face, registered with reportlab once; measures text and serves Pillow fonts."""

    path: Path
    pdf_name: str
    _face: Any = field(repr=False, compare=False)

    def width(self, text: str, size: float) -> float:
        """Return the advance width of text at size, in the same unit as size."""
        return float(self._face.stringWidth(text, size))

    def missing_glyphs(self, text: str) -> str:
        """Return the characters of text that the font cannot draw (whitespace ignored)."""
        known = self._face.face.charToGlyph
        return "".join(sorted({ch for ch in text if not ch.isspace() and ord(ch) not in known}))

    def pillow(self, size_px: float) -> ImageFont.FreeTypeFont:
        """Return a cached Pillow font of this face at size_px pixels."""
        return _pillow_font(str(self.path), round(size_px * 4) / 4)


def load_fonts(explicit_path: str | None = None) -> Fonts:
    """Find the CJK font and register it (parsing the file once per process)."""
    return _register(find_cjk_font(explicit_path).resolve())


@lru_cache(maxsize=8)
def _register(path: Path) -> Fonts:
    name = f"BranchLinkCJK-{zlib.crc32(str(path).encode()):08x}"
    face = TTFont(name, str(path), subfontIndex=0)
    pdfmetrics.registerFont(face)
    return Fonts(path=path, pdf_name=name, _face=face)


@lru_cache(maxsize=64)
def _pillow_font(path: str, size_px: float) -> ImageFont.FreeTypeFont:
    return ImageFont.truetype(path, size=size_px, index=0)
