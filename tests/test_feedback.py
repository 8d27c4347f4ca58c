"""What a save did is said right below the button that saved (issue 12: after
saving at the foot of a long page the confirmation appeared hundreds of
pixels above the visible area). AppTest reads the page's elements in order;
tests/test_feedback_browser.py checks the same on screen."""

from datetime import date

import pytest

from tests import page_app
from tests.conftest import TODAY
from tests.test_workspace_pages import EDITOR, open_form, save
from tracker import db
from tracker.auth import Caller
from ui import data

ADMIN = Caller(role="admin", email="admin@joensuu.example")


@pytest.fixture(autouse=True)
def pinned_today(monkeypatch):
    monkeypatch.setattr(data, "today", lambda: TODAY)


def in_order(at) -> list:
    """The main area's elements in the order they are drawn."""
    found = []

    def walk(node):
        children = getattr(node, "children", None)
        if children is None:
            found.append(node)
        else:
            for child in children.values():
                walk(child)

    walk(at.main)
    return found


def position(elements: list, kind: str, text: str) -> int:
    """The index of the first element of ``kind`` whose label or value holds ``text``."""
    for index, element in enumerate(elements):
        if element.type == kind and text in str(getattr(element, "label", "") or getattr(element, "value", "")):
            return index
    raise AssertionError(f"no {kind} with {text!r}")


def assert_below(at, button: str, kind: str, text: str, *, right_below: bool = True) -> None:
    """The ``kind`` element saying ``text`` follows the button, and nothing but the
    save's outcome sits between them."""
    elements = in_order(at)
    pressed = position(elements, "button", button)
    said = position(elements, kind, text)
    assert said > pressed, f"{text!r} is drawn above the {button!r} button"
    if right_below:
        between = [e.type for e in elements[pressed + 1 : said]]
        assert set(between) <= {"success", "error", "markdown", "warning"}, between


def test_the_measure_form_says_saved_below_its_save_button(demo_db_path):
    con = db.connect(demo_db_path)
    measure_id = con.execute("SELECT id FROM measures WHERE code = '1.1'").fetchone()[0]
    con.close()
    at = open_form("app_pages/measure_form.py", "measureform_choice", measure_id)
    at.text_input(key="measureform_responsible_unit").set_value("Tilapalvelut ja kiinteistöt")
    save(at)
    assert not at.exception, at.exception
    assert_below(at, "Tallenna", "success", "Tallennettu")
    # a refusal: the fields to fix are summed up there too, not above the form
    at.text_input(key="measureform_title_fi").set_value("")
    save(at)
    assert_below(at, "Tallenna", "error", "Nimi suomeksi")
    assert position(in_order(at), "error", "Nimi suomeksi") > position(in_order(at), "text_area", "Sisäinen")


def test_archiving_says_so_below_the_archive_button(demo_db_path):
    con = db.connect(demo_db_path)
    measure_id = con.execute("SELECT id FROM measures WHERE code = '2.8'").fetchone()[0]
    con.close()
    at = open_form("app_pages/measure_form.py", "measureform_choice", measure_id)
    at.button(key="measureform_archive").click().run()
    assert not at.exception, at.exception
    elements = in_order(at)
    assert position(elements, "success", "arkistoitu") > position(elements, "button", "Palauta")
    assert not any(e.type == "success" for e in elements[: position(elements, "button", "Tallenna")])


def test_a_conflict_is_shown_below_the_save_button(demo_db_path):
    con = db.connect(demo_db_path)
    measure_id = con.execute("SELECT id FROM measures WHERE code = '1.1'").fetchone()[0]
    con.close()
    first = open_form("app_pages/measure_form.py", "measureform_choice", measure_id)
    second = open_form("app_pages/measure_form.py", "measureform_choice", measure_id)
    first.text_input(key="measureform_contact_name").set_value("Ensimmäinen")
    save(first)
    second.text_input(key="measureform_contact_name").set_value("Toinen")
    save(second)
    elements = in_order(second)
    assert position(elements, "button", "omat muutokseni") > position(elements, "button", "Tallenna")


def test_the_weekly_update_says_saved_below_its_button_and_keeps_the_card_in_place(demo_db_path):
    at = page_app.opened("weekly", EDITOR)
    cards = [s.key for s in at.selectbox if s.key.startswith("weekly_status_")]
    edited = cards[5]
    at.text_input(key=edited.replace("status", "note")).set_value("Kokous pidetty")
    save(at)
    assert not at.exception, at.exception
    assert_below(at, "Tallenna", "success", "Tallennettu 1 toimenpide.")
    # the saved card is where it was (the list itself is stalest first: it would move to the end)
    assert [s.key for s in at.selectbox if s.key.startswith("weekly_status_")] == cards
    assert at.text_input(key=edited.replace("status", "note")).value == ""
    # a new visit starts afresh, in the order of the day
    at.switch_page("app_pages/overview.py").run()
    at.switch_page("app_pages/weekly.py").run()
    again = [s.key for s in at.selectbox if s.key.startswith("weekly_status_")]
    assert edited not in again[:19] and again[:5] == cards[:5]


def test_a_measure_marked_done_stays_on_the_weekly_page_until_the_next_visit(demo_db_path):
    at = page_app.opened("weekly", EDITOR)
    cards = [s.key for s in at.selectbox if s.key.startswith("weekly_status_")]
    at.selectbox(key=cards[0]).set_value("done")
    at.number_input(key=cards[0].replace("status", "progress")).set_value(100)
    save(at)
    assert not at.exception, at.exception
    assert [s.key for s in at.selectbox if s.key.startswith("weekly_status_")] == cards
    at.switch_page("app_pages/overview.py").run()
    at.switch_page("app_pages/weekly.py").run()
    assert cards[0] not in [s.key for s in at.selectbox if s.key.startswith("weekly_status_")]


def test_budget_lines_say_saved_and_removed_below_their_buttons(demo_db_path):
    con = db.connect(demo_db_path)
    measure_id = con.execute("SELECT id FROM measures WHERE code = '6.1'").fetchone()[0]
    centre = con.execute("SELECT id FROM cost_centres ORDER BY id LIMIT 1").fetchone()[0]
    con.close()
    at = page_app.opened("budget_lines", EDITOR)
    at.selectbox(key="budgetlines_measure").set_value(measure_id).run()
    at.number_input(key="budgetlines_year").set_value(2029)
    at.selectbox(key="budgetlines_cost_centre_id").set_value(centre)
    at.text_input(key="budgetlines_planned_eur").set_value("1 200,50")
    save(at)
    assert not at.exception, at.exception
    assert_below(at, "Tallenna", "success", "Tallennettu")
    con = db.connect(demo_db_path)
    line = con.execute("SELECT id FROM budget_lines WHERE measure_id = ? AND year = 2029", [measure_id]).fetchone()[0]
    con.close()
    at.selectbox(key="budgetlines_line").set_value(line).run()
    at.checkbox(key="budgetlines_confirm_remove").check().run()
    at.button(key="budgetlines_remove").click().run()
    assert not at.exception, at.exception
    elements = in_order(at)
    assert position(elements, "success", "Poistettu") > position(elements, "button", "Tallenna")


def test_the_decisions_register_says_saved_below_its_button(demo_db_path):
    at = page_app.opened("decisions_register", EDITOR)
    at.text_input(key="decisions_body").set_value("Kaupunginhallitus")
    at.date_input(key="decisions_decided_on").set_value(date(2026, 11, 2))
    at.text_input(key="decisions_title").set_value("Ilmastoviikon rahoitus")
    save(at)
    assert not at.exception, at.exception
    assert_below(at, "Tallenna", "success", "Tallennettu")


def test_a_new_users_password_is_shown_below_the_add_button(demo_db_path):
    at = page_app.opened("users", ADMIN)
    at.text_input(key="users_new_email").set_value("uusi@joensuu.example")
    next(b for b in at.button if b.label == "Lisää käyttäjä").click().run()
    assert not at.exception, at.exception
    elements = in_order(at)
    assert position(elements, "warning", "uusi@joensuu.example") > position(elements, "button", "Lisää käyttäjä")
