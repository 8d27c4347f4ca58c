"""The residents' window in a real browser (Debian's chromium) against the real
server: the embed on a city's page that sizes itself at 380 and 1280 px,
framing refused to sites the admin did not list, axe and <html lang> on every
anonymous page in three languages at two widths, the sidebar that closes on a
phone, search on the public view, and feedback from the form to the editors'
inbox."""

from __future__ import annotations

import http.server
import socketserver
import threading
import time
import urllib.request
from contextlib import contextmanager

import pytest

from tests.live_app import free_port, running_app, settle
from tests.public_data import MARKERS, make_private_copy
from tracker import db, i18n, write
from tracker.auth import SYSTEM
from tracker.present import embed

pytestmark = pytest.mark.browser

WIDTHS = (1280, 380)
LANGS = ("fi", "sv", "en")
# Every page an anonymous visitor can open, at its URL (the Streamlit pages and the light ones).
ANONYMOUS_PAGES = {
    "overview": "/",
    "measures": "/measures",
    "measure": "/measure?code=6.1",
    "budget": "/budget",
    "all organisations": "/national",
    "public": "/public",
    "public measure": "/public?measure=6.1",
    "accessibility": "/accessibility",
    "sign-in": "/sign-in",
}
LIGHT_PAGES = {
    "view": "/view",
    "view measure": "/view/measure?code=6.1",
    "view feedback": "/view/feedback?kind=measure&code=6.1",
    "view statement": "/view/accessibility",
}


class _Host(socketserver.ThreadingMixIn, http.server.HTTPServer):
    daemon_threads = True


@contextmanager
def host_site(pages: dict[str, str], port: int):
    """Another site (its own origin: another port) serving ``pages`` (path -> HTML)."""

    class Handler(http.server.BaseHTTPRequestHandler):
        def do_GET(self):
            body = pages.get(self.path.split("?")[0], "").encode()
            self.send_response(200 if body else 404)
            self.send_header("Content-Type", "text/html; charset=utf-8")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, *args):
            pass

    server = _Host(("127.0.0.1", port), Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{port}"
    finally:
        server.shutdown()
        server.server_close()


def host_page(body: str) -> str:
    return (
        '<!doctype html><html lang="fi"><head><meta charset="utf-8">'
        '<meta name="viewport" content="width=device-width, initial-scale=1"><title>Kaupunki</title></head>'
        f"<body style='margin:0;padding:8px'><h1>Kaupungin sivu</h1>{body}<p>Sivun loppu</p></body></html>"
    )


@pytest.fixture(scope="module")
def site(databases, demo_template):
    """The app over a private copy of the demo (an editor account, one listed embedding
    site), a city's site that is listed and one that is not."""
    listed_port, other_port = free_port(), free_port()
    path = make_private_copy(databases, demo_template)
    con = db.connect(path)
    try:
        write.settings.set_setting(con, SYSTEM, "embed_allowed_origins", f"http://127.0.0.1:{listed_port}")
        password = write.accounts.add_user(con, SYSTEM, "toimittaja@joensuu.example", "editor")
    finally:
        con.close()
    pages: dict[str, str] = {}
    with running_app(path) as app, host_site(pages, listed_port) as listed, host_site(pages, other_port) as other:
        yield {"app": app, "listed": listed, "other": other, "pages": pages, "password": password}


@pytest.fixture
def context(browser):
    contexts = []

    def make(width: int = 1280):
        made = browser.new_context(viewport={"width": width, "height": 900})
        contexts.append(made)
        return made.new_page()

    yield make
    for made in contexts:
        made.close()


def snippet(app: str, lang: str = "fi", *, script: bool = True) -> str:
    html = embed.snippet(app, programme_id=1, lang=lang, title="Ilmasto-ohjelman eteneminen")
    return html if script else html.split("\n")[0]


def wait_until(check, timeout_s: float = 30, what: str = ""):
    deadline = time.monotonic() + timeout_s
    value = None
    while time.monotonic() < deadline:
        value = check()
        if value:
            return value
        time.sleep(0.2)
    raise AssertionError(f"timed out waiting for {what}: last {value!r}")


def _location(frame) -> str:
    """Where a frame is now (Playwright's frame.url can lag behind a cross-origin frame's navigation)."""
    try:
        return frame.evaluate("location.href")
    except Exception:  # navigating at this moment
        return ""


def frame_of(page, part: str, *, without: str | None = None):
    """The frame whose address holds ``part`` (and not ``without``), once its document is there."""

    def found():
        for frame in page.frames[1:]:
            where = _location(frame)
            if part in where and (without is None or without not in where):
                try:
                    if frame.evaluate("document.readyState") == "complete":
                        return frame
                except Exception:
                    return None
        return None

    return wait_until(found, what=f"a frame of {part}")


def choose_in_menu(page, label: str, path: str) -> None:
    """Click a page in the sidebar menu until the browser is there (a click that lands
    while the previous run is still settling can be dropped by Streamlit)."""
    link = page.locator("[data-testid='stSidebar'] a[data-testid='stPageLink-NavLink']", has_text=label)
    for _attempt in range(3):
        if link.get_attribute("aria-current") != "page":  # not yet there: a page the menu already marks is chosen
            link.click()
        try:
            wait_until(lambda: path in page.url, timeout_s=20, what=path)
            return
        except AssertionError:
            continue
    raise AssertionError(f"the menu did not open {path} (at {page.url})")


def iframe_height(page) -> float:
    return page.evaluate("document.querySelector('iframe').getBoundingClientRect().height")


def settled_height(page, frame) -> float:
    """The iframe's height once it equals its document's content (the script has sized it)."""

    def fitted():
        content = frame.evaluate("Math.ceil(document.getElementById('page').getBoundingClientRect().height)")
        height = iframe_height(page)
        return height if abs(height - content) <= 2 else None

    return wait_until(fitted, what="the iframe sized to its content")


def assert_no_scroll_inside_or_sideways(page, frame) -> None:
    inner = frame.evaluate("[document.documentElement.scrollHeight, document.documentElement.clientHeight]")
    assert inner[0] <= inner[1] + 1, inner  # no scrollbar inside the iframe
    host = page.evaluate("[document.documentElement.scrollWidth, window.innerWidth]")
    assert host[0] <= host[1], host  # no sideways scroll on the city's page
    width = frame.evaluate("[document.documentElement.scrollWidth, document.documentElement.clientWidth]")
    assert width[0] <= width[1], width


# -- the embed sizes itself --


@pytest.mark.parametrize("width", WIDTHS)
def test_the_embedded_view_follows_its_content_on_the_citys_page(site, context, width):
    site["pages"]["/embed.html"] = host_page(snippet(site["app"]))
    page = context(width)
    page.goto(f"{site['listed']}/embed.html")
    frame = frame_of(page, "/view?")
    full = settled_height(page, frame)
    assert full > 1500  # the whole programme, not the 900 px the iframe started at
    assert_no_scroll_inside_or_sideways(page, frame)

    # opening the filters makes the page taller, and the iframe with it
    frame.click("details.filters summary")
    opened = wait_until(lambda: (h := settled_height(page, frame)) > full and h, what="taller after opening")
    # one theme: shorter
    frame.select_option("#theme", "6")
    frame.click("details.filters button[type=submit]")
    frame = frame_of(page, "theme=6")
    themed = wait_until(lambda: (h := settled_height(page, frame)) < opened and h, what="shorter for one theme")
    assert themed < full
    assert_no_scroll_inside_or_sideways(page, frame)
    # a measure of that theme, then back to every measure: taller again
    frame.click("a[href*='code=6.1']")
    frame = frame_of(page, "/view/measure")
    settled_height(page, frame)
    assert "Päätökset" in frame.inner_text("main")
    assert_no_scroll_inside_or_sideways(page, frame)
    frame.click("a[href^='/view?']")
    frame = frame_of(page, "/view?", without="theme")
    assert wait_until(lambda: (h := settled_height(page, frame)) > themed and h, what="taller for all") > themed
    assert_no_scroll_inside_or_sideways(page, frame)


def test_the_script_arriving_after_the_frame_has_loaded_still_sizes_it(site, context):
    """embed.js loads async: when the frame is there first, its height was posted to
    nobody; the script asks the frame again as it starts."""
    iframe = snippet(site["app"]).split("\n")[0]
    late_script = (
        "<script>window.addEventListener('load', () => setTimeout(() => {"
        f"const s = document.createElement('script'); s.src = '{site['app']}/embed.js';"
        " document.body.appendChild(s); }, 1500));</script>"
    )
    site["pages"]["/late.html"] = host_page(iframe + late_script)
    page = context(380)
    page.goto(f"{site['listed']}/late.html")
    frame = frame_of(page, "/view?")
    frame.wait_for_selector("main")
    assert settled_height(page, frame) > 1500


def test_without_the_script_the_iframe_keeps_its_height_and_scrolls_inside(site, context):
    site["pages"]["/noscript.html"] = host_page(snippet(site["app"], script=False))
    page = context(380)
    page.goto(f"{site['listed']}/noscript.html")
    frame = frame_of(page, "/view?")
    frame.wait_for_selector("main")
    time.sleep(1)
    assert iframe_height(page) == 900
    inner = frame.evaluate("[document.documentElement.scrollHeight, document.documentElement.clientHeight]")
    assert inner[0] > inner[1]


def test_the_streamlit_public_view_embedded_sizes_itself_too(site, context):
    frame_html = (
        f'<iframe src="{site["app"]}/public?embed=true&amp;lang=sv" title="Offentlig vy"'
        ' style="border:0;width:100%;height:900px"></iframe>'
        f'<script src="{site["app"]}/embed.js" async></script>'
    )
    site["pages"]["/streamlit.html"] = host_page(frame_html)
    page = context(1280)
    page.goto(f"{site['listed']}/streamlit.html")
    frame = frame_of(page, "/public?")
    frame.wait_for_selector("[data-testid='stApp'][data-test-script-state='notRunning']", timeout=60000)
    wait_until(lambda: iframe_height(page) > 1500, what="the Streamlit view sized")

    def main_scroll() -> list[int]:
        return frame.evaluate(
            "(() => { const m = document.querySelector('[data-testid=stMain]');"
            " return [m.scrollHeight, m.clientHeight]; })()"
        )

    # charts still draw after the first height is sent: the frame follows them
    # until nothing is left to scroll inside it
    def fits() -> bool:
        scroll_height, client_height = main_scroll()
        return scroll_height <= client_height + 2

    wait_until(fits, what="the Streamlit view sized to its whole content")
    assert iframe_height(page) > 1500


# -- framing --


def test_a_foreign_site_cannot_frame_the_app_and_a_listed_one_can_frame_the_public_view(site, context):
    frames = (
        f'<iframe src="{site["app"]}/weekly" title="a" style="width:100%;height:300px"></iframe>'
        f'<iframe src="{site["app"]}/public?embed=true" title="b" style="width:100%;height:300px"></iframe>'
        f'<iframe src="{site["app"]}/view?embed=true" title="c" style="width:100%;height:300px"></iframe>'
    )
    site["pages"]["/frames.html"] = host_page(frames)
    # a site the admin did not list: nothing of the app shows, not even the embed
    page = context(1280)
    refused = []
    page.on("console", lambda message: refused.append(message.text) if "frame-ancestors" in message.text else None)
    page.goto(f"{site['other']}/frames.html")
    wait_until(lambda: len(refused) >= 3, what="three refusals")
    wait_until(
        lambda: all(_location(f).startswith("chrome-error://") for f in page.frames[1:]), what="every frame refused"
    )
    # the listed site: the embedded public view loads, the editing page still does not
    page = context(1280)
    page.goto(f"{site['listed']}/frames.html")
    public = frame_of(page, "/public?")
    public.wait_for_selector("[data-testid='stApp']", timeout=60000)
    light = frame_of(page, "/view?")
    light.wait_for_selector("main")
    wait_until(
        lambda: sum(_location(f).startswith("chrome-error://") for f in page.frames[1:]) == 1,
        what="the editing page refused",
    )


# -- every anonymous page: axe, <html lang> --


def serious_violations(page) -> list[str]:
    from axe_playwright_python.sync_playwright import Axe

    results = Axe().run(page)
    return [
        f"{v['id']} ({v['impact']}): {[n['html'][:120] for n in v['nodes'][:3]]}"
        for v in results.response["violations"]
        if v["impact"] in ("serious", "critical")
    ]


def open_page(page, url: str) -> None:
    page.goto(url)
    if "/view" in url:
        page.wait_for_selector("main")
        return
    settle(page)


@pytest.mark.parametrize("name", [*ANONYMOUS_PAGES, *LIGHT_PAGES])
def test_every_anonymous_page_is_accessible_in_three_languages_at_two_widths(site, context, name):
    path = {**ANONYMOUS_PAGES, **LIGHT_PAGES}[name]
    problems = {}
    for width in WIDTHS:
        page = context(width)
        for lang in LANGS:
            url = f"{site['app']}{path}{'&' if '?' in path else '?'}lang={lang}"
            open_page(page, url)
            assert page.evaluate("document.documentElement.lang") == lang, url
            found = serious_violations(page)
            if found:
                problems[(width, lang)] = found
            text = page.content()
            for marker in MARKERS:
                assert marker not in text, (url, marker)
    assert problems == {}


def test_the_page_says_its_language_before_any_script_runs(site):
    for path, lang in (("/measures", "sv"), ("/budget?lang=en", "en"), ("/", "fi")):
        url = f"{site['app']}{path}" + (f"?lang={lang}" if "?" not in path and lang != "fi" else "")
        with urllib.request.urlopen(url, timeout=30) as answer:
            assert f'<html lang="{lang}"'.encode() in answer.read(), url


def test_changing_the_language_in_the_session_changes_html_lang(site, context):
    page = context(1280)
    open_page(page, f"{site['app']}/measures?lang=fi")
    page.get_by_label("Kieli").click()
    page.get_by_role("option", name="Svenska").click()
    wait_until(lambda: page.evaluate("document.documentElement.lang") == "sv", what="lang sv")
    settle(page)
    budget = i18n.t("nav.budget", "sv")
    choose_in_menu(page, budget, "/budget")
    settle(page)
    assert page.evaluate("document.documentElement.lang") == "sv"


# -- the menu --


def test_the_menu_marks_the_current_page_and_closes_on_a_phone(site, context):
    page = context(380)
    open_page(page, f"{site['app']}/measures?lang=fi")
    sidebar = page.locator("[data-testid='stSidebar']")
    page.locator(
        "[data-testid='stExpandSidebarButton'], [data-testid='stSidebarCollapsedControl'] button"
    ).first.click()
    wait_until(lambda: sidebar.get_attribute("data-collapsed") == "false", what="the sidebar open")
    current = page.locator("[data-testid='stSidebar'] a[aria-current='page']")
    wait_until(lambda: current.count() == 1, what="the current page marked")
    assert current.inner_text().strip().endswith("Toimenpiteet")
    choose_in_menu(page, "Talous", "/budget")
    settle(page)
    wait_until(lambda: sidebar.get_attribute("data-collapsed") == "true", what="the sidebar closed after choosing")
    assert page.locator("[data-testid='stSidebar'] a[aria-current='page']").inner_text().strip().endswith("Talous")


# -- search on the public view --


def test_search_on_the_public_view_finds_inflected_words(site, context):
    page = context(1280)
    open_page(page, f"{site['app']}/public?lang=fi")
    field = page.get_by_label("Hae toimenpiteitä")
    field.fill("pyöräilyä")
    field.press("Enter")
    page.wait_for_selector("text=Hakutulokset", timeout=30000)
    settle(page)
    main = page.inner_text("[data-testid='stMain']")
    assert "Pyöräilyn pääverkon kehittäminen" in main
    assert "q=py%C3%B6r%C3%A4ily%C3%A4" in page.url or "q=pyöräilyä" in page.url


# -- feedback, from the form to the inbox --


def test_feedback_reaches_the_editors_inbox_and_is_handled_there(site, context):
    page = context(380)
    page.goto(f"{site['app']}/view/measure?lang=fi&code=6.1")
    page.get_by_role("link", name="Anna palautetta tästä toimenpiteestä").click()
    page.get_by_label("Viesti", exact=True).fill("Selainpalaute: hyvä, että Joensuu on mukana ICLEIssä.")
    page.get_by_label("Sähköposti (vapaaehtoinen)").fill("asukas@example.fi")
    page.get_by_role("checkbox").check()
    page.get_by_role("button", name="Lähetä palaute").click()
    page.wait_for_selector("text=Palaute on vastaanotettu")
    assert page.evaluate("document.documentElement.lang") == "fi"

    editor = context(1280)
    open_page(editor, f"{site['app']}/feedback?lang=fi")
    editor.get_by_label("Sähköposti").fill("toimittaja@joensuu.example")
    editor.get_by_label("Salasana").fill(site["password"])
    editor.get_by_role("button", name="Kirjaudu", exact=True).click()
    editor.wait_for_selector("text=Asukkaiden palautteet", timeout=60000)
    settle(editor)
    main = editor.inner_text("[data-testid='stMain']")
    assert "Selainpalaute: hyvä, että Joensuu on mukana ICLEIssä." in main
    assert "asukas@example.fi" in main and "6.1 Liittyminen ICLEI-verkostoon" in main
    editor.get_by_role("button", name="Merkitse käsitellyksi").first.click()
    editor.wait_for_selector("text=Palaute merkitty käsitellyksi.", timeout=30000)
    settle(editor)
    assert "Selainpalaute" not in editor.inner_text("[data-testid='stMain']")
