"""Reading the bank's extracts as a stream of rows: CSV (UTF-8 with or without BOM, GBK/
GB18030) or an Excel workbook (.xlsx, read-only), never the whole file in memory.

The encoding is settled by one pass over the bytes (which also gives the file's SHA-256) before
any row is read, so a GBK file is never half-read as UTF-8.
"""

import codecs
import csv
import hashlib
import io
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import IO, Any

from openpyxl import load_workbook

from bot.phone_cipher import PhoneCipher
from crm_core.db import make_engine, make_session_factory
from crm_core.services import ImportRejected, RowError
from crm_core.services.classification import ExtractFile
from crm_core.unit_of_work import SqlUnitOfWork

_WORKBOOK = b"PK\x03\x04"
_OLE = b"\xd0\xcf\x11\xe0"
CHUNK = 1 << 20


@dataclass(frozen=True)
class Peek:
    """What one pass over a file's bytes tells: its digest, kind and text encoding."""

    sha256: str
    workbook: bool
    encoding: str | None
    size: int


def peek(path: Path) -> Peek:
    """Hash a file and find its encoding (utf-8-sig, gb18030) or that it is a workbook."""
    digest, size = hashlib.sha256(), 0
    decoders = {name: codecs.getincrementaldecoder(name)() for name in ("utf-8-sig", "gb18030")}
    with path.open("rb") as handle:
        head = handle.read(4)
        handle.seek(0)
        while chunk := handle.read(CHUNK):
            digest.update(chunk)
            size += len(chunk)
            decoders = _still_decoding(decoders, chunk)
    workbook = head.startswith(_WORKBOOK)
    if head.startswith(_OLE):
        raise ImportRejected([RowError(0, "an old .xls workbook", "old_workbook")])
    encoding = next(iter(decoders), None)
    if not workbook and encoding is None:
        raise ImportRejected([RowError(0, "neither UTF-8 nor GBK/GB18030", "encoding")])
    return Peek(digest.hexdigest(), workbook, encoding, size)


def _still_decoding(decoders: dict[str, codecs.IncrementalDecoder],
                    chunk: bytes) -> dict[str, codecs.IncrementalDecoder]:
    alive = {}
    for name, decoder in decoders.items():
        try:
            decoder.decode(chunk)
        except UnicodeDecodeError:
            continue
        alive[name] = decoder
    return alive


@contextmanager
def open_extract(path: Path, filename: str,
                 on_bytes: Callable[[int], None] | None = None) -> Iterator[ExtractFile]:
    """Yield a file's extract, its rows streamed as they are read; closed after the block."""
    found = peek(path)
    if found.workbook:
        book = load_workbook(path, read_only=True, data_only=True)
        try:
            yield ExtractFile(filename, found.sha256, *_sheet(book))
        finally:
            book.close()
        return
    with path.open("rb") as handle, io.TextIOWrapper(
            handle, encoding=found.encoding or "utf-8-sig", newline="") as text:
        reader = csv.reader(text)
        header = next(reader, None)
        if header is None:
            raise ImportRejected([RowError(0, "no rows", "empty_file")])
        yield ExtractFile(filename, found.sha256, header, _numbered(reader, handle, on_bytes))


def _numbered(reader: Any, handle: IO[bytes],
              on_bytes: Callable[[int], None] | None) -> Iterator[tuple[int, Sequence[str]]]:
    start = 2  # the header is line 1
    for record in reader:
        if any(record):
            yield start, record
        start = reader.line_num + 1
        if on_bytes is not None and not start % 20000:  # about every 20,000 lines
            on_bytes(handle.tell())


def _sheet(book: Any) -> tuple[Sequence[str], Iterator[tuple[int, Sequence[str]]]]:
    rows = book.worksheets[0].iter_rows(values_only=True)
    header = next(rows, None)
    if header is None:
        raise ImportRejected([RowError(0, "no rows", "empty_file")])
    return [_cell(v) for v in header], _sheet_rows(rows)


def _sheet_rows(rows: Iterator[tuple[object, ...]]) -> Iterator[tuple[int, Sequence[str]]]:
    for line, values in enumerate(rows, 2):
        cells = [_cell(v) for v in values]
        if any(cells):
            yield line, cells


def _cell(value: object) -> str:
    # Excel keeps a customer number typed as a number as a float: 12345678.0 → "12345678".
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return "" if value is None else str(value).strip()


class FileKeys:
    """The keyed hashes of an extract's numbers, by the service's phone cipher."""

    def __init__(self, cipher: PhoneCipher) -> None:
        self.digest, self.customer_key = cipher.phone_key, cipher.customer_key


@contextmanager
def batch_work(url: str) -> Iterator[SqlUnitOfWork]:
    """Open a unit of work for a long import: its own engine, without the request timeouts
    (a million rows outlast the per-statement cut a customer's message must respect)."""
    engine = make_engine(url)
    try:
        with SqlUnitOfWork(make_session_factory(engine)) as uow:
            yield uow
    finally:
        engine.dispose()
