"""Builders for the spreadsheet files the import and export tests generate."""

from __future__ import annotations

import csv
import io

from tracker.spreadsheet import exporter

HEADER_FI = [
    "Tunnus",
    "Teema",
    "Toimenpide",
    "Kuvaus",
    "Vastuutaho",
    "Tila",
    "Edistyminen %",
    "Alkaa",
    "Päättyy",
    "Jatkuva",
    "Julkinen",
    "Kustannuspaikka",
    "Vuosi",
    "Budjetoitu €",
    "Toteutunut €",
]


def measure_row(code="9.1", theme="Energia", title="Aurinkopaneelit", status="Käynnissä", **extra) -> dict:
    """One row as {fi header: cell}; keyword names are the spec's keys."""
    keys = {
        "description": "Kuvaus",
        "responsible": "Vastuutaho",
        "progress": "Edistyminen %",
        "start": "Alkaa",
        "end": "Päättyy",
        "continuous": "Jatkuva",
        "public": "Julkinen",
        "cost_centre": "Kustannuspaikka",
        "year": "Vuosi",
        "planned": "Budjetoitu €",
        "actual": "Toteutunut €",
    }
    row = {"Tunnus": code, "Teema": theme, "Toimenpide": title, "Tila": status}
    row.update({keys[key]: value for key, value in extra.items()})
    return row


def csv_bytes(rows: list[dict], header=HEADER_FI, *, delimiter=";", encoding="utf-8-sig") -> bytes:
    buffer = io.StringIO(newline="")
    writer = csv.writer(buffer, delimiter=delimiter, lineterminator="\r\n")
    writer.writerow(header)
    for row in rows:
        writer.writerow(["" if row.get(name) is None else row.get(name) for name in header])
    return buffer.getvalue().encode(encoding)


def xlsx_bytes(rows: list[list], header=HEADER_FI, *, sheet="Toimenpiteet", other_sheet_first=False, formats=None):
    """``rows`` are lists of raw cell values in header order; ``formats`` maps
    (row index, column index) to an Excel number format."""
    from openpyxl import Workbook

    book = Workbook()
    first = book.active
    if other_sheet_first:
        first.title = "Ohje"
        first.append(["Tämä välilehti on ohje, ei taulukko"])
        target = book.create_sheet(sheet)
    else:
        first.title = sheet
        target = first
    target.append(header)
    for row in rows:
        target.append(row)
    for (row_index, column_index), number_format in (formats or {}).items():
        target.cell(row=row_index + 2, column=column_index + 1).number_format = number_format
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def snapshot(con) -> dict[str, list]:
    """Every row of every table, to compare a database before and after."""
    state = {}
    for table in exporter.database_tables(con):
        state[table] = con.execute(f'SELECT * FROM "{table}" ORDER BY ALL').fetchall()
    return state
