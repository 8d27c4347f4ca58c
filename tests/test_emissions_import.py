"""SYKE's emission files (tracker/outcomes/syke_import.py): each reading to the last
decimal against sums done by hand, the workbook like the CSV, a newer file replacing
the older one's figures and saying what changed, and all or nothing. File names, fetching
and the workbook reader's limits are in test_emissions_files.py.

The fixture ``tests/data/emissions/kunta_167.csv`` is synthetic, in SYKE's per-municipality
format (47 rows: 2007, 2022, 2023). It mixes every boolean spelling, quoted and unquoted
cells, NA in every column, a row whose values are all NA (rail 2007), kt_tuuli NA on a
non-Hinku row (2022) and on a Hinku row (F-gases 2023), and a wind credit with kt NA (2022)
and with kt given (2023). The workbook fixture holds the same rows as SYKE's workbook has
them (full names, On/Ei) and one row of Kontiolahti (276)."""

from __future__ import annotations

import io
import json
import zipfile
from decimal import Decimal
from pathlib import Path

import pytest

from tests.integrity import orphan_rows
from tests.write_conflicts import refuse_first_audit_of
from tracker import cli, db
from tracker.auth import SYSTEM, Caller
from tracker.outcomes import syke_import
from tracker.outcomes.syke_import import Choices
from tracker.write import programmes

DATA = Path(__file__).parent / "data" / "emissions"
CSV = DATA / "kunta_167.csv"
WORKBOOK = DATA / "KAIKKI KUNNAT_ALas 1.7_1990_2005-2023e_TEST.xlsx"
EDITOR = Caller(role="editor", email="coordinator@joensuu.example")

# The readings summed by hand from kunta_167.csv (kt CO2e):
# all sectors = every kt but the credit rows; without emissions trading = kt of the rows
# whose päästökauppa is false, credits aside; Hinku = kt_tuuli (kt where kt_tuuli is NA)
# of the rows whose hinku_laskenta is true, credits included.
# 2007 all: 38.512 + 45.187 + 27.936 + 142.608 + 6.317 + 31.402 + 96.45 + 18.733 + 24.105
#           + 61.244 + 9.826 + 21.817 + 14.322 + 7.905 = 546.364 (rail 2007 is NA)
# 2007 non-ETS: 6.317 + 31.402 + 18.733 + 24.105 + 61.244 + 9.826 + 21.817 + 14.322 + 7.905 = 195.671
# 2007 Hinku: 546.364 − 45.187 (industrial electricity) − 96.45 (ETS fuels) − 9.826 (drive-through) = 394.901
# 2022 Hinku: 18.204 + 13.118 + 71.355 + 2.048 + 12.877 + 9.461 + 19.882 + 48.019 + 0.412 + 19.346
#             + 5.915 + 5.128 − 1.25 (credit, from kt_tuuli) = 224.515
# 2023 Hinku: 12.731 + 9.264 + 58.912 + 1.507 + 11.296 + 8.058 + 19.215 + 46.733 + 0.236 + 19.104
#             + 5.406 + 4.877 (F-gases: kt_tuuli NA, so kt) − 2.478 (credit) = 194.861
EXPECTED = {
    2007: {"total_kt": "546.364", "non_ets_kt": "195.671", "hinku_kt": "394.901", "hinku_no_credits_kt": "394.901"},
    2022: {"total_kt": "315.717", "non_ets_kt": "131.133", "hinku_kt": "224.515", "hinku_no_credits_kt": "225.765"},
    2023: {"total_kt": "278.931", "non_ets_kt": "124.508", "hinku_kt": "194.861", "hinku_no_credits_kt": "197.339"},
}


def organisation(con, name: str = "Joensuun kaupunki") -> int:
    return syke_import.find_organisation(con, name)


def readings(con, organisation_id: int) -> dict[int, dict]:
    cur = con.cursor()
    try:
        return {
            row["year"]: row for row in syke_import.run_query(cur, "emission_totals", organisation_id=organisation_id)
        }
    finally:
        cur.close()


def sectors(con, organisation_id: int, level: int, reading: str) -> dict[tuple[int, str], Decimal]:
    cur = con.cursor()
    try:
        rows = syke_import.run_query(
            cur, "emission_sectors", organisation_id=organisation_id, level=level, reading=reading
        )
    finally:
        cur.close()
    return {(row["year"], row["sector"]): row["kt"] for row in rows}


def import_file(con, path: Path, organisation_id: int, choices: Choices | None = None, **options) -> tuple[int, dict]:
    data, choices = path.read_bytes(), choices or Choices()
    return syke_import.import_bytes(con, data, path.name, organisation_id, caller=EDITOR, choices=choices, **options)


def counts(con) -> tuple:
    return tuple(
        con.execute(f"SELECT count(*) FROM {table}").fetchone()[0]
        for table in ("emission_rows", "emission_imports", "audit_log", "indicators")
    )


@pytest.fixture
def joensuu(con):
    """An empty database with Joensuu, its municipality number not yet known."""
    cur = con.cursor()
    try:
        cur.execute("BEGIN")
        org_id = programmes.insert_organisation(cur, SYSTEM, "Joensuun kaupunki", now=db.utcnow())
        cur.execute("COMMIT")
    finally:
        cur.close()
    return org_id


# -- the readings, to the last decimal --


def test_the_csv_gives_each_reading_exactly_as_summed_by_hand(con, joensuu):
    code, report = import_file(con, CSV, joensuu)
    assert code == 0, report["errors"]
    assert report["written"] and report["rows"] == 47 and report["errors"] == [] and report["warnings"] == []
    stored = readings(con, joensuu)
    for year, expected in EXPECTED.items():
        for column, value in expected.items():
            assert stored[year][column] == Decimal(value), (year, column)
    # the file name gave the municipality number, which the organisation now has
    assert con.execute("SELECT municipality_number FROM organisations WHERE id = ?", [joensuu]).fetchone()[0] == 167
    assert orphan_rows(con)["orphans"].sum() == 0


def test_level_three_sectors_under_each_reading(con, joensuu):
    import_file(con, CSV, joensuu)
    total = sectors(con, joensuu, 3, "total")
    assert total[(2007, "Kulutussähkö")] == Decimal("83.699")  # 38.512 + 45.187
    assert total[(2023, "Tieliikenne")] == Decimal("55.045")  # 46.733 + 8.312
    assert (2007, "Raideliikenne") not in total  # every value NA: no figure, not 0
    assert not any(sector == "Päästöhyvitykset" for _, sector in total)  # credits are not emissions
    hinku = sectors(con, joensuu, 3, "hinku")
    assert hinku[(2023, "Päästöhyvitykset")] == Decimal("-2.478")
    assert hinku[(2022, "Päästöhyvitykset")] == Decimal("-1.25")  # kt NA, kt_tuuli −1.25
    assert hinku[(2023, "Tieliikenne")] == Decimal("46.733")  # drive-through traffic left out
    assert hinku[(2023, "F-kaasut")] == Decimal("4.877")  # kt where kt_tuuli is NA
    non_ets = sectors(con, joensuu, 3, "non_ets")
    assert non_ets[(2023, "Kaukolämpö")] == Decimal("1.507") and (2023, "Kulutussähkö") not in non_ets
    for year, expected in EXPECTED.items():
        assert sum(v for (y, _), v in total.items() if y == year) == Decimal(expected["total_kt"])
        assert sum(v for (y, _), v in hinku.items() if y == year) == Decimal(expected["hinku_kt"])


def test_levels_one_and_two_follow_from_level_three(con, joensuu):
    import_file(con, CSV, joensuu)
    level_2 = sectors(con, joensuu, 2, "hinku")
    # heating of buildings 2023: electric 9.264 + district 58.912 + 1.507 + oil 11.296
    assert level_2[(2023, "Rakennusten lämmitys")] == Decimal("80.979")
    assert level_2[(2023, "Liikenne")] == Decimal("46.969")  # road 46.733 + rail 0.236
    assert level_2[(2023, "Kompensaatiot")] == Decimal("-2.478")
    level_1 = sectors(con, joensuu, 1, "total")
    # energy 2007: every sector but agriculture 21.817, waste 14.322 and F-gases 7.905
    assert level_1[(2007, "Energia")] == Decimal("546.364") - Decimal("21.817") - Decimal("14.322") - Decimal("7.905")
    assert level_1[(2007, "Teollisuusprosessit")] == Decimal("7.905")


def test_the_workbook_gives_the_same_readings_and_marks_its_last_year_preliminary(con, joensuu):
    code, report = import_file(con, WORKBOOK, joensuu, Choices(167))
    assert code == 0, report["errors"]
    assert report["kind"] == "workbook" and report["model_version"] == "ALas 1.7"
    assert report["preliminary_years"] == [2023]
    stored = readings(con, joensuu)
    for year, expected in EXPECTED.items():
        assert {k: stored[year][k] for k in expected} == {k: Decimal(v) for k, v in expected.items()}
    assert [stored[year]["is_preliminary"] for year in (2007, 2022, 2023)] == [False, False, True]


def test_a_workbook_fills_every_organisation_whose_municipality_number_is_known(con, joensuu):
    cur = con.cursor()
    cur.execute("BEGIN")
    kontiolahti = programmes.insert_organisation(cur, SYSTEM, "Kontiolahden kunta", now=db.utcnow())
    programmes.set_municipality_number(cur, SYSTEM, kontiolahti, 276, now=db.utcnow())
    unknown = programmes.insert_organisation(cur, SYSTEM, "Liperin kunta", now=db.utcnow())
    programmes.set_municipality_number(cur, SYSTEM, unknown, 426, now=db.utcnow())
    cur.execute("COMMIT")
    cur.close()
    code, report = import_file(con, WORKBOOK, joensuu, Choices(167))
    assert code == 0
    assert [(o["organisation"], o["municipality_number"]) for o in report["organisations"]] == [
        ("Joensuun kaupunki", 167),
        ("Kontiolahden kunta", 276),
    ]
    assert readings(con, kontiolahti)[2023]["hinku_kt"] == Decimal("9.5")
    assert readings(con, unknown) == {}
    assert any("Liperin kunta" in w["message"] for w in report["warnings"])


# -- emissions show --


def test_show_gives_the_json_the_issue_specifies(con, joensuu, capsys, empty_db_path):
    import_file(con, WORKBOOK, joensuu, Choices(167))
    con.close()
    assert (
        cli.main(["--db", str(empty_db_path), "emissions", "show", "--organisation", "Joensuun kaupunki", "--json"])
        == 0
    )
    shown = json.loads(capsys.readouterr().out)
    assert [set(year) for year in shown] == [
        {"year", "total_kt", "non_ets_kt", "hinku_kt", "preliminary", "sectors"}
    ] * 3
    assert shown[2] | {"sectors": None} == {
        "year": 2023,
        "total_kt": 278.931,
        "non_ets_kt": 124.508,
        "hinku_kt": 194.861,
        "preliminary": True,
        "sectors": None,
    }
    assert shown[0]["sectors"]["Kaukolämpö"] == 148.925
    assert sum(Decimal(str(v)) for v in shown[0]["sectors"].values()) == Decimal("546.364")
    assert cli.main(["--db", str(empty_db_path), "emissions", "show", "--organisation", "Joensuun kaupunki"]) == 0
    text = capsys.readouterr().out
    assert "2023 (preliminary): all sectors 278.931 kt, without emissions trading 124.508 kt, Hinku 194.861 kt" in text


# -- a newer file replaces the figures and says what changed --


def test_a_final_file_replaces_the_preliminary_year_and_says_so(con, joensuu):
    import_file(con, WORKBOOK, joensuu, Choices(167))
    final = CSV.read_text(encoding="utf-8").replace(
        "2023;Tie;Kad;Hen;On;Ei;46,733;46,733", "2023;Tie;Kad;Hen;On;Ei;45,733;45,733"
    )
    code, report = syke_import.import_bytes(con, final.encode(), "kunta_167.csv", joensuu, caller=EDITOR)
    assert code == 0
    (organisation,) = report["organisations"]
    assert organisation["unchanged_years"] == 2
    (change,) = organisation["changes"]
    assert (change["year"], change["change"]) == (2023, "finalised")
    assert change["before"] == {"total_kt": 278.931, "non_ets_kt": 124.508, "hinku_kt": 194.861, "preliminary": True}
    assert change["after"] == {"total_kt": 277.931, "non_ets_kt": 123.508, "hinku_kt": 193.861, "preliminary": False}
    lines = syke_import.change_lines(organisation, "fi")
    assert lines[1] == (
        "2023: lopullinen luku korvasi ennakkotiedon, Hinku 194,861 → 193,861 kt, kaikki sektorit 278,931 → 277,931 kt."
    )
    # the audit row says what changed
    after = json.loads(
        con.execute(
            "SELECT after FROM audit_log WHERE action = 'emissions.import' ORDER BY id DESC LIMIT 1"
        ).fetchone()[0]
    )
    assert after["changed_years"] == "2023 finalised 194.861 → 193.861"
    assert after["file"] == "kunta_167.csv"


def test_years_added_changed_and_removed_are_each_said(con, joensuu):
    import_file(con, CSV, joensuu)
    text = CSV.read_text(encoding="utf-8")
    newer = "\n".join(line for line in text.splitlines() if not line.startswith("2007")) + "\n"
    newer += "2024;Tie;Kad;Hen;TRUE;FALSE;44,1;44,1;190\n"
    newer = newer.replace("2022;Maa;Kot;Elä;true;0;19,346;19,346", "2022;Maa;Kot;Elä;true;0;20,346;20,346")
    code, report = syke_import.import_bytes(
        con, newer.encode(), "kunta_167.csv", joensuu, caller=EDITOR, choices=Choices(allow_older=True)
    )
    assert code == 0, report["errors"]
    changes = {c["year"]: c["change"] for c in report["organisations"][0]["changes"]}
    assert changes == {2007: "removed", 2022: "changed", 2024: "added"}
    assert readings(con, joensuu)[2022]["hinku_kt"] == Decimal("225.515")


def test_an_older_file_is_refused_unless_asked_for(con, joensuu):
    import_file(con, CSV, joensuu)  # 2023 final
    before = counts(con)
    code, report = import_file(con, WORKBOOK, joensuu)  # 2023 preliminary again
    assert code == 1 and report["refused_as_older"]
    assert "tiedosto on vanhempi" in report["errors"][0]["message"]
    assert counts(con) == before
    code, report = import_file(con, WORKBOOK, joensuu, Choices(allow_older=True))
    assert code == 0 and report["organisations"][0]["changes"][0]["change"] == "changed"


def test_a_dry_run_says_what_would_change_and_writes_nothing(con, joensuu):
    before = counts(con)
    code, report = import_file(con, CSV, joensuu, dry_run=True)
    assert code == 0 and not report["written"]
    assert [c["change"] for c in report["organisations"][0]["changes"]] == ["added"] * 3
    assert counts(con) == before
    assert con.execute("SELECT municipality_number FROM organisations").fetchone()[0] is None


def test_a_write_refused_for_another_writers_commit_is_run_again_once_whole(con, joensuu, monkeypatch):
    """Another process wrote the same tables at that moment: the refused import runs
    again from the start, unseen, and its rows and audit row are there once."""
    refused = refuse_first_audit_of(
        monkeypatch, "emissions.import", "TransactionContext Error: Transaction conflict on commit"
    )
    code, report = import_file(con, CSV, joensuu)
    assert refused and code == 0 and report["written"], report["errors"]
    assert con.execute("SELECT count(*) FROM emission_imports").fetchone()[0] == 1
    assert con.execute("SELECT count(*) FROM audit_log WHERE action = 'emissions.import'").fetchone()[0] == 1
    stored = readings(con, joensuu)
    assert {year: {column: stored[year][column] for column in expected} for year, expected in EXPECTED.items()} == {
        year: {column: Decimal(value) for column, value in expected.items()} for year, expected in EXPECTED.items()
    }


# -- all or nothing, errors by row and column --


def test_bad_cells_are_reported_by_row_and_column_and_nothing_is_written(con, joensuu):
    lines = CSV.read_text(encoding="utf-8").splitlines()
    fuels = next(i for i, line in enumerate(lines) if line.startswith("2022;Teo;Teo;TeP;On;Ei"))
    lines[3] = lines[3].replace("TRUE;TRUE", "kyllä ehkä;TRUE")  # row 4: hinku_laskenta
    lines[fuels] = lines[fuels].replace("9,461", "9,46,1")  # a number with two decimal commas
    lines[40] = "20x3" + lines[40][4:]  # row 41: vuosi
    before = counts(con)
    code, report = syke_import.import_bytes(con, ("\n".join(lines) + "\n").encode(), "kunta_167.csv", joensuu)
    assert code == 1 and not report["written"]
    assert [(e["row"], e["column"]) for e in report["errors"]] == [
        (4, "hinku_laskenta"),
        (fuels + 1, "kt"),
        (fuels + 1, "kt_tuuli"),
        (41, "vuosi"),
    ]
    assert "On/Ei" in report["errors"][0]["message"]
    assert counts(con) == before


def test_a_file_that_is_not_syke_s_cannot_be_used(con, joensuu):
    code, report = syke_import.import_bytes(con, b"vuosi;kt\n2020;1\n", "kunta_167.csv", joensuu)
    assert code == 2
    assert "taso_3, hinku_laskenta, päästökauppa" in report["errors"][0]["message"]
    code, report = syke_import.import_bytes(con, b"", "kunta_167.csv", joensuu)
    assert code == 2
    book = io.BytesIO()
    with zipfile.ZipFile(book, "w") as archive:
        archive.writestr("xl/workbook.xml", "<workbook/>")
    code, report = syke_import.import_bytes(con, book.getvalue(), "x.xlsx", joensuu)
    assert code == 2


def test_unknown_codes_are_kept_with_a_warning(con, joensuu):
    text = CSV.read_text(encoding="utf-8") + "2023;Uus;Xyz;Asu;TRUE;FALSE;1,5;1,5;NA\n"
    code, report = syke_import.import_bytes(con, text.encode(), "kunta_167.csv", joensuu)
    assert code == 0
    messages = [w["message"] for w in report["warnings"]]
    assert any("”Uus”" in m and "tason 3" in m.lower() for m in messages), messages
    assert any("”Xyz”" in m for m in messages)
    assert sectors(con, joensuu, 3, "total")[(2023, "Uus")] == Decimal("1.5")
    assert readings(con, joensuu)[2023]["hinku_kt"] == Decimal("196.361")


# -- the municipality number --


def test_the_municipality_number_must_be_known_and_match_the_file(con, joensuu):
    code, report = syke_import.import_bytes(con, CSV.read_bytes(), "paastot.csv", joensuu)
    assert code == 1 and "kuntanumeroa" in report["errors"][0]["message"]
    code, report = syke_import.import_bytes(con, CSV.read_bytes(), "kunta_167.csv", joensuu, choices=Choices(276))
    assert code == 1 and "kunnan 167" in report["errors"][0]["message"]
    code, report = syke_import.import_bytes(con, CSV.read_bytes(), "paastot.csv", joensuu, choices=Choices(167))
    assert code == 0


def test_a_municipality_number_another_organisation_has_is_refused(con, joensuu):
    cur = con.cursor()
    cur.execute("BEGIN")
    other = programmes.insert_organisation(cur, SYSTEM, "Toinen kunta", now=db.utcnow())
    programmes.set_municipality_number(cur, SYSTEM, other, 167, now=db.utcnow())
    cur.execute("COMMIT")
    cur.close()
    code, report = import_file(con, CSV, joensuu, Choices(167))
    assert code == 1 and "Toinen kunta" in report["errors"][0]["message"]


# -- the CLI --


def test_the_cli_imports_with_exit_codes_and_json(con, joensuu, empty_db_path, capsys, tmp_path):
    con.close()
    base = ["--db", str(empty_db_path), "emissions", "import"]
    assert cli.main([*base, str(CSV), "--organisation", "Joensuun kaupunki", "--dry-run", "--json"]) == 0
    dry = json.loads(capsys.readouterr().out)
    assert dry["written"] is False and dry["organisations"][0]["municipality_number"] == 167
    assert cli.main([*base, str(CSV), "--organisation", "Joensuun kaupunki"]) == 0
    out = capsys.readouterr().out
    assert "2023: new year, Hinku 194.861 kt, all sectors 278.931 kt." in out and "written" in out
    broken = tmp_path / "kunta_167.csv"
    broken.write_text("vuosi;taso_3\n2020;Tie\n", encoding="utf-8")
    assert cli.main([*base, str(broken), "--organisation", "Joensuun kaupunki"]) == 2
    assert "hinku_laskenta, päästökauppa, kt" in capsys.readouterr().err
    assert cli.main([*base, str(CSV), "--organisation", "Ei ole", "--json"]) == 1
    assert "Ei ole" in json.loads(capsys.readouterr().out)["errors"][0]["message"]


def test_the_demo_emissions_are_illustrative_and_in_syke_s_format(demo_con):
    source = db.query(demo_con, "emission_source", organisation_id=1, lang="fi").iloc[0]
    assert bool(source["is_illustrative"]) and source["file_name"] == "kunta_167_demo.csv"
    assert source["preliminary_years"] == "2024"
    assert orphan_rows(demo_con)["orphans"].sum() == 0
