"""AppTest: the import and export page for editors, with uploads."""

from __future__ import annotations

import pytest
from streamlit.testing.v1 import AppTest

from tests import page_app
from tests.conftest import ROOT
from tests.db_reads import read
from tests.html_tables import html_tables
from tests.spreadsheet_files import csv_bytes, measure_row
from tracker import db
from tracker.auth import Caller
from tracker.spreadsheet import importer

PAGE = "app_pages/import_export.py"
EDITOR = Caller(role="editor", email="koordinaattori@example.fi")


def page(lang="fi", who=EDITOR) -> AppTest:
    return page_app.shown(PAGE, who, lang)


def upload(at: AppTest, data: bytes, name: str) -> AppTest:
    at.file_uploader(key="import_export_file").set_value((name, data, "text/csv")).run()
    assert not at.exception, at.exception
    return at


@pytest.mark.parametrize("lang", ["fi", "sv", "en"])
def test_editor_sees_the_page_in_every_language(demo_db_path, lang):
    at = page(lang)
    assert at.title[0].value == {"fi": "Taulukon tuonti ja vienti", "sv": "Import och export av kalkylblad",
                                 "en": "Spreadsheet import and export"}[lang]  # fmt: skip
    labels = [b.label for b in at.get("download_button")]
    assert len(labels) == 5  # three templates, CSV and XLSX


@pytest.mark.parametrize("who", [None, Caller(role="viewer", email="v@example.fi")])
def test_the_page_is_not_in_the_navigation_of_anonymous_or_viewer(demo_db_path, who):
    at = AppTest.from_file(str(ROOT / "dashboard.py"), default_timeout=60)
    if who is not None:
        at.session_state["app_caller"] = who
    at.run()
    with pytest.raises(ValueError, match="Could not find a navigation page"):
        at.switch_page(PAGE)


def test_a_bad_file_shows_summary_errors_and_marked_cells_and_cannot_be_imported(demo_db_path):
    rows = [measure_row("9.1"), measure_row("9.2", status="Kaput"), measure_row("9.3", progress="120")]
    at = upload(page(), csv_bytes(rows), "huono.csv")
    assert at.error[0].value == "3 riviä, 2 virhettä"
    errors = at.dataframe[0].value
    assert list(errors["Rivi"]) == [3, 4]
    assert list(errors["Sarake"]) == ["Tila", "Edistyminen %"]
    preview = at.dataframe[1].value
    assert preview.loc[3, "Tila"] == "⚠ Kaput"
    assert preview.loc[2, "Tila"] == "Käynnissä"
    assert at.button(key="import_export_import").disabled


def test_a_clean_file_is_imported_with_the_button(demo_db_path):
    rows = [measure_row("9.1", year="2025", cost_centre="1275", planned="1 000,00")]
    at = upload(page(), csv_bytes(rows), "hyva.csv")
    assert at.success[0].value == "1 rivi, 0 virhettä"
    assert "uusia toimenpiteitä 1, päivitettäviä toimenpiteitä 0" in at.info[0].value
    at.button(key="import_export_import").click().run()
    assert not at.exception, at.exception
    assert any(s.value.startswith("Tuonti valmis (tuontierä 1): uusia toimenpiteitä 1") for s in at.success)
    con = db.connect(demo_db_path)
    try:
        source = con.execute(
            "SELECT source FROM status_events WHERE measure_id = (SELECT id FROM measures WHERE code = '9.1')"
        ).fetchone()
        assert source == ("import:hyva.csv",)
    finally:
        con.close()


def test_an_unusable_file_says_why(demo_db_path):
    at = upload(page("en"), b"just one line of text without columns", "x.csv")
    assert at.error[0].value.startswith("Required columns are missing")


def test_a_file_over_the_limit_gets_a_clear_message(demo_db_path, monkeypatch):
    monkeypatch.setattr(importer, "MAX_UPLOAD_BYTES", 100)
    at = upload(page(), csv_bytes([measure_row()] * 5), "iso.csv")
    assert at.error[0].value == "Tiedosto on liian suuri (0,0 Mt). Suurin sallittu koko on 20 Mt."


def test_the_page_works_on_an_empty_database(empty_db_path):
    at = page()
    assert any("ei ole vielä ohjelmaa" in i.value for i in at.info)


def changes_table(at: AppTest):
    return next(frame for frame in html_tables(at) if "Tuonnin jälkeen" in frame.columns)


def test_the_preview_shows_every_change_flags_the_unexpected_and_asks_to_confirm(demo_db_path):
    from tests.test_import_changes import example

    at = upload(page(), example(), "toimenpiteet_esimerkki.csv")
    assert any("päivitettäviä toimenpiteitä 4" in i.value for i in at.info)
    warning = next(w.value for w in at.warning if "et ehkä odota" in w.value)
    assert "(14)" in warning and "tila siirtyy taaksepäin (2)" in warning
    changes = changes_table(at)
    status = changes[(changes["Tunnus"] == "1.1") & (changes["Tieto"] == "Tila")].iloc[0]
    assert (status["Nyt"], status["Tuonnin jälkeen"], status["Huomio"]) == (
        "Valmis",
        "Myöhässä",
        "⚠ tila siirtyy taaksepäin",
    )
    public = changes[(changes["Tunnus"] == "2.4") & (changes["Tieto"] == "Julkinen")].iloc[0]
    assert (public["Nyt"], public["Tuonnin jälkeen"]) == ("kyllä", "ei")
    assert at.button(key="import_export_import").disabled  # not before the flagged changes are confirmed
    at.toggle(key="import_export_only_flagged").set_value(True).run()
    assert len(changes_table(at)) == 14
    confirm = next(c for c in at.checkbox if c.label.startswith("Olen tarkistanut"))
    confirm.check().run()
    assert not at.button(key="import_export_import").disabled
    at.button(key="import_export_import").click().run()
    assert not at.exception, at.exception
    done = next(s.value for s in at.success if s.value.startswith("Tuonti valmis"))
    assert "tuontierä 1" in done
    con = db.connect(demo_db_path)
    try:
        assert con.execute("SELECT status, is_published FROM measures WHERE code = '2.4'").fetchone() == (
            "not_started",
            False,
        )
    finally:
        con.close()


def test_a_replaced_description_is_shown_whole_in_a_table_that_becomes_cards_on_a_phone(demo_db_path):
    """The changes were a data grid with 160 px columns and texts cut at 80 characters:
    a replaced description could not be read, and on a phone its before, after and
    flag were off the screen."""
    from tests.test_import_changes import example

    con = db.connect(demo_db_path)
    try:
        (now,) = con.execute("SELECT description_fi FROM measures WHERE code = '6.1'").fetchone()
    finally:
        con.close()
    at = upload(page(), example(), "toimenpiteet_esimerkki.csv")
    assert not any("Tuonnin jälkeen" in frame.value.columns for frame in at.dataframe)
    changes = changes_table(at)
    assert list(changes.columns) == ["Tunnus", "Tieto", "Huomio", "Nyt", "Tuonnin jälkeen", "Rivi"]
    description = changes[(changes["Tunnus"] == "6.1") & (changes["Tieto"] == "Kuvaus")].iloc[0]
    assert len(now) > 200
    assert (description["Nyt"], description["Tuonnin jälkeen"], description["Huomio"]) == (
        " ".join(now.split()),
        "Kaupunki liittyy kansainväliseen kaupunkien kestävän kehityksen ICLEI-verkostoon.",
        "⚠ teksti korvataan",
    )
    body = next(element.proto.body for element in at.get("html") if "Tuonnin jälkeen" in element.proto.body)
    assert 'class="app-table cards"' in body  # one card per change on a phone
    flagged = body.count('<tr role="row" class="flagged">')
    assert flagged == 14 and len(changes) > flagged  # flagged rows are shaded, the others not


def test_the_changes_table_shows_a_file_s_markup_as_text(demo_db_path):
    rows = [measure_row("9.1", title="<b>Aurinko</b> & <img src=x onerror=alert(1)>")]
    at = upload(page(), csv_bytes(rows), "merkit.csv")
    changes = changes_table(at)
    assert changes.iloc[0]["Tuonnin jälkeen"] == "<b>Aurinko</b> & <img src=x onerror=alert(1)>"
    body = next(element.proto.body for element in at.get("html") if "Tuonnin jälkeen" in element.proto.body)
    assert "&lt;b&gt;Aurinko&lt;/b&gt; &amp; &lt;img src=x onerror=alert(1)&gt;" in body
    assert "<img" not in body


def test_an_import_is_undone_from_the_page_after_a_confirmation(demo_db_path):
    from tests.test_import_changes import example, state

    con = db.connect(demo_db_path)
    before = state(con)
    importer.import_bytes(con, example(), "toimenpiteet_esimerkki.csv", "Joensuun ilmasto-ohjelma (esimerkkiaineisto)")
    con.close()
    at = page("sv")
    assert any("Omgång 1" in m.value and "toimenpiteet\\_esimerkki" in m.value for m in at.markdown)
    at.button(key="import_undo_1").click().run()
    assert any("Ångra omgång 1" in w.value for w in at.warning)
    at.button(key="import_undo_confirm_1").click().run()
    assert not at.exception, at.exception
    assert any(s.value.startswith("Omgång 1 ångrad") for s in at.success)
    assert any("Ångrad" in c.value for c in at.caption)
    assert read(demo_db_path, state) == before


def test_a_refused_undo_names_what_was_changed_since(demo_db_path):
    from tests.test_import_changes import example, later_description_edit

    con = db.connect(demo_db_path)
    importer.import_bytes(con, example(), "e.csv", "Joensuun ilmasto-ohjelma (esimerkkiaineisto)")
    later_description_edit(con)
    con.close()
    at = page()
    at.button(key="import_undo_1").click().run()
    at.button(key="import_undo_confirm_1").click().run()
    assert any("Erää 1 ei peruttu" in e.value for e in at.error)
    assert any("2.4 · Kuvaus: nyt Käsin kirjoitettu, tuonti kirjoitti –" in t.value for t in at.text)


def test_a_header_only_file_says_nothing_would_be_imported(demo_db_path):
    at = upload(page(), csv_bytes([]), "tyhja.csv")
    assert any("vain otsikkorivi" in w.value for w in at.warning)
    assert at.button(key="import_export_import").disabled


def test_the_uploader_itself_says_the_same_limit_as_the_label(demo_db_path):
    """Streamlit's own hint under the uploader said "200MB per file" beside "enintään 20 Mt"."""
    uploader = page().file_uploader(key="import_export_file")
    assert uploader.proto.max_upload_size_mb == importer.MAX_UPLOAD_BYTES // (1024 * 1024) == 20
