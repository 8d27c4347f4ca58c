"""The public view in a real browser (Debian's chromium) against the app started
here on a free port, over a database full of internal data: three languages,
axe-core, narrow width, keyboard focus, requests only to the app itself, open
data downloads, and no editing page for an anonymous visitor."""

import json
import time

import pytest

from tests.live_app import running_app
from tests.public_data import MARKERS, make_private_copy

pytestmark = pytest.mark.browser

HEADLINES = {"fi": "toimenpidettä valmis", "sv": "åtgärder klara", "en": "measures done"}
ICLEI = {
    "fi": ("Liittyminen ICLEI-verkostoon", "Valmis"),
    "sv": ("Anslutning till ICLEI-nätverket", "Klar"),
    "en": ("Joining the ICLEI network", "Done"),
}


@pytest.fixture(scope="module")
def app(databases, demo_template):
    """One app process for the module, serving a copy of the demo full of internal data."""
    path = make_private_copy(databases, demo_template)
    with running_app(path) as base:
        yield base
    databases.drop(path)


@pytest.fixture
def page(browser, app):
    """A fresh page that records every request it makes."""
    context = browser.new_context(viewport={"width": 1280, "height": 900}, accept_downloads=True)
    page = context.new_page()
    page.requested = []
    page.errors = []
    page.on("request", lambda request: page.requested.append(request.url))
    page.on("pageerror", lambda error: page.errors.append(str(error)))
    yield page
    context.close()


def open_public(page, url: str, timeout_s: float = 60) -> None:
    """Load a public page and wait until its script run has finished and its footer is drawn."""
    page.goto(url)
    page.wait_for_selector("[data-testid='stApp'][data-test-script-state='notRunning']", timeout=timeout_s * 1000)
    page.wait_for_selector("a[href^='accessibility'], a[href^='public']", timeout=timeout_s * 1000)
    deadline = time.monotonic() + 5
    while time.monotonic() < deadline and page.query_selector("[data-testid='stSkeleton']"):
        time.sleep(0.1)


def serious_violations(page, exclude: list[str] | None = None) -> list[str]:
    from axe_playwright_python.sync_playwright import Axe

    context = {"exclude": [[selector] for selector in exclude]} if exclude else None
    results = Axe().run(page, context=context)
    return [
        f"{v['id']} ({v['impact']}): {[n['html'][:120] for n in v['nodes'][:3]]}"
        for v in results.response["violations"]
        if v["impact"] in ("serious", "critical")
    ]


def assert_only_own_host(page, base: str) -> None:
    foreign = [url for url in page.requested if not url.startswith((base + "/", "data:", "blob:"))]
    assert page.requested, "no request was recorded"
    assert foreign == []


def assert_no_internal_data(text: str) -> None:
    for marker in MARKERS:
        assert marker not in text, marker


@pytest.mark.parametrize("lang", ["fi", "sv", "en"])
def test_embedded_view_in_each_language_is_accessible_private_and_local(page, app, lang):
    open_public(page, f"{app}/public?embed=true&lang={lang}")
    page.wait_for_selector(".js-plotly-plot .main-svg")
    assert page.evaluate("document.documentElement.lang") == lang
    main = page.inner_text("[data-testid='stMain']")
    assert HEADLINES[lang] in main
    title, status = ICLEI[lang]
    item = page.locator("li", has_text=title).inner_text()
    assert title in item and status in item
    assert serious_violations(page) == []
    assert_no_internal_data(page.content())
    assert_only_own_host(page, app)
    assert page.errors == []


def test_measure_page_shows_public_description_timeline_and_money_only(page, app):
    open_public(page, f"{app}/public?embed=true&lang=fi&measure=6.1")
    main = page.inner_text("[data-testid='stMain']")
    assert "6.1 Liittyminen ICLEI-verkostoon" in main
    assert "Kaupunginhallitus päätti liittyä ICLEI-verkostoon" in main
    assert "1\u00a0200\u00a0€" in main
    assert serious_violations(page) == []
    assert_no_internal_data(page.content())
    assert_only_own_host(page, app)


def test_view_outside_embed_mode_has_no_serious_violation(page, app):
    # the app's own sidebar menu (ui/menu.py) replaced Streamlit's sectioned one, which failed axe
    open_public(page, f"{app}/public?lang=sv")
    assert page.evaluate("document.documentElement.lang") == "sv"
    assert serious_violations(page) == []
    assert_only_own_host(page, app)


@pytest.mark.parametrize("width", [320, 380])
def test_narrow_iframe_has_no_sideways_scrolling(page, app, width):
    page.set_viewport_size({"width": width, "height": 800})
    for url in (f"{app}/public?embed=true", f"{app}/public?embed=true&measure=6.1"):
        open_public(page, url)
        widths = page.evaluate(
            "() => [document.documentElement.scrollWidth, window.innerWidth,"
            " document.querySelector('[data-testid=stMain]').scrollWidth,"
            " document.querySelector('[data-testid=stMain]').clientWidth]"
        )
        assert widths[0] <= widths[1], (url, widths)
        assert widths[2] <= widths[3], (url, widths)


def test_keyboard_reaches_the_language_links_with_visible_focus(page, app):
    open_public(page, f"{app}/public?embed=true&lang=fi")
    reached = []
    for _ in range(12):
        page.keyboard.press("Tab")
        reached.append(
            page.evaluate(
                "() => { const e = document.activeElement; const s = getComputedStyle(e);"
                " return [e.tagName, e.textContent.trim().slice(0, 40), s.outlineStyle, s.outlineWidth]; }"
            )
        )
    links = {text: (style, width) for tag, text, style, width in reached if tag == "A"}
    assert "Svenska" in links, reached
    style, width = links["Svenska"]
    assert style != "none" and width != "0px", reached


def test_open_data_downloads_hold_published_data_and_the_licence(page, app):
    open_public(page, f"{app}/public?embed=true&lang=fi")
    files = {}
    for label in ("Lataa CSV", "Lataa JSON"):
        with page.expect_download() as download:
            page.get_by_role("button", name=label).click()
        files[label] = open(download.value.path(), encoding="utf-8-sig").read()
    assert "Liittyminen ICLEI-verkostoon" in files["Lataa CSV"]
    document = json.loads(files["Lataa JSON"])
    assert document["licence"]["name"] == "CC BY 4.0"
    assert any(m["code"] == "6.1" and m["status_label"] == "Valmis" for m in document["measures"])
    assert "CC BY 4.0" in page.inner_text("[data-testid='stMain']")
    for text in files.values():
        assert_no_internal_data(text)
    assert_only_own_host(page, app)


def test_anonymous_visitor_gets_no_editing_page(page, app):
    # An anonymous visitor's navigation lists no admin page, and the admin page's URL
    # shows the sign-in form instead of the page's editing controls.
    open_public(page, f"{app}/public?lang=fi")
    nav = page.eval_on_selector_all(
        "[data-testid='stSidebar'] a[data-testid='stPageLink-NavLink']", "links => links.map(a => a.href)"
    )
    assert any("/public?" in href for href in nav)
    assert not any("/embed?" in href for href in nav)
    page.goto(f"{app}/embed?lang=fi")
    page.wait_for_selector("[data-testid='stApp'][data-test-script-state='notRunning']", timeout=60000)
    page.wait_for_timeout(1500)
    text = page.inner_text("body")
    assert "Upotuskoodi kaupungin verkkosivuille" not in text
    assert "Tallenna asetukset" not in text
    assert "Kirjaudu sisään" in text
    inputs = page.eval_on_selector_all("[data-testid='stMain'] input, [data-testid='stMain'] textarea", "e => e.length")
    assert inputs == 2  # e-mail and password, nothing else
    assert page.get_by_label("Sähköposti").count() == 1
