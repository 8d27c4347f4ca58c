"""The probe's hostile inputs (issue 17), kept in the suite: .xlsx files that
expand far beyond their size or hold a million rows, big CSV files, the
long adversarial lines that once made the decision reader's regular
expressions take minutes, and tiny PDFs that took the reader minutes to read.
Each is generated, never stored."""

from __future__ import annotations

import io
import zipfile
import zlib
from pathlib import Path

from tests.spreadsheet_files import HEADER_FI, xlsx_bytes
from tracker.spreadsheet.read import column_letters

_SHEET = "xl/worksheets/sheet1.xml"
_SHEET_HEAD = (
    b'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
    b'<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>'
)
_SHEET_TAIL = b"</sheetData></worksheet>"


def _cell(row: int, column: int, text: str) -> bytes:
    return f'<c r="{column_letters(column)}{row}" t="inlineStr"><is><t>{text}</t></is></c>'.encode()


def _header_row() -> bytes:
    return b'<row r="1">' + b"".join(_cell(1, i, name) for i, name in enumerate(HEADER_FI)) + b"</row>"


def xlsx_with_sheet(rows, *, level: int = 6) -> bytes:
    """A workbook openpyxl reads, whose first sheet's XML is the header row and
    then the ``rows`` chunks (bytes), streamed into the archive."""
    template = zipfile.ZipFile(io.BytesIO(xlsx_bytes([])))
    target = io.BytesIO()
    with zipfile.ZipFile(target, "w", zipfile.ZIP_DEFLATED, compresslevel=level) as archive:
        for member in template.infolist():
            if member.filename == _SHEET:
                with archive.open(_SHEET, "w", force_zip64=True) as sheet:
                    sheet.write(_SHEET_HEAD + _header_row())
                    for chunk in rows:
                        sheet.write(chunk)
                    sheet.write(_SHEET_TAIL)
            else:
                archive.writestr(member, template.read(member))
    return target.getvalue()


def zip_bomb_xlsx(expanded_mb: int = 400) -> bytes:
    """An .xlsx of about 1 MB whose sheet expands to ``expanded_mb`` MB of XML
    (the probe's 1.1 MB file expanded to 378 MB and took the server to 840 MB)."""
    row = b'<row r="2">' + b"".join(_cell(2, i, "A" * 20) for i in range(6)) + b"</row>"
    chunk = row * 2000
    return xlsx_with_sheet((chunk for _ in range(expanded_mb * 1024 * 1024 // len(chunk))), level=9)


def many_rows_xlsx(rows: int = 1_000_000) -> bytes:
    """An .xlsx with ``rows`` valid measure rows, each different (so it compresses
    as real data does, not as a bomb)."""

    def chunks():
        for start in range(2, rows + 2, 10_000):
            parts = []
            for row in range(start, min(start + 10_000, rows + 2)):
                code = f"{row // 100}.{row % 100}"
                parts.append(
                    f'<row r="{row}">'.encode()
                    + _cell(row, 0, code)
                    + _cell(row, 1, f"Teema {row % 7}")
                    + _cell(row, 2, f"Toimenpide {row * 7919 % 1000003}")
                    + _cell(row, 5, "Käynnissä")
                    + b"</row>"
                )
            yield b"".join(parts)

    return xlsx_with_sheet(chunks(), level=1)


def far_row_xlsx(row_number: int = 1_048_576) -> bytes:
    """A one-measure .xlsx with one more cell far below, at row ``row_number``."""
    measure = b'<row r="2">' + _cell(2, 0, "1.1") + _cell(2, 1, "Energia") + _cell(2, 2, "A") + _cell(2, 5, "Valmis")
    far = f'<row r="{row_number}">'.encode() + _cell(row_number, 0, "9.9") + b"</row>"
    return xlsx_with_sheet([measure + b"</row>", far])


def many_rows_csv(path: Path, rows: int) -> Path:
    """A CSV with ``rows`` valid measure rows (about 60 bytes each)."""
    with path.open("w", encoding="utf-8", newline="") as handle:
        handle.write(";".join(HEADER_FI) + "\r\n")
        for row in range(rows):
            handle.write(f"{row // 100}.{row % 100};Teema;Toimenpide {row};;;Käynnissä;;;;;;;;;\r\n")
    return path


def big_csv(path: Path, megabytes: int) -> Path:
    """A CSV of ``megabytes`` MB: the header, then rows of one error each."""
    line = "1.1;Energia;" + "x" * 80 + ";;;Kaput;;;;;;;;;\r\n"
    with path.open("w", encoding="utf-8", newline="") as handle:
        handle.write(";".join(HEADER_FI) + "\r\n")
        for _ in range(megabytes * 1024 * 1024 // len(line)):
            handle.write(line)
    return path


def slow_pdf(pages: int = 10, megabytes: float = 5, *, shared: bool = True) -> bytes:
    """A PDF of ``pages`` pages that show ``megabytes`` MB of empty text operations
    (``BT /F1 12 Tf () Tj ET``), packed to a few KB: the audit's 14 KB file (10 pages
    sharing one 5 MB stream) took 57 s of CPU and 300 MB to read. ``shared``: every
    page shows the same content stream; otherwise each page has its own."""
    operation = b"BT /F1 12 Tf () Tj ET\n"
    content = operation * int(megabytes * 1024 * 1024 // len(operation))
    streams = 1 if shared else pages
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [" + b" ".join(b"%d 0 R" % (4 + streams + i) for i in range(pages)) + b"]"
        b" /Count %d >>" % pages,
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
    ]
    for number in range(streams):
        packed = zlib.compress(content + b"%% %d\n" % number, 9)  # a comment makes each stream its own
        objects.append(b"<< /Length %d /Filter /FlateDecode >>\nstream\n%s\nendstream" % (len(packed), packed))
    for number in range(pages):
        objects.append(
            b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Resources << /Font << /F1 3 0 R >> >>"
            b" /Contents %d 0 R >>" % (4 + (0 if shared else number))
        )
    out = bytearray(b"%PDF-1.4\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += b"%d 0 obj\n%s\nendobj\n" % (number, body)
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    out += b"".join(b"%010d 00000 n \n" % offset for offset in offsets)
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (len(objects) + 1, xref)
    return bytes(out)


# -- the decision reader's adversarial lines: each made one regular expression
# take time that grew with the square of the line's length --

ADVERSARIAL_LINES = {
    "letters": lambda n: "A" * n,  # the probe: 16 000 × "A" took 21 s
    "lower letters": lambda n: "a" * n,
    "spaces before a date": lambda n: " " * n + "10.1.2022",  # the probe: 8 000 spaces, 22 s
    "spaces before a verb": lambda n: "Kaupunginhallitus" + " " * n + "päätti",
    "hyphenated word": lambda n: "A" + "-a" * (n // 2),
    "digits": lambda n: "1" * n,
    "digit groups": lambda n: "1 000 " * (n // 6),
    "years": lambda n: "2022, " * (n // 6),
    "dates": lambda n: "1.1.2022 " * (n // 9),
    "section signs": lambda n: "§ 1 " * (n // 4),
    "words ending in a body": lambda n: "Kaupunginhallitus " * (n // 18),
    "capitalised words": lambda n: "Ab " * (n // 3),
    "line breaks": lambda n: "A\n" * (n // 2),
    "blank lines": lambda n: "\n \n" * (n // 3),
    "tabs": lambda n: "\t" * n,
    "amount words": lambda n: "1 200 euroa " * (n // 12),
    "cost centres": lambda n: "kustannuspaikka 1275 " * (n // 21),
    "quotes": lambda n: "toimenpide 6.1 '" + "a" * n,
}
