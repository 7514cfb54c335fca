"""Reading CSV and TOML import files into rows that remember their line numbers.

Files come from staff's own tools: a CSV saved by Excel on Chinese Windows is GBK (GB18030),
elsewhere UTF-8 with or without a byte-order mark; both are read, anything else is refused.
"""

import csv
import io
import re
import tomllib
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any

from crm_core.model import Refusal

ENCODINGS = ("utf-8-sig", "gb18030")  # GB18030 is a superset of GBK and GB2312
_WORKBOOK = b"PK\x03\x04"  # an .xlsx (a zip) renamed, or picked instead of the CSV
_OLE = b"\xd0\xcf\x11\xe0"  # an old .xls


@dataclass(frozen=True)
class SourceRow:
    """One record of an import file, with the line it starts on."""

    line: int
    fields: dict[str, str]


@dataclass(frozen=True)
class RowError:
    """Why one row of an import file was refused."""

    line: int
    reason: str
    code: str = ""
    params: Mapping[str, object] = field(default_factory=dict)

    def __str__(self) -> str:
        return f"line {self.line}: {self.reason}"

    @classmethod
    def of(cls, line: int, error: Exception) -> "RowError":
        """The row error of a refusal (its code and values kept for the channel's words)."""
        return cls(line, str(error), getattr(error, "code", ""), getattr(error, "params", {}))


class ImportRejected(Exception):
    """An import file with bad rows: nothing of it was applied (`rows`: the rows checked)."""

    def __init__(self, errors: list[RowError], rows: int = 0) -> None:
        super().__init__("; ".join(str(e) for e in errors))
        self.errors, self.rows = errors, rows


def decode_file(data: bytes) -> str:
    """Return an import file's text: UTF-8 (with or without BOM) or GB18030/GBK.

    Raises ImportRejected (line 0: the whole file) for a workbook, binary or other encoding.
    """
    if data.startswith((_WORKBOOK, _OLE)):
        raise ImportRejected([RowError(0, "an Excel workbook, not CSV", "workbook")])
    if b"\x00" in data:
        raise ImportRejected([RowError(0, "not a text file", "binary")])
    for encoding in ENCODINGS:
        try:
            return data.decode(encoding).removeprefix("\ufeff")
        except UnicodeDecodeError:
            continue
    raise ImportRejected([RowError(0, "neither UTF-8 nor GBK/GB18030 text", "encoding")])


def read_rows(text: str, fmt: str, table: str) -> list[SourceRow]:
    """Parse `text` as CSV (header row first) or as TOML `[[table]]` entries."""
    if fmt == "csv":
        return _csv_rows(text)
    if fmt == "toml":
        return _toml_rows(text, table)
    raise Refusal("unknown_format", f"unknown import format {fmt!r} (csv or toml)",
                  format=fmt[:10])


def _csv_rows(text: str) -> list[SourceRow]:
    reader = csv.DictReader(io.StringIO(text.lstrip("\ufeff")))
    rows = []
    start = 2  # the header is line 1
    for record in reader:
        if None in record:
            raise ImportRejected([RowError(start, "more values than header columns",
                                           "too_many_values")])
        rows.append(SourceRow(start, {k.strip(): (v or "").strip() for k, v in record.items()}))
        start = reader.line_num + 1
    return rows


def _toml_rows(text: str, table: str) -> list[SourceRow]:
    try:
        document = tomllib.loads(text)
    except tomllib.TOMLDecodeError as error:
        raise ImportRejected([RowError(_toml_line(error), f"not valid TOML: {error}",
                                       "toml_syntax")]) from error
    header = re.compile(rf"^[ \t]*\[\[[ \t]*{re.escape(table)}[ \t]*\]\]", re.MULTILINE)
    lines = [text.count("\n", 0, m.start()) + 1 for m in header.finditer(text)]
    entries = document.get(table, [])
    if set(document) - {table} or not isinstance(entries, list):
        raise ImportRejected([RowError(1, f"expected only [[{table}]] tables", "toml_tables",
                                       {"table": table})])
    return [SourceRow(line, {str(k): _text(v) for k, v in entry.items()})
            for line, entry in zip(lines, entries, strict=True)]


def _toml_line(error: tomllib.TOMLDecodeError) -> int:
    found = re.search(r"line (\d+)", str(error))
    return int(found.group(1)) if found else 1


def _text(value: Any) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, date | datetime):
        return value.isoformat()[:10]
    if isinstance(value, list):
        return ",".join(str(v) for v in value)
    return str(value).strip()


def parse_date(value: str, field: str) -> date | None:
    """Parse an optional YYYY-MM-DD date, naming the field when it is not one."""
    if not value:
        return None
    try:
        return date.fromisoformat(value)
    except ValueError as error:
        raise Refusal("bad_date", f"{field} {value!r} is not a YYYY-MM-DD date", field=field,
                      value=value[:40]) from error


def parse_level(value: str, prefix: str, field: str) -> int:
    """Parse a risk level written as R3/C3 or 3 (1 to 5)."""
    digits = value.upper().removeprefix(prefix)
    if digits not in ("1", "2", "3", "4", "5"):
        raise Refusal("bad_level", f"{field} {value!r} must be {prefix}1 to {prefix}5",
                      field=field, value=value[:40], prefix=prefix)
    return int(digits)
