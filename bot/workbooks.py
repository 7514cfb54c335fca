"""Reading the import files staff make, Excel workbooks included, into numbered rows.

CSV (UTF-8 or GBK) and TOML are read by the core; an .xlsx is read here, its first sheet, so
the core keeps to the standard library. Line numbers are the sheet's row numbers, as Excel
shows them, so a row error points at the row staff see.
"""

import hashlib
import io
import zipfile
from datetime import date, datetime
from pathlib import Path
from typing import Any

from openpyxl import load_workbook

from crm_core import services
from crm_core.services import ImportRejected, RowError, SourceRow
from crm_core.services.performance import BookFile

FORMATS = {".csv": "csv", ".toml": "toml", ".xlsx": "xlsx"}


def import_rows(data: bytes, filename: str, table: str) -> list[SourceRow]:
    """Return an import file's rows by its extension (.csv, .toml or .xlsx); raises Refusal
    for another extension and ImportRejected for a file that cannot be read."""
    fmt = FORMATS.get(Path(filename).suffix.lower(), Path(filename).suffix.lstrip("."))
    if fmt == "xlsx":
        return workbook_rows(data)
    return services.read_rows(services.decode_file(data), fmt, table)


def workbook_rows(data: bytes) -> list[SourceRow]:
    """Return the rows of a workbook's first sheet under its first (header) row."""
    try:
        book = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except (zipfile.BadZipFile, KeyError, OSError, ValueError) as error:
        raise ImportRejected([RowError(0, "not a readable workbook", "workbook_unreadable")]) \
            from error
    try:
        lines = list(book.worksheets[0].iter_rows(values_only=True))
    finally:
        book.close()
    header = [_cell(value) for value in (lines[0] if lines else ())]
    found = []
    for number, values in enumerate(lines[1:], start=2):
        cells = [_cell(value) for value in values]
        if any(cells):
            found.append(SourceRow(number, {name: cells[i] if i < len(cells) else ""
                                            for i, name in enumerate(header) if name}))
    return found


def _cell(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, datetime | date):
        return value.isoformat()[:10]
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value).strip()


def book_file(data: bytes, filename: str) -> BookFile:
    """Return a month's book extract (CSV in UTF-8 or GBK, or .xlsx) with its digest."""
    return BookFile(filename, hashlib.sha256(data).hexdigest(),
                    import_rows(data, filename, "book"))
