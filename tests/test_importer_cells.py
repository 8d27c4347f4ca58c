"""Reading the measures spreadsheet (docs/import-format.md): encodings, delimiters,
headers, and each cell's accepted forms in CSV and in xlsx. Validating whole files and
writing them are checked in test_importer.py."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal

import pytest

from tests.spreadsheet_files import csv_bytes, measure_row, xlsx_bytes
from tests.test_importer import plan_of, problems
from tracker.spreadsheet import cells

# ---------------------------------------------------------------- encodings and delimiters


@pytest.mark.parametrize("encoding", ["utf-8-sig", "utf-8", "cp1252", "utf-16"])
@pytest.mark.parametrize("delimiter", [";", ",", "\t"])
def test_encodings_and_delimiters_are_detected(encoding, delimiter):
    rows = [measure_row(theme="Yhteistyö ja viestintä", title="Käyttäjät, ”lainaus” ja; erottimet", progress="45,5")]
    plan = plan_of(csv_bytes(rows, delimiter=delimiter, encoding=encoding))
    assert not plan.errors, problems(plan)
    fields = plan.measures["9.1"].fields
    assert fields["theme"] == "Yhteistyö ja viestintä"
    assert fields["title"] == "Käyttäjät, ”lainaus” ja; erottimet"


def test_headers_in_swedish_and_english_in_any_order_and_case():
    header = ["  STATUS ", "tema", "Nummer", "Åtgärd", "progress", "Planned €", "year", "cost centre", "Muistiinpano"]
    data = csv_bytes(
        [{"  STATUS ": "Pågår", "tema": "Energi", "Nummer": "1.1", "Åtgärd": "Solpaneler", "progress": "45 %",
          "Planned €": "100", "year": "2024", "cost centre": "1275", "Muistiinpano": "x"}],
        header,
    )  # fmt: skip
    plan = plan_of(data)
    assert not plan.errors, problems(plan)
    assert plan.measures["1.1"].fields["status"] == "in_progress"
    assert plan.measures["1.1"].fields["progress"] == 45
    assert [(w.row, w.column, w.key) for w in plan.warnings] == [(1, "Muistiinpano", "import.warning.unknown_column")]


# ---------------------------------------------------------------- cell values


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("1 200,00 €", Decimal("1200.00")),
        ("1\u00a0200,00\u00a0€", Decimal("1200.00")),
        ("1\u202f200,5", Decimal("1200.50")),
        ("1200", Decimal("1200.00")),
        ("1.200,50", Decimal("1200.50")),
        ("1,200.50", Decimal("1200.50")),
        ("1200.5", Decimal("1200.50")),
        ("1 234 567,89 EUR", Decimal("1234567.89")),
        ("0", Decimal("0.00")),
        (1200, Decimal("1200.00")),
        (1200.5, Decimal("1200.50")),
        (0.1 + 0.2, Decimal("0.30")),
        ("", None),
    ],
)
def test_money_forms(raw, expected):
    assert cells.money(raw) == expected


@pytest.mark.parametrize(
    ("raw", "key"),
    [
        ("-5", "import.cell.money_negative"),
        ("1,234", "import.cell.money_decimals"),  # 1.234 € or 1 234 €? not guessed
        ("12.00,5", "import.cell.not_number"),
        ("abc", "import.cell.not_number"),
        (True, "import.cell.not_number"),
    ],
)
def test_bad_money_is_a_cell_error(raw, key):
    with pytest.raises(cells.CellError) as caught:
        cells.money(raw)
    assert caught.value.key == key


@pytest.mark.parametrize(
    ("raw", "expected"),
    [("45", 45), ("45 %", 45), ("45%", 45), ("45,5", 46), (cells.Percent(0.45), 45), (100, 100), (0.0, 0), ("", None)],
)
def test_progress_forms(raw, expected):
    assert cells.progress(raw) == expected


@pytest.mark.parametrize(
    ("raw", "start", "end"),
    [
        ("1.3.2022", date(2022, 3, 1), date(2022, 3, 1)),
        ("01.03.2022", date(2022, 3, 1), date(2022, 3, 1)),
        ("2022-03-01", date(2022, 3, 1), date(2022, 3, 1)),
        ("2022", date(2022, 1, 1), date(2022, 12, 31)),
        (2022, date(2022, 1, 1), date(2022, 12, 31)),
        (datetime(2022, 3, 1), date(2022, 3, 1), date(2022, 3, 1)),
        (date(2022, 3, 1), date(2022, 3, 1), date(2022, 3, 1)),
    ],
)
def test_date_forms(raw, start, end):
    assert cells.start_date(raw) == start
    assert cells.end_date(raw) == end


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("  VALMIS ", "done"),
        ("toteutettu", "done"),
        ("Completed", "done"),
        ("ongoing", "in_progress"),
        ("Pågår", "in_progress"),
        ("in_progress", "in_progress"),
        ("ei  aloitettu", "not_started"),
        ("Inställd", "cancelled"),
        ("delayed", "late"),
        ("Uppskjuten", "postponed"),
    ],
)
def test_status_words(raw, expected):
    assert cells.status(raw) == expected


@pytest.mark.parametrize(
    ("raw", "expected"),
    [("kyllä", True), ("Ei", False), ("ja", True), ("NEJ", False), ("yes", True), ("no", False), ("x", True),
     ("X", True), ("", None), ("1", True), (0, False), (True, True), (False, False), ("TRUE", True)],
)  # fmt: skip
def test_flags(raw, expected):
    assert cells.flag(raw) == expected


def test_formula_guard_apostrophe_is_taken_off():
    assert cells.text("'=SUM(A1)") == "=SUM(A1)"
    assert cells.text("'-5 kt") == "-5 kt"
    assert cells.text("O'Brien") == "O'Brien"


# ---------------------------------------------------------------- xlsx cell types


def test_xlsx_cell_types_dates_booleans_percent_and_sheet_choice():
    row = ["6.1", "Energia", "Aurinko", None, "Tilat", "käynnissä", 0.45, datetime(2022, 3, 1), 2025, True, False,
           1275, 2024, 1200.5, 1000]  # fmt: skip
    data = xlsx_bytes([row], sheet="Åtgärder", other_sheet_first=True, formats={(0, 6): "0%"})
    plan = plan_of(data, "t.xlsx")
    assert not plan.errors, problems(plan)
    fields = plan.measures["6.1"].fields
    assert fields["progress"] == 45
    assert fields["start"] == date(2022, 3, 1)
    assert fields["end"] == date(2025, 12, 31)
    assert (fields["continuous"], fields["public"]) == (True, False)
    (line,) = plan.budget_lines
    assert (line.cost_centre, line.year, line.planned, line.actual) == (
        "1275",
        2024,
        Decimal("1200.50"),
        Decimal("1000.00"),
    )


def test_xlsx_rows_are_numbered_as_excel_shows_them():
    rows = [["1.1", "Energia", "A", None, None, "Valmis"], [], ["1.2", "Energia", "B", None, None, "Kaput"]]
    plan = plan_of(xlsx_bytes(rows), "t.xlsx")
    assert problems(plan) == [(4, "Tila", "import.cell.status_unknown")]
