"""AppTest: the "Paste a decision" page for an editor, in Finnish and Swedish."""

import pytest
from streamlit.testing.v1 import AppTest

from tests import page_app
from tests.conftest import ROOT
from tests.test_decision_apply import SEED_TEXT, reset_iclei
from tracker import db, write
from tracker.auth import Caller

PAGE = "app_pages/decision_paste.py"
EDITOR = Caller(role="editor", email="coordinator@joensuu.example")
CORPUS = ROOT / "tests" / "data" / "decisions"


def open_page(caller=EDITOR, lang="fi", text=None) -> AppTest:
    at = page_app.opened("decision_paste", caller, lang)
    if text is not None:
        at.text_area(key="decision_text").input(text).run()
    return at


def shown(at) -> str:
    parts = [m.value for m in at.markdown] + [m.value for m in at.info] + [m.value for m in at.warning]
    parts += [m.value for m in at.caption] + [m.value for m in at.success] + [m.value for m in at.error]
    return "\n".join(str(part) for part in parts)


def test_a_viewer_who_reaches_the_page_is_told_it_needs_an_editor(demo_db_path):
    # The page checks the role itself, whatever the navigation shows.
    at = AppTest.from_file(str(ROOT / PAGE), default_timeout=30)
    at.session_state["app_caller"] = Caller(role="viewer", email="v@x")
    at.run()
    assert not at.exception
    assert "muokkaaja" in shown(at)
    assert not at.text_area


def test_seed_proposal_on_the_demo_database(demo_db_path):
    at = open_page(text=SEED_TEXT)
    assert not at.exception, at.exception
    assert next(box for box in at.text_input if box.label == "Päättäjä").value == "Kaupunginhallitus"
    measure = next(box for box in at.selectbox if box.label == "Toimenpide, jota päätös koskee")
    assert measure.format_func(measure.value).startswith("6.1 Liittyminen ICLEI-verkostoon")
    text = shown(at)
    assert "jo kirjattu ja liitetty" in text
    assert "Tila on jo" in text
    lines = at.data_editor[0].value
    assert list(lines["year"]) == [2022, 2023, 2024]
    assert set(lines["cost_centre"]) == {"1275"} and set(lines["planned_eur"]) == {1200.0}
    assert not any(lines["include"])  # already there: nothing to write


def test_apply_the_seed_on_a_reset_measure(demo_db_path):
    con = db.connect(demo_db_path)
    measure_id, decision_id = reset_iclei(con)
    con.close()
    at = open_page(text=SEED_TEXT)
    assert "Muuta tilaksi Valmis" in [box.label for box in at.checkbox]
    at.button[0].click().run()
    assert not at.exception, at.exception
    assert "Tallennettu toimenpiteeseen 6.1: uusia talousarviorivejä 3, muutettuja 0." in shown(at)
    con = db.connect(demo_db_path)
    try:
        assert con.execute("SELECT status, progress FROM measures WHERE id = ?", [measure_id]).fetchone() == (
            "done",
            100,
        )
        assert con.execute("SELECT count(*) FROM budget_lines WHERE measure_id = ?", [measure_id]).fetchone() == (3,)
        assert con.execute(
            "SELECT decision_id FROM measure_decisions WHERE measure_id = ?", [measure_id]
        ).fetchall() == [(decision_id,)]
        actor = con.execute(
            "SELECT DISTINCT actor FROM audit_log WHERE measure_id = ? AND action <> 'demo.load'", [measure_id]
        ).fetchall()
        assert actor == [(EDITOR.email,)]
    finally:
        con.close()


@pytest.mark.parametrize(
    ("lang", "message"),
    [("fi", "Teksti ei näytä päätökseltä"), ("sv", "Texten ser inte ut som ett beslut")],
)
def test_a_text_that_is_not_a_decision_gets_a_message(demo_db_path, lang, message):
    text = (CORPUS / "17_ei_paatos_sahkoposti.txt").read_text(encoding="utf-8")
    at = open_page(lang=lang, text=text)
    assert not at.exception
    assert message in shown(at)


def test_a_decision_without_money_says_so(demo_db_path):
    text = (CORPUS / "18_ei_rahaa_tiedoksi.txt").read_text(encoding="utf-8")
    at = open_page(text=text)
    assert not at.exception
    assert "ei mainita euromääriä" in shown(at)


def test_swedish_decision_in_swedish(demo_db_path):
    text = (CORPUS / "09_stadsstyrelsen_enhalligt.txt").read_text(encoding="utf-8")
    at = open_page(lang="sv", text=text)
    assert not at.exception
    measure = next(box for box in at.selectbox if box.label == "Åtgärden som beslutet gäller")
    assert measure.format_func(measure.value).startswith("6.2 Klimatkommunikation")
    assert "Ändra status till Klar" in [box.label for box in at.checkbox]
    assert "1\u00a0200\u00a0€" in at.dataframe[0].value["Belopp"].tolist()


def test_empty_database(empty_db_path):
    at = open_page()
    assert not at.exception
    assert any(box.value.startswith("Tietokannassa ei ole vielä") for box in at.info)
    assert not at.text_area


def test_a_change_made_meanwhile_is_a_conflict_not_an_overwrite(demo_db_path):
    con = db.connect(demo_db_path)
    measure_id, _decision = reset_iclei(con)
    con.close()
    at = open_page(text=SEED_TEXT)
    con = db.connect(demo_db_path)
    try:
        version = con.execute("SELECT version FROM measures WHERE id = ?", [measure_id]).fetchone()[0]
        write.measures.update_measure(con, EDITOR, measure_id, expected_version=version, status="in_progress")
    finally:
        con.close()
    at.button[0].click().run()
    assert not at.exception, at.exception
    assert "Joku muu muutti tätä samaan aikaan" in shown(at)
    con = db.connect(demo_db_path)
    try:
        assert con.execute("SELECT status FROM measures WHERE id = ?", [measure_id]).fetchone() == ("in_progress",)
        assert con.execute("SELECT count(*) FROM budget_lines WHERE measure_id = ?", [measure_id]).fetchone() == (0,)
    finally:
        con.close()
