"""One sheet of an .xlsx workbook read as a stream of rows, for SYKE's
all-municipality workbook (hundreds of thousands of rows, tens of megabytes):
openpyxl builds a cell object per cell and takes minutes over it; here the
sheet's XML is fed to expat in chunks and each row is handed on as a list of
plain values, so memory stays flat and the caller keeps only the rows it wants.

Every reader has limits: the file's size, the unpacked size of each part and
its packing ratio (a zip bomb), the number of rows, and the time the read may
take; a DOCTYPE (an entity bomb) is refused. What is held in memory is capped
too, checked while it streams in: the text of one cell or shared string, one
XML tag (expat keeps a tag whole until it ends), the columns of a row, and the
shared string table as a whole. Each breach is an UnusableFile with its own
message naming the limit.
"""

from __future__ import annotations

import io
import posixpath
import re
import time
import zipfile
from collections.abc import Iterator
from xml.parsers import expat

from tracker.spreadsheet import read
from tracker.spreadsheet.read import UnusableFile

MAX_FILE_BYTES = 200 * 1024 * 1024
# What one part may unpack to, and how much smaller than that it may be packed.
# SYKE's DATA sheet is about 150 MB for its ~220 000 rows (309 municipalities ×
# 21 years × 34 sectors, 500-700 bytes a row); this leaves room for three times
# as many rows.
MAX_PART_BYTES = 512 * 1024 * 1024
MAX_PACKING_RATIO = 200
MAX_ROWS = 3_000_000
# A workbook of SYKE's size with every row kept took 15-30 s on a busy
# two-core machine; a read that outlasts this is stopped.
MAX_SECONDS = 120.0
# The text of one cell or shared string (the measures spreadsheet's limit;
# SYKE's longest text is a sector name of a few dozen characters), and of one
# tag with its attributes, or a comment.
MAX_CELL_CHARS = read.MAX_CELL_CHARS
MAX_TAG_BYTES = MAX_CELL_CHARS
# Cells with a value in one row (SYKE's sheet has 14 columns).
MAX_COLUMNS = read.MAX_COLUMNS
# The shared string table is held while the sheet is read: 8 bytes for each
# entry and each distinct string once (with Python's ~60 bytes over its
# characters). SYKE's is a few hundred distinct names, a few MB even if its
# writer repeated a string for every cell that shows it.
MAX_STRINGS_BYTES = 64 * 1024 * 1024
_STRING_OVERHEAD = 60
_CHUNK = 1024 * 1024
_MAIN = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
_RELS = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
_PACKAGE_RELS = "http://schemas.openxmlformats.org/package/2006/relationships"
_COLUMN = re.compile(r"^([A-Z]{1,3})")


def _column_index(reference: str | None, fallback: int) -> int:
    found = _COLUMN.match(reference or "")
    if not found:
        return fallback
    index = 0
    for letter in found[1]:
        index = index * 26 + ord(letter) - 64
    return index - 1


class _Limits:
    def __init__(self, max_rows: int, max_seconds: float):
        self.max_rows = max_rows
        self.deadline = time.monotonic() + max_seconds
        self.max_seconds = max_seconds

    def check(self, rows: int) -> None:
        if rows > self.max_rows:
            raise UnusableFile("too many rows", key="syke.file.too_many_rows", limit=self.max_rows)
        if time.monotonic() > self.deadline:
            raise UnusableFile("too slow", key="syke.file.too_slow", seconds=int(self.max_seconds))


def _text_too_long() -> UnusableFile:
    return UnusableFile("text too long", key="syke.file.text_too_long", limit=MAX_CELL_CHARS // 1024)


def _parser(namespaces: bool) -> expat.XMLParserType:
    parser = expat.ParserCreate(namespace_separator="}") if namespaces else expat.ParserCreate()
    parser.buffer_text = True

    def refuse_doctype(*_args):
        raise UnusableFile("doctype", key="import.file.unreadable")

    parser.StartDoctypeDeclHandler = refuse_doctype
    parser.EntityDeclHandler = refuse_doctype
    return parser


def _open_part(book: zipfile.ZipFile, name: str):
    try:
        info = book.getinfo(name)
    except KeyError:
        raise UnusableFile(name, key="import.file.not_a_table") from None
    if info.file_size > MAX_PART_BYTES or info.file_size > MAX_PACKING_RATIO * max(info.compress_size, 1):
        raise UnusableFile(name, key="syke.file.packed_too_far")
    return book.open(info)


def _feed(parser, handle, limits: _Limits, rows: list) -> Iterator[None]:
    """Parse ``handle`` in chunks; after each chunk the caller takes what ``rows`` gathered."""
    fed = 0
    try:
        while True:
            chunk = handle.read(_CHUNK)
            parser.Parse(chunk, not chunk)
            fed += len(chunk)
            # What expat holds after the last event is a tag (or comment) not yet
            # ended: text inside an element is handed on in pieces, a tag only whole.
            if fed - parser.CurrentByteIndex > MAX_TAG_BYTES:
                raise _text_too_long()
            limits.check(0)
            yield
            if not chunk:
                return
    except expat.ExpatError as exc:
        raise UnusableFile(str(exc), key="import.file.unreadable") from exc
    except (zipfile.BadZipFile, OSError, EOFError) as exc:  # a damaged or truncated part
        raise UnusableFile(str(exc), key="import.file.unreadable") from exc


def _small_part(book: zipfile.ZipFile, name: str, on_start) -> None:
    parser = _parser(namespaces=True)
    parser.StartElementHandler = on_start
    with _open_part(book, name) as handle:
        for _ in _feed(parser, handle, _Limits(MAX_ROWS, MAX_SECONDS), []):
            pass


def sheet_names(book: zipfile.ZipFile) -> dict[str, str]:
    """Sheet name -> the path of its XML part, in the workbook's order."""
    targets: dict[str, str] = {}
    sheets: list[tuple[str, str]] = []

    def on_relationship(name, attrs):
        if name == f"{_PACKAGE_RELS}}}Relationship":
            targets[attrs.get("Id", "")] = attrs.get("Target", "")

    def on_sheet(name, attrs):
        if name == f"{_MAIN}}}sheet":
            sheets.append((attrs.get("name", ""), attrs.get(f"{_RELS}}}id", "")))

    _small_part(book, "xl/_rels/workbook.xml.rels", on_relationship)
    _small_part(book, "xl/workbook.xml", on_sheet)
    paths = {}
    for sheet, relation in sheets:
        target = targets.get(relation)
        if target:
            paths[sheet] = target.lstrip("/") if target.startswith("/") else posixpath.normpath(f"xl/{target}")
    return paths


def _shared_strings(book: zipfile.ZipFile, limits: _Limits) -> list[str]:
    if "xl/sharedStrings.xml" not in book.namelist():
        return []
    strings: list[str] = []
    parts: list[str] = []
    depth = {"in_si": False, "in_t": False, "in_rph": False, "chars": 0, "held": 0}
    # a string repeated in the table is held once
    distinct: dict[str, str] = {}
    parser = _parser(namespaces=True)

    def start(name, _attrs):
        local = name.rpartition("}")[2]
        if local == "si":
            depth["in_si"] = True
            depth["chars"] = 0
            parts.clear()
        elif local == "t" and depth["in_si"] and not depth["in_rph"]:
            depth["in_t"] = True
        elif local == "rPh":  # phonetic hints are not part of the text
            depth["in_rph"] = True

    def end(name):
        local = name.rpartition("}")[2]
        if local == "si":
            depth["in_si"] = False
            joined = "".join(parts)
            held = distinct.get(joined)
            if held is None:
                distinct[joined] = held = joined
                depth["held"] += len(joined) + _STRING_OVERHEAD
            depth["held"] += 8
            if depth["held"] > MAX_STRINGS_BYTES:
                raise UnusableFile(
                    "string table too large", key="syke.file.too_much_text", limit=MAX_STRINGS_BYTES // (1024 * 1024)
                )
            strings.append(held)
        elif local == "t":
            depth["in_t"] = False
        elif local == "rPh":
            depth["in_rph"] = False

    def text(data):
        if depth["in_t"]:
            depth["chars"] += len(data)
            if depth["chars"] > MAX_CELL_CHARS:
                raise _text_too_long()
            parts.append(data)

    parser.StartElementHandler, parser.EndElementHandler, parser.CharacterDataHandler = start, end, text
    with _open_part(book, "xl/sharedStrings.xml") as handle:
        for _ in _feed(parser, handle, limits, []):
            limits.check(len(strings) // 8)
    return strings


def read_rows(
    data: bytes,
    sheet: str,
    *,
    max_rows: int = MAX_ROWS,
    max_seconds: float = MAX_SECONDS,
) -> Iterator[tuple[int, list]]:
    """(row number as Excel shows it, values) of every non-empty row of the sheet named
    ``sheet`` (any case; the only sheet when there is one). Values: str, float for
    numbers, bool, or None. Raises UnusableFile when the file cannot be read within the
    limits, or has no such sheet."""
    if len(data) > MAX_FILE_BYTES:
        raise UnusableFile("too large", key="syke.file.too_large", limit=MAX_FILE_BYTES // (1024 * 1024))
    limits = _Limits(max_rows, max_seconds)
    try:
        book = zipfile.ZipFile(io.BytesIO(data))
    except zipfile.BadZipFile as exc:
        raise UnusableFile(str(exc), key="import.file.unreadable") from exc
    with book:
        paths = sheet_names(book)
        chosen = next((path for name, path in paths.items() if name.strip().lower() == sheet.lower()), None)
        if chosen is None and len(paths) == 1:
            chosen = next(iter(paths.values()))
        if chosen is None:
            raise UnusableFile(sheet, key="syke.file.no_sheet", sheet=sheet, sheets=", ".join(paths)[:200])
        strings = _shared_strings(book, limits)
        yield from _sheet_rows(book, chosen, strings, limits)


def _sheet_rows(book: zipfile.ZipFile, path: str, strings: list[str], limits: _Limits) -> Iterator[tuple[int, list]]:
    done: list[tuple[int, list]] = []
    state = {
        "row": 0, "values": [], "column": 0, "type": None, "text": [], "chars": 0, "in_value": False, "count": 0
    }  # fmt: skip
    parser = _parser(namespaces=False)

    def start(name, attrs):
        if name == "c":
            state["column"] = _column_index(attrs.get("r"), len(state["values"]))
            state["type"] = attrs.get("t")
            state["text"] = []
            state["chars"] = 0
        elif name in ("v", "t"):
            state["in_value"] = True
        elif name == "row":
            try:
                state["row"] = int(attrs.get("r", state["row"] + 1))
            except ValueError:
                raise UnusableFile("row number", key="import.file.unreadable") from None
            state["values"] = []

    def end(name):
        if name in ("v", "t"):
            state["in_value"] = False
        elif name == "c":
            value = _cell_value(state["type"], "".join(state["text"]), strings)
            values = state["values"]
            if value is not None and state["column"] >= MAX_COLUMNS:
                raise UnusableFile("too many columns", key="import.file.too_many_columns", limit=MAX_COLUMNS)
            if value is not None:
                while len(values) < state["column"]:
                    values.append(None)
                if len(values) == state["column"]:
                    values.append(value)
                else:
                    values[state["column"]] = value
        elif name == "row":
            if state["values"]:
                done.append((state["row"], state["values"]))
                state["count"] += 1

    def text(data):
        if state["in_value"]:
            state["chars"] += len(data)
            if state["chars"] > MAX_CELL_CHARS:
                cell = f"{read.column_letters(state['column'])}{state['row']}"
                raise UnusableFile(
                    "cell too long", key="syke.file.cell_too_long", cell=cell, limit=MAX_CELL_CHARS // 1024
                )
            state["text"].append(data)

    parser.StartElementHandler, parser.EndElementHandler, parser.CharacterDataHandler = start, end, text
    with _open_part(book, path) as handle:
        for _ in _feed(parser, handle, limits, done):
            limits.check(state["count"])
            yield from done
            done.clear()


def _cell_value(kind: str | None, text: str, strings: list[str]):
    if kind == "s":
        try:
            return strings[int(text)]
        except (ValueError, IndexError):
            raise UnusableFile(text, key="import.file.unreadable") from None
    if kind in ("inlineStr", "str"):
        return text
    if kind == "b":
        return text.strip() == "1"
    if kind == "e":
        return text  # "#N/A" and its kind: the reader says what it makes of it
    if text == "":
        return None
    try:
        return float(text)
    except ValueError:
        raise UnusableFile(text[:40], key="import.file.unreadable") from None
