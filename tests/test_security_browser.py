"""Issue 17 in a real browser: a failing page shows the reader a short message
in their language (no path, no traceback, no "Ask Google"), markdown from the
URL or the data links nowhere and fetches nothing, and an internal download's
address stops answering shortly after the click."""

from __future__ import annotations

import re
import time
import urllib.error
import urllib.parse
import urllib.request

import duckdb
import pytest

from tests.hostile_data import make_hostile_copy
from tests.live_app import running_app, settle
from tracker import db, write
from tracker.auth import SYSTEM

pytestmark = pytest.mark.browser
URL_PAYLOAD = "[Click here to sign in](https://evil.example/login)"
IMAGE_PAYLOAD = "![i](https://evil.example/p.png)"
# Every attribute that makes the browser fetch or link somewhere, SVG's xlink:href included.
# A link to one of the app's own pages carrying the payload in its query leads nowhere else.
EVIL_ATTRIBUTES = """() => [...document.querySelectorAll('*')].flatMap(el => [...el.attributes]
    .filter(a => /^(href|src|srcset|xlink:href|action|poster|data)$/i.test(a.name))
    .filter(a => { try { return new URL(a.value.trim(), location.href).host.includes('evil.example'); }
                   catch (e) { return a.value.includes('//evil.example'); } })
    .map(a => el.tagName + ' ' + a.name + '=' + a.value))"""


def fetch_status(url: str) -> int:
    try:
        with urllib.request.urlopen(url, timeout=10) as answer:
            return answer.status
    except urllib.error.HTTPError as error:
        return error.code


@pytest.mark.embedded_only  # the failure made here is the file's lock, which a lake does not have
def test_a_failing_page_shows_a_short_message_not_the_traceback(demo_db_path, browser, tmp_path):
    # The probe's case: a command-line import holds the database file while a resident visits /public.
    holder = duckdb.connect(str(demo_db_path))
    log_path = tmp_path / "server.log"
    try:
        with running_app(demo_db_path, log_path=log_path) as base:
            page = browser.new_page(viewport={"width": 1280, "height": 900})
            for path, message in (
                ("/public?embed=true", "Sivua ei voitu näyttää juuri nyt."),
                ("/public?lang=sv", "Sidan kunde inte visas just nu."),
                ("/?lang=en", "This page could not be shown just now."),
            ):
                page.goto(base + path)
                page.get_by_text(message).wait_for(timeout=60000)
                settle(page)
                shown = page.inner_text("body")
                incident = re.search(r"\b([0-9a-f]{8})\b", page.inner_text("[data-testid='stAlert']"))
                assert incident, shown
                leaks = (str(demo_db_path), "duckdb", "Traceback", "PID", "lock", "Ask Google", "ChatGPT", "Error:")
                for leak in leaks:
                    assert leak not in shown, (path, leak)
                assert page.query_selector("[data-testid='stException']") is None
                assert page.query_selector("[data-testid='stAlert']") is not None
                assert incident.group(1) in log_path.read_text(errors="replace")
            page.close()
    finally:
        holder.close()
    log = log_path.read_text(errors="replace")
    assert "Traceback" in log and "lock" in log.lower(), "the details go to the server log"


def test_markdown_from_the_url_and_the_data_links_nowhere_and_fetches_nothing(databases, demo_template, browser):
    path = make_hostile_copy(databases, demo_template)
    with running_app(path) as base:
        page = browser.new_page(viewport={"width": 1280, "height": 900})
        requests = []
        page.on("request", lambda request: requests.append(request.url))
        for url in (
            f"/public?measure={URL_PAYLOAD}",
            f"/public?embed=true&measure={URL_PAYLOAD}",
            f"/measure?code={IMAGE_PAYLOAD}",
            "/public",
            "/",
            "/measure?code=1.1",
            "/budget",
            "/measures",
            "/national",
            "/accessibility",
        ):
            page.goto(base + url)
            settle(page)
            page.wait_for_timeout(500)
            assert page.evaluate(EVIL_ATTRIBUTES) == [], url
        assert [r for r in requests if "evil.example" in (urllib.parse.urlsplit(r).hostname or "")] == []
        # the payload is there, as text
        page.goto(base + f"/public?measure={URL_PAYLOAD}")
        settle(page)
        assert "[Click here to sign in](https://evil.example/login)" in page.inner_text("body").replace("\u2060", "")
        page.close()


def test_an_internal_download_stops_answering_shortly_after_the_click(demo_db_path, browser):
    con = db.connect(demo_db_path)
    password = write.accounts.add_user(con, SYSTEM, "viewer@x.example", "viewer")
    con.close()
    with running_app(demo_db_path, env={"TRACKER_DOWNLOAD_SECONDS": "4"}) as base:
        context = browser.new_context(viewport={"width": 1280, "height": 900}, accept_downloads=True)
        page = context.new_page()
        page.goto(base + "/audit")
        page.wait_for_selector("input[type='password']", timeout=60000)
        settle(page)
        page.get_by_label("Sähköposti").fill("viewer@x.example")
        page.get_by_label("Salasana").fill(password)
        page.get_by_role("button", name="Kirjaudu", exact=True).click()
        button = page.get_by_role("button", name="Lataa CSV")
        button.wait_for(timeout=60000)
        settle(page)
        with page.expect_download(timeout=60000) as started:
            button.click()
        download = started.value
        assert download.url.startswith(base + "/media/") and download.url.endswith(".csv")
        assert fetch_status(download.url) == 200  # at once, as the browser fetched it
        time.sleep(5)
        assert fetch_status(download.url) == 404
        # a public download stays: a resident may click it long after the page was opened
        page.goto(base + "/public")
        settle(page)
        public_csv = page.get_by_role("button", name=re.compile("CSV"))
        with page.expect_download(timeout=60000) as public_started:
            public_csv.click()
        time.sleep(5)
        assert fetch_status(public_started.value.url) == 200
        context.close()
