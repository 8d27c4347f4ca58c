"""An import that shows what it will change and can be undone (issue 12): the
changes field by field with flags, the dry run and the import agreeing, the
batch, its undo and the refusals, the CLI, and the timeline note of an
import on the public page."""

from __future__ import annotations

import json
from datetime import datetime
from decimal import Decimal

import pytest

from tests.integrity import orphan_rows
from tests.spreadsheet_files import csv_bytes, measure_row, snapshot
from tests.test_importer import DEMO_PROGRAMME, EDITOR, EXAMPLE
from tracker import cli, db, write
from tracker.auth import ANONYMOUS, SYSTEM, Caller
from tracker.errors import PermissionDenied
from tracker.present import import_changes
from tracker.spreadsheet import importer, undo

NOW = datetime(2026, 11, 28, 12, 0)
LATER = datetime(2026, 11, 29, 9, 0)
# What an undo compares: the tables an import writes, without versions and times
# (a restore is itself a write: the row's version goes on counting).
RESTORED = {
    "measures": "SELECT * EXCLUDE (version, updated_at) FROM measures ORDER BY id",
    "budget_lines": "SELECT * EXCLUDE (version, updated_at) FROM budget_lines ORDER BY id",
    "status_events": "SELECT * FROM status_events ORDER BY id",
    "themes": "SELECT * FROM themes ORDER BY id",
    "cost_centres": "SELECT * FROM cost_centres ORDER BY id",
    "programmes": "SELECT * FROM programmes ORDER BY id",
    "organisations": "SELECT * FROM organisations ORDER BY id",
    "measure_decisions": "SELECT * FROM measure_decisions ORDER BY ALL",
}


def state(con) -> dict:
    return {table: con.execute(sql).fetchall() for table, sql in RESTORED.items()}


def example() -> bytes:
    if not EXAMPLE.exists():
        pytest.skip("the shared example file is not beside this checkout")
    return EXAMPLE.read_bytes()


def changes_of(report: dict) -> dict[tuple, dict]:
    return {(c["code"], c["field"], c["year"]): c for c in report["changes"]}


def measure_id(con, code: str) -> int:
    return con.execute("SELECT id FROM measures WHERE code = ?", [code]).fetchone()[0]


# ---------------------------------------------------------------- the changes, with flags


def test_the_example_over_the_demo_shows_every_change_with_what_a_coordinator_would_not_expect(demo_con):
    before = snapshot(demo_con)
    code, report = importer.import_bytes(
        demo_con, example(), "toimenpiteet_esimerkki.csv", DEMO_PROGRAMME, dry_run=True
    )
    assert (code, report["written"], report["updated"]) == (0, False, 4)
    assert snapshot(demo_con) == before
    found = changes_of(report)
    # 1.1 went from Valmis (100 %) to Myöhässä (35 %) and lost its description
    assert found[("1.1", "status", None)] | {"row": 6} == {
        "row": 6, "code": "1.1", "field": "status", "year": None, "cost_centre": None,
        "before": "done", "after": "late", "flag": "status_backwards",
    }  # fmt: skip
    assert (found[("1.1", "progress", None)]["before"], found[("1.1", "progress", None)]["after"]) == (100, 35)
    assert found[("1.1", "progress", None)]["flag"] == "progress_down"
    assert found[("1.1", "description", None)]["after"] is None
    assert found[("1.1", "description", None)]["flag"] == "cleared"
    # 2.4 renamed, set to Ei aloitettu and unpublished
    assert found[("2.4", "title", None)]["flag"] == "replaced"
    assert found[("2.4", "status", None)]["flag"] == "status_backwards"
    assert (found[("2.4", "public", None)]["before"], found[("2.4", "public", None)]["after"]) == (True, False)
    assert found[("2.4", "public", None)]["flag"] == "unpublished"
    # the real ICLEI measure's description replaced
    assert found[("6.1", "description", None)]["flag"] == "replaced"
    # money planned and spent going down
    planned = found[("1.1", "planned", 2023)]
    assert (planned["cost_centre"], planned["before"], planned["after"], planned["flag"]) == (
        "8120", "180000.00", "150000.00", "money_down",
    )  # fmt: skip
    # a new budget line and a progress going up are shown, not flagged
    assert found[("6.2", "planned", 2024)] | {"row": 0} == {
        "row": 0, "code": "6.2", "field": "planned", "year": 2024, "cost_centre": "4410",
        "before": None, "after": "5000.00", "flag": None,
    }  # fmt: skip
    assert found[("6.2", "progress", None)]["flag"] is None
    # every field that does not change is left out
    assert ("6.1", "status", None) not in found and ("6.1", "title", None) not in found


def test_a_new_measure_is_one_change_and_its_new_budget_lines_follow(demo_con):
    rows = [measure_row("9.1", year="2025", cost_centre="1275", planned="1 000,00")]
    _code, report = importer.import_bytes(demo_con, csv_bytes(rows), "u.csv", DEMO_PROGRAMME, dry_run=True)
    assert report["changes"] == [
        {"row": 2, "code": "9.1", "field": "measure", "year": None, "cost_centre": None, "before": None,
         "after": "Aurinkopaneelit", "flag": None},
        {"row": 2, "code": "9.1", "field": "planned", "year": 2025, "cost_centre": "1275", "before": None,
         "after": "1000.00", "flag": None},
    ]  # fmt: skip


def test_the_dry_run_and_the_import_report_the_same_changes(demo_con):
    _, dry = importer.import_bytes(demo_con, example(), "e.csv", DEMO_PROGRAMME, dry_run=True)
    code, written = importer.import_bytes(demo_con, example(), "e.csv", DEMO_PROGRAMME, caller=EDITOR, now=NOW)
    assert code == 0 and written["written"]
    assert written["changes"] == dry["changes"]
    # and the same file again changes nothing, so it leaves no batch to undo
    _, again = importer.import_bytes(demo_con, example(), "e.csv", DEMO_PROGRAMME, caller=EDITOR)
    assert (again["changes"], again["batch"], again["updated"]) == ([], None, 0)


def test_the_changes_in_words_in_every_language(demo_con):
    plan = importer.validate(importer.read_table(example(), "e.csv"))
    resolution = importer.resolve(demo_con, plan, DEMO_PROGRAMME)
    status = next(c for c in resolution.changes if (c.code, c.field) == ("1.1", "status"))
    assert (
        import_changes.change_line(status, "fi") == "rivi 6 · 1.1 · Tila: Valmis → Myöhässä  ⚠ tila siirtyy taaksepäin"
    )
    assert import_changes.change_line(status, "sv") == "rad 6 · 1.1 · Status: Klar → Försenad  ⚠ status går bakåt"
    planned = next(c for c in resolution.changes if (c.code, c.field) == ("1.1", "planned"))
    assert import_changes.change_line(planned, "fi") == (
        "rivi 6 · 1.1 · Budjetoitu € 2023 · 8120: 180\u00a0000\u00a0€ → 150\u00a0000\u00a0€  ⚠ euromäärä pienenee"
    )
    summary = import_changes.flag_summary(resolution.changes, "fi")
    assert summary.startswith("tila siirtyy taaksepäin (2), edistyminen pienenee (2), tieto tyhjennetään (2)")


def test_the_write_refuses_when_the_programme_changed_since_the_preview(demo_con):
    plan = importer.validate(importer.read_table(example(), "e.csv"))
    seen = importer.resolve(demo_con, plan, DEMO_PROGRAMME).fingerprint()
    measure = write.measures.read_measure(demo_con, measure_id(demo_con, "1.1"))
    write.measures.update_measure(demo_con, EDITOR, measure["id"], expected_version=measure["version"], progress=90)
    before = snapshot(demo_con)
    with pytest.raises(importer.PreviewOutdated):
        importer.write(demo_con, EDITOR, plan, DEMO_PROGRAMME, file_name="e.csv", expected_fingerprint=seen)
    assert snapshot(demo_con) == before


# ---------------------------------------------------------------- one batch, and its undo


def test_an_import_is_one_batch_and_its_undo_restores_every_field_line_and_publication(demo_con):
    before = state(demo_con)
    _, report = importer.import_bytes(demo_con, example(), "e.csv", DEMO_PROGRAMME, caller=EDITOR, now=NOW)
    batch = report["batch"]
    assert demo_con.execute("SELECT count(*) FROM import_batches").fetchone() == (1,)
    assert state(demo_con) != before
    audit_after = demo_con.execute("SELECT after->>'batch' FROM audit_log WHERE action = 'import.run'").fetchone()
    assert audit_after == (str(batch),)

    result = undo.undo_batch(demo_con, EDITOR, batch, now=LATER)
    assert state(demo_con) == before  # 2.4 is published again, 1.1 done with its description, money as it was
    assert (result.measures_restored, result.measures_removed, result.status_events_removed) == (4, 0, 3)
    assert (result.budget_lines_restored, result.budget_lines_removed) == (1, 1)
    assert demo_con.execute("SELECT undone_at, undone_by FROM import_batches WHERE id = ?", [batch]).fetchone() == (
        LATER,
        EDITOR.email,
    )
    undo_row = demo_con.execute(
        "SELECT actor, after->>'batch' FROM audit_log WHERE action = 'import.undo' AND occurred_at = ?", [LATER]
    ).fetchall()
    assert undo_row == [(EDITOR.email, str(batch))]
    restored = demo_con.execute(
        "SELECT count(*) FROM audit_log WHERE action = 'measure.update' AND occurred_at = ?", [LATER]
    ).fetchone()
    assert restored == (4,)
    with pytest.raises(undo.AlreadyUndone):
        undo.undo_batch(demo_con, EDITOR, batch)
    assert orphan_rows(demo_con)["orphans"].sum() == 0


def test_undo_removes_what_the_import_created_programme_and_all(demo_con):
    before = state(demo_con)
    rows = [
        measure_row("1.1", theme="Uusi teema", year="2025", cost_centre="7777 Uusi paikka", planned="10"),
        measure_row("1.2", theme="Toinen teema", progress="20"),
    ]
    _, report = importer.import_bytes(
        demo_con, csv_bytes(rows), "uusi.csv", "Uusi ohjelma", caller=EDITOR, organisation="Uusi kunta", now=NOW
    )
    assert (report["created"], report["batch"]) == (2, 1)
    result = undo.undo_batch(demo_con, EDITOR, report["batch"], now=LATER)
    assert state(demo_con) == before
    assert result.measures_removed == 2 and result.budget_lines_removed == 1
    assert {entity: len(ids) for entity, ids in result.removed.items()} == {
        "cost_centre": 1, "theme": 2, "programme": 1, "organisation": 1,
    }  # fmt: skip
    # the batch itself stays, marked undone; the integrity check knows an undone batch's programme may be gone
    assert demo_con.execute("SELECT undone_at IS NOT NULL FROM import_batches").fetchall() == [(True,)]
    assert orphan_rows(demo_con)["orphans"].sum() == 0


def test_an_existing_cost_centre_named_by_the_import_gets_its_name_back(demo_con):
    centre = write.budget.add_cost_centre(demo_con, EDITOR, 1, {"code": "5555"})
    rows = [measure_row("9.1", year="2025", cost_centre="5555 Nimetty", planned="1")]
    _, report = importer.import_bytes(demo_con, csv_bytes(rows), "n.csv", DEMO_PROGRAMME, caller=EDITOR)
    assert demo_con.execute("SELECT name FROM cost_centres WHERE id = ?", [centre]).fetchone() == ("Nimetty",)
    undo.undo_batch(demo_con, EDITOR, report["batch"])
    assert demo_con.execute("SELECT name FROM cost_centres WHERE id = ?", [centre]).fetchone() == (None,)


def later_description_edit(con):
    measure = write.measures.read_measure(con, measure_id(con, "2.4"))
    fields = {k: measure[k] for k in write.measures.MEASURE_EDITABLE} | {"description_fi": "Käsin kirjoitettu"}
    write.measures.save_measure(con, EDITOR, measure["id"], fields, expected_version=measure["version"])
    return ("2.4", "description", "changed")


def later_weekly_update(con):
    measure = write.measures.read_measure(con, measure_id(con, "1.1"))
    write.measures.update_measures(
        con, EDITOR, [{"measure_id": measure["id"], "expected_version": measure["version"], "note": "Tarkistettu"}]
    )
    return ("1.1", "status_history", "later_event")


def later_budget_edit(con):
    line_id = con.execute(
        "SELECT b.id FROM budget_lines b JOIN measures m ON m.id = b.measure_id WHERE m.code = '1.1' AND b.year = 2023"
    ).fetchone()[0]
    line = write.budget.read_budget_line(con, line_id)
    fields = {k: line[k] for k in ("year", "cost_centre_id", "funding_source", "note")}
    write.budget.save_budget_line(
        con, EDITOR, line_id, fields | {"planned_eur": "149000", "actual_eur": line["actual_eur"]},
        expected_version=line["version"],
    )  # fmt: skip
    return ("1.1", "planned", "changed")


def later_new_line_edit(con):
    line_id = con.execute(
        "SELECT b.id FROM budget_lines b JOIN measures m ON m.id = b.measure_id"
        " JOIN cost_centres c ON c.id = b.cost_centre_id WHERE m.code = '6.2' AND b.year = 2024 AND c.code = '4410'"
    ).fetchone()[0]
    line = write.budget.read_budget_line(con, line_id)
    fields = {k: line[k] for k in ("year", "cost_centre_id", "funding_source", "actual_eur")}
    write.budget.save_budget_line(
        con, EDITOR, line_id, fields | {"planned_eur": "5000", "note": "oikea summa"}, expected_version=line["version"]
    )
    return ("6.2", "budget_line", "edited")


@pytest.mark.parametrize("later_edit", [later_description_edit, later_weekly_update, later_budget_edit,
                                        later_new_line_edit])  # fmt: skip
def test_undo_is_refused_where_a_later_edit_touched_the_same_fields_and_changes_nothing(demo_con, later_edit):
    _, report = importer.import_bytes(demo_con, example(), "e.csv", DEMO_PROGRAMME, caller=EDITOR, now=NOW)
    expected = later_edit(demo_con)
    before = snapshot(demo_con)
    with pytest.raises(undo.UndoRefused) as refused:
        undo.undo_batch(demo_con, EDITOR, report["batch"])
    assert expected in [(c.code, c.field, c.reason) for c in refused.value.conflicts]
    assert snapshot(demo_con) == before
    assert undo.conflicts(demo_con, report["batch"]) == refused.value.conflicts
    assert "samoja tietoja" in importer.i18n.t(refused.value.key, "fi", **refused.value.params)


def test_a_created_measure_edited_later_refuses_the_undo(demo_con):
    _, report = importer.import_bytes(demo_con, csv_bytes([measure_row("9.1")]), "u.csv", DEMO_PROGRAMME)
    measure = write.measures.read_measure(demo_con, measure_id(demo_con, "9.1"))
    write.measures.update_measure(demo_con, EDITOR, measure["id"], expected_version=measure["version"], progress=40)
    with pytest.raises(undo.UndoRefused) as refused:
        undo.undo_batch(demo_con, EDITOR, report["batch"])
    assert {(c.code, c.reason) for c in refused.value.conflicts} == {("9.1", "edited"), ("9.1", "later_event")}
    message = import_changes.conflict_line(refused.value.conflicts[0], "fi")
    assert message == "9.1 · Uusi toimenpide: muokattu tuonnin jälkeen"


def test_a_later_edit_of_other_fields_does_not_stop_the_undo_and_is_kept(demo_con):
    before = state(demo_con)
    _, report = importer.import_bytes(demo_con, example(), "e.csv", DEMO_PROGRAMME, caller=EDITOR, now=NOW)
    measure = write.measures.read_measure(demo_con, measure_id(demo_con, "2.4"))
    fields = {k: measure[k] for k in write.measures.MEASURE_EDITABLE} | {"contact_name": "Uusi Yhteyshenkilö"}
    write.measures.save_measure(demo_con, EDITOR, measure["id"], fields, expected_version=measure["version"])
    undo.undo_batch(demo_con, EDITOR, report["batch"])
    after = state(demo_con)
    assert after != before
    restored = write.measures.read_measure(demo_con, measure["id"])
    assert (restored["contact_name"], restored["is_published"], restored["status"]) == (
        "Uusi Yhteyshenkilö",
        True,
        "late",
    )


@pytest.mark.parametrize("who", [ANONYMOUS, Caller(role="viewer", email="v@x.fi")])
def test_only_editors_undo(demo_con, who):
    _, report = importer.import_bytes(demo_con, example(), "e.csv", DEMO_PROGRAMME)
    with pytest.raises(PermissionDenied):
        undo.undo_batch(demo_con, who, report["batch"])


def test_a_failure_in_the_middle_of_an_undo_leaves_everything_as_it_was(demo_con, monkeypatch):
    _, report = importer.import_bytes(demo_con, example(), "e.csv", DEMO_PROGRAMME)
    before = snapshot(demo_con)

    def fail(*_args, **_kwargs):
        raise RuntimeError("disk full")

    monkeypatch.setattr(write.imports, "mark_undone", fail)
    with pytest.raises(RuntimeError):
        undo.undo_batch(demo_con, SYSTEM, report["batch"])
    assert snapshot(demo_con) == before


# ---------------------------------------------------------------- the CLI


def test_cli_dry_run_prints_every_change_and_the_import_its_batch(demo_db_path, tmp_path, capsys):
    path = tmp_path / "e.csv"
    path.write_bytes(example())
    args = ["--db", str(demo_db_path), "import", str(path), "--programme", DEMO_PROGRAMME]
    assert cli.main([*args, "--dry-run"]) == 0
    out = capsys.readouterr().out
    assert "rivi 6 · 1.1 · Tila: Valmis → Myöhässä  ⚠ tila siirtyy taaksepäin" in out
    assert "rivi 7 · 2.4 · Julkinen: kyllä → ei  ⚠ poistuu julkisesta näkymästä" in out
    assert "22 changes, 14 flagged" in out and "not written" in out
    assert cli.main([*args, "--json", "--lang", "sv"]) == 0
    report = json.loads(capsys.readouterr().out)
    assert report["batch"] == 1 and len(report["changes"]) == 22


def test_cli_undo_undoes_and_refuses_with_exit_codes(demo_db_path, tmp_path, capsys):
    con = db.connect(demo_db_path)
    before = state(con)
    _, report = importer.import_bytes(con, example(), "e.csv", DEMO_PROGRAMME)
    con.close()
    base = ["--db", str(demo_db_path), "import"]
    assert cli.main([*base, "--undo", str(report["batch"]), "--json"]) == 0
    done = json.loads(capsys.readouterr().out)
    assert (done["undone"], done["measures_restored"], done["errors"]) == (True, 4, [])
    con = db.connect(demo_db_path)
    assert state(con) == before
    con.close()
    assert cli.main([*base, "--undo", str(report["batch"])]) == 1
    assert "on jo peruttu" in capsys.readouterr().err
    assert cli.main([*base, "--undo", "999", "--json", "--lang", "en"]) == 1
    assert json.loads(capsys.readouterr().out)["errors"] == ["There is no import batch 999."]

    con = db.connect(demo_db_path)
    _, second = importer.import_bytes(con, example(), "e.csv", DEMO_PROGRAMME)
    later_weekly_update(con)
    con.close()
    assert cli.main([*base, "--undo", str(second["batch"])]) == 1
    err = capsys.readouterr().err
    assert "ei peruttu" in err and "1.1 · Tilahistoria: tilaa tai edistymistä on päivitetty tuonnin jälkeen" in err


# ---------------------------------------------------------------- the timeline note


def test_an_imported_status_change_shows_no_nan_note_on_the_public_page(demo_db_path):
    from tests.test_public import html_of, public_app

    con = db.connect(demo_db_path)
    rows = [measure_row("6.2", theme="Yhteistyö ja viestintä", title="Asukkaiden ilmastoviestintä", progress="65")]
    importer.import_bytes(con, csv_bytes(rows), "viikko.csv", DEMO_PROGRAMME)
    con.close()
    at = public_app(measure="6.2")
    page = html_of(at)
    assert "65 %" in page  # the import's event is on the timeline
    assert "nan" not in page.lower().replace("nanny", "")
    event = db.query(db.connect(demo_db_path), "public_measure_events", measure_id=38).iloc[0]
    assert (event["new_progress"], event["note"]) == (65, "")


def test_money_values_in_changes_are_exact_decimals(demo_con):
    rows = [measure_row("9.1", year="2025", cost_centre="1275", planned="0,10", actual="1 234 567,89")]
    plan = importer.validate(importer.read_table(csv_bytes(rows), "m.csv"))
    resolution = importer.resolve(demo_con, plan, DEMO_PROGRAMME)
    money = [(c.field, c.after) for c in resolution.changes if c.field in ("planned", "actual")]
    assert money == [("planned", Decimal("0.10")), ("actual", Decimal("1234567.89"))]
