"""Export a programme as the measures spreadsheet (the same columns the
importer reads, so export -> import -> export gives the same data), the empty
template, and the whole database as Parquet files in a zip for analysts."""

from __future__ import annotations

import csv
import io
import tempfile
import zipfile
from datetime import date
from decimal import Decimal
from pathlib import Path

import duckdb

from tracker import db
from tracker.errors import NotFound, UserError
from tracker.formulas import is_dangerous, neutralise
from tracker.spreadsheet import importer, sheet_format

# Columns an analyst never needs and nobody should carry around in a zip.
SECRET_COLUMN_WORDS = ("password", "secret", "token", "salt")
CSV_MIME = "text/csv"
XLSX_MIME = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
SHEET_TEMPLATE_NAMES = {"fi": "toimenpiteet_pohja", "sv": "atgarder_mall", "en": "measures_template"}


def programme_id_by_name(con: duckdb.DuckDBPyConnection, name: str) -> int:
    """The programme called ``name`` in any of its languages."""
    cur = con.cursor()
    try:
        found = importer.find_programme(cur, name)
    finally:
        cur.close()
    if found is None:
        raise NotFound(name, key="export.programme_not_found", name=name)
    return found[0]


def measure_rows(con: duckdb.DuckDBPyConnection, programme_id: int, lang: str = "fi") -> list[dict]:
    """The spreadsheet rows as typed values (str, int, date, Decimal, bool), keyed by column."""
    frame = db.query(con, "export_measure_rows", programme_id=programme_id, lang=lang)
    rows = []
    for record in frame.astype(object).where(frame.notna(), None).to_dict("records"):
        centre = record.pop("cost_centre_code")
        centre_name = record.pop("cost_centre_name")
        record["cost_centre"] = None if centre is None else (f"{centre} {centre_name}" if centre_name else centre)
        for key in ("start", "end"):
            value = record[key]
            record[key] = value.date() if hasattr(value, "date") and not isinstance(value, date) else value
        for key in ("planned", "actual", *sheet_format.FRAMEWORK_DECIMAL_KEYS):
            if record[key] is not None:
                record[key] = Decimal(str(record[key])).quantize(Decimal("0.01"))
        for key in ("progress", "year"):
            if record[key] is not None:
                record[key] = int(record[key])
        rows.append({key: record[key] for key in sheet_format.COLUMNS})
    return rows


def _csv_cell(key: str, value, lang: str) -> str:
    if value is None:
        return ""
    if key == "status":
        return sheet_format.status_label(value, lang)
    if key in ("continuous", "public"):
        return sheet_format.YES_NO[lang][0 if value else 1]
    if isinstance(value, date):
        return f"{value.day}.{value.month}.{value.year}"
    if isinstance(value, Decimal):
        return f"{value:.2f}".replace(".", ",")
    if isinstance(value, int):
        return str(value)
    text = str(value)
    if text[:1] == "'":
        # The importer takes one apostrophe off text that starts with two: give it one to take.
        return "'" + text
    return neutralise(text)


def to_csv(rows: list[dict], lang: str = "fi") -> bytes:
    """UTF-8 with BOM, ``;`` and decimal comma: Finnish Excel opens it as it is."""
    buffer = io.StringIO(newline="")
    writer = csv.writer(buffer, delimiter=";", lineterminator="\r\n")
    writer.writerow(sheet_format.headers(lang))
    for row in rows:
        writer.writerow([_csv_cell(key, row[key], lang) for key in sheet_format.COLUMNS])
    return ("\ufeff" + buffer.getvalue()).encode("utf-8")


_WIDTHS = {"code": 9, "theme": 24, "title": 40, "description": 40, "responsible": 20, "cost_centre": 28}


def write_text(cell, text: str) -> None:
    """Text into an openpyxl cell as text: openpyxl makes any text starting with "="
    a formula, so the cell is forced to a string one, and text that looks like a
    formula gets Excel's quote prefix so that Excel keeps it as text when edited."""
    cell.value = text
    cell.data_type = "s"
    if is_dangerous(text):
        cell.quotePrefix = True


def to_xlsx(rows: list[dict], lang: str = "fi") -> bytes:
    """A workbook with real number and date cells and a styled, frozen header row;
    text that looks like a formula is stored as text with Excel's quote prefix."""
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Font, PatternFill
    from openpyxl.utils import get_column_letter

    book = Workbook()
    sheet = book.active
    sheet.title = sheet_format.SHEET_NAMES[lang]
    sheet.append(sheet_format.headers(lang))
    for cell in sheet[1]:
        cell.font = Font(bold=True, color="FFFFFF")
        cell.fill = PatternFill("solid", fgColor="0072B2")
        cell.alignment = Alignment(vertical="center", wrap_text=True)
    keys = list(sheet_format.COLUMNS)
    for row_number, row in enumerate(rows, start=2):
        for column_number, key in enumerate(keys, start=1):
            value = row[key]
            if value is None:
                continue
            cell = sheet.cell(row=row_number, column=column_number)
            if key == "status":
                cell.value = sheet_format.status_label(value, lang)
            elif key in ("continuous", "public"):
                cell.value = sheet_format.YES_NO[lang][0 if value else 1]
            elif isinstance(value, date):
                cell.value = value
                cell.number_format = "d.m.yyyy"
            elif isinstance(value, Decimal):
                cell.value = value
                cell.number_format = "#,##0.00"
            elif isinstance(value, int):
                cell.value = value
                cell.number_format = "0"
            else:
                write_text(cell, str(value))
    sheet.freeze_panes = "A2"
    sheet.auto_filter.ref = f"A1:{get_column_letter(len(keys))}{max(1, len(rows) + 1)}"
    for column_number, key in enumerate(keys, start=1):
        sheet.column_dimensions[get_column_letter(column_number)].width = _WIDTHS.get(key, 14)
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def export_programme(con: duckdb.DuckDBPyConnection, programme_id: int, fmt: str, lang: str = "fi") -> bytes:
    rows = measure_rows(con, programme_id, lang)
    if fmt == "csv":
        return to_csv(rows, lang)
    if fmt == "xlsx":
        return to_xlsx(rows, lang)
    raise UserError(fmt, key="export.unknown_format", format=fmt)


def template(fmt: str, lang: str = "fi") -> bytes:
    """The empty spreadsheet: the header row only."""
    return to_csv([], lang) if fmt == "csv" else to_xlsx([], lang)


def file_name(programme_name: str, fmt: str) -> str:
    safe = "".join(ch if ch.isalnum() or ch in "-_" else "_" for ch in programme_name.strip())[:80] or "ohjelma"
    return f"{safe}.{fmt}"


def database_tables(con: duckdb.DuckDBPyConnection) -> list[str]:
    cur = con.cursor()
    try:
        return [
            row[0]
            for row in cur.execute(
                "SELECT table_name FROM duckdb_tables() WHERE database_name = current_database()"
                " AND schema_name = 'main' AND NOT temporary ORDER BY table_name"
            ).fetchall()
        ]
    finally:
        cur.close()


def _quoted(identifier: str) -> str:
    return '"' + identifier.replace('"', '""') + '"'


def to_parquet_zip(con: duckdb.DuckDBPyConnection, out: str | Path) -> list[str]:
    """Every table of the database as ``<table>.parquet`` in the zip ``out``
    (secret columns such as password hashes left out); return the table names.
    All tables are read in one transaction, so the files agree with each other."""
    tables = database_tables(con)
    with tempfile.TemporaryDirectory(prefix="tracker-parquet-") as tmp:
        cur = con.cursor()
        try:
            cur.execute("BEGIN TRANSACTION")
            for table in tables:
                columns = [
                    row[0]
                    for row in cur.execute(
                        "SELECT column_name FROM duckdb_columns() WHERE database_name = current_database()"
                        " AND schema_name = 'main' AND table_name = ? ORDER BY column_index",
                        [table],
                    ).fetchall()
                    if not any(word in row[0].lower() for word in SECRET_COLUMN_WORDS)
                ]
                target = Path(tmp) / f"{table}.parquet"
                select = ", ".join(_quoted(c) for c in columns)
                path_literal = str(target).replace("'", "''")
                # Identifiers come from the catalogue and are quoted; the path is ours.
                cur.execute(
                    f"COPY (SELECT {select} FROM {_quoted(table)}) TO '{path_literal}' (FORMAT parquet)"  # noqa: S608
                )
            cur.execute("COMMIT")
        finally:
            cur.close()
        with zipfile.ZipFile(out, "w", compression=zipfile.ZIP_DEFLATED) as archive:
            for table in tables:
                archive.write(Path(tmp) / f"{table}.parquet", f"{table}.parquet")
    return tables
