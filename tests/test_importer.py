"""Reading, validating and writing the measures spreadsheet (docs/import-format.md)."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from datetime import date, datetime
from decimal import Decimal
from pathlib import Path

import pytest

from tests.conftest import ROOT
from tests.integrity import orphan_rows
from tests.spreadsheet_files import HEADER_FI, csv_bytes, measure_row, snapshot
from tracker import cli, db
from tracker.auth import ANONYMOUS, SYSTEM, Caller
from tracker.errors import PermissionDenied
from tracker.spreadsheet import importer

EXAMPLE = Path("/work/shared/examples/import/toimenpiteet_esimerkki.csv")
if not EXAMPLE.exists():  # the shared folder sits beside the repository elsewhere
    EXAMPLE = ROOT.parent / "shared" / "examples" / "import" / "toimenpiteet_esimerkki.csv"
EDITOR = Caller(role="editor", email="koordinaattori@example.fi")
DEMO_PROGRAMME = "Joensuun ilmasto-ohjelma (esimerkkiaineisto)"
NOW = datetime(2026, 11, 28, 12, 0)


def plan_of(data: bytes, name="t.csv") -> importer.ImportPlan:
    return importer.validate(importer.read_table(data, name))


def problems(plan) -> list[tuple]:
    return [(p.row, p.column, p.key) for p in plan.errors]


def measure(con, code, programme=None):
    sql = (
        "SELECT m.code, m.status, m.progress, m.start_date, m.end_date, m.is_continuous, m.is_published,"
        " m.title_fi, m.version, t.name_fi FROM measures m JOIN themes t ON t.id = m.theme_id"
        " JOIN programmes p ON p.id = m.programme_id WHERE m.code = ? AND (? IS NULL OR p.name = ?)"
    )
    return con.execute(sql, [code, programme, programme]).fetchone()


# ---------------------------------------------------------------- the example


@pytest.mark.skipif(not EXAMPLE.exists(), reason="the shared example file is not beside this checkout")
def test_the_example_file_imports_cleanly(con):
    code, report = importer.import_path(con, EXAMPLE, "Joensuun ilmasto-ohjelma", now=NOW)
    assert code == 0, report["errors"]
    created = [change for change in report.pop("changes") if change["field"] == "measure"]
    assert [change["code"] for change in created] == ["6.1", "6.2", "1.1", "2.4"]
    assert report.pop("batch") == 1
    assert report == {
        "rows": 6,
        "measures": 4,
        "budget_lines": 5,
        "created": 4,
        "updated": 0,
        "errors": [],
        "warnings": [],
        "written": True,
    }
    assert measure(con, "6.1")[1:7] == ("done", 100, date(2022, 1, 1), date(2022, 12, 31), False, True)
    # a year alone: start 1 January; empty end; "kyllä" continuous
    assert measure(con, "6.2")[3:6] == (date(2023, 1, 1), None, True)
    assert measure(con, "2.4")[3:7] == (date(2026, 1, 1), date(2027, 12, 31), False, False)
    lines = con.execute(
        "SELECT b.year, c.code, c.name, b.planned_eur, b.actual_eur FROM budget_lines b"
        " JOIN cost_centres c ON c.id = b.cost_centre_id JOIN measures m ON m.id = b.measure_id"
        " WHERE m.code = '6.1' ORDER BY b.year"
    ).fetchall()
    assert lines == [
        (2022, "1275", "Ilmastotyön koordinointi", Decimal("1200.00"), Decimal("1200.00")),
        (2023, "1275", "Ilmastotyön koordinointi", Decimal("1200.00"), Decimal("1200.00")),
        (2024, "1275", "Ilmastotyön koordinointi", Decimal("1200.00"), None),
    ]
    sources = {row[0] for row in con.execute("SELECT source FROM status_events").fetchall()}
    assert sources == {"import:toimenpiteet_esimerkki.csv"}


# ---------------------------------------------------------------- errors, each with row and column


def test_every_error_is_reported_with_row_and_column():
    rows = [
        measure_row("1.1", status="Kaput"),  # row 2
        measure_row("1.2", progress="120"),  # row 3
        measure_row("1.3", planned="-5", year="2024", cost_centre="1275"),  # row 4
        measure_row("1.4", start="31.2.2022"),  # row 5
        measure_row("1.5", start="2024", end="2023"),  # row 6
        measure_row("1.6", continuous="ehkä"),  # row 7
        measure_row("1.7", planned="100"),  # row 8: money without a year
        measure_row("1.8", year="1880", cost_centre="1275"),  # row 9
        measure_row("1.9", year="2024"),  # row 10: a year without a cost centre
        measure_row("2.1", year="2024", cost_centre="1275", planned="1"),  # row 11
        measure_row("2.1", theme=None, title=None, status=None, year="2024", cost_centre="1275"),  # row 12: twice
        measure_row("2.1", theme="Liikenne", title=None, status=None),  # row 13: a different theme
        measure_row("2.2", title=None),  # row 14: a new measure without a title
        measure_row(None),  # row 15: no code
    ]
    plan = plan_of(csv_bytes(rows))
    assert problems(plan) == [
        (2, "Tila", "import.cell.status_unknown"),
        (3, "Edistyminen %", "import.cell.progress_range"),
        (4, "Budjetoitu €", "import.cell.money_negative"),
        (5, "Alkaa", "import.cell.not_date"),
        (6, "Päättyy", "import.row.end_before_start"),
        (7, "Jatkuva", "import.cell.not_flag"),
        (8, "Vuosi", "import.row.year_missing"),
        (9, "Vuosi", "import.cell.year_range"),
        (10, "Kustannuspaikka", "import.row.cost_centre_missing"),
        (12, "Vuosi", "import.row.duplicate_budget_line"),
        (13, "Teema", "import.row.conflict"),
        (14, "Toimenpide", "import.row.required"),
        (15, "Tunnus", "import.row.code_missing"),
    ]
    messages = {p.key: p.message("en") for p in plan.errors}
    assert (
        "Allowed: Not started, In progress, Late, Done, Postponed, Cancelled" in messages["import.cell.status_unknown"]
    )
    assert "row 11" in messages["import.row.duplicate_budget_line"]
    assert "rivillä 11" in next(p for p in plan.errors if p.key == "import.row.conflict").message("fi")


def test_errors_come_in_the_users_language_through_the_cli(empty_db_path, tmp_path, capsys):
    path = tmp_path / "virheet.csv"
    path.write_bytes(csv_bytes([measure_row(status="Kaput")]))
    code = cli.main(["--db", str(empty_db_path), "import", str(path), "--programme", "P", "--json", "--lang", "sv"])
    report = json.loads(capsys.readouterr().out)
    assert code == 1
    assert report["errors"] == [
        {
            "row": 2,
            "column": "Tila",
            "message": "Okänd status ”Kaput”. Tillåtna: Inte påbörjad, Pågår, Försenad, Klar, Uppskjuten, Inställd.",
        }
    ]
    assert report["written"] is False


@pytest.mark.parametrize(
    ("data", "name", "key"),
    [
        (b"", "t.csv", "import.file.empty"),
        (csv_bytes([{"Tunnus": "1"}], ["Tunnus", "Toimenpide"]), "t.csv", "import.file.missing_columns"),
        (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(100), "t.xls", "import.file.old_excel"),
        (b"PK\x03\x04 broken", "t.xlsx", "import.file.unreadable"),
        (bytes(range(256)) * 4, "t.csv", "import.file.not_a_table"),
        (csv_bytes([], [*HEADER_FI, "Tila"]), "t.csv", "import.file.duplicate_column"),
    ],
)
def test_an_unusable_file_is_exit_2(con, data, name, key):
    with pytest.raises(importer.UnusableFile) as caught:
        importer.validate(importer.read_table(data, name))
    assert caught.value.key == key
    code, report = importer.import_bytes(con, data, name, "P")
    assert (code, report["written"], len(report["errors"])) == (2, False, 1)
    assert con.execute("SELECT count(*) FROM programmes").fetchone() == (0,)


# ---------------------------------------------------------------- writing


def test_update_records_events_bumps_versions_and_audits(demo_con):
    before = measure(demo_con, "6.1")
    rows = [measure_row("6.1", theme="Yhteistyö ja viestintä", title=before[7], status="Käynnissä", progress="50")]
    code, report = importer.import_bytes(
        demo_con, csv_bytes(rows), "viikko.csv", DEMO_PROGRAMME, caller=EDITOR, now=NOW
    )
    assert (code, report["created"], report["updated"]) == (0, 0, 1)
    after = measure(demo_con, "6.1")
    assert (after[1], after[2], after[8]) == ("in_progress", 50, before[8] + 1)
    event = demo_con.execute(
        "SELECT actor, source, old_status, new_status, old_progress, new_progress FROM status_events"
        " WHERE measure_id = (SELECT id FROM measures WHERE code = '6.1') ORDER BY id DESC LIMIT 1"
    ).fetchone()
    assert event == (EDITOR.email, "import:viikko.csv", "done", "in_progress", 100, 50)
    actions = demo_con.execute("SELECT action, entity, actor FROM audit_log WHERE occurred_at = ? ORDER BY id", [NOW])
    assert actions.fetchall() == [
        ("measure.update", "measure", EDITOR.email),
        ("import.run", "programme", EDITOR.email),
    ]


def test_same_file_twice_changes_nothing_the_second_time(demo_con):
    data = csv_bytes([measure_row("9.9", year="2024", cost_centre="1275", planned="10")])
    importer.import_bytes(demo_con, data, "a.csv", DEMO_PROGRAMME, now=NOW)
    events = demo_con.execute("SELECT count(*) FROM status_events").fetchone()
    code, report = importer.import_bytes(demo_con, data, "a.csv", DEMO_PROGRAMME, now=NOW)
    assert (code, report["created"], report["updated"]) == (0, 0, 0)
    assert demo_con.execute("SELECT count(*) FROM status_events").fetchone() == events


def test_budget_lines_are_upserted_and_new_themes_and_cost_centres_created(demo_con):
    rows = [
        measure_row("6.1", theme="Yhteistyö ja viestintä", title="Liittyminen ICLEI-verkostoon", status="Valmis",
                    year="2024", cost_centre="1275", planned="1 200,00", actual="1 150,00"),
        measure_row("6.1", theme=None, title=None, status=None, year="2025", cost_centre="1275", planned="1300"),
        measure_row("11.1", theme="Uusi teema", year="2025", cost_centre="9999 Uusi kustannuspaikka", planned="5"),
    ]  # fmt: skip
    code, report = importer.import_bytes(demo_con, csv_bytes(rows), "b.csv", DEMO_PROGRAMME, now=NOW)
    # 6.1's other cells are empty in this file, so its description and dates are cleared: an update
    assert (code, report["created"], report["updated"]) == (0, 1, 1), report["errors"]
    lines = demo_con.execute(
        "SELECT b.year, b.planned_eur, b.actual_eur, b.version FROM budget_lines b"
        " JOIN measures m ON m.id = b.measure_id WHERE m.code = '6.1' ORDER BY b.year"
    ).fetchall()
    assert lines[-2:] == [(2024, Decimal("1200.00"), Decimal("1150.00"), 2), (2025, Decimal("1300.00"), None, 1)]
    assert measure(demo_con, "11.1")[9] == "Uusi teema"
    assert demo_con.execute("SELECT name FROM cost_centres WHERE code = '9999'").fetchone() == ("Uusi kustannuspaikka",)


def test_a_new_programme_goes_to_the_only_organisation(demo_con):
    importer.import_bytes(demo_con, csv_bytes([measure_row()]), "c.csv", "Toinen ohjelma", now=NOW)
    assert demo_con.execute(
        "SELECT o.name FROM programmes p JOIN organisations o ON o.id = p.organisation_id"
        " WHERE p.name = 'Toinen ohjelma'"
    ).fetchone() == ("Joensuun kaupunki",)
    assert demo_con.execute("SELECT count(*) FROM organisations").fetchone() == (1,)


def test_an_empty_database_gets_an_organisation_named_after_the_programme(con):
    importer.import_bytes(con, csv_bytes([measure_row()]), "c.csv", "Kuopion ilmasto-ohjelma", now=NOW)
    assert con.execute("SELECT name FROM organisations").fetchall() == [("Kuopion ilmasto-ohjelma",)]
    assert con.execute("SELECT is_default FROM programmes").fetchall() == [(True,)]


@pytest.mark.parametrize("who", [ANONYMOUS, Caller(role="viewer", email="v@example.fi")])
def test_writing_is_refused_to_anonymous_and_viewer(demo_con, who):
    before = snapshot(demo_con)
    plan = plan_of(csv_bytes([measure_row()]))
    with pytest.raises(PermissionDenied):
        importer.write(demo_con, who, plan, DEMO_PROGRAMME, file_name="x.csv")
    assert snapshot(demo_con) == before


# ---------------------------------------------------------------- all or nothing


def test_a_file_with_errors_writes_nothing(demo_con):
    before = snapshot(demo_con)
    rows = [measure_row("6.1", status="Käynnissä"), measure_row("9.1", progress="abc")]
    code, report = importer.import_bytes(demo_con, csv_bytes(rows), "d.csv", DEMO_PROGRAMME)
    assert (code, report["written"]) == (1, False)
    assert snapshot(demo_con) == before


def test_a_failure_in_the_middle_of_writing_leaves_nothing(demo_con):
    before = snapshot(demo_con)

    def fail(share, stage):
        if stage == "events":
            raise RuntimeError("disk full")

    rows = [measure_row("6.1", theme="Yhteistyö ja viestintä", status="Käynnissä"), measure_row("12.1", theme="Uusi")]
    with pytest.raises(RuntimeError):
        importer.import_bytes(demo_con, csv_bytes(rows), "e.csv", "Uusi ohjelma", on_progress=fail)
    assert snapshot(demo_con) == before


_KILL_SCRIPT = """
import sys, time, pathlib
from tracker import db
from tracker.spreadsheet import importer
con = db.connect(sys.argv[1])
marker = pathlib.Path(sys.argv[3])
def stop_inside_the_transaction(share, stage):
    if stage == "budget_lines":
        marker.write_text(stage)
        time.sleep(600)
importer.import_path(con, sys.argv[2], sys.argv[4], on_progress=stop_inside_the_transaction)
"""


def test_a_killed_import_leaves_the_database_as_it_was(demo_db_path, tmp_path):
    big = tmp_path / "iso.csv"
    rows = importer.write_sample_file(big, measures=3000, years=2)
    assert rows == 6000
    con = db.connect(demo_db_path)
    before = snapshot(con)
    con.close()
    marker = tmp_path / "inside"
    process = subprocess.Popen(
        [sys.executable, "-c", _KILL_SCRIPT, str(demo_db_path), str(big), str(marker), DEMO_PROGRAMME],
        cwd=ROOT,
        env={**os.environ, "PYTHONPATH": str(ROOT)},
    )
    try:
        deadline = time.monotonic() + 120
        while not marker.exists() and process.poll() is None and time.monotonic() < deadline:
            time.sleep(0.05)
        assert marker.exists(), "the import never reached its write step"
        process.send_signal(signal.SIGKILL)
    finally:
        process.kill()
        process.wait()
    assert process.returncode == -signal.SIGKILL
    con = db.connect(demo_db_path)
    try:
        assert snapshot(con) == before
        # and the database still takes the same import afterwards
        code, report = importer.import_path(con, big, DEMO_PROGRAMME)
        assert (code, report["rows"], report["written"]) == (0, 6000, True)
    finally:
        con.close()


# ---------------------------------------------------------------- the CLI


def test_cli_json_report_and_exit_codes(demo_db_path, tmp_path, capsys):
    path = tmp_path / "ok.csv"
    path.write_bytes(
        csv_bytes([measure_row("9.1"), measure_row("6.1", theme="Yhteistyö ja viestintä", status="Pågår")])
    )
    args = ["--db", str(demo_db_path), "import", str(path), "--programme", DEMO_PROGRAMME, "--json"]
    assert cli.main([*args, "--dry-run"]) == 0
    dry = json.loads(capsys.readouterr().out)
    changes = dry.pop("changes")
    assert dry == {"rows": 2, "measures": 2, "budget_lines": 0, "created": 1, "updated": 1, "errors": [],
                   "warnings": [], "batch": None, "written": False}  # fmt: skip
    assert {"row": 3, "code": "6.1", "field": "status", "year": None, "cost_centre": None, "before": "done",
            "after": "in_progress", "flag": "status_backwards"} in changes  # fmt: skip
    con = db.connect(demo_db_path)
    assert measure(con, "9.1") is None
    con.close()
    assert cli.main(args) == 0
    written = json.loads(capsys.readouterr().out)
    assert written.pop("changes") == changes
    assert isinstance(written.pop("batch"), int)
    assert written | {"written": False, "batch": None} == dry
    garbage = tmp_path / "kuva.csv"
    garbage.write_bytes(bytes(range(256)))
    assert cli.main(["--db", str(demo_db_path), "import", str(garbage), "--programme", "P", "--json"]) == 2
    assert json.loads(capsys.readouterr().out)["errors"][0]["row"] is None


def test_benchmark_entry_point_imports_a_generated_10000_row_file(con, tmp_path):
    path = tmp_path / "bench.csv"
    assert importer.write_sample_file(path) == 10_000
    code, report = importer.import_path(con, path, "Benchmark", caller=SYSTEM)
    assert (code, report["rows"], report["created"], report["budget_lines"]) == (0, 10_000, 5000, 10_000)
    assert con.execute("SELECT count(*) FROM budget_lines").fetchone() == (10_000,)


def test_an_existing_measure_moves_to_the_theme_the_file_gives(demo_con):
    rows = [measure_row("6.1", theme="Energia", title="Liittyminen ICLEI-verkostoon", status="Valmis", progress="100")]
    code, report = importer.import_bytes(demo_con, csv_bytes(rows), "f.csv", DEMO_PROGRAMME, lang="en")
    assert (code, report["warnings"], report["updated"]) == (0, [], 1)
    assert measure(demo_con, "6.1")[9] == "Energia"
    assert orphan_rows(demo_con)["orphans"].sum() == 0
