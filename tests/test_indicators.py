"""Indicators that measures move (tracker/write/indicators.py,
tracker/outcomes/indicator_sheet.py): any indicator created with its rules checked,
values entered one at a time or from a spreadsheet in our conventions, dated goals,
links to measures with the expected effect, every change audited, and the queries
the pages read."""

from __future__ import annotations

import io
import json
from datetime import timedelta
from decimal import Decimal

import pytest
from openpyxl import Workbook

from tests.conftest import TODAY
from tests.integrity import orphan_rows
from tracker import db, write
from tracker.auth import Caller
from tracker.errors import ConflictError, PermissionDenied, UserError, ValidationError
from tracker.outcomes import indicator_sheet
from tracker.spreadsheet.read import UnusableFile

EDITOR = Caller(role="editor", email="coordinator@joensuu.example")
VIEWER = Caller(role="viewer", email="leader@joensuu.example")
CYCLING = {
    "name_fi": "Pyöräilyn kulkutapaosuus",
    "name_sv": "Cyklingens andel av resorna",
    "name_en": "Cycling's share of trips",
    "unit": "%",
    "direction": "increase",
    "frequency": "yearly",
}


def organisation_id(con) -> int:
    return con.execute("SELECT id FROM organisations ORDER BY id LIMIT 1").fetchone()[0]


def audit_rows(con, action: str) -> list[tuple]:
    return [
        (json.loads(b) if b else None, json.loads(a) if a else None)
        for b, a in con.execute("SELECT before, after FROM audit_log WHERE action = ? ORDER BY id", [action]).fetchall()
    ]


@pytest.fixture
def cycling(demo_con):
    return write.indicators.create_indicator(demo_con, EDITOR, organisation_id(demo_con), CYCLING)


# -- the indicator --


def test_an_indicator_is_created_and_audited(demo_con, cycling):
    stored = write.indicators.read_indicator(demo_con, cycling)
    assert (stored["name_sv"], stored["direction"], stored["version"], stored["is_published"]) == (
        "Cyklingens andel av resorna",
        "increase",
        1,
        True,
    )
    (before, after), *_ = audit_rows(demo_con, "indicator.create")[-1:]
    assert before is None and after["name_fi"] == "Pyöräilyn kulkutapaosuus"


def test_the_indicator_s_rules(demo_con, cycling):
    org = organisation_id(demo_con)
    with pytest.raises(ValidationError) as refused:
        write.indicators.create_indicator(demo_con, EDITOR, org, {"direction": "sideways", "frequency": "daily"})
    assert set(refused.value.problems) == {"name_fi", "unit", "direction", "frequency"}
    with pytest.raises(ValidationError) as refused:
        write.indicators.create_indicator(demo_con, EDITOR, org, {**CYCLING, "name_fi": "pyöräilyn KULKUTAPAOSUUS"})
    assert refused.value.problems["name_fi"][0] == "validation.indicator_name_taken"
    with pytest.raises(ValidationError) as refused:
        write.indicators.create_indicator(demo_con, EDITOR, org, {**CYCLING, "name_fi": "X", "base_year": 2020})
    assert set(refused.value.problems) == {"target_year", "target_reduction_pct"}
    with pytest.raises(ValidationError) as refused:
        write.indicators.create_indicator(
            demo_con,
            EDITOR,
            org,
            {**CYCLING, "name_fi": "X", "base_year": 2020, "target_year": 2019, "target_reduction_pct": "120"},
        )
    assert refused.value.problems == {
        "target_reduction_pct": ("validation.number_too_big", {}),
        "target_year": ("validation.target_before_base", {}),
    }
    with pytest.raises(ValidationError) as refused:  # the demo has its population indicator
        write.indicators.create_indicator(
            demo_con, EDITOR, org, {**CYCLING, "name_fi": "Asukkaat", "role": "population"}
        )
    assert refused.value.problems["role"][0] == "validation.population_taken"
    with pytest.raises(ValidationError):  # the emissions role is the SYKE import's
        write.indicators.create_indicator(demo_con, EDITOR, org, {**CYCLING, "name_fi": "Y", "role": "emissions"})
    with pytest.raises(PermissionDenied):
        write.indicators.create_indicator(demo_con, VIEWER, org, {**CYCLING, "name_fi": "Z"})


def test_a_save_over_another_person_s_is_refused(demo_con, cycling):
    loaded = write.indicators.read_indicator(demo_con, cycling)
    assert (
        write.indicators.save_indicator(
            demo_con, EDITOR, cycling, {**loaded, "unit": "% matkoista"}, expected_version=1
        )
        == 2
    )
    with pytest.raises(ConflictError) as conflict:
        write.indicators.save_indicator(demo_con, EDITOR, cycling, {**loaded, "unit": "%"}, expected_version=1)
    assert conflict.value.current["unit"] == "% matkoista"
    (before, after) = audit_rows(demo_con, "indicator.update")[-1]
    assert (before, after) == ({"unit": "%", "version": 1}, {"unit": "% matkoista", "version": 2})


# -- values --


def test_values_are_set_replaced_and_removed_with_their_audit_rows(demo_con, cycling):
    assert write.indicators.set_value(demo_con, EDITOR, cycling, {"year": 2024, "value": "9,5"})
    assert not write.indicators.set_value(demo_con, EDITOR, cycling, {"year": "2024", "value": 9.5})
    assert write.indicators.set_value(demo_con, EDITOR, cycling, {"year": 2024, "value": "11", "is_preliminary": True})
    series = db.query(demo_con, "indicator_series", indicator_id=cycling)
    assert series[["year", "month", "sector", "value", "is_preliminary", "source"]].values.tolist() == [
        [2024, 0, "", 11.0, True, "form"]
    ]
    assert write.indicators.remove_value(demo_con, EDITOR, cycling, 2024)
    assert not write.indicators.remove_value(demo_con, EDITOR, cycling, 2024)
    sets = audit_rows(demo_con, "indicator.set_value")[-2:]
    assert sets[0] == (None, {"year": 2024, "month": 0, "sector": "", "value": "9.5", "is_preliminary": False})
    assert sets[1] == (
        {"year": 2024, "month": 0, "sector": "", "value": "9.5", "is_preliminary": False},
        {"year": 2024, "month": 0, "sector": "", "value": "11", "is_preliminary": True},
    )
    assert audit_rows(demo_con, "indicator.remove_value")[-1][0]["value"] == "11"


def test_a_value_must_fit_the_indicator(demo_con, cycling):
    for fields, problem in (
        ({"year": 1989, "value": "1"}, "year"),
        ({"year": 2024, "value": "1,2345678"}, "value"),
        ({"year": 2024, "value": "paljon"}, "value"),
        ({"year": 2024, "month": 3, "value": "1"}, "month"),
        ({"year": 2024, "sector": "Keskusta", "value": "1"}, "sector"),
    ):
        with pytest.raises(ValidationError) as refused:
            write.indicators.set_value(demo_con, EDITOR, cycling, fields)
        assert problem in refused.value.problems, fields
    monthly = write.indicators.create_indicator(
        demo_con,
        EDITOR,
        organisation_id(demo_con),
        {
            "name_fi": "Kaupunkipyörämatkat",
            "unit": "matkaa",
            "direction": "increase",
            "frequency": "monthly",
            "breakdown": "area",
        },
    )
    with pytest.raises(ValidationError) as refused:
        write.indicators.set_value(demo_con, EDITOR, monthly, {"year": 2024, "month": 13, "value": "1"})
    assert set(refused.value.problems) == {"month", "sector"}
    write.indicators.set_value(
        demo_con, EDITOR, monthly, {"year": 2024, "month": 5, "sector": "Keskusta", "value": "1 200"}
    )
    loaded = write.indicators.read_indicator(demo_con, monthly)
    with pytest.raises(ValidationError) as refused:  # values are monthly and by area already
        write.indicators.save_indicator(
            demo_con, EDITOR, monthly, {**loaded, "frequency": "yearly", "breakdown": None}, expected_version=1
        )
    assert set(refused.value.problems) == {"frequency", "breakdown"}


def test_the_emissions_indicator_s_values_come_from_syke_only(demo_con):
    emissions_id = demo_con.execute("SELECT id FROM indicators WHERE role = 'emissions'").fetchone()[0]
    with pytest.raises(UserError) as refused:
        write.indicators.set_value(
            demo_con, EDITOR, emissions_id, {"year": 2024, "sector": "Tieliikenne", "value": "1"}
        )
    assert refused.value.key == "validation.emission_values_from_syke"
    loaded = write.indicators.read_indicator(demo_con, emissions_id)
    with pytest.raises(ValidationError):
        write.indicators.remove_indicator(demo_con, EDITOR, emissions_id, expected_version=loaded["version"])
    # its unit and breakdown stay what SYKE's file gives, whatever the form sends
    write.indicators.save_indicator(
        demo_con, EDITOR, emissions_id, {**loaded, "unit": "t", "breakdown": None}, expected_version=loaded["version"]
    )
    again = write.indicators.read_indicator(demo_con, emissions_id)
    assert (again["unit"], again["breakdown"]) == ("kt CO2e", "sector")


# -- goals --


def test_dated_goals_are_set_replaced_and_removed(demo_con, cycling):
    write.indicators.set_goal(demo_con, EDITOR, cycling, {"year": 2030, "value": "20", "note": "Ilmasto-ohjelma"})
    write.indicators.set_goal(demo_con, EDITOR, cycling, {"year": 2030, "value": "25"})
    write.indicators.set_goal(demo_con, EDITOR, cycling, {"year": 2026, "value": "14"})
    goals = db.query(demo_con, "indicator_goal_list", indicator_id=cycling)
    assert goals[["year", "value"]].values.tolist() == [[2026, 14], [2030, 25]]
    with pytest.raises(ValidationError):
        write.indicators.set_goal(demo_con, EDITOR, cycling, {"year": 2030, "month": 6, "value": "1"})
    assert write.indicators.remove_goal(demo_con, EDITOR, cycling, 2026)
    assert audit_rows(demo_con, "indicator.set_goal")[1] == (
        {"year": 2030, "month": 0, "value": "20", "note": "Ilmasto-ohjelma"},
        {"year": 2030, "month": 0, "value": "25", "note": None},
    )


def test_where_an_indicator_stands_against_its_next_goal(demo_con, cycling):
    from tracker.present.indicators import indicator_summary

    write.indicators.set_value(demo_con, EDITOR, cycling, {"year": 2023, "value": "8"})
    write.indicators.set_value(demo_con, EDITOR, cycling, {"year": 2024, "value": "9,5"})
    write.indicators.set_goal(demo_con, EDITOR, cycling, {"year": 2022, "value": "9"})
    write.indicators.set_goal(demo_con, EDITOR, cycling, {"year": 2030, "value": "20"})
    listed = db.query(
        demo_con, "indicator_list", organisation_id=organisation_id(demo_con), lang="fi", include_unpublished=True
    ).set_index("id")
    row = listed.loc[cycling]
    assert (row["latest_year"], row["latest_total"], row["goal_year"], row["goal_value"]) == (2024, 9.5, 2030, 20)
    assert indicator_summary(row, "fi", unit="%", direction="increase") == (
        "Viimeisin arvo (2024): 9,5 %. Tavoitteeseen 20 % (2030) on matkaa 10,5 %."
    )
    write.indicators.set_value(demo_con, EDITOR, cycling, {"year": 2031, "value": "21"})
    listed = db.query(
        demo_con, "indicator_list", organisation_id=organisation_id(demo_con), lang="en", include_unpublished=True
    ).set_index("id")
    assert indicator_summary(listed.loc[cycling], "en", unit="%", direction="increase") == (
        "Latest value (2031): 21 %. The goal of 20 % (2030) is reached."
    )


# -- links to measures --


def test_a_linked_measure_past_its_end_is_listed_late_as_everywhere_else(demo_con, cycling):
    """The indicator page shows the late rule (effective_status), not the stored status."""
    measure, end = demo_con.execute(
        "SELECT id, end_date FROM measures WHERE code = '2.2' AND status = 'in_progress' AND NOT is_continuous"
    ).fetchone()
    write.indicators.link_measure(demo_con, EDITOR, cycling, measure, {"effect": "increase"})

    def listed(on_day):
        return db.query(
            demo_con, "indicator_measures", indicator_id=cycling, lang="fi", include_unpublished=True, today=on_day
        )[["code", "status"]].values.tolist()

    assert listed(end) == [["2.2", "in_progress"]]
    assert listed(end + timedelta(days=1)) == [["2.2", "late"]]
    shown = db.query(demo_con, "public_measure", programme_id=1, code="2.2", lang="fi", today=end + timedelta(days=1))
    assert shown["status"].tolist() == ["late"]


def test_measures_link_with_their_expected_effect(demo_con, cycling):
    measure = demo_con.execute("SELECT id FROM measures WHERE code = '2.2'").fetchone()[0]
    fields = {"effect": "increase", "effect_amount": "5", "effect_year": 2030, "effect_note": "Pääreitit valmiiksi."}
    assert write.indicators.link_measure(demo_con, EDITOR, cycling, measure, fields)
    assert not write.indicators.link_measure(demo_con, EDITOR, cycling, measure, fields)
    assert write.indicators.link_measure(demo_con, EDITOR, cycling, measure, {**fields, "effect_amount": "7,5"})
    linked = db.query(
        demo_con, "indicator_measures", indicator_id=cycling, lang="sv", include_unpublished=False, today=TODAY
    )
    assert linked[["code", "effect", "effect_amount", "effect_year"]].values.tolist() == [
        ["2.2", "increase", 7.5, 2030]
    ]
    assert linked["title"].iloc[0] == "Utveckling av huvudnätet för cykling"
    on_measure = db.query(
        demo_con, "measure_indicator_summary", measure_id=measure, lang="en", include_unpublished=False
    )
    assert list(on_measure["name"]) == ["Cycling's share of trips"]
    with pytest.raises(ValidationError) as refused:
        write.indicators.link_measure(demo_con, EDITOR, cycling, measure, {"effect": "up", "effect_amount": "-1"})
    assert set(refused.value.problems) == {"effect", "effect_amount"}
    loaded = write.indicators.read_indicator(demo_con, cycling)
    with pytest.raises(ValidationError) as refused:
        write.indicators.remove_indicator(demo_con, EDITOR, cycling, expected_version=loaded["version"])
    assert refused.value.problems["indicator"][0] == "validation.indicator_in_use"
    assert write.indicators.unlink_measure(demo_con, EDITOR, cycling, measure)
    write.indicators.remove_indicator(demo_con, EDITOR, cycling, expected_version=loaded["version"])
    actions = [
        a
        for (a,) in demo_con.execute(
            "SELECT action FROM audit_log WHERE entity = 'indicator' AND entity_id = ? ORDER BY id", [str(cycling)]
        ).fetchall()
    ]
    assert actions == [
        "indicator.create",
        "indicator.link_measure",
        "indicator.update_link",
        "indicator.unlink_measure",
        "indicator.delete",
    ]
    assert orphan_rows(demo_con)["orphans"].sum() == 0


def test_a_measure_of_another_organisation_is_not_linked(demo_con, cycling):
    from tracker.demo import synth

    synth.build(demo_con, municipalities=1, seed=3)
    other = demo_con.execute(
        "SELECT m.id FROM measures m JOIN programmes p ON p.id = m.programme_id WHERE p.organisation_id <> ? LIMIT 1",
        [organisation_id(demo_con)],
    ).fetchone()[0]
    with pytest.raises(ValidationError) as refused:
        write.indicators.link_measure(demo_con, EDITOR, cycling, other, {"effect": "increase"})
    assert refused.value.problems == {"measure_id": ("validation.measure_other_organisation", {})}


# -- values from a spreadsheet --


def _indicator(demo_con, indicator_id: int) -> dict:
    return write.indicators.read_indicator(demo_con, indicator_id)


def test_values_import_from_a_finnish_csv(demo_con, cycling):
    data = "Vuosi;Arvo;Ennakkotieto\n2019;7,25;\n2020;8;ei\n2021;1 008,5;kyllä\n".encode("utf-8-sig")
    plan = indicator_sheet.read_values(data, "pyoraily.csv", _indicator(demo_con, cycling))
    assert plan.errors == [] and plan.row_count == 3
    created, updated, unchanged = write.indicators.import_values(
        demo_con, EDITOR, cycling, plan.values, file_name="pyoraily.csv"
    )
    assert (created, updated, unchanged) == (3, 0, 0)
    series = db.query(demo_con, "indicator_series", indicator_id=cycling)
    assert series[["year", "value", "is_preliminary"]].values.tolist() == [
        [2019, 7.25, False],
        [2020, 8.0, False],
        [2021, 1008.5, True],
    ]
    assert set(series["source"]) == {"import:pyoraily.csv"}
    # again, with one value changed: the file can always be imported again
    again = indicator_sheet.read_values(
        data.replace(b"2020;8;", b"2020;8,5;"), "pyoraily.csv", _indicator(demo_con, cycling)
    )
    assert write.indicators.import_values(demo_con, EDITOR, cycling, again.values, file_name="pyoraily.csv") == (
        0,
        1,
        2,
    )


def test_values_import_from_a_swedish_workbook_with_months_and_areas(demo_con):
    indicator_id = write.indicators.create_indicator(
        demo_con,
        EDITOR,
        organisation_id(demo_con),
        {
            "name_fi": "Stadscyklar",
            "unit": "resor",
            "direction": "increase",
            "frequency": "monthly",
            "breakdown": "area",
        },
    )
    book = Workbook()
    sheet = book.active
    sheet.append(["År", "Månad", "Område", "Värde"])
    sheet.append([2024, 5, "Centrum", 1200])
    sheet.append([2024, 5, "Noljakka", 310.5])
    sheet.append([2024, 6, "Centrum", "1 350"])
    data = io.BytesIO()
    book.save(data)
    plan = indicator_sheet.read_values(data.getvalue(), "cyklar.xlsx", _indicator(demo_con, indicator_id))
    assert plan.errors == []
    write.indicators.import_values(demo_con, EDITOR, indicator_id, plan.values, file_name="cyklar.xlsx")
    series = db.query(demo_con, "indicator_series", indicator_id=indicator_id)
    assert series[["year", "month", "sector", "value", "period_total"]].values.tolist() == [
        [2024, 5, "Centrum", 1200.0, 1510.5],
        [2024, 5, "Noljakka", 310.5, 1510.5],
        [2024, 6, "Centrum", 1350.0, 1350.0],
    ]


def test_a_bad_values_file_names_every_problem_by_row_and_column(demo_con, cycling):
    data = b"Vuosi;Arvo;Kommentti\n2019;7,25;x\n20019;8;\n2021;paljon;\n2019;3;\n2022;;\n"
    plan = indicator_sheet.read_values(data, "v.csv", _indicator(demo_con, cycling))
    assert [(p.row, p.column, p.key) for p in plan.errors] == [
        (3, "Vuosi", "import.cell.year_range"),
        (4, "Arvo", "import.cell.not_number"),
        (5, "Vuosi", "indicators.import.duplicate"),
        (6, "Arvo", "validation.required"),
    ]
    assert [w.key for w in plan.warnings] == ["import.warning.unknown_column"]
    with pytest.raises(UnusableFile) as unusable:
        indicator_sheet.read_values(b"Vuosi;Luku\n2020;1\n", "v.csv", _indicator(demo_con, cycling))
    assert unusable.value.key == "import.file.missing_columns"


def test_the_template_has_the_columns_the_indicator_needs(demo_con):
    transit = demo_con.execute("SELECT id FROM indicators WHERE frequency = 'monthly'").fetchone()[0]
    assert indicator_sheet.template(_indicator(demo_con, transit), "sv").decode("utf-8-sig") == (
        "År;Månad;Värde;Preliminär\r\n"
    )


def test_every_indicator_write_s_audit_fields_have_names(demo_con, cycling):
    from tracker import i18n

    measure = demo_con.execute("SELECT id FROM measures WHERE code = '2.2'").fetchone()[0]
    write.indicators.set_value(demo_con, EDITOR, cycling, {"year": 2024, "value": "1"})
    write.indicators.set_goal(demo_con, EDITOR, cycling, {"year": 2030, "value": "2", "note": "n"})
    write.indicators.link_measure(demo_con, EDITOR, cycling, measure, {"effect": "increase", "effect_amount": "1"})
    loaded = write.indicators.read_indicator(demo_con, cycling)
    write.indicators.save_indicator(
        demo_con,
        EDITOR,
        cycling,
        {**loaded, "description_fi": "Kuvaus", "base_year": 2020, "target_year": 2030, "target_reduction_pct": "10"},
        expected_version=1,
    )
    unnamed = set()
    for before, after in demo_con.execute("SELECT before, after FROM audit_log").fetchall():
        for value in (before, after):
            unnamed |= {key for key in json.loads(value or "{}") if not i18n.has(f"audit.field.{key}")}
    assert unnamed == set()
    assert Decimal(str(db.query(demo_con, "indicator_series", indicator_id=cycling)["value"].iloc[0])) == 1


def test_the_pages_queries_for_one_indicator_and_the_measures_to_link(demo_con, cycling):
    detail = db.query(demo_con, "indicator_detail", indicator_id=cycling, lang="en", include_unpublished=False)
    assert detail.iloc[0][["name", "unit", "direction"]].tolist() == ["Cycling's share of trips", "%", "increase"]
    loaded = write.indicators.read_indicator(demo_con, cycling)
    write.indicators.save_indicator(demo_con, EDITOR, cycling, {**loaded, "is_published": False}, expected_version=1)
    assert db.query(demo_con, "indicator_detail", indicator_id=cycling, lang="en", include_unpublished=False).empty
    assert len(db.query(demo_con, "indicator_detail", indicator_id=cycling, lang="en", include_unpublished=True)) == 1
    choices = db.query(demo_con, "organisation_measure_choices", organisation_id=organisation_id(demo_con), lang="sv")
    published = demo_con.execute("SELECT count(*) FROM measures WHERE archived_at IS NULL").fetchone()[0]
    assert len(choices) == published and choices.iloc[0]["code"] == "1.1"
    assert choices.iloc[0]["programme"] == "Joensuu klimatprogram (exempeldata)"
