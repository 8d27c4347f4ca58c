"""The emissions views (queries emission_target_path and emission_totals,
tracker/present/emissions.py): Hinku's target line from 2007 to −80 % by 2030 or the
organisation's own, the straight path from the last year, the pace and the gap said
in a sentence in fi/sv/en, per resident where the population is known, and the board
report's section. Worked by hand on tests/data/emissions/kunta_167.csv:

- base 2007 (Hinku) 394.901 kt, so the 2030 target is 0.2 × 394.901 = 78.9802 kt;
- last year 2023: 194.861 kt; the path needed falls (78.9802 − 194.861) / 7 = −16.5544 kt a year;
- the pace of 2007–2023: (194.861 − 394.901) / 16 = −12.5025 kt a year, leading to
  194.861 − 7 × 12.5025 = 107.3435 kt in 2030: missed by 28.3633 kt;
- the pace of the last five years (2019–2023, of which 2022 and 2023 have figures):
  −29.654 kt a year, leading to −12.717 kt: met with 91.6972 kt to spare."""

from __future__ import annotations

from decimal import Decimal

import pytest

from tests.test_emissions_import import CSV, EDITOR, import_file
from tracker import db, write
from tracker.auth import SYSTEM
from tracker.outcomes import syke_import
from tracker.present import emissions as present
from tracker.write import programmes


@pytest.fixture
def imported(con):
    cur = con.cursor()
    cur.execute("BEGIN")
    org_id = programmes.insert_organisation(cur, SYSTEM, "Joensuun kaupunki", now=db.utcnow())
    cur.execute("COMMIT")
    cur.close()
    code, report = import_file(con, CSV, org_id)
    assert code == 0, report
    return org_id


def path(con, organisation_id: int, pace_years: int = present.PACE_YEARS):
    return db.query(con, "emission_target_path", organisation_id=organisation_id, pace_years=pace_years)


def test_the_hinku_target_line_and_the_path_from_the_last_year(con, imported):
    rows = path(con, imported).set_index("year")
    summary = rows.iloc[-1]
    assert (summary["base_year"], summary["target_year"], summary["reading"]) == (2007, 2030, "hinku")
    assert summary["base_value"] == pytest.approx(394.901)
    assert summary["target_value"] == pytest.approx(78.9802)
    assert (summary["last_year"], summary["last_value"]) == (2023, pytest.approx(194.861))
    assert summary["required_per_year"] == pytest.approx(-16.5544)
    # the target line runs straight from 2007 to 2030; the path needed from 2023 to 2030
    assert rows.loc[2007, "target_line"] == pytest.approx(394.901)
    assert rows.loc[2030, "target_line"] == pytest.approx(78.9802)
    assert rows.loc[2023, "target_line"] == pytest.approx(394.901 - (394.901 - 78.9802) * 16 / 23)
    assert rows.loc[2023, "required_path"] == pytest.approx(194.861)
    assert rows.loc[2026, "required_path"] == pytest.approx(194.861 - 3 * 16.5544)
    assert rows.loc[2022, ["required_path", "pace_path"]].isna().all()
    assert list(rows.index) == list(range(2007, 2031))


def test_the_pace_and_the_gap_in_words(con, imported):
    five = path(con, imported)
    summary = five.iloc[-1]
    assert (summary["pace_from"], summary["pace_per_year"]) == (2022, pytest.approx(-29.654))
    assert summary["projected"] == pytest.approx(-12.717)
    assert summary["gap"] == pytest.approx(-91.6972)
    assert present.gap_sentence(five, "en") == (
        "At the 2022–2023 pace the 2030 target is met with 92 kt to spare."
        " Reaching the target (79.0 kt in 2030) takes a fall of 16.6 kt a year from 2023 (194.9 kt)."
    )
    whole = path(con, imported, pace_years=17)
    assert whole.iloc[-1]["gap"] == pytest.approx(28.3633)
    assert present.gap_sentence(whole, "en").startswith("At the 2007–2023 pace the 2030 target is missed by 28 kt.")
    assert present.gap_sentence(whole, "fi").startswith(
        "Vuosien 2007–2023 tahdilla vuoden 2030 tavoite jää saavuttamatta 28 kt:lla."
    )
    assert present.gap_sentence(whole, "sv").startswith("I takten från 2007–2023 missas målet för 2030 med 28 kt.")
    assert "(79,0 kt år 2030)" in present.gap_sentence(whole, "sv")
    assert present.target_label(whole, "fi") == (
        "Hinku-tavoite: −80 % vuodesta 2007 vuoteen 2030 (Hinku-laskenta (päästöhyvitykset mukana), SYKE ALas)."
    )


@pytest.mark.parametrize(
    ("lang", "said", "marked"),
    [
        ("fi", " Vuoden 2024 luku on ennakkotieto.", "2024 (ennakko)"),
        ("sv", " Siffran för 2024 är preliminär.", "2024 (prel.)"),
        ("en", " The 2024 figure is preliminary.", "2024 (prelim.)"),
    ],
)
def test_a_preliminary_last_year_is_said_in_the_sentence_the_table_and_the_figure(demo_con, lang, said, marked):
    """The demo's last year, 2024, is preliminary; the query's nullable boolean column gives
    numpy's bool there, NA on the years still to come."""
    rows = path(demo_con, 1)
    totals = db.query(demo_con, "emission_totals", organisation_id=1)
    assert rows.loc[rows["year"] == 2024, "last_year"].iloc[0] == 2024
    sentence = present.gap_sentence(rows, lang)
    assert sentence.endswith(said) and sentence.count(said) == 1
    years = present.path_table(totals, rows, lang).iloc[:, 0].tolist()
    assert marked in years and [y for y in years if "(" in y] == [marked]
    figure = present.path_figure(totals, rows, lang)
    assert [y for y, s in zip(figure.data[0].x, figure.data[0].marker.symbol, strict=True) if s == "circle-open"] == [
        2024
    ]


def _own_target(con, organisation_id: int, **fields) -> None:
    indicator = db.query(con, "indicator_list", organisation_id=organisation_id, lang="fi", include_unpublished=True)
    indicator_id = int(indicator.loc[indicator["role"] == "emissions", "id"].iloc[0])
    loaded = write.indicators.read_indicator(con, indicator_id)
    write.indicators.save_indicator(con, EDITOR, indicator_id, {**loaded, **fields}, expected_version=loaded["version"])


def test_the_programme_s_own_target_on_another_reading(con, imported):
    # Joensuu's own: −60 % from 2007 by 2025, followed on all sectors
    _own_target(con, imported, target_year=2025, target_reduction_pct="60", emission_reading="total")
    rows = path(con, imported)
    summary = rows.iloc[-1]
    assert summary["reading"] == "total"
    assert summary["target_value"] == pytest.approx(546.364 * 0.4)
    assert present.target_label(rows, "en") == "Own target: −60% from 2007 by 2025 (All sectors, SYKE ALas)."
    # the indicator's values now follow the reading too
    values = db.query(
        con,
        "indicator_series",
        indicator_id=int(
            db.query(con, "indicator_list", organisation_id=imported, lang="fi", include_unpublished=True)["id"].iloc[0]
        ),
    )
    assert values.loc[values["year"] == 2007, "value"].sum() == pytest.approx(546.364)


def test_a_target_year_already_passed_and_a_missing_base_year(con, imported):
    _own_target(con, imported, base_year=2007, target_year=2022, target_reduction_pct="50")
    rows = path(con, imported)
    # 2022 Hinku 224.515 against 394.901 × 0.5 = 197.4505: 27.0645 above
    assert present.gap_sentence(rows, "en") == (
        "In 2022 emissions were 224.5 kt, 27.1 kt above the 2022 target (197.5 kt)."
    )
    _own_target(con, imported, base_year=2010, target_year=2030, target_reduction_pct="80")
    assert present.gap_sentence(path(con, imported), "en") == (
        "The base year 2010 has no figures, so the target cannot be computed."
    )


def test_per_resident_where_the_population_is_known(con, imported):
    population = write.indicators.create_indicator(
        con,
        EDITOR,
        imported,
        {
            "name_fi": "Väkiluku",
            "unit": "asukasta",
            "direction": "increase",
            "frequency": "yearly",
            "role": "population",
        },
    )
    write.indicators.set_value(con, EDITOR, population, {"year": 2007, "value": "72 000"})
    write.indicators.set_value(con, EDITOR, population, {"year": 2023, "value": "77 630"})
    totals = db.query(con, "emission_totals", organisation_id=imported).set_index("year")
    # 546.364 kt × 1000 / 72 000 = 7.5884 t; Hinku 394.901 / 72 = 5.4847; 2022 has no population
    assert totals.loc[2007, "total_t"] == pytest.approx(546.364 / 72)
    assert totals.loc[2007, "hinku_t"] == pytest.approx(394.901 / 72)
    assert totals.loc[2023, "hinku_t"] == pytest.approx(194.861 * 1000 / 77630)
    assert totals.loc[2022, ["residents", "total_t"]].isna().all()
    assert present.per_resident_summary(totals.reset_index(), "en") == (
        "Hinku calculation (credits included), SYKE ALas: 5.48 t per resident in 2007, 2.51 t in 2023."
    )
    table = present.per_resident_table(totals.reset_index(), "fi")
    assert list(table["Vuosi"]) == ["2007", "2023"]


def test_the_tables_behind_the_figures(con, imported):
    totals = db.query(con, "emission_totals", organisation_id=imported)
    table = present.path_table(totals, path(con, imported), "fi")
    first = table.iloc[0].tolist()
    assert first == ["2007", "394,901", "546,364", "195,671", "394,9", "–", "–"]
    assert list(table.columns)[:2] == ["Vuosi", "Hinku-laskenta (päästöhyvitykset mukana), SYKE ALas"]
    sectors = db.query(con, "emission_sectors", organisation_id=imported, level=3, reading="hinku")
    by_sector = present.sectors_table(sectors, "sv")
    assert "Utsläppskrediter" in by_sector.columns and "Fjärrvärme" in by_sector.columns
    assert by_sector.set_index("År").loc["2023", "Utsläppskrediter"] == "\u22122,478"
    assert present.sectors_summary(sectors, "en") == "The largest source in 2023: District heating, 60.4 kt (31%)."


def test_the_board_report_gets_the_sentence_label_source_and_table(con, imported):
    section = present.report_section(con, imported, "en")
    assert section.heading == "Greenhouse-gas emissions and the target"
    assert section.sentence.startswith("At the 2022–2023 pace the 2030 target is met with 92 kt to spare.")
    assert section.label == "Hinku calculation (credits included), SYKE ALas"
    assert section.source == "Source: Finnish Environment Institute SYKE, ALas."
    assert section.headers[0] == "Year" and section.rows[0][0] == "2007"
    assert section.series[-1]["year"] == 2030 and section.series[-1]["target_line"] == pytest.approx(78.9802)
    assert present.report_section(con, imported + 99, "en") is None


def test_syke_import_keeps_the_emissions_indicator_and_its_links(con, imported):
    """A newer file replaces the rows, not the indicator: its target and measures stay."""
    listed = db.query(con, "indicator_list", organisation_id=imported, lang="fi", include_unpublished=True)
    indicator_id = int(listed["id"].iloc[0])
    _own_target(con, imported, target_year=2035)
    code, _ = syke_import.import_bytes(con, CSV.read_bytes(), "kunta_167.csv", imported, caller=EDITOR)
    assert code == 0
    again = db.query(con, "indicator_list", organisation_id=imported, lang="fi", include_unpublished=True)
    assert list(again["id"]) == [indicator_id]
    assert write.indicators.read_indicator(con, indicator_id)["target_year"] == 2035
    assert Decimal(str(again["latest_total"].iloc[0])) == Decimal("194.861")
