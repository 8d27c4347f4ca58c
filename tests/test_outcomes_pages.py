"""The outcome pages under AppTest: the emissions section with the gap sentence on the
overview, the indicators page and the public view in fi/sv/en; one view at a time
with its table; the indicators page's linked measures; the manage page creating an
indicator, setting a value and a goal and linking a measure; the measure page saying
the effect expected of it."""

from __future__ import annotations

import pytest
from streamlit.testing.v1 import AppTest

from tests import page_app
from tests.conftest import ROOT, TODAY
from tracker import db
from tracker.auth import Caller

EDITOR = Caller(role="editor", email="coordinator@joensuu.example")
GAP = {
    "fi": "Vuosien 2020–2024 tahdilla vuoden 2030 tavoite jää saavuttamatta 31 kt:lla",
    "sv": "I takten från 2020–2024 missas målet för 2030 med 31 kt",
    "en": "At the 2020–2024 pace the 2030 target is missed by 31 kt",
}


def open_page(page: str, lang: str = "fi", who: Caller | None = None, **params) -> AppTest:
    return page_app.shown(page, who, lang, **{key: str(value) for key, value in params.items()})


def texts(at: AppTest) -> str:
    parts = [m.value for m in at.markdown] + [m.value for m in at.caption] + [m.value for m in at.subheader]
    parts += [m.value for m in at.info] + [m.value for m in at.success] + [m.value for m in at.header]
    parts += [str(h.proto.body) for h in at.get("html")]
    # ui.text.md escapes markdown's characters; the reader sees them plain
    return "\n".join(str(p) for p in parts).replace("\\", "")


@pytest.mark.parametrize("lang", ["fi", "sv", "en"])
def test_the_overview_says_where_emissions_are_heading(demo_db_path, lang):
    at = open_page("app_pages/overview.py", lang)
    assert GAP[lang] in texts(at)
    radio = next(r for r in at.radio if r.key == "overview_emissions_view")
    assert radio.value == "path"
    charts_before = len(at.get("plotly_chart"))
    radio.set_value("sectors").run()
    assert not at.exception
    assert len(at.get("plotly_chart")) == charts_before  # one view at a time
    page = texts(at)
    assert {
        "fi": "Suurin päästölähde vuonna 2024",
        "sv": "Största utsläppskällan år 2024",
        "en": "The largest source in 2024",
    }[lang] in page
    next(r for r in at.radio if r.key == "overview_emissions_view").set_value("per_resident").run()
    assert {"fi": "t asukasta kohden vuonna 2005", "sv": "t per invånare år 2005", "en": "t per resident in 2005"}[
        lang
    ] in texts(at)


def test_the_overview_lists_the_other_indicators_with_where_they_stand(demo_db_path):
    page = texts(open_page("app_pages/overview.py", "en"))
    assert "Public charging points for electric cars" in page
    assert "Latest value (2025): 63 kpl. 17 kpl to go to the goal of 80 kpl (2026)." in page


@pytest.mark.parametrize("lang", ["fi", "sv", "en"])
def test_the_public_view_has_the_emissions_section_with_a_real_table(demo_db_path, lang):
    at = open_page("app_pages/public.py", lang)
    page = texts(at)
    assert GAP[lang] in page
    assert "<table>" in page and {"fi": "Tavoitepolku", "sv": "Målbana", "en": "Target line"}[lang] in page
    assert {"fi": "Esimerkkiaineisto", "sv": "Exempeldata", "en": "Illustrative data"}[lang] in page


def test_the_public_view_leaves_out_an_unpublished_emissions_indicator(demo_con, demo_db_path):
    demo_con.execute("UPDATE indicators SET is_published = false WHERE role = 'emissions'")
    assert GAP["fi"] not in texts(open_page("app_pages/public.py", "fi"))
    assert GAP["fi"] in texts(open_page("app_pages/overview.py", "fi", EDITOR))


def test_the_indicators_page_shows_an_indicator_and_its_measures(demo_con, demo_db_path):
    charging = demo_con.execute("SELECT id FROM indicators WHERE unit = 'kpl'").fetchone()[0]
    at = open_page("app_pages/indicators.py", "sv", indicator=charging)
    page = texts(at)
    assert "Offentliga laddpunkter för elbilar (kpl)" in page
    assert "Senaste värdet (2025): 63 kpl." in page
    assert "2.1 Laddpunkter för elbilar på stadens parkeringsområden" in page and "Ökar 100 kpl till år 2030" in page
    assert len(at.get("plotly_chart")) == 1
    assert at.dataframe  # the goals and the table behind the chart
    emissions = demo_con.execute("SELECT id FROM indicators WHERE role = 'emissions'").fetchone()[0]
    page = texts(open_page("app_pages/indicators.py", "en", indicator=emissions))
    assert GAP["en"] in page
    assert "1.4 Emission-free district heating with the energy company" in page
    assert "Lowers it by 40 kt CO2e by 2030" in page


def test_the_measure_page_says_the_effect_expected_of_it(demo_db_path):
    page = texts(open_page("app_pages/measure.py", "fi", code="1.1"))
    assert "Odotettu vaikutus: Pienentää 3,5 kt CO2e vuoteen 2027 mennessä." in page
    assert "Öljylämmityksen päästöt kaupungin kiinteistöistä poistuvat." in page


def test_an_editor_creates_an_indicator_sets_a_value_and_a_goal_and_links_a_measure(demo_con, demo_db_path):
    at = open_page("app_pages/indicator_form.py", "fi", EDITOR)
    at.text_input(key="indicatorform_name_fi").input("Pyöräilyn kulkutapaosuus")
    at.text_input(key="indicatorform_unit").input("%")
    at.selectbox(key="indicatorform_direction").set_value("increase")
    at.button(key="FormSubmitter:indicatorform_form-Tallenna").click().run()
    assert not at.exception, at.exception
    indicator_id = demo_con.execute("SELECT id FROM indicators WHERE name_fi = 'Pyöräilyn kulkutapaosuus'").fetchone()[
        0
    ]
    assert at.selectbox(key="indicatorform_choice").value == indicator_id

    at.number_input(key="indicatorform_value_year").set_value(2024)
    at.text_input(key="indicatorform_value_value").input("9,5")
    at.button(key="FormSubmitter:indicatorform_value_form-Tallenna arvo").click().run()
    assert "Arvo tallennettu." in texts(at)
    at.number_input(key="indicatorform_goal_year").set_value(2030)
    at.text_input(key="indicatorform_goal_value").input("20")
    at.button(key="FormSubmitter:indicatorform_goal_form-Tallenna tavoite").click().run()
    assert "Tavoite tallennettu." in texts(at)
    measure = demo_con.execute("SELECT id FROM measures WHERE code = '2.2'").fetchone()[0]
    at.selectbox(key="indicatorform_link_measure").set_value(measure).run()
    at.text_input(key=f"indicatorform_link_amount_{measure}").input("5")
    at.button(key=f"FormSubmitter:indicatorform_link_form_{measure}-Tallenna liitos").click().run()
    assert "Toimenpiteen liitos tallennettu." in texts(at)
    assert db.query(
        demo_con, "indicator_measures", indicator_id=indicator_id, lang="fi", include_unpublished=True, today=TODAY
    )[["code", "effect", "effect_amount"]].values.tolist() == [["2.2", "increase", 5.0]]
    assert demo_con.execute(
        "SELECT year, value FROM indicator_values WHERE indicator_id = ?", [indicator_id]
    ).fetchall() == [(2024, 9.5)]


def test_a_bad_value_is_named_beside_its_field(demo_con, demo_db_path):
    charging = demo_con.execute("SELECT id FROM indicators WHERE unit = 'kpl'").fetchone()[0]
    at = open_page("app_pages/indicator_form.py", "en", EDITOR, indicator=charging)
    at.number_input(key="indicatorform_value_year").set_value(2026)
    at.text_input(key="indicatorform_value_value").input("lots")
    at.button(key="FormSubmitter:indicatorform_value_form-Save the value").click().run()
    assert "Write a number (e.g. 1,200.5)." in [e.value for e in at.error]


@pytest.mark.parametrize("lang", ["fi", "sv", "en"])
def test_the_manage_page_runs_for_every_indicator(demo_con, demo_db_path, lang):
    for (indicator_id,) in demo_con.execute("SELECT id FROM indicators ORDER BY id").fetchall():
        open_page("app_pages/indicator_form.py", lang, EDITOR, indicator=indicator_id)


@pytest.mark.parametrize(
    ("lang", "columns"),
    [("fi", "Vuosi, Arvo, Ennakkotieto"), ("sv", "År, Värde, Preliminär"), ("en", "Year, Value, Preliminary")],
)
def test_the_values_file_help_names_the_columns_in_the_readers_language(demo_con, demo_db_path, lang, columns):
    """The template is written in the reader's language, so the help beside it names its columns so too."""
    (indicator_id,) = demo_con.execute(
        "SELECT min(id) FROM indicators WHERE frequency = 'yearly' AND breakdown IS NULL"
    ).fetchone()
    at = open_page("app_pages/indicator_form.py", lang, EDITOR, indicator=indicator_id)
    assert columns in texts(at)


def test_an_older_syke_file_is_imported_once_the_editor_says_so(demo_con, demo_db_path):
    """Refused as older → tick "import all the same" → the preview passes → Import writes it:
    the choice outlives the rerun in which the refusal is gone (the checkbox stays drawn)."""
    workbook = ROOT / "tests" / "data" / "emissions" / "KAIKKI KUNNAT_ALas 1.7_1990_2005-2023e_TEST.xlsx"
    stored = "SELECT file_name, last_year FROM emission_imports WHERE organisation_id = 1 ORDER BY id DESC LIMIT 1"
    assert demo_con.execute(stored).fetchone() == ("kunta_167_demo.csv", 2024)
    at = AppTest.from_file(str(ROOT / "dashboard.py"), default_timeout=60)
    at.session_state["app_caller"] = EDITOR
    at.session_state["indicatorform_syke_fetched"] = (workbook.read_bytes(), workbook.name)
    at.query_params["lang"] = "en"
    at.run()
    at.switch_page("app_pages/indicator_form.py").run()
    assert not at.exception, at.exception
    errors = [e.value for e in at.error]
    assert any("the file is older than the stored" in e for e in errors), errors
    assert not [b for b in at.button if b.key == "indicatorform_syke_import"]

    at.checkbox(key="indicatorform_syke_allow_older").check().run()
    assert not at.exception, at.exception
    assert not [e.value for e in at.error]
    assert at.checkbox(key="indicatorform_syke_allow_older").value is True

    at.button(key="indicatorform_syke_import").click().run()
    assert not at.exception, at.exception
    assert not [e.value for e in at.error]
    assert demo_con.execute(stored).fetchone() == (workbook.name, 2023)
    assert "Imported. Changed:" in texts(at)
    assert not [c for c in at.checkbox if c.key == "indicatorform_syke_allow_older"]
    assert "indicatorform_syke_allow_older" not in at.session_state
