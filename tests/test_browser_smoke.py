"""The real app in a real browser: the overview of the demo shows ICLEI done."""

import pytest

from tests.live_app import running_app, settle

pytestmark = pytest.mark.browser


def test_overview_in_chromium_shows_iclei_done(demo_db_path, browser):
    with running_app(demo_db_path) as base:
        page = browser.new_page(viewport={"width": 1280, "height": 900})
        errors = []
        page.on("pageerror", lambda error: errors.append(str(error)))
        page.goto(base + "/")
        settle(page)
        page.get_by_text("Liittyminen ICLEI-verkostoon").first.wait_for(timeout=60_000)
        text = page.inner_text("[data-testid='stMain']")
        assert "Liittyminen ICLEI-verkostoon" in text
        assert "Valmis" in text
        assert errors == []
        page.close()
