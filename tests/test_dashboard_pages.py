"""AppTest for the leadership dashboard: overview, measures list, measure page and
budget page, with URL filters, in every language, on the demo, an empty database
and small hand-built ones."""

import gc
from datetime import date, datetime

import pytest
from streamlit.testing.v1 import AppTest

from tests import page_app
from tests.conftest import ROOT, TODAY
from tests.dashboard_builders import Builder
from tests.html_tables import html_tables
from tracker import db, i18n, write
from tracker.auth import Caller
from ui import data

EDITOR = Caller(role="editor", email="coordinator@joensuu.example")
PAGES = ["app_pages/overview.py", "app_pages/measures.py", "app_pages/measure.py", "app_pages/budget.py"]


@pytest.fixture(autouse=True)
def pinned_today(monkeypatch):
    """Lateness and "this year" are measured on the tests' fixed day."""
    monkeypatch.setattr(data, "today", lambda: TODAY)


def open_page(page: str, lang: str | None = None, **params) -> AppTest:
    return page_app.shown(page, lang=lang, **params)


def texts(at: AppTest) -> str:
    parts = [m.value for m in at.markdown] + [m.value for m in at.title] + [m.value for m in at.subheader]
    parts += [m.value for m in at.info] + [m.value for m in at.caption] + [m.value for m in at.warning]
    parts += [m.value for m in at.success] + [h.proto.body for h in at.get("html")]
    return "\n".join(str(p) for p in parts)


def url_values(at: AppTest, key: str) -> list:
    value = at.query_params[key]
    return value if isinstance(value, list) else [value]


def metric(at: AppTest, label_part: str):
    return next(m for m in at.metric if label_part in m.label)


@pytest.mark.parametrize("lang", ["fi", "sv", "en"])
def test_overview_in_every_language(demo_con, demo_db_path, lang):
    done, total = demo_con.execute(
        "SELECT count(*) FILTER (status = 'done'), count(*) FROM measures WHERE is_published"
    ).fetchone()
    at = open_page("app_pages/overview.py", lang)
    headings = {
        "fi": ("Toimenpiteet teemoittain", "Eteneminen ajan mittaan", "Kasvihuonekaasupäästöt ja tavoite", "Valmis"),
        "sv": ("Åtgärder per tema", "Utvecklingen över tid", "Växthusgasutsläpp och mål", "Klar"),
        "en": ("Measures by theme", "Progress over time", "Greenhouse-gas emissions and the target", "Done"),
    }[lang]
    subheaders = [s.value for s in at.subheader]
    for heading in headings[:3]:
        assert heading in subheaders
    assert metric(at, headings[3]).value == f"{done} / {total}"
    # every chart comes with its data table
    assert len(at.get("plotly_chart")) == 5
    assert len([e for e in at.expander if e.label.startswith(("Kaavion", "Diagrammets", "Chart data"))]) == 5


def test_overview_tiles_and_lists_have_the_demo_numbers(demo_con, demo_db_path):
    late = demo_con.execute(
        "SELECT count(*) FROM measures WHERE is_published AND (status = 'late'"
        " OR (end_date < ? AND status NOT IN ('done', 'cancelled') AND NOT is_continuous))",
        [TODAY],
    ).fetchone()[0]
    at = open_page("app_pages/overview.py")
    assert metric(at, "Myöhässä").value == str(late)
    assert f"{late} toimenpidettä on myöhässä. Myöhässä: tila on Myöhässä, tai päättymispäivä on ohi" in texts(at)
    assert "Vuosien 2020–2024 tahdilla vuoden 2030 tavoite jää saavuttamatta 31 kt:lla" in texts(at)
    late_list = next(h.proto.body for h in at.get("html") if "pv yli päättymispäivän" in h.proto.body)
    assert late_list.count("<li") == late
    assert 'href="measure?lang=fi&amp;programme=1&amp;code=' in late_list
    assert "Liittyminen ICLEI-verkostoon](measure?" in at.info[0].value
    assert "**✔ Valmis**" in at.info[0].value


def test_a_status_change_through_the_service_shows_on_the_next_run(demo_con, demo_db_path):
    at = open_page("app_pages/overview.py")
    done_before = int(metric(at, "Valmis").value.split(" / ")[0])
    measure_id, version = demo_con.execute(
        "SELECT id, version FROM measures WHERE is_published AND status = 'in_progress' ORDER BY code LIMIT 1"
    ).fetchone()
    write.measures.update_measure(demo_con, EDITOR, measure_id, expected_version=version, status="done", progress=100)
    at.run()
    assert not at.exception
    assert int(metric(at, "Valmis").value.split(" / ")[0]) == done_before + 1


def test_every_dashboard_page_handles_an_empty_database(empty_db_path):
    for page in PAGES:
        at = open_page(page)
        assert "python -m tracker init" in texts(at)


@pytest.fixture
def no_money_db(empty_db_path):
    con = db.connect(empty_db_path)
    build = Builder(con)
    programme = build.programme()
    energy = build.theme(programme, 1, "Energia")
    build.theme(programme, 2, "Liikenne")
    build.measure(programme, energy, "1.1", status="in_progress", updated_at=datetime(2026, 3, 1))
    con.close()
    return empty_db_path


def test_a_programme_without_money_events_or_indicator_says_so(no_money_db):
    at = open_page("app_pages/overview.py")
    page = texts(at)
    assert "Tämän ohjelman toimenpiteille ei ole vielä kirjattu rahaa." in page
    assert "Teemoissa ei vielä toimenpiteitä: Liikenne." in page
    assert "Mittareita ei ole vielä lisätty." in page
    assert "Yksikään toimenpide ei ole myöhässä." in page
    # the history counts the measure from its creation; charts: by theme and history only
    assert len(at.get("plotly_chart")) == 2

    budget = open_page("app_pages/budget.py", "sv")
    assert "Inga pengar har ännu registrerats för programmets åtgärder." in texts(budget)

    measure = open_page("app_pages/measure.py", "en", code="1.1")
    assert "No indicator is linked to this measure." in texts(measure)
    assert not measure.get("plotly_chart")


def test_organisation_selector_when_there_are_several(empty_db_path):
    con = db.connect(empty_db_path)
    first = Builder(con, "Alfala")
    first_theme = first.theme(first.programme("Alfan ohjelma"), 1, "Energia")
    first.measure(1, first_theme, "1", status="done")
    second = Builder(con, "Betala")
    programme = second.programme("Betan ohjelma", default=False)
    second.measure(programme, second.theme(programme, 1, "Liikenne"), "9", status="late", end=date(2026, 1, 1))
    con.close()
    at = open_page("app_pages/overview.py")
    assert at.title[0].value == "Alfan ohjelma"
    assert at.selectbox(key="common_organisation").value == first.organisation_id
    at = open_page("app_pages/overview.py", org=str(second.organisation_id))
    assert at.title[0].value == "Betan ohjelma"
    assert url_values(at, "programme") == [str(programme)]
    assert metric(at, "Myöhässä").value == "1"


@pytest.mark.parametrize(
    ("params", "sql"),
    [
        ({"q": "aurinko"}, "title_fi ILIKE '%aurinko%' OR description_fi ILIKE '%aurinko%'"),
        (
            {"theme": "2", "status": "late"},
            "theme_id = (SELECT id FROM themes WHERE position = 2)"
            " AND is_late(status, end_date, is_continuous, DATE '2026-11-28')",
        ),
        ({"unit": "Tilapalvelut"}, "responsible_unit = 'Tilapalvelut'"),
        ({"from": "2029", "to": "2030"}, "is_continuous OR end_date IS NULL OR year(end_date) >= 2029"),
        ({"stale": "1"}, "status NOT IN ('done', 'cancelled') AND DATE '2026-11-28' - CAST(updated_at AS DATE) >= 180"),
    ],
)
@pytest.mark.parametrize("lang", ["fi", "sv"])
def test_measures_list_filters_from_the_url(demo_con, demo_db_path, params, sql, lang):
    expected = demo_con.execute(f"SELECT count(*) FROM measures WHERE is_published AND ({sql})").fetchone()[0]
    at = open_page("app_pages/measures.py", lang, **params)
    if expected:
        assert len(html_tables(at)[0]) == expected
    else:
        assert not html_tables(at)
    for key, value in params.items():
        assert url_values(at, key) == [value]


def test_a_measure_without_a_responsible_unit_shows_an_empty_cell(demo_con, demo_db_path):
    demo_con.execute("UPDATE measures SET responsible_unit = NULL WHERE code = '6.1'")
    table = html_tables(open_page("app_pages/measures.py"))[0]
    assert (table.map(str) == "nan").to_numpy().sum() == 0


def csv_download(at: AppTest) -> str:
    """The bytes behind the first download button, from the test run's in-memory media store."""
    file_id = at.download_button[0].proto.url.rsplit("/", 1)[-1].split(".")[0]
    for store in gc.get_objects():
        if type(store).__name__ == "MemoryMediaFileStorage" and file_id in store._files_by_id:
            return store.get_file(file_id).content
    raise AssertionError("download not found")


def test_measures_csv_download_is_the_current_view_in_finnish(demo_db_path):
    at = open_page("app_pages/measures.py", q="aurinko")
    content = csv_download(at)
    assert content.startswith(b"\xef\xbb\xbf")
    lines = content.decode("utf-8-sig").splitlines()
    assert lines[0] == "Tunnus;Toimenpide;Teema;Tila;Edistyminen;Alku;Päättyy;Vastuutaho;Päivitetty"
    assert len(lines) == 1 + len(html_tables(at)[0])
    assert ";Myöhässä;" in lines[1] and ";31.12.2025;" in lines[1]


def test_measure_page_shows_chart_indicator_and_internal_notes_only_when_signed_in(demo_con, demo_db_path):
    at = open_page("app_pages/measure.py", "sv", code="1.1")
    assert "Växthusgasutsläpp" in texts(at)
    assert len(at.get("plotly_chart")) == 1
    internal = demo_con.execute(
        "SELECT m.code, e.note FROM status_events e JOIN measures m ON m.id = e.measure_id"
        " WHERE NOT e.note_is_public AND m.is_published LIMIT 1"
    ).fetchone()
    at = open_page("app_pages/measure.py", code=internal[0])
    assert internal[1] not in [t.value for t in at.text]
    at = AppTest.from_file(str(ROOT / "dashboard.py"), default_timeout=60)
    at.session_state["app_caller"] = EDITOR
    at.query_params["code"] = internal[0]
    at.run()
    at.switch_page("app_pages/measure.py").run()
    assert internal[1] in [t.value for t in at.text]


@pytest.mark.parametrize("lang", ["fi", "sv", "en"])
def test_budget_page_in_every_language(demo_db_path, lang):
    at = open_page("app_pages/budget.py", lang)
    assert len(html_tables(at)) == 4  # theme x year, the detail, year x cost centre, over budget
    label = {"fi": "Kaikki yhteensä", "sv": "Totalt", "en": "Grand total"}[lang]
    assert html_tables(at)[1].iloc[-1].iloc[0] == label


def test_budget_page_filters_a_year_from_the_url(demo_con, demo_db_path):
    at = open_page("app_pages/budget.py", year="2024", show="actual_eur")
    detail = html_tables(at)[1]
    assert set(detail["Vuosi"]) == {"2024", "Kaikki yhteensä"}
    planned = demo_con.execute(
        "SELECT sum(planned_eur) FROM budget_lines b JOIN measures m ON m.id = b.measure_id"
        " WHERE m.is_published AND b.year = 2024"
    ).fetchone()[0]
    year_row = detail[(detail["Vuosi"] == "2024") & (detail["Teema"] == "Yhteensä")].iloc[0]
    assert year_row["Talousarvio"] == i18n.format_eur(planned, "fi")
    matrix = html_tables(at)[0]
    actual_energy_2022 = demo_con.execute(
        "SELECT sum(actual_eur) FROM budget_lines b JOIN measures m ON m.id = b.measure_id"
        " JOIN themes t ON t.id = m.theme_id WHERE m.is_published AND b.year = 2022 AND t.position = 1"
    ).fetchone()[0]
    assert matrix.iloc[0]["2022"] == i18n.format_eur(actual_energy_2022, "fi")
