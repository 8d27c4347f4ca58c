"""AppTest: every page runs for an anonymous visitor, in every language."""

import pytest
from streamlit.testing.v1 import AppTest

from tests.html_tables import html_tables
from tests.page_app import app

PAGES = ["app_pages/overview.py", "app_pages/measures.py", "app_pages/measure.py"]


def page_text(at: AppTest) -> str:
    parts = [m.value for m in at.markdown] + [m.value for m in at.title] + [m.value for m in at.subheader]
    parts += [m.value for m in at.info] + [m.value for m in at.caption] + [m.value for m in at.warning]
    return "\n".join(str(p) for p in parts)


@pytest.mark.parametrize("page", PAGES)
@pytest.mark.parametrize("lang", ["fi", "sv", "en"])
def test_every_page_runs_for_an_anonymous_visitor(demo_db_path, page, lang):
    at = app(lang)
    at.run()
    at.switch_page(page).run()
    assert not at.exception, at.exception


@pytest.mark.parametrize("page", PAGES)
def test_every_page_handles_an_empty_database(empty_db_path, page):
    at = app()
    at.run()
    at.switch_page(page).run()
    assert not at.exception
    assert "esimerkkiaineisto" in page_text(at).lower() or "ohjelma" in page_text(at).lower()


def test_overview_shows_iclei_done_in_finnish(demo_db_path):
    at = app()
    at.run()
    text = page_text(at)
    assert "Liittyminen ICLEI-verkostoon" in text
    item = next(part for h in at.get("html") for part in h.proto.body.split("<li") if "ICLEI-verkostoon</a>" in part)
    assert "Valmis" in item


def test_overview_in_swedish_says_klar(demo_db_path):
    at = app("sv")
    at.run()
    text = page_text(at)
    assert "Anslutning till ICLEI-nätverket" in text
    item = next(
        part for h in at.get("html") for part in h.proto.body.split("<li") if "ICLEI" in part and "</a>" in part
    )
    assert "Klar" in item
    assert "Valmis" not in text


def test_overview_headline_counts_published_measures(demo_con, demo_db_path):
    done, total = demo_con.execute(
        "SELECT count(*) FILTER (status = 'done'), count(*) FROM measures WHERE is_published"
    ).fetchone()
    at = app()
    at.run()
    assert any(s.value == f"{done} / {total} toimenpidettä valmis" for s in at.subheader)


def test_measure_page_shows_money_and_decision(demo_db_path):
    at = app(code="6.1")
    at.run()
    at.switch_page("app_pages/measure.py").run()
    assert not at.exception
    assert at.title[0].value == "6.1 Liittyminen ICLEI-verkostoon"
    # an HTML table that wraps and becomes cards on a phone (the data grid cut its last column)
    table = next(frame for frame in html_tables(at) if "Kustannuspaikka" in frame.columns)
    assert list(table["Vuosi"]) == ["2022", "2023", "2024"]
    assert set(table["Talousarvio"]) == {"1\u00a0200\u00a0€"}
    assert list(table["Toteuma"]) == ["1\u00a0200\u00a0€", "1\u00a0200\u00a0€", ""]
    assert set(table["Kustannuspaikka"]) == {"1275 Ilmastotyön koordinointi"}
    text = page_text(at)
    assert "Kaupunginhallitus" in text
    assert "Hyväksytty, yksimielisesti" in text
    assert "Valmis" in text


def test_unpublished_measure_is_hidden_from_anonymous_visitors(demo_con, demo_db_path):
    code = demo_con.execute("SELECT code FROM measures WHERE NOT is_published LIMIT 1").fetchone()[0]
    at = app(code=code)
    at.run()
    at.switch_page("app_pages/measure.py").run()
    assert not at.exception
    assert any(code in w.value for w in at.warning)


def test_measures_list_filters_from_the_url(demo_con, demo_db_path):
    # Late by the one rule, on the day the page measures it.
    expected = demo_con.execute(
        "SELECT count(*) FROM measures WHERE is_published AND is_late(status, end_date, is_continuous, current_date)"
    ).fetchone()[0]
    at = app(status="late")
    at.run()
    at.switch_page("app_pages/measures.py").run()
    assert not at.exception
    table = html_tables(at)[0]
    assert len(table) == expected
    assert set(table["Tila"]) == {"⚠ Myöhässä"}


def test_overview_names_the_real_measure_with_its_money_and_decision(demo_db_path):
    at = app()
    at.run()
    notice = next(i.value for i in at.info if "Esimerkkiaineisto" in i.value)
    assert "[6.1 Liittyminen ICLEI-verkostoon](measure?" in notice
    assert "Valmis" in notice
    assert "1\u00a0200\u00a0€ vuodessa 2022–2024" in notice
    assert "Kaupunginhallitus, hyväksytty yksimielisesti" in notice


def test_the_language_selector_switches_the_page_and_the_url(demo_db_path):
    at = app()
    at.run()
    at.selectbox(key="app_lang").set_value("sv").run()
    assert at.query_params["lang"] == ["sv"] or at.query_params["lang"] == "sv"
    assert any(s.value.endswith("åtgärder klara") for s in at.subheader)
    at.run()  # and it stays
    assert any(s.value.endswith("åtgärder klara") for s in at.subheader)
