"""Staying signed in, in a real browser (issue 12): sign in, follow a link from
the overview's late list, reload, open /weekly in a new tab — still signed in;
sign out in one tab — the other tab's next action asks for sign-in. Also: links
switch pages without reloading the app, Back returns to where the page was
left, filters survive a trip to another page, /overview opens the overview,
and the client address an audit row names (issue 17)."""

from __future__ import annotations

import json
import re

import pytest

from tests.live_app import running_app, settle
from tracker import db, write
from tracker.auth import SYSTEM
from tracker.write import sessions

pytestmark = pytest.mark.browser
EMAIL = "coordinator@joensuu.example"


@pytest.fixture
def password(demo_db_path):
    con = db.connect(demo_db_path)
    secret = write.accounts.add_user(con, SYSTEM, EMAIL, "editor", display_name="Koordinaattori")
    con.close()
    return secret


def signed_in(page) -> bool:
    return "Kirjautuneena: Koordinaattori" in page.inner_text("[data-testid='stSidebar']")


def sign_in(page, password: str) -> None:
    page.wait_for_selector("input[type='password']", timeout=60000)
    settle(page)
    page.get_by_label("Sähköposti").fill(EMAIL)
    page.get_by_label("Salasana").fill(password)
    page.get_by_role("button", name="Kirjaudu", exact=True).click()


def full_loads(page) -> list[str]:
    """Every full document load of ``page`` from now on (a soft page switch adds none)."""
    loads: list[str] = []
    page.on("load", lambda: loads.append(page.url))
    return loads


def main_scroll(page) -> int:
    return page.evaluate("document.querySelector(\"[data-testid='stMain']\").scrollTop")


def test_staying_signed_in_across_links_reloads_and_tabs_until_sign_out(demo_db_path, browser, password):
    with running_app(demo_db_path) as base:
        context = browser.new_context(viewport={"width": 1280, "height": 900})
        page = context.new_page()
        page.goto(base + "/weekly")
        sign_in(page, password)
        page.wait_for_url(f"{base}/weekly?**", timeout=60000)
        page.get_by_role("heading", name="Viikkopäivitys").wait_for(timeout=60000)
        settle(page)
        assert signed_in(page)
        cookie = next(c for c in context.cookies() if c["name"] == sessions.SESSION_COOKIE)
        assert cookie["httpOnly"] and cookie["sameSite"] == "Lax" and not cookie["secure"]
        assert "token=" not in page.url

        # the overview's late list: a link switches to the measure without reloading the app
        page.goto(base + "/")
        settle(page)
        loads = full_loads(page)
        late = page.locator("[data-testid='stColumn']", has=page.get_by_role("heading", name="Myöhässä", exact=True))
        link = late.locator("a[href^='measure?']").first
        code = link.inner_text().split()[0]
        link.scroll_into_view_if_needed()
        left_at = main_scroll(page)
        assert left_at > 300
        link.click()
        page.wait_for_url(f"{base}/measure?**code={code}**", timeout=60000)
        page.get_by_role("heading", name=code, exact=False).first.wait_for(timeout=60000)
        settle(page)
        assert loads == [] and signed_in(page)
        # Back: the overview again, scrolled to where it was left
        page.go_back()
        page.get_by_role("heading", name="Myöhässä", exact=True).wait_for(timeout=60000)
        settle(page)
        page.wait_for_function(f"document.querySelector(\"[data-testid='stMain']\").scrollTop >= {left_at - 5}")
        assert loads == []

        page.reload()
        settle(page)
        assert signed_in(page)

        other = context.new_page()
        other.goto(base + "/weekly")
        other.get_by_role("heading", name="Viikkopäivitys").wait_for(timeout=60000)
        settle(other)
        assert signed_in(other) and other.query_selector("input[type='password']") is None

        # sign out in the first tab: the cookie goes, and the second tab's next action asks for sign-in
        page.get_by_role("button", name="Kirjaudu ulos").click()
        page.get_by_role("button", name="Kirjaudu ulos").wait_for(state="detached", timeout=60000)
        settle(page)
        assert not signed_in(page)
        assert sessions.SESSION_COOKIE not in {c["name"] for c in context.cookies()}
        other.get_by_role("link", name="Viikkopäivitys").click()
        other.wait_for_selector("input[type='password']", timeout=60000)
        settle(other)
        main = other.inner_text("[data-testid='stMain']")
        assert "Sinut kirjattiin ulos toisessa välilehdessä tai ikkunassa" in main
        assert not signed_in(other)
        context.close()


def test_overview_opens_at_its_own_name_and_filters_survive_a_trip(demo_db_path, browser):
    with running_app(demo_db_path) as base:
        page = browser.new_page(viewport={"width": 1280, "height": 900})
        page.goto(base + "/overview?lang=sv")
        page.get_by_role("heading", name="Försenade", exact=True).wait_for(timeout=60000)
        settle(page)
        assert page.query_selector("[role='dialog']") is None
        assert "/overview" in page.url

        # the demo notice's link (markdown, which Streamlit opens in a new tab) switches in place
        loads = full_loads(page)
        popups = []
        page.on("popup", lambda popup: popups.append(popup.url))
        page.get_by_test_id("stAlert").get_by_role("link", name="6.1", exact=False).click()
        page.wait_for_url("**/measure?**code=6.1**", timeout=60000)
        page.get_by_role("heading", name="6.1", exact=False).first.wait_for(timeout=60000)
        settle(page)
        assert (loads, popups) == ([], [])
        assert "lang=sv" in page.url

        # a filter on the measures list, a trip to a measure, and the link back
        page.goto(base + "/measures?lang=sv&status=late")
        settle(page)
        count = re.compile(r"^\d+ / \d+ åtgärder$")
        shown = page.get_by_text(count).first.inner_text()
        assert not shown.startswith(shown.split(" / ")[1].split()[0] + " ")  # the filter narrows the list
        loads = full_loads(page)
        page.get_by_test_id("stSidebar").get_by_role("link", name="Åtgärd", exact=True).click()
        back = page.get_by_role("link", name="← Alla åtgärder")
        back.wait_for(timeout=60000)
        settle(page)
        back.click()
        page.wait_for_url("**/measures?**status=late**", timeout=60000)
        settle(page)
        assert "lang=sv" in page.url
        assert page.get_by_text(count).first.inner_text() == shown
        assert loads == []
        page.close()


@pytest.mark.parametrize(("trusted", "expected"), [("127.0.0.1", "203.0.113.9"), ("192.0.2.250", "localhost")])
def test_the_sign_in_audit_names_the_client_behind_a_trusted_proxy_only(
    demo_db_path, browser, password, trusted, expected
):
    """uvicorn takes X-Forwarded-For only from the proxies FORWARDED_ALLOW_IPS names."""
    with running_app(demo_db_path, env={"FORWARDED_ALLOW_IPS": trusted}) as base:
        context = browser.new_context(extra_http_headers={"X-Forwarded-For": "203.0.113.9"})
        page = context.new_page()
        page.goto(base + "/sign-in")
        sign_in(page, password)
        page.wait_for_function("location.pathname === '/'", timeout=60000)
        page.get_by_text("Kirjautuneena: Koordinaattori").wait_for(timeout=60000)
        context.close()
    con = db.connect(demo_db_path)
    (after,) = con.execute("SELECT after FROM audit_log WHERE action = 'user.sign_in'").fetchone()
    (address,) = con.execute("SELECT client_address FROM sessions").fetchone()
    con.close()
    assert json.loads(after)["client_address"] == expected
    assert address == expected
