"""Scale UI: the programme selector turns into a search with many programmes, and the
all-organisations page sums every organisation and pages its table in SQL."""

from datetime import date

import pytest

from tests.conftest import TODAY, checked_copy
from tests.html_tables import html_tables, table_links
from tests.page_app import app, opened
from tracker import db, write
from tracker.auth import SYSTEM
from tracker.demo import synth
from ui import data
from ui.programme import PROGRAMME_LIST_LIMIT

MANY = PROGRAMME_LIST_LIMIT + 6


@pytest.fixture(scope="module")
def many_template(databases, demo_template):
    path = databases.copy(demo_template, "many_template")
    con = db.connect(path)
    synth.build(con, municipalities=MANY - 1, seed=5)
    con.close()
    yield path
    databases.drop(path)


@pytest.fixture
def many_db_path(databases, many_template, request, monkeypatch):
    yield from checked_copy(databases, many_template, request, monkeypatch, "many")


def programme_selectors(at):
    return [s for s in at.selectbox if s.key in ("common_programme", "common_programme_match")]


def test_a_few_programmes_keep_the_plain_selector(demo_db_path):
    at = app()
    at.run()
    assert not at.exception
    assert not [t for t in at.text_input if t.key == "common_programme_search"]


def test_many_programmes_get_a_search_box_not_a_long_dropdown(many_db_path):
    at = app()
    at.run()
    assert not at.exception
    assert [t for t in at.text_input if t.key == "common_programme_search"]
    assert programme_selectors(at) == []
    # the default (demo) programme is shown until the reader picks another
    assert at.title[0].value.startswith("Joensuun ilmasto-ohjelma")


def test_searching_lists_only_matches_and_picking_one_switches_the_programme(many_db_path):
    con = db.connect(many_db_path)
    wanted_id, wanted_org = con.execute(
        "SELECT p.id, o.name FROM programmes p JOIN organisations o ON o.id = p.organisation_id"
        " WHERE NOT p.is_demo ORDER BY p.id DESC LIMIT 1"
    ).fetchone()
    con.close()
    at = app()
    at.run()
    at.text_input(key="common_programme_search").input(wanted_org.upper()[:-1]).run()
    assert not at.exception
    (matches,) = programme_selectors(at)
    assert 1 <= len(matches.options) <= 20
    assert all(wanted_org[:-1].lower() in option.lower() for option in matches.options)
    assert matches.value is None
    at.selectbox(key="common_programme_match").select(wanted_id).run()
    assert at.query_params["programme"] == str(wanted_id)
    assert at.title[0].value.startswith(wanted_org)


def test_a_search_without_matches_says_so(many_db_path):
    at = app("en")
    at.run()
    at.text_input(key="common_programme_search").input("zzzz-no-such-place").run()
    assert not at.exception
    assert any("No programme matches" in c.value for c in at.caption)


def test_the_programme_in_the_url_still_chooses_it(many_db_path):
    con = db.connect(many_db_path)
    wanted_id, name = con.execute("SELECT id, name FROM programmes WHERE NOT is_demo ORDER BY id LIMIT 1").fetchone()
    con.close()
    at = app(programme=str(wanted_id))
    at.run()
    assert not at.exception
    assert at.title[0].value == name
    bad = app(programme="999999")
    bad.run()
    assert bad.title[0].value.startswith("Joensuun ilmasto-ohjelma")


@pytest.mark.parametrize("lang", ["fi", "sv", "en"])
def test_national_page_sums_every_organisation(many_db_path, lang):
    con = db.connect(many_db_path)
    done, total = con.execute(
        "SELECT count(*) FILTER (status = 'done'), count(*) FROM measures WHERE is_published"
    ).fetchone()
    con.close()
    at = app(lang)
    at.run()
    at.switch_page("app_pages/national.py").run()
    assert not at.exception
    headline = at.subheader[0].value.replace("\u00a0", "").replace(",", "")
    assert headline.startswith(f"{done} / {total}")
    assert len(at.get("plotly_chart")) == 2


def test_national_organisation_table_is_paged_and_searchable(many_db_path):
    at = app()
    at.run()
    at.switch_page("app_pages/national.py").run()
    first_page = html_tables(at)[-1]
    assert len(first_page) == 25
    assert any(f"1–25 / {MANY}" in c.value for c in at.caption)
    at.number_input(key="national_page").set_value(2).run()
    second_page = html_tables(at)[-1]
    assert len(second_page) == MANY - 25
    assert not set(first_page["Organisaatio"]) & set(second_page["Organisaatio"])
    at.number_input(key="national_page").set_value(1).run()
    at.text_input(key="national_search").input("joensuu").run()
    assert list(html_tables(at)[-1]["Organisaatio"]) == ["Joensuun kaupunki"]


def test_national_tables_link_each_organisation_to_its_overview_in_place(demo_con, demo_db_path):
    """The links were a data grid's link column: a click opened a new tab with a full
    page load, losing the session's filters. Now they are links of the page's HTML,
    which ui.links.in_app_navigation switches in place."""
    programmes = demo_con.execute(
        "SELECT p.id, coalesce(o.name_sv, o.name) FROM programmes p JOIN organisations o ON o.id = p.organisation_id"
        " ORDER BY p.id"
    ).fetchall()
    at = opened("national", lang="sv")
    assert not at.exception, at.exception
    assert not at.dataframe  # no data grid: its links cannot switch pages in place
    top, every = table_links(at)
    expected = [{"href": f"./?lang=sv&programme={pid}", "target": "_self", "text": name} for pid, name in programmes]
    assert top == expected and every == expected
    assert list(html_tables(at)[-1].columns)[:2] == ["Organisation", "Åtgärder"]


def test_national_page_on_an_empty_database(empty_db_path):
    at = app()
    at.run()
    at.switch_page("app_pages/national.py").run()
    assert not at.exception
    assert at.info[0].value


def test_national_page_measures_staleness_by_the_setting_on_the_pinned_day(demo_con, demo_db_path, monkeypatch):
    monkeypatch.setattr(data, "today", lambda: TODAY)
    # stale after 45 days: the shorter limits come down first (fresh ≤ acceptable ≤ stale)
    write.settings.set_settings(demo_con, SYSTEM, {"fresh_days": "20", "acceptable_days": "40", "stale_days": "45"})
    late, stale = demo_con.execute(
        "SELECT count(*) FILTER (status = 'late'), count(*) FILTER (status NOT IN ('done', 'cancelled')"
        " AND updated_at < DATE '2026-11-28' - INTERVAL 45 DAY) FROM measures WHERE is_published"
    ).fetchone()
    at = app()
    at.run()
    at.switch_page("app_pages/national.py").run()
    assert not at.exception
    expected = f"Myöhässä {late} toimenpidettä; {stale} keskeneräistä ei ole päivitetty 45 päivään."
    assert expected in [m.value for m in at.markdown]
    # on a day before any update nothing is stale yet
    monkeypatch.setattr(data, "today", lambda: date(2020, 1, 1))
    at.run()
    expected = f"Myöhässä {late} toimenpidettä; 0 keskeneräistä ei ole päivitetty 45 päivään."
    assert expected in [m.value for m in at.markdown]
