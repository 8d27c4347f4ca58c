"""Step 1 of the import (docs/import-format.md): a .csv or .xlsx file given
as bytes -> its header and raw rows, or ``UnusableFile`` when it cannot be
used at all."""

from __future__ import annotations

import csv
import io
import zipfile
from dataclasses import dataclass

from tracker.errors import UserError
from tracker.spreadsheet import cells, sheet_format


class UnusableFile(UserError):
    """The file cannot be used at all (exit code 2): unreadable, not a table,
    or a required column missing."""

    key = "import.file.unreadable"


@dataclass
class Table:
    headers: list[str]
    # (row number as Excel shows it, raw cell values in header order)
    rows: list[tuple[int, list]]


def _decode(data: bytes) -> str:
    if data.startswith(b"\xef\xbb\xbf"):
        return data[3:].decode("utf-8")
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        return data.decode("utf-16")
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        pass
    try:
        return data.decode("cp1252")
    except UnicodeDecodeError:
        # Five bytes are undefined in Windows-1252; Latin-1 reads them as C1 controls.
        return data.decode("latin-1")


def _detect_delimiter(text: str) -> str:
    first_line = text.split("\n", 1)[0]
    best, best_count = ";", 1
    for delimiter in (";", "\t", ","):
        try:
            count = len(next(csv.reader([first_line], delimiter=delimiter)))
        except (csv.Error, StopIteration):
            continue
        if count > best_count:
            best, best_count = delimiter, count
    return best


def _read_csv(data: bytes) -> Table:
    text = _decode(data)
    if "\x00" in text:
        raise UnusableFile("binary file", key="import.file.not_a_table")
    delimiter = _detect_delimiter(text)
    try:
        records = list(csv.reader(io.StringIO(text, newline=""), delimiter=delimiter))
    except csv.Error as exc:
        raise UnusableFile(str(exc), key="import.file.not_a_table") from exc
    if not records:
        raise UnusableFile("empty file", key="import.file.empty")
    header, *rest = records
    return Table([h.strip() for h in header], [(number, row) for number, row in enumerate(rest, start=2)])


def _cell_value(cell):
    value = cell.value
    if isinstance(value, (int, float)) and not isinstance(value, bool) and "%" in (cell.number_format or ""):
        return cells.Percent(float(value))
    return value


def _read_xlsx(data: bytes) -> Table:
    from openpyxl import load_workbook

    try:
        book = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except Exception as exc:  # openpyxl raises many kinds for a broken workbook
        raise UnusableFile(str(exc), key="import.file.unreadable") from exc
    try:
        wanted = {name.lower() for name in sheet_format.SHEET_NAMES.values()}
        sheet = next((s for s in book.worksheets if s.title.strip().lower() in wanted), None)
        if sheet is None:
            if not book.worksheets:
                raise UnusableFile("no sheets", key="import.file.not_a_table")
            sheet = book.worksheets[0]
        rows = []
        header: list[str] | None = None
        for number, row in enumerate(sheet.iter_rows(min_row=1), start=1):
            values = [_cell_value(c) for c in row]
            if header is None:
                header = ["" if v is None else str(cells.text(v) or "") for v in values]
                continue
            rows.append((number, values))
        if header is None:
            raise UnusableFile("empty sheet", key="import.file.empty")
        return Table(header, rows)
    except cells.CellError as exc:
        raise UnusableFile(str(exc), key="import.file.not_a_table") from exc
    finally:
        book.close()


def read_table(data: bytes, file_name: str = "") -> Table:
    """The header and rows of a .csv or .xlsx file given as bytes."""
    if not data:
        raise UnusableFile("empty file", key="import.file.empty")
    if data.startswith(b"PK\x03\x04"):
        if not zipfile.is_zipfile(io.BytesIO(data)):
            raise UnusableFile("broken zip", key="import.file.unreadable")
        return _read_xlsx(data)
    if data.startswith(b"\xd0\xcf\x11\xe0") or file_name.lower().endswith(".xls"):
        raise UnusableFile("old Excel format", key="import.file.old_excel")
    return _read_csv(data)
