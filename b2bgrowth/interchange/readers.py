"""Read an import file into a header and numbered rows, whatever Excel or a script wrote.

CSV: UTF-8 with or without BOM, or GBK/GB18030 as Chinese Excel saves "CSV (逗号分隔)"; the
encoding is detected by trying UTF-8 first (a GBK file with Chinese text is almost never
valid UTF-8) and falling back to GB18030, a superset of GBK. XLSX: the first sheet, read in
openpyxl's streaming mode; cells keep their native types (numbers, dates).

Line numbers are the row numbers a spreadsheet shows: the header is line 1. Strings are
trimmed and empty cells become None; rows that are entirely empty are skipped.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from b2bgrowth.errors import FileUnreadable

CSV_SUFFIXES = (".csv", ".txt")
XLSX_SUFFIXES = (".xlsx", ".xlsm")


@dataclass
class Table:
    headers: list[str]
    rows: list[tuple[int, list[Any]]]  # (line number, cells aligned with headers)
    encoding: str | None = None  # for CSV: the encoding that was detected


def read_table(path: Path) -> Table:
    path = Path(path)
    if not path.is_file():
        raise FileUnreadable(f"{path}: no such file")
    suffix = path.suffix.lower()
    if suffix in XLSX_SUFFIXES:
        return _read_xlsx(path)
    if suffix in CSV_SUFFIXES:
        return _read_csv(path)
    raise FileUnreadable(f"{path}: unsupported file type {suffix or '(none)'}; use .csv or .xlsx")


def decode_text(data: bytes) -> tuple[str, str]:
    """The text of a CSV file and the encoding it was in (utf-8-sig or gb18030)."""
    try:
        return data.decode("utf-8-sig"), "utf-8-sig"
    except UnicodeDecodeError:
        pass
    try:
        return data.decode("gb18030"), "gb18030"
    except UnicodeDecodeError as exc:
        raise FileUnreadable(f"the file is neither UTF-8 nor GBK/GB18030 text (byte {exc.start})") from None


def _read_csv(path: Path) -> Table:
    text, encoding = decode_text(path.read_bytes())
    reader = csv.reader(io.StringIO(text, newline=""))
    try:
        records = _numbered_text(reader)
        headers = _header(next(records, None), path)
        rows = list(records)
    except csv.Error as exc:
        raise FileUnreadable(f"{path}: not a readable CSV file ({exc})") from None
    return Table(headers, rows, encoding)


def _read_xlsx(path: Path) -> Table:
    from openpyxl import load_workbook

    try:
        workbook = load_workbook(path, read_only=True, data_only=True)
    except Exception as exc:  # openpyxl raises many kinds for a broken file
        raise FileUnreadable(f"{path}: not a readable XLSX file ({exc})") from None
    try:
        sheet = workbook.worksheets[0]
        records = _numbered(sheet.iter_rows(values_only=True))
        headers = _header(next(records, None), path)
        rows = list(records)
    finally:
        workbook.close()
    return Table(headers, rows)


def _numbered(records) -> Iterator[tuple[int, list[Any]]]:
    for line, record in enumerate(records, start=1):
        cells = [_clean(v) for v in record]
        if line > 1 and all(c is None for c in cells):
            continue
        yield line, cells


def _numbered_text(records) -> Iterator[tuple[int, list[Any]]]:
    """_numbered for CSV, where every cell is a string (the hot loop of a large import)."""
    for line, record in enumerate(records, start=1):
        cells = [v.strip() or None for v in record]
        if line > 1 and not any(cells):
            continue
        yield line, cells


def _clean(value: Any) -> Any:
    if isinstance(value, str):
        value = value.strip()
        return value or None
    return value


def _header(first: tuple[int, list[Any]] | None, path: Path) -> list[str]:
    if first is None or all(c is None for c in first[1]):
        raise FileUnreadable(f"{path}: the file is empty (line 1 must be the header)")
    headers = ["" if c is None else str(c).lstrip("\ufeff").strip() for c in first[1]]
    while headers and headers[-1] == "":
        headers.pop()  # Excel often leaves empty trailing header cells
    return headers
