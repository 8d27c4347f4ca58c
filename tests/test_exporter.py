"""Export: the same columns the importer reads, formula injection neutralised,
the whole database as Parquet in a zip."""

from __future__ import annotations

import csv
import io
import zipfile
from datetime import datetime
from decimal import Decimal

import duckdb
import pandas as pd
import pytest
from openpyxl import load_workbook

from tests.spreadsheet_files import snapshot
from tracker import cli
from tracker.spreadsheet import exporter, importer

DEMO_PROGRAMME = "Joensuun ilmasto-ohjelma (esimerkkiaineisto)"
DANGEROUS = ['=HYPERLINK("http://evil.example","klikkaa")', "+358 40 123", "-5 kt CO2e", "@SUM(A1:A9)", "=1+1"]


def programme_id(con) -> int:
    return exporter.programme_id_by_name(con, DEMO_PROGRAMME)


def test_csv_is_utf8_with_bom_semicolons_and_decimal_comma(demo_con):
    data = exporter.export_programme(demo_con, programme_id(demo_con), "csv")
    assert data.startswith("\ufeffTunnus;Teema;Toimenpide;".encode())
    text = data.decode("utf-8-sig")
    iclei = [line for line in text.splitlines() if line.startswith("6.1;")]
    assert len(iclei) == 3
    assert ";Valmis;100;" in iclei[0]
    assert ";1275 Ilmastotyön koordinointi;2022;1200,00;1200,00" in iclei[0]


def without_audit(state: dict) -> dict:
    """A snapshot apart from the audit log and the counter of its ids."""
    return {
        table: [row for row in rows if table != "id_counters" or row[0] != "audit_log"]
        for table, rows in state.items()
        if table != "audit_log"
    }


@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
@pytest.mark.parametrize("lang", ["fi", "sv", "en"])
def test_export_import_export_gives_the_same_data(demo_con, fmt, lang):
    pid = programme_id(demo_con)
    first = exporter.export_programme(demo_con, pid, fmt, lang)
    rows_before = exporter.measure_rows(demo_con, pid, lang)
    before = snapshot(demo_con)
    code, report = importer.import_bytes(demo_con, first, f"vienti.{fmt}", DEMO_PROGRAMME)
    assert code == 0, report["errors"]
    assert (report["created"], report["updated"], report["warnings"]) == (0, 0, [])
    after = snapshot(demo_con)
    # only the import's own summary audit row (and its id) is new: no measure, line or event changed
    assert without_audit(after) == without_audit(before)
    assert exporter.measure_rows(demo_con, pid, lang) == rows_before
    second = exporter.export_programme(demo_con, pid, fmt, lang)
    if fmt == "csv":
        assert second == first


def test_round_trip_into_an_empty_database_reproduces_the_export(demo_con, con):
    first = exporter.export_programme(demo_con, programme_id(demo_con), "xlsx")
    code, report = importer.import_bytes(con, first, "vienti.xlsx", "Kopio")
    assert (code, report["created"]) == (0, 42)
    copy_id = exporter.programme_id_by_name(con, "Kopio")
    assert exporter.measure_rows(con, copy_id) == exporter.measure_rows(demo_con, programme_id(demo_con))


def _plant_dangerous_titles(con) -> None:
    for code, title in zip(["1.1", "1.2", "1.3", "1.4", "2.1"], DANGEROUS, strict=True):
        con.execute("UPDATE measures SET title_fi = ? WHERE code = ?", [title, code])


def test_formula_injection_is_neutralised_in_csv(demo_con):
    _plant_dangerous_titles(demo_con)
    demo_con.execute("UPDATE measures SET description_fi = ? WHERE code = '6.1'", ["\tsisennetty"])
    demo_con.execute("UPDATE measures SET responsible_unit = ? WHERE code = '6.2'", ["\r=1+2"])
    text = exporter.export_programme(demo_con, programme_id(demo_con), "csv").decode("utf-8-sig")
    rows = list(csv.reader(io.StringIO(text, newline=""), delimiter=";"))
    cells = [cell for row in rows for cell in row]
    for title in DANGEROUS:
        assert "'" + title in cells
    assert "'\tsisennetty" in cells and "'\r=1+2" in cells
    assert not any(cell.startswith(("=", "+", "-", "@", "\t", "\r")) for cell in cells)


def test_formula_injection_is_neutralised_in_xlsx(demo_con):
    _plant_dangerous_titles(demo_con)
    data = exporter.export_programme(demo_con, programme_id(demo_con), "xlsx")
    sheet = load_workbook(io.BytesIO(data)).active
    titles = {}
    for row in sheet.iter_rows(min_row=2):
        titles[row[0].value] = row[2]
    for code, title in zip(["1.1", "1.2", "1.3", "1.4", "2.1"], DANGEROUS, strict=True):
        cell = titles[code]
        assert cell.data_type == "s"
        assert cell.value == title
        assert cell.quotePrefix
    # and the text comes back unchanged on import
    code, report = importer.import_bytes(demo_con, data, "v.xlsx", DEMO_PROGRAMME)
    assert (code, report["updated"]) == (0, 0)
    csv_data = exporter.export_programme(demo_con, programme_id(demo_con), "csv")
    code, report = importer.import_bytes(demo_con, csv_data, "v.csv", DEMO_PROGRAMME)
    assert (code, report["updated"]) == (0, 0)
    assert demo_con.execute("SELECT title_fi FROM measures WHERE code = '1.1'").fetchone() == (DANGEROUS[0],)


def test_xlsx_has_real_numbers_and_dates_and_a_frozen_styled_header(demo_con):
    data = exporter.export_programme(demo_con, programme_id(demo_con), "xlsx", "sv")
    sheet = load_workbook(io.BytesIO(data)).active
    assert sheet.title == "Åtgärder"
    assert sheet.freeze_panes == "A2"
    assert [c.value for c in sheet[1]][:3] == ["Nummer", "Tema", "Åtgärd"]
    assert all(c.font.bold for c in sheet[1])
    row = next(r for r in sheet.iter_rows(min_row=2) if r[0].value == "6.1")
    assert isinstance(row[7].value, datetime) and row[7].number_format == "d.m.yyyy"
    assert row[5].value == "Klar"
    assert row[6].value == 100 and row[12].value == 2022
    assert Decimal(str(row[13].value)) == Decimal("1200")


def test_template_is_the_header_row_only():
    for lang in ("fi", "sv", "en"):
        table = importer.read_table(exporter.template("xlsx", lang), "t.xlsx")
        assert table.rows == []
        assert importer.map_columns(table.headers)[1] == []
        assert importer.read_table(exporter.template("csv", lang)).headers == table.headers


def test_parquet_zip_holds_every_table_readable_by_duckdb_and_pandas(demo_con, demo_db_path, tmp_path):
    out = tmp_path / "kaikki.zip"
    assert cli.main(["--db", demo_db_path, "export", "--format", "parquet", str(out)]) == 0
    with zipfile.ZipFile(out) as archive:
        names = set(archive.namelist())
        archive.extractall(tmp_path / "x")
    tables = exporter.database_tables(demo_con)
    assert names == {f"{t}.parquet" for t in tables}
    for table in tables:
        expected = demo_con.execute(f'SELECT count(*) FROM "{table}"').fetchone()[0]
        path = tmp_path / "x" / f"{table}.parquet"
        assert duckdb.sql(f"SELECT count(*) FROM read_parquet('{path}')").fetchone()[0] == expected
        assert len(pd.read_parquet(path)) == expected
    assert "password_hash" not in pd.read_parquet(tmp_path / "x" / "users.parquet").columns
    measures = pd.read_parquet(tmp_path / "x" / "measures.parquet")
    assert "Liittyminen ICLEI-verkostoon" in set(measures["title_fi"])


def test_cli_export_writes_the_file(demo_db_path, tmp_path):
    out = tmp_path / "ohjelma.xlsx"
    args = ["--db", str(demo_db_path), "export", "--programme", DEMO_PROGRAMME, "--format", "xlsx", str(out)]
    assert cli.main(args) == 0
    assert importer.validate(importer.read_table(out.read_bytes(), out.name)).row_count > 42
    assert cli.main(["--db", str(demo_db_path), "export", "--programme", "Ei ole", "--format", "csv", str(out)]) == 1
