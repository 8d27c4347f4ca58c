"""An import that can always be re-imported (issue 17): a new theme on an
existing measure, one limit per text for form, import and export, bad cells
named by row and column, a file with no rows, fractional progress; and, as a
property, whatever the app exports it imports again without a change."""

from __future__ import annotations

import json
from datetime import date
from decimal import Decimal

import pytest
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from tests.db_reads import read
from tests.spreadsheet_files import HEADER_FI, csv_bytes, measure_row, snapshot
from tests.test_importer import DEMO_PROGRAMME, EDITOR
from tracker import cli, db, rules, write
from tracker.errors import ValidationError
from tracker.spreadsheet import exporter, importer
from tracker.status import STATUSES
from tracker.write.base import transaction


def problems(report) -> list[tuple]:
    return [(p["row"], p["column"], p["message"]) for p in report["errors"]]


# ---------------------------------------------------------------- a new theme on an existing measure


def test_a_new_theme_on_an_existing_measure_is_created_and_dry_run_and_import_agree(demo_db_path, tmp_path, capsys):
    path = tmp_path / "teema.csv"
    rows = [measure_row("6.1", theme="Kansainvälisyys", title="Liittyminen ICLEI-verkostoon", status="Valmis",
                        progress="100")]  # fmt: skip
    path.write_bytes(csv_bytes(rows))
    args = ["--db", str(demo_db_path), "import", str(path), "--programme", DEMO_PROGRAMME, "--json"]
    assert cli.main([*args, "--dry-run"]) == 0
    dry = json.loads(capsys.readouterr().out)
    assert cli.main(args) == 0
    real = json.loads(capsys.readouterr().out)
    assert (dry["updated"], real["updated"], real["written"], real["errors"]) == (1, 1, True, [])
    assert real["changes"] == dry["changes"]
    theme = next(c for c in real["changes"] if c["field"] == "theme")
    assert (theme["before"], theme["after"], theme["flag"]) == (
        "Yhteistyö ja viestintä",
        "Kansainvälisyys",
        "new_theme",
    )
    con = db.connect(demo_db_path)
    try:
        assert con.execute(
            "SELECT t.name_fi FROM measures m JOIN themes t ON t.id = m.theme_id WHERE m.code = '6.1'"
        ).fetchone() == ("Kansainvälisyys",)
    finally:
        con.close()


# ---------------------------------------------------------------- one limit per text


def test_one_description_limit_for_form_import_and_export(demo_con):
    assert write.measures.MEASURE_TEXT_FIELDS["description_fi"][0] == rules.DESCRIPTION_MAX
    assert write.measures.MEASURE_TEXT_FIELDS["responsible_unit"][0] == rules.RESPONSIBLE_MAX
    measure_id = demo_con.execute("SELECT id FROM measures WHERE code = '6.1'").fetchone()[0]
    measure = write.measures.read_measure(demo_con, measure_id)
    fields = {k: measure[k] for k in write.measures.MEASURE_EDITABLE}
    write.measures.save_measure(
        demo_con, EDITOR, measure_id, fields | {"description_fi": "k" * 5000, "responsible_unit": "v" * 300},
        expected_version=measure["version"],
    )  # fmt: skip
    with pytest.raises(ValidationError):
        write.measures.save_measure(
            demo_con, EDITOR, measure_id, fields | {"description_fi": "k" * (rules.DESCRIPTION_MAX + 1)},
            expected_version=measure["version"] + 1,
        )  # fmt: skip
    for fmt in ("csv", "xlsx"):
        data = exporter.export_programme(demo_con, exporter.programme_id_by_name(demo_con, DEMO_PROGRAMME), fmt)
        code, report = importer.import_bytes(demo_con, data, f"vienti.{fmt}", DEMO_PROGRAMME, dry_run=True)
        assert (code, report["errors"], report["changes"]) == (0, [], [])
    at_limit = csv_bytes([measure_row(description="k" * rules.DESCRIPTION_MAX)])
    over = csv_bytes([measure_row(description="k" * (rules.DESCRIPTION_MAX + 1))])
    assert importer.validate(importer.read_table(at_limit)).errors == []
    assert [(p.row, p.column, p.key) for p in importer.validate(importer.read_table(over)).errors] == [
        (2, "Kuvaus", "import.cell.too_long")
    ]


# ---------------------------------------------------------------- bad cells named


def test_a_nul_byte_in_a_cell_is_named_by_row_and_column(con):
    data = csv_bytes([measure_row("1.1"), measure_row("1.2", description="ennen\x00jälkeen")])
    code, report = importer.import_bytes(con, data, "nul.csv", "P", lang="en")
    assert code == 1
    assert problems(report) == [
        (3, "Kuvaus", "The cell holds a NUL character (zero byte) that cannot be stored. Retype the cell's text.")
    ]
    assert con.execute("SELECT count(*) FROM programmes").fetchone() == (0,)


def test_a_cell_over_128_kb_is_named_by_row_and_column_in_any_column(con):
    header = [*HEADER_FI, "Muistiinpano"]
    rows = [measure_row("1.1") | {"Muistiinpano": "x" * (128 * 1024 + 1)}, measure_row("1.2", title="y" * 200_000)]
    code, report = importer.import_bytes(con, csv_bytes(rows, header), "iso.csv", "P")
    assert code == 1
    assert problems(report) == [
        (2, "Muistiinpano", "Solussa on yli 128 kt tekstiä."),
        (3, "Toimenpide", "Solussa on yli 128 kt tekstiä."),
    ]


def test_a_control_character_in_a_cell_is_named_by_row_and_column(con):
    # a page break pasted from a word processor: an .xlsx file could not carry it on export
    data = csv_bytes([measure_row("1.1", title="Sivun\x0cvaihto")])
    code, report = importer.import_bytes(con, data, "c.csv", "P")
    assert code == 1
    assert [(p["row"], p["column"]) for p in report["errors"]] == [(2, "Toimenpide")]
    assert "ohjausmerkki" in report["errors"][0]["message"]


def test_the_form_refuses_control_characters_so_every_measure_can_be_exported(demo_con):
    theme_id, programme_id = demo_con.execute("SELECT theme_id, programme_id FROM measures LIMIT 1").fetchone()
    with pytest.raises(ValidationError) as refused:
        write.measures.create_measure(
            demo_con, EDITOR, programme_id, {"code": "9.9", "title_fi": "A\x0cB", "theme_id": theme_id}
        )
    assert refused.value.problems == {"title_fi": ("validation.control_characters", {})}
    with pytest.raises(ValidationError) as spaced:
        write.budget.add_cost_centre(demo_con, EDITOR, 1, {"code": "12 75"})
    assert spaced.value.problems["code"][0] == "validation.cost_centre_code_one_word"


# ---------------------------------------------------------------- nothing to import


def test_a_header_only_file_imports_nothing_creates_nothing_and_says_so(empty_db_path, tmp_path, capsys):
    path = tmp_path / "pohja.csv"
    path.write_bytes(exporter.template("csv"))
    before = read(empty_db_path, snapshot)
    code = cli.main(["--db", str(empty_db_path), "import", str(path), "--programme", "Uusi", "--json"])
    report = json.loads(capsys.readouterr().out)
    assert (code, report["written"], report["rows"], report["batch"]) == (0, False, 0, None)
    assert report["warnings"] == [
        {"row": None, "column": None, "message": "Tiedostossa on vain otsikkorivi. Mitään ei tuotu eikä mitään luotu."}
    ]
    assert read(empty_db_path, snapshot) == before


# ---------------------------------------------------------------- fractional progress


def test_fractional_progress_is_rounded_with_a_warning_naming_row_and_column(con):
    rows = [
        measure_row("1.1", progress="55,5"),
        measure_row("1.2", progress="40"),
        measure_row("1.3", progress="7,25 %"),
    ]
    code, report = importer.import_bytes(con, csv_bytes(rows), "p.csv", "P")
    assert code == 0
    assert report["warnings"] == [
        {"row": 2, "column": "Edistyminen %",
         "message": "Edistyminen 55,5 % pyöristettiin 56 %:iin: seuranta pitää edistymisen kokonaisina prosentteina."},
        {"row": 4, "column": "Edistyminen %",
         "message": "Edistyminen 7,25 % pyöristettiin 7 %:iin: seuranta pitää edistymisen kokonaisina prosentteina."},
    ]  # fmt: skip
    assert con.execute("SELECT code, progress FROM measures ORDER BY code").fetchall() == [
        ("1.1", 56),
        ("1.2", 40),
        ("1.3", 7),
    ]


# ---------------------------------------------------------------- whatever the app exports, it imports

TEXT = st.text(
    alphabet=st.sampled_from(list("abcåäöABCÅÄÖ 0123456789.,;:'\"”=+-@_()[]<>#%€é—\t\n\r")),
    max_size=60,
)


def long_text(limit: int):
    """Text near a limit: a generated head, then filler up to a drawn length."""
    return st.tuples(TEXT, st.integers(min_value=0, max_value=limit)).map(lambda p: (p[0] + "x" * p[1])[:limit])


MEASURES = st.fixed_dictionaries(
    {
        "code": TEXT.filter(lambda t: 0 < len(t.strip()) <= rules.MEASURE_CODE_MAX and "\n" not in t),
        "title_fi": long_text(rules.MEASURE_TITLE_MAX).filter(lambda t: t.strip() and "\n" not in t),
        "description_fi": st.one_of(st.none(), long_text(rules.DESCRIPTION_MAX)),
        "responsible_unit": st.one_of(st.none(), long_text(rules.RESPONSIBLE_MAX).filter(lambda t: "\n" not in t)),
        "status": st.sampled_from(STATUSES),
        "progress": st.integers(0, 100),
        "start_date": st.one_of(st.none(), st.dates(date(rules.MIN_YEAR, 1, 1), date(2050, 12, 31))),
        "is_continuous": st.booleans(),
        "is_published": st.booleans(),
        "centre": st.one_of(st.none(), st.tuples(st.from_regex(r"[0-9A-Za-z.=+-]{1,12}", fullmatch=True), TEXT)),
        "planned": st.decimals(Decimal(0), rules.MAX_EUROS, places=2),
        "actual": st.one_of(st.none(), st.decimals(Decimal(0), rules.MAX_EUROS, places=2)),
    }
)


@settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(measure=MEASURES, fmt=st.sampled_from(["csv", "xlsx"]), lang=st.sampled_from(["fi", "sv", "en"]))
def test_whatever_the_app_exports_it_imports_again_unchanged(con, measure, fmt, lang):
    """A measure saved through the form (and its budget line) exports and imports
    back with no error and no change."""
    with transaction(con, write.base.Target("programme")) as cur:
        count = cur.execute("SELECT count(*) FROM programmes").fetchone()[0]
        organisation = write.programmes.insert_organisation(cur, EDITOR, f"Kunta {count}", now=db.utcnow())
        programme = write.programmes.insert_programme(cur, EDITOR, organisation, f"Ohjelma {count}", now=db.utcnow())
        theme = write.programmes.insert_theme(cur, EDITOR, programme, 1, "Teema", now=db.utcnow())
    form = {k: measure[k] for k in ("code", "title_fi", "description_fi", "responsible_unit", "start_date",
                                    "is_continuous", "is_published")}  # fmt: skip
    try:
        measure_id = write.measures.create_measure(con, EDITOR, programme, form | {"theme_id": theme})
    except ValidationError:
        assume(False)
    current = write.measures.read_measure(con, measure_id)
    write.measures.update_measure(
        con, EDITOR, measure_id, expected_version=current["version"], status=measure["status"],
        progress=measure["progress"],
    )  # fmt: skip
    if measure["centre"]:
        code, name = measure["centre"]
        try:
            centre = write.budget.add_cost_centre(con, EDITOR, organisation, {"code": code, "name": name})
        except ValidationError:
            assume(False)
        line = {"year": 2024, "cost_centre_id": centre, "planned_eur": measure["planned"],
                "actual_eur": measure["actual"]}  # fmt: skip
        write.budget.add_budget_line(con, EDITOR, measure_id, line)
    data = exporter.export_programme(con, programme, fmt, lang)
    name = con.execute("SELECT name FROM programmes WHERE id = ?", [programme]).fetchone()[0]
    code, report = importer.import_bytes(con, data, f"vienti.{fmt}", name, dry_run=True)
    assert (code, report["errors"]) == (0, [])
    assert report["changes"] == []
