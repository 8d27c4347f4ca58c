"""Feedback where the eye is, in a real browser: a coordinator who saves at the
foot of a long page sees the confirmation without scrolling, and on the weekly
page the card they edited stays where it was."""

import pytest

from tests.live_app import running_app, settle
from tracker import db, write
from tracker.auth import SYSTEM

pytestmark = pytest.mark.browser
EMAIL = "coordinator@joensuu.example"


def signed_in_page(browser, base: str, password: str, *, width: int = 1280, height: int = 900):
    """A coordinator signed in with a local account; pages are then opened from the menu."""
    page = browser.new_page(viewport={"width": width, "height": height})
    page.goto(base + "/sign-in")
    page.wait_for_selector("input[type='password']", timeout=60000)
    settle(page)
    page.get_by_label("Sähköposti").fill(EMAIL)
    page.get_by_label("Salasana").fill(password)
    page.keyboard.press("Enter")
    page.get_by_text("Kirjautuneena").wait_for(timeout=60000)
    settle(page)
    return page


def open_from_menu(page, url_path: str) -> None:
    # the app's own sidebar menu (ui/menu.py): links relative to the app, with the language
    page.click(f"[data-testid='stSidebar'] a[data-testid='stPageLink-NavLink'][href^='{url_path}']")
    settle(page)


def in_view(page, box: dict) -> bool:
    height = page.evaluate("window.innerHeight")
    return box is not None and box["y"] >= 0 and box["y"] + box["height"] <= height


@pytest.fixture
def coordinator(demo_db_path):
    con = db.connect(demo_db_path)
    password = write.accounts.add_user(con, SYSTEM, EMAIL, "editor")
    con.close()
    return password


def test_saving_the_weekly_update_at_the_foot_of_the_page(demo_db_path, browser, coordinator):
    with running_app(demo_db_path) as base:
        page = signed_in_page(browser, base, coordinator)
        open_from_menu(page, "weekly")
        cards = page.locator("[class*='st-key-weekly_card_']")
        assert cards.count() == 20
        last = cards.nth(19)
        title = last.locator("strong").first.inner_text()
        last.get_by_label("Mitä tehtiin (muistiinpano)").fill("Ohjausryhmä kokoontui")
        save = page.get_by_role("button", name="Tallenna")
        save.scroll_into_view_if_needed()
        where = last.bounding_box()["y"]
        save.click()
        saved = page.get_by_text("Tallennettu 1 toimenpide.")
        saved.wait_for(timeout=60000)
        settle(page)
        assert in_view(page, saved.bounding_box()), "the confirmation is out of sight"
        # the edited card has not moved (the stalest-first list would put it at the end)
        after = page.locator("[class*='st-key-weekly_card_']").nth(19)
        assert after.locator("strong").first.inner_text() == title
        assert abs(after.bounding_box()["y"] - where) < 2
        assert after.get_by_label("Mitä tehtiin (muistiinpano)").input_value() == ""
        page.close()


def test_saving_the_measure_form_at_its_foot(demo_db_path, browser, coordinator):
    with running_app(demo_db_path) as base:
        page = signed_in_page(browser, base, coordinator)
        open_from_menu(page, "measure-form")
        chooser = page.get_by_label("Toimenpide", exact=True)
        chooser.click()
        page.keyboard.type("1.1 Kaupungin")
        page.keyboard.press("Enter")
        page.get_by_label("Nimi suomeksi").wait_for(timeout=60000)
        settle(page)
        note = page.get_by_label("Sisäinen muistiinpano")
        note.fill("Tarkistettu budjettikokouksessa")
        save = page.get_by_role("button", name="Tallenna")
        save.scroll_into_view_if_needed()
        save.click()
        saved = page.get_by_text("Tallennettu.", exact=True)
        saved.wait_for(timeout=60000)
        settle(page)
        assert in_view(page, saved.bounding_box()), "the confirmation is out of sight"
        assert in_view(page, page.get_by_role("button", name="Tallenna").bounding_box())
        page.close()
