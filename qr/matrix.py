"""Encode a payload into a QR module matrix, punch a logo hole and merge modules into rectangles."""

from __future__ import annotations

from dataclasses import dataclass, replace
from functools import lru_cache
from typing import Literal, get_args

import qrcode
from qrcode import constants
from qrcode.exceptions import DataOverflowError

ErrorCorrection = Literal["L", "M", "Q", "H"]
ERROR_LEVELS: tuple[str, ...] = get_args(ErrorCorrection)

_QRCODE_LEVELS = {
    "L": constants.ERROR_CORRECT_L,
    "M": constants.ERROR_CORRECT_M,
    "Q": constants.ERROR_CORRECT_Q,
    "H": constants.ERROR_CORRECT_H,
}
# Side of the white pad behind a logo, as a share of the symbol width (quiet zone excluded).
LOGO_PAD_SHARE = 0.24
# Small versions leave too few modules around a centred pad (version 1 would even lose format
# information); version 4 keeps the logo legible at about 21% of the width.
LOGO_MIN_VERSION = 4


@dataclass(frozen=True)
class ModuleBox:
    """A square of modules: top-left (start, start) and side count, in symbol coordinates."""

    start: int
    count: int


@dataclass(frozen=True)
class QrMatrix:
    """The dark/light modules of one symbol (quiet zone excluded) and its chosen quiet zone."""

    rows: tuple[bytes, ...]
    border: int
    error_correction: ErrorCorrection
    hole: ModuleBox | None = None

    @property
    def size(self) -> int:
        """Return the symbol width in modules, without the quiet zone."""
        return len(self.rows)

    @property
    def total(self) -> int:
        """Return the width in modules including the quiet zone on both sides."""
        return self.size + 2 * self.border


def check_error_correction(level: str) -> ErrorCorrection:
    """Return level if it is one of L/M/Q/H, else raise ValueError."""
    if level not in ERROR_LEVELS:
        raise ValueError(f"error_correction must be one of {ERROR_LEVELS}, got {level!r}")
    return level  # type: ignore[return-value]


def encode(
    payload: str,
    error_correction: ErrorCorrection = "M",
    border: int = 4,
    *,
    for_logo: bool = False,
) -> QrMatrix:
    """Encode payload (UTF-8 for non-ASCII) at the given level; a logo forces H and a pad hole."""
    level = "H" if for_logo else check_error_correction(error_correction)
    if not payload:
        raise ValueError("QR payload must not be empty")
    if border < 0:
        raise ValueError(f"border must be 0 or more modules, got {border}")
    matrix = _encode(payload, level, border, LOGO_MIN_VERSION if for_logo else None)
    return punch_logo_hole(matrix) if for_logo else matrix


@lru_cache(maxsize=512)
def _encode(payload: str, level: ErrorCorrection, border: int, version: int | None) -> QrMatrix:
    code = qrcode.QRCode(version=version, error_correction=_QRCODE_LEVELS[level], border=0)
    code.add_data(payload.encode("utf-8"))
    try:
        code.make(fit=True)
    except (DataOverflowError, ValueError) as exc:  # qrcode says "Invalid version (was 41...)"
        raise ValueError(f"payload of {len(payload)} characters does not fit in a QR") from exc
    rows = tuple(bytes(bool(cell) for cell in row) for row in code.get_matrix())
    return QrMatrix(rows=rows, border=border, error_correction=level)


def logo_hole(size: int) -> ModuleBox:
    """Return the centred square (odd side, at most 24% of the width) kept white for a logo."""
    count = int(size * LOGO_PAD_SHARE)
    count -= 1 - count % 2  # odd, so the square is centred on the odd-sized symbol
    return ModuleBox(start=(size - count) // 2, count=count)


def punch_logo_hole(matrix: QrMatrix) -> QrMatrix:
    """Return matrix with the modules under the logo pad cleared to light."""
    hole = logo_hole(matrix.size)
    end = hole.start + hole.count
    rows = tuple(
        row[: hole.start] + bytes(hole.count) + row[end:] if hole.start <= y < end else row
        for y, row in enumerate(matrix.rows)
    )
    return replace(matrix, rows=rows, hole=hole)


def dark_rectangles(matrix: QrMatrix) -> list[tuple[int, int, int, int]]:
    """Return (x, y, width, height) rectangles covering the dark modules, runs merged."""
    done: list[tuple[int, int, int, int]] = []
    open_runs: dict[tuple[int, int], int] = {}  # (x, width) -> first row
    for y, row in enumerate((*matrix.rows, b"")):
        runs = set(_runs(row))
        for run in [r for r in open_runs if r not in runs]:
            start = open_runs.pop(run)
            done.append((run[0], start, run[1], y - start))
        for run in runs - open_runs.keys():
            open_runs[run] = y
    return sorted(done, key=lambda r: (r[1], r[0]))


def _runs(row: bytes) -> list[tuple[int, int]]:
    runs: list[tuple[int, int]] = []
    x, n = 0, len(row)
    while x < n:
        if row[x]:
            start = x
            while x < n and row[x]:
                x += 1
            runs.append((start, x - start))
        else:
            x += 1
    return runs
