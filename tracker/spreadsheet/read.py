"""Step 1 of the import (docs/import-format.md): a .csv or .xlsx file given
as bytes -> its header and raw rows, or ``UnusableFile`` when it cannot be
used at all.

Every reader has limits, checked before the work they bound: the file's size,
an .xlsx archive's declared sizes and compression ratios (a 1 MB "zip bomb"
must not expand into gigabytes of sheet XML), and rows, columns and cell
lengths counted while the rows stream in, so memory stays bounded whatever
the file holds. A cell that breaks a rule (a NUL character, more than
``MAX_CELL_CHARS`` characters) is not refused here: it becomes a ``BadCell``
that the plan reports by row and column.
"""

from __future__ import annotations

import csv
import io
import zipfile
from dataclasses import dataclass
from pathlib import Path
from xml.etree import ElementTree

from tracker import rules
from tracker.errors import UserError
from tracker.spreadsheet import cells, sheet_format

# The limits (docs/import-format.md "Limits"). A real programme has a few
# hundred measures; these are far above any real file and far below what
# would hold the server.
MAX_FILE_BYTES = 20 * 1024 * 1024
MAX_ROWS = 50_000
MAX_COLUMNS = 100
MAX_CELL_CHARS = 128 * 1024
MAX_CELLS = 1_000_000  # filled cells of a file (and strings of an .xlsx string table)
# .xlsx: what the archive may expand to, by its own declaration (Python's
# zipfile never returns more than a member declares), and how far one member
# may expand beyond its compressed size.
MAX_XLSX_EXPANDED_BYTES = 256 * 1024 * 1024
MAX_XLSX_MEMBERS = 1000
MAX_XLSX_RATIO = 200
_RATIO_FROM_BYTES = 1024 * 1024  # small members (styles, settings) may compress better

# A file whose first 4 KB are this share control characters is binary, not a table.
_BINARY_SHARE = 0.1
_CONTROL = {chr(c) for c in range(32) if chr(c) not in "\t\n\r"}

# The csv module refuses a field over its limit with an error that names no
# row; read the whole field and report an over-long cell by row and column.
csv.field_size_limit(max(csv.field_size_limit(), MAX_FILE_BYTES + 1))


class UnusableFile(UserError):
    """The file cannot be used at all (exit code 2): unreadable, not a table,
    too large, or a required column missing."""

    key = "import.file.unreadable"


@dataclass
class Table:
    headers: list[str]
    # (row number as Excel shows it, raw cell values in header order)
    rows: list[tuple[int, list]]


def _bad_or_value(value):
    """The cell as read, or a BadCell when it breaks a rule no column may break."""
    if isinstance(value, str):
        if len(value) > MAX_CELL_CHARS:
            return cells.BadCell("import.cell.oversized", {"max": MAX_CELL_CHARS // 1024})
        if "\x00" in value:
            return cells.BadCell("import.cell.nul", {})
        if rules.CONTROL_CHARACTERS.search(value):
            return cells.BadCell("import.cell.control_character", {})
    return value


def _trimmed(values: list) -> list:
    """The row without its empty cells at the end."""
    end = len(values)
    while end and cells.is_empty(values[end - 1]):
        end -= 1
    return values[:end]


class _Rows:
    """Collects the header and rows of a stream, with the row and column caps."""

    def __init__(self):
        self.header: list[str] | None = None
        self.rows: list[tuple[int, list]] = []
        self.filled = 0

    def add(self, number: int, values: list) -> None:
        values = _trimmed(values)
        if len(values) > MAX_COLUMNS:
            raise UnusableFile("too many columns", key="import.file.too_many_columns", limit=MAX_COLUMNS)
        if self.header is None:
            self.header = [_header_text(v) for v in values]
            return
        if not values:
            return
        if number - 1 > MAX_ROWS:
            raise UnusableFile("too many rows", key="import.file.too_many_rows", limit=MAX_ROWS)
        self.filled += sum(not cells.is_empty(value) for value in values)
        if self.filled > MAX_CELLS:
            raise UnusableFile("too many cells", key="import.file.too_many_cells", limit=MAX_CELLS)
        self.rows.append((number, [_bad_or_value(v) for v in values]))

    def table(self) -> Table:
        if self.header is None:
            raise UnusableFile("empty file", key="import.file.empty")
        return Table(self.header, self.rows)


def _header_text(value) -> str:
    value = _bad_or_value(value)
    if isinstance(value, cells.BadCell):
        raise UnusableFile("bad header", key="import.file.not_a_table")
    try:
        return "" if value is None else str(cells.text(value) or "")
    except cells.CellError as exc:
        raise UnusableFile(str(exc), key="import.file.not_a_table") from exc


# -- CSV --


def _decode(data: bytes) -> str:
    if data.startswith(b"\xef\xbb\xbf"):
        return data[3:].decode("utf-8", errors="replace")
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        return data.decode("utf-16", errors="replace")
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        pass
    try:
        return data.decode("cp1252")
    except UnicodeDecodeError:
        # Five bytes are undefined in Windows-1252; Latin-1 reads them as C1 controls.
        return data.decode("latin-1")


def _looks_binary(text: str) -> bool:
    sample = text[:4096]
    return bool(sample) and sum(ch in _CONTROL for ch in sample) / len(sample) > _BINARY_SHARE


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
    if _looks_binary(text):
        raise UnusableFile("binary file", key="import.file.not_a_table")
    delimiter = _detect_delimiter(text)
    collected = _Rows()
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    try:
        for number, record in enumerate(reader, start=1):
            collected.add(number, record)
    except csv.Error as exc:
        raise UnusableFile(str(exc), key="import.file.not_a_table") from exc
    return collected.table()


# -- XLSX --


def check_archive(archive: zipfile.ZipFile) -> None:
    """Refuse an archive whose members declare more than the limits allow,
    before a byte of it is expanded."""
    members = archive.infolist()
    if len(members) > MAX_XLSX_MEMBERS:
        raise UnusableFile("too many members", key="import.file.xlsx_too_large")
    total = 0
    for member in members:
        total += member.file_size
        expands = member.file_size > _RATIO_FROM_BYTES and member.file_size > MAX_XLSX_RATIO * max(
            member.compress_size, 1
        )
        if expands or total > MAX_XLSX_EXPANDED_BYTES:
            raise UnusableFile(member.filename, key="import.file.xlsx_too_large")


_MAIN = "{http://schemas.openxmlformats.org/spreadsheetml/2006/main}"
_ROW, _CELL, _VALUE = f"{_MAIN}row", f"{_MAIN}c", f"{_MAIN}v"
_TEXT, _PHONETIC, _SHEET_DATA = f"{_MAIN}t", f"{_MAIN}rPh", f"{_MAIN}sheetData"


def _open_workbook(data: bytes):
    """(openpyxl's reader with the workbook and its styles read, [(sheet name, path
    in the archive)]). Worksheets and shared strings are read here instead:
    openpyxl reads a whole worksheet when it names no dimension, and spends
    tens of microseconds on each cell; openpyxl is pinned, its reader's steps
    are called one by one."""
    from openpyxl.reader.excel import ExcelReader
    from openpyxl.styles.stylesheet import apply_stylesheet

    reader = ExcelReader(io.BytesIO(data), read_only=True, data_only=True, keep_links=False)
    reader.read_manifest()
    reader.read_workbook()
    apply_stylesheet(reader.archive, reader.wb)
    sheets = [
        (sheet.name, rel.target)
        for sheet, rel in reader.parser.find_sheets()
        if rel.target in reader.valid_files and "chartsheet" not in rel.Type
    ]
    return reader, sheets


def _text_of(element) -> str:
    """A string item's text: its runs joined, phonetic hints left out."""
    if element.tag == _TEXT:
        return element.text or ""
    return "".join(_text_of(child) for child in element if child.tag != _PHONETIC)


def _shared_strings(reader) -> list[str]:
    from openpyxl.xml.constants import SHARED_STRINGS

    found = reader.package.find(SHARED_STRINGS)
    if found is None:
        return []
    strings: list[str] = []
    with reader.archive.open(found.PartName[1:]) as source:
        for _event, element in ElementTree.iterparse(source):
            if element.tag == f"{_MAIN}si":
                strings.append(_text_of(element))
                element.clear()
                if len(strings) > MAX_CELLS:
                    raise UnusableFile("too many strings", key="import.file.xlsx_too_large")
    return strings


def _column_number(reference: str) -> int:
    number = 0
    for char in reference:
        if not char.isalpha():
            break
        number = number * 26 + ord(char.upper()) - 64
    return number


def column_letters(index: int) -> str:
    """A spreadsheet column's letters from its 0-based index (0 -> A, 26 -> AA)."""
    name = ""
    index += 1
    while index:
        index, rest = divmod(index - 1, 26)
        name = chr(65 + rest) + name
    return name


class _CellReader:
    """The value of a sheet's ``<c>`` element as openpyxl gives it with
    ``data_only``: text, a number, a date (a number in a date format), a
    boolean; a number in a percent format as Percent."""

    def __init__(self, book, strings: list[str]):
        from openpyxl.styles.numbers import BUILTIN_FORMATS, BUILTIN_FORMATS_MAX_SIZE

        self.book, self.strings = book, strings
        self.dates, self.durations = book._date_formats, book._timedelta_formats
        self.percents = set()
        for style_id, style in enumerate(book._cell_styles):
            number_format = (
                BUILTIN_FORMATS.get(style.numFmtId, "")
                if style.numFmtId < BUILTIN_FORMATS_MAX_SIZE
                else book._number_formats[style.numFmtId - BUILTIN_FORMATS_MAX_SIZE]
            )
            if "%" in (number_format or ""):
                self.percents.add(style_id)

    def value(self, element):
        from openpyxl.utils.datetime import from_excel, from_ISO8601

        kind = element.get("t", "n")
        if kind == "inlineStr":
            found = element.find(f"{_MAIN}is")
            return None if found is None else _text_of(found)
        raw = element.findtext(_VALUE)
        if raw is None or raw == "":
            return None
        if kind == "s":
            return self.strings[int(raw)]
        if kind in ("str", "e"):
            return raw
        if kind == "b":
            return raw.strip() not in ("0", "false")
        if kind == "d":
            return from_ISO8601(raw)
        number = float(raw) if any(mark in raw for mark in ".eE") else int(raw)
        style = int(element.get("s", 0))
        if style in self.dates:
            try:
                return from_excel(number, self.book.epoch, timedelta=style in self.durations)
            except (OverflowError, ValueError):
                return raw
        if style in self.percents:
            return cells.Percent(float(number))
        return number


def _sheet_rows(reader, path: str):
    """(row number, [(column number, value)]) of every row the sheet's XML
    holds, as it streams: no gap is filled in, so a row numbered 1 000 000
    costs nothing; each row is dropped from the tree once read."""
    values = _CellReader(reader.wb, _shared_strings(reader))
    number = 0
    with reader.archive.open(path) as source:
        rows_parent = None
        for event, element in ElementTree.iterparse(source, events=("start", "end")):
            if event == "start":
                if element.tag == _SHEET_DATA:
                    rows_parent = element
                continue
            if element.tag != _ROW:
                continue
            number = int(element.get("r", number + 1))
            row, column = [], 0
            for cell in element.iter(_CELL):
                reference = cell.get("r")
                column = _column_number(reference) if reference else column + 1
                row.append((column, values.value(cell)))
            yield number, row
            if rows_parent is not None:
                rows_parent.remove(element)


def _read_xlsx(data: bytes) -> Table:
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            check_archive(archive)
    except zipfile.BadZipFile as exc:
        raise UnusableFile(str(exc), key="import.file.unreadable") from exc
    try:
        reader, sheets = _open_workbook(data)
    except Exception as exc:  # openpyxl raises many kinds for a broken workbook
        raise UnusableFile(str(exc), key="import.file.unreadable") from exc
    try:
        if not sheets:
            raise UnusableFile("no sheets", key="import.file.not_a_table")
        wanted = {name.lower() for name in sheet_format.SHEET_NAMES.values()}
        path = next((path for name, path in sheets if name.strip().lower() in wanted), sheets[0][1])
        collected = _Rows()
        for number, row in _sheet_rows(reader, path):
            values: list = []
            for column, value in row:
                if isinstance(value, str) and value[:1] == "'":
                    # A CSV from the exporter carries an apostrophe before text Excel would
                    # take for a formula (or that starts with one), and the cell parsers
                    # take it off; an .xlsx cell carries no such guard, so its own is kept.
                    value = "'" + value
                if column > MAX_COLUMNS:
                    if not cells.is_empty(value):
                        raise UnusableFile("too many columns", key="import.file.too_many_columns", limit=MAX_COLUMNS)
                    continue
                values.extend([None] * (column - len(values)))
                values[column - 1] = value
            if collected.header is None and number > 1:
                collected.add(1, [])  # the header row is row 1, even when the sheet leaves it out
            collected.add(number, values)
        return collected.table()
    except UnusableFile:
        raise
    except (cells.CellError, ValueError, KeyError, TypeError, zipfile.BadZipFile, EOFError) as exc:
        raise UnusableFile(str(exc), key="import.file.unreadable") from exc
    finally:
        reader.archive.close()


def read_table(data: bytes, file_name: str = "") -> Table:
    """The header and rows of a .csv or .xlsx file given as bytes."""
    if not data:
        raise UnusableFile("empty file", key="import.file.empty")
    if len(data) > MAX_FILE_BYTES:
        raise too_large(len(data))
    if data.startswith(b"PK\x03\x04"):
        if not zipfile.is_zipfile(io.BytesIO(data)):
            raise UnusableFile("broken zip", key="import.file.unreadable")
        return _read_xlsx(data)
    if data.startswith(b"\xd0\xcf\x11\xe0") or file_name.lower().endswith(".xls"):
        raise UnusableFile("old Excel format", key="import.file.old_excel")
    return _read_csv(data)


def too_large(size: int) -> UnusableFile:
    return UnusableFile(
        "too large",
        key="import.file.too_large",
        size=round(size / 1024 / 1024, 1),
        limit=MAX_FILE_BYTES // (1024 * 1024),
    )


def read_path(path: str | Path) -> tuple[bytes, str]:
    """The bytes and name of a file on disk; its size is checked before it is read."""
    path = Path(path)
    try:
        size = path.stat().st_size
        if size > MAX_FILE_BYTES:
            raise too_large(size)
        return path.read_bytes(), path.name
    except OSError as exc:
        raise UnusableFile(str(exc), key="import.file.unreadable") from exc
