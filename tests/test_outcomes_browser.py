"""Outcomes in a real browser (Debian's chromium) against the app started here: an
editor signs in on Manage indicators, uploads SYKE's file, sees what it would change,
imports it and finds the gap sentence on the overview; uploads an indicator's values
from a spreadsheet; the public view shows the emissions with their table at phone width."""

import re
from pathlib import Path

import pytest

from tests.live_app import running_app, settle
from tracker import db, write
from tracker.auth import SYSTEM

pytestmark = pytest.mark.browser
CSV = Path(__file__).parent / "data" / "emissions" / "kunta_167.csv"
EMAIL, PASSWORD = "coordinator@joensuu.example", "a-long-enough-test-password-16"


def sign_in(page) -> None:
    """The editing URL shows the sign-in; after it, the same URL opens the page itself."""
    page.get_by_label("Sähköposti").fill(EMAIL)
    page.get_by_label("Salasana").fill(PASSWORD)
    page.get_by_role("button", name="Kirjaudu", exact=True).click()
    page.get_by_role("heading", name="Mittareiden ylläpito").wait_for(timeout=60000)
    settle(page)


@pytest.fixture
def editor_db(empty_db_path):
    """An empty database with Joensuu, one programme and measure, and an editor who can sign in."""
    con = db.connect(empty_db_path)
    cur = con.cursor()
    cur.execute("BEGIN")
    org = write.programmes.insert_organisation(cur, SYSTEM, "Joensuun kaupunki", now=db.utcnow())
    programme = write.programmes.insert_programme(cur, SYSTEM, org, "Ilmasto-ohjelma", now=db.utcnow())
    write.programmes.insert_theme(cur, SYSTEM, programme, 1, "Energia", now=db.utcnow())
    cur.execute("COMMIT")
    cur.close()
    theme = con.execute("SELECT id FROM themes").fetchone()[0]
    write.measures.create_measure(
        con, SYSTEM, programme, {"code": "1.1", "title_fi": "Öljystä luopuminen", "theme_id": theme}
    )
    write.accounts.add_user(con, SYSTEM, EMAIL, "editor", password=PASSWORD)
    con.close()
    return empty_db_path


def test_an_editor_imports_syke_s_file_and_the_overview_says_the_gap(editor_db, browser, tmp_path):
    with running_app(editor_db) as base:
        page = browser.new_page(viewport={"width": 1280, "height": 900})
        page.goto(base + "/indicator-form?lang=fi")
        page.wait_for_selector("input[type='password']", timeout=60000)
        sign_in(page)
        page.locator("[data-testid='stFileUploader'] input[type='file']").first.set_input_files(str(CSV))
        page.get_by_text("Tuonti muuttaisi:").wait_for(timeout=60000)
        preview = page.inner_text("[data-testid='stMain']")
        assert "2023: uusi vuosi, Hinku 194,861 kt, kaikki sektorit 278,931 kt." in preview
        page.get_by_role("button", name="Tuo päästötiedot").click()
        page.get_by_text("Tuotu. Muuttui:").wait_for(timeout=60000)

        # the emissions indicator exists now: values from a spreadsheet go to another one
        values = tmp_path / "latauspisteet.csv"
        values.write_text("Vuosi;Arvo\n2023;41\n2024;52\n", encoding="utf-8")
        page.goto(base + "/indicator-form?lang=fi")
        settle(page)
        if page.query_selector("input[type='password']"):
            sign_in(page)
        page.get_by_label("Nimi (suomi)").fill("Latauspisteet")
        page.get_by_label("Yksikkö").fill("kpl")
        page.get_by_role("button", name="Tallenna", exact=True).click()
        page.get_by_text("Tuo arvot taulukosta").wait_for(timeout=60000)
        settle(page)
        page.locator("[data-testid='stFileUploader'] input[type='file']").last.set_input_files(str(values))
        page.get_by_role("button", name="Tuo 2 arvoa").click()
        page.get_by_text("Tuotu: 2 uutta, 0 muutettua, 0 ennallaan.").wait_for(timeout=60000)

        page.goto(base + "/?lang=fi")
        page.get_by_text("Kasvihuonekaasupäästöt ja tavoite").wait_for(timeout=60000)
        settle(page)
        main = page.inner_text("[data-testid='stMain']")
        assert "Vuosien 2022–2023 tahdilla vuoden 2030 tavoite saavutetaan 92 kt:n marginaalilla." in main
        assert "Latauspisteet (kpl) · Viimeisin arvo (2024): 52 kpl." in main
        page.close()


def test_the_public_view_shows_the_emissions_at_phone_width(demo_db_path, browser):
    with running_app(demo_db_path) as base:
        page = browser.new_page(viewport={"width": 380, "height": 900})
        page.goto(base + "/public?lang=sv")
        page.get_by_text("Växthusgasutsläpp och mål").wait_for(timeout=60000)
        settle(page)
        main = page.inner_text("[data-testid='stMain']")
        assert re.search(r"I takten från 2020–2024 missas målet för 2030 med \d+ kt", main)
        page.get_by_text("Diagrammets data som tabell").first.click()
        table = page.locator("details table").first
        assert "Målbana" in table.inner_text()
        assert page.evaluate("document.documentElement.scrollWidth") <= 381
        page.close()
