"""The validated description of one printable poster."""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Literal, get_args

from qr.matrix import ErrorCorrection, check_error_correction
from qr.texts import DEFAULT_FOOTER

# "A4": one A4 portrait page. "A5_TENT": an A4 portrait sheet folded across the middle into a
# table tent with two A5 landscape faces; the upper face is printed upside down so both read
# upright once folded. Any office printer can print it, with no cutting.
PosterSize = Literal["A4", "A5_TENT"]
POSTER_SIZES: tuple[str, ...] = get_args(PosterSize)
Rgb = tuple[int, int, int]

_HEX_COLOUR = re.compile(r"#[0-9A-Fa-f]{6}")


@dataclass(frozen=True, kw_only=True)
class PosterSpec:
    """What one poster shows: the QR payload and the Simplified Chinese texts around it."""

    payload: str
    branch_name: str
    slogan: str
    manager_name: str | None = None
    manager_title: str | None = None
    campaign: str | None = None
    footer: str = DEFAULT_FOOTER
    size: PosterSize = "A4"
    error_correction: ErrorCorrection = "M"
    logo: bytes | None = None
    accent: str = "#B3202A"

    def __post_init__(self) -> None:
        """Reject specs that could only print a broken poster."""
        for name in ("payload", "branch_name", "slogan", "footer"):
            if not getattr(self, name).strip():
                raise ValueError(f"PosterSpec.{name} must not be blank")
        if self.manager_title and not self.manager_name:
            raise ValueError("PosterSpec.manager_title needs a manager_name")
        if self.size not in POSTER_SIZES:
            raise ValueError(f"PosterSpec.size must be one of {POSTER_SIZES}, got {self.size!r}")
        check_error_correction(self.error_correction)
        if not _HEX_COLOUR.fullmatch(self.accent):
            raise ValueError(f"PosterSpec.accent must look like #B3202A, got {self.accent!r}")

    @property
    def accent_rgb(self) -> Rgb:
        """Return the accent colour as an (r, g, b) tuple."""
        value = int(self.accent[1:], 16)
        return (value >> 16, (value >> 8) & 0xFF, value & 0xFF)

    def texts(self) -> dict[str, str]:
        """Return every printed text field by name (optional ones only when present)."""
        fields = {
            "branch_name": self.branch_name,
            "slogan": self.slogan,
            "campaign": self.campaign,
            "manager_name": self.manager_name,
            "manager_title": self.manager_title,
            "footer": self.footer,
        }
        return {name: text for name, text in fields.items() if text}
