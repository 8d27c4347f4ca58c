"""The reporting cycle in a real browser (issue 14): an editor opens a period,
marks a measure ready and closes the period; the report page's PDF download
holds the period's figures; the public view shows the period and what moved."""

from __future__ import annotations

import io
import re
from datetime import date

import pypdf
import pytest

from tests.live_app import running_app, settle
from tracker import db, write
from tracker.auth import SYSTEM

pytestmark = pytest.mark.browser
EMAIL, PASSWORD = "koordinaattori@joensuu.example", "Ilmasto-2025-salasana"


def sign_in_at(page, url: str) -> None:
    """Open ``url``: its page asks for a sign-in first, then shows itself at the same address."""
    page.goto(url)
    page.wait_for_selector("input[type='password']", timeout=60000)
    page.fill("input[autocomplete='username']", EMAIL)
    page.fill("input[type='password']", PASSWORD)
    page.keyboard.press("Enter")
    page.wait_for_selector("input[type='password']", state="detached", timeout=60000)
    settle(page)


def main_text(page) -> str:
    return page.inner_text("[data-testid='stMain']")


def test_open_ready_close_report_and_publish_a_period(demo_db_path, browser):
    con = db.connect(demo_db_path)
    write.accounts.add_user(con, SYSTEM, EMAIL, "editor", password=PASSWORD)
    earlier = write.periods.open_period(con, SYSTEM, 1, {"name_fi": "Vuosiraportti 2024", "as_of": date(2024, 12, 31)})
    write.periods.close_period(con, SYSTEM, earlier, expected_version=1)
    con.close()
    with running_app(demo_db_path) as base:
        page = browser.new_page(viewport={"width": 1280, "height": 1000})
        sign_in_at(page, f"{base}/periods?programme=1")
        page.get_by_text("Avaa uusi raportointikausi").click()
        page.get_by_label("Nimi suomeksi").fill("Vuosiraportti 2025")
        for label, digits in (("Tilannepäivä", "31122025"), ("Päivitysten määräpäivä", "15022026")):
            # Streamlit's date input: day, month and year fields that take the digits in turn
            page.get_by_role("spinbutton", name=f"day, {label}").click()
            page.keyboard.type(digits)
        page.get_by_role("button", name="Avaa kausi").click()
        page.get_by_text("Raportointikausi ”Vuosiraportti 2025” avattu.").wait_for(timeout=60000)
        settle(page)
        # the app holds the database while it runs: the page's own words and address say what it did
        assert "Tilannepäivä 31.12.2025" in main_text(page) and "viimeistään 15.2.2026" in main_text(page)
        period_id = int(re.search(r"[?&]period=(\d+)", page.url).group(1))
        # mark 1.1 ready
        page.get_by_text("Merkitse valmiiksi", exact=True).wait_for()
        box = page.locator("[data-testid='stMultiSelect']").filter(has_text="Merkitse valmiiksi")
        box.locator("input").click()
        box.locator("input").type("1.1 ")
        page.get_by_role("option", name=re.compile(r"^1\.1 ")).click()
        page.locator("h1").first.click()  # closes the list that would cover the button
        page.wait_for_timeout(500)
        page.get_by_role("button", name="Merkitse valitut valmiiksi").click()
        page.get_by_text("1 toimenpide merkitty valmiiksi.").wait_for(timeout=60000)
        settle(page)
        # close, confirmed
        page.get_by_text("Ymmärrän, että kauden luvut jäädytetään.").click()
        settle(page)
        page.get_by_role("button", name="Sulje ja jäädytä luvut").click()
        page.get_by_text("Kausi ”Vuosiraportti 2025” suljettu ja sen luvut jäädytetty.").wait_for(timeout=60000)
        # the report page and its PDF
        report = browser.new_page(viewport={"width": 1280, "height": 1000})
        sign_in_at(report, f"{base}/report?programme=1&period={period_id}&compare={earlier}")
        shown = main_text(report)
        assert "Tilannepäivä 31.12.2025" in shown and "Muutokset kaudesta Vuosiraportti 2024" in shown
        with report.expect_download(timeout=60000) as download:
            report.get_by_role("button", name="Hallituksen raportti (PDF)").click()
        reader = pypdf.PdfReader(io.BytesIO(open(download.value.path(), "rb").read()))
        text = re.sub(r"\s+", " ", " ".join(p.extract_text() for p in reader.pages).replace("\u00a0", " "))
        assert "Vuosiraportti 2025" in text and "Muutokset kaudesta Vuosiraportti 2024" in text
        headline = re.search(r"\d+ / \d+ toimenpidettä valmis", shown.replace("\u00a0", " ")).group(0)
        assert headline in text
        # the emissions against the target, as imported today (not in the period's snapshot), page and PDF
        gap = "Vuosien 2020–2024 tahdilla vuoden 2030 tavoite jää saavuttamatta 31 kt:lla."
        for said in (re.sub(r"\s+", " ", shown.replace("\u00a0", " ")), text):
            assert "Kasvihuonekaasupäästöt ja tavoite" in said and gap in said
            assert "eivät kuulu kauden Vuosiraportti 2025 jäädytettyihin lukuihin" in said
        with report.expect_download(timeout=60000) as workbook:
            report.get_by_role("button", name="CDP-ICLEI Track (Excel)").click()
        assert open(workbook.value.path(), "rb").read(2) == b"PK"
        # the public view of the period, no sign-in
        public = browser.new_page(viewport={"width": 1280, "height": 1000})
        public.goto(f"{base}/public?programme=1&period={period_id}&compare={earlier}")
        public.get_by_text("Muutokset kaudesta Vuosiraportti 2024").wait_for(timeout=60000)
        settle(public)
        assert "Vuosiraportti 2025 (tilanne 31.12.2025)" in main_text(public)
        for opened in (page, report, public):
            opened.close()
    con = db.connect(demo_db_path)
    assert con.execute("SELECT as_of, due_on, state FROM reporting_periods WHERE id = ?", [period_id]).fetchone() == (
        date(2025, 12, 31),
        date(2026, 2, 15),
        "closed",
    )
    ready = con.execute(
        "SELECT m.code FROM period_ready AS r JOIN measures AS m ON m.id = r.measure_id WHERE r.period_id = ?",
        [period_id],
    ).fetchall()
    assert ready == [("1.1",)]
    con.close()
