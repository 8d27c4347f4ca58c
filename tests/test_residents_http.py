"""The residents' routes over HTTP (Starlette's test client, no browser): the
light pages, the feedback form's submission and its spam guards, the Atom
feed (parsed with feedparser), the JSON API (pages, filters, CORS, OpenAPI),
the framing rule, and the one leak test over all of them: nothing internal
or unpublished in any answer."""

from __future__ import annotations

import html
import logging
import re
import shutil
import subprocess
import sys
from contextlib import contextmanager

import duckdb
import pytest

from tests.residents_http_client import BASE, assert_nothing_internal, form_of, set_setting, text_of
from tracker import cli, db, i18n, write
from tracker.auth import SYSTEM
from tracker.errors import MigrationChanged, SchemaBehind, ValidationError
from tracker.present import embed
from web import cache

# -- the one leak test --


def every_public_answer(client, private_con) -> list[str]:
    ids_codes = private_con.execute("SELECT id, code FROM measures ORDER BY id").fetchall()
    urls = []
    for lang in ("fi", "sv", "en"):
        urls += [
            f"/view?lang={lang}",
            f"/view?lang={lang}&q=UNPUBLISHED",
            f"/view?lang={lang}&q=marker",
            f"/view/feedback?lang={lang}",
            f"/view/accessibility?lang={lang}",
            f"/view/open-data.csv?lang={lang}",
            f"/view/open-data.json?lang={lang}",
            f"/feed?lang={lang}",
            f"/api/v1/programmes?lang={lang}",
            f"/api/v1/measures?lang={lang}&per_page=200",
            f"/api/v1/decisions?per_page=200&lang={lang}",
        ]
    for measure_id, code in ids_codes:
        urls += [f"/view/measure?code={code}", f"/api/v1/measures/{measure_id}?lang=sv"]
        urls += [f"/view/feedback?kind=measure&code={code}"]
    answers = []
    for url in urls:
        answer = client.get(url)
        assert answer.status_code in (200, 404), url
        answers.append(text_of(answer))
    return answers


def test_no_route_gives_anything_internal_or_unpublished(client, private_con):
    answers = every_public_answer(client, private_con)
    everything = "\n".join(answers)
    assert "Liittyminen ICLEI-verkostoon" in everything and "Joining the ICLEI network" in everything
    assert "1\u00a0200\u00a0€" in everything  # money shown while the setting allows
    assert_nothing_internal(everything)
    unpublished = private_con.execute("SELECT id, code FROM measures WHERE NOT is_published").fetchall()
    for measure_id, code in unpublished:
        assert client.get(f"/api/v1/measures/{measure_id}").status_code == 404
        assert client.get(f"/view/measure?code={code}").status_code == 404


def test_money_stays_out_of_every_route_when_the_setting_says_so(client, private_con):
    set_setting(private_con, "public_show_money", "false")
    everything = "\n".join(every_public_answer(client, private_con))
    assert "Liittyminen ICLEI-verkostoon" in everything
    assert "1\u00a0200\u00a0€" not in everything and "€1,200" not in everything
    assert "planned_eur" not in everything and "actual_eur" not in everything
    assert_nothing_internal(everything)


# -- the light pages --


def test_the_programme_page_puts_headline_and_status_before_the_measures(client):
    page = text_of(client.get("/view?lang=fi"))
    assert page.startswith('<!doctype html><html lang="fi">')
    assert page.index("toimenpidettä valmis") < page.index('role="search"') < page.index('class="public-measures"')
    assert '<details class="filters">' in page  # filters behind one control, closed
    chosen = text_of(client.get("/view?lang=sv&theme=6&status=done"))
    assert '<details class="filters" open>' in chosen
    assert "Anslutning till ICLEI-nätverket" in chosen and "Energi</h3>" not in chosen


def test_search_finds_inflected_words_and_keeps_its_query(client):
    page = text_of(client.get("/view?lang=fi&q=py%C3%B6r%C3%A4ilyn"))
    assert "Pyöräilyn pääverkon kehittäminen" in page
    assert 'value="pyöräilyn"' in page
    assert "löytyi" in page
    none = text_of(client.get("/view?lang=fi&q=zzzxq"))
    assert "ei löytynyt" in none


@pytest.mark.parametrize(
    ("lang", "heading", "gap"),
    [
        (
            "fi",
            "Kasvihuonekaasupäästöt ja tavoite",
            "Vuosien 2020–2024 tahdilla vuoden 2030 tavoite jää saavuttamatta 31 kt:lla.",
        ),
        ("sv", "Växthusgasutsläpp och mål", "I takten från 2020–2024 missas målet för 2030 med 31 kt."),
    ],
)
def test_the_embedded_view_says_the_emissions_against_the_target_with_its_table(
    client, private_con, lang, heading, gap
):
    """What residents see on the city's site: the emissions heading, the gap sentence and
    the table behind the overview's chart, the same figures as the overview's queries."""
    from tracker.present import emissions

    page = text_of(client.get(f"/view?lang={lang}&embed=true"))
    assert f'<h2 id="emissions-heading">{heading}</h2>' in page
    assert gap in page
    organisation_id = private_con.execute("SELECT organisation_id FROM programmes WHERE is_default").fetchone()[0]
    totals = db.query(private_con, "emission_totals", organisation_id=organisation_id)
    path = db.query(
        private_con, "emission_target_path", organisation_id=organisation_id, pace_years=emissions.PACE_YEARS
    )
    source = db.query(private_con, "emission_source", organisation_id=organisation_id, lang=lang)
    section = emissions.report_section_of(totals, path, source, lang)
    assert all(f">{header}<" in page for header in section.headers)
    assert all(f">{cell}<" in page for row in section.rows for cell in row if cell)
    # an emissions indicator the admin has not published stays off the residents' page
    private_con.execute("UPDATE indicators SET is_published = false WHERE role = 'emissions'")
    cache.clear_all()
    assert "emissions-heading" not in text_of(client.get(f"/view?lang={lang}&embed=true"))


def test_the_measure_page_lists_its_decisions_and_links_keep_embedding(client):
    page = text_of(client.get("/view/measure?lang=fi&code=6.1&embed=true"))
    assert "<h2" in page and "Päätökset" in page and "Kaupunginhallitus" in page
    assert "Hyväksytty, yksimielisesti" in page
    assert "tracker:height" in page  # the height script when embedded
    links = re.findall(r'href="(/view[^"]*)"', page)
    assert links and all("embed=true" in link for link in links)
    plain = text_of(client.get("/view/measure?lang=fi&code=6.1"))
    assert "tracker:height" not in plain


def test_an_unknown_measure_is_a_404_page_in_the_readers_language(client):
    answer = client.get("/view/measure?lang=sv&code=99.9")
    assert answer.status_code == 404
    assert '<html lang="sv">' in answer.text and "99.9" in answer.text


def test_pages_are_built_once_per_data_version(client, private_con):
    first = client.get("/view?lang=fi")
    again = client.get("/view?lang=fi", headers={"If-None-Match": first.headers["etag"]})
    assert again.status_code == 304
    measure_id, version = private_con.execute("SELECT id, version FROM measures WHERE code = '6.2'").fetchone()
    write.measures.update_measure(private_con, SYSTEM, measure_id, expected_version=version, status="done")
    cache.clear_all()
    changed = client.get("/view?lang=fi", headers={"If-None-Match": first.headers["etag"]})
    assert changed.status_code == 200 and changed.headers["etag"] != first.headers["etag"]


# -- framing and the embed --


def test_only_the_embedded_public_view_may_be_framed_and_only_by_listed_sites(client, private_con):
    set_setting(private_con, "embed_allowed_origins", "https://www.joensuu.example\nhttps://kartta.joensuu.example")
    embedded = client.get("/view?embed=true&lang=fi")
    assert embedded.headers["content-security-policy"] == (
        "frame-ancestors 'self' https://www.joensuu.example https://kartta.joensuu.example"
    )
    assert "x-frame-options" not in embedded.headers
    for url in ("/view?lang=fi", "/weekly?embed=true", "/api/v1/programmes", "/view-nope?embed=true"):
        answer = client.get(url)
        assert answer.headers["content-security-policy"] == "frame-ancestors 'self'", url
        assert answer.headers["x-frame-options"] == "SAMEORIGIN", url
    with pytest.raises(ValidationError):
        write.settings.set_setting(private_con, SYSTEM, "embed_allowed_origins", "https://x.example/path")


def test_links_that_leave_the_embedded_view_open_a_new_tab(client, private_con):
    # decision minutes online and a web address for accessibility feedback: links to other sites
    measure_id = private_con.execute("SELECT id FROM measures WHERE code = '6.1'").fetchone()[0]
    minutes = "https://paatokset.joensuu.example/kv/2024/7"
    fields = {"body": "Kaupunginvaltuusto", "decided_on": "2024-03-11", "outcome": "approved", "url": minutes}
    write.decisions.add_decision(private_con, SYSTEM, 1, fields, measure_ids=[measure_id])
    set_setting(private_con, "accessibility_feedback_contact", "https://www.joensuu.example/palaute")
    pages = ("/view?lang=fi", "/view/measure?lang=fi&code=6.1", "/view/accessibility?lang=fi", "/view/feedback?lang=fi")
    leaving = set()
    for url in pages:
        embedded = text_of(client.get(url + "&embed=true"))
        for anchor in re.findall(r"<a\s[^>]*>", embedded):
            href = html.unescape(re.search(r'href="([^"]*)"', anchor)[1])
            if href.startswith(("/view", "#", "mailto:")):  # within the view: in the frame
                assert 'target="_blank"' not in anchor, (url, anchor)
            else:
                assert 'target="_blank"' in anchor and re.search(r'rel="[^"]*\bnoopener\b', anchor), (url, anchor)
                leaving.add(href.split("?")[0])
        # outside the city's page every link opens where it is
        assert 'target="_blank"' not in text_of(client.get(url))
    assert {"/feed", "/api/v1/measures", minutes, "https://www.joensuu.example/palaute"} <= leaving
    assert "https://creativecommons.org/licenses/by/4.0/" in leaving  # the open-data licence
    assert "https://www.saavutettavuusvaatimukset.fi" in leaving  # the enforcement body


def test_the_embed_script_and_the_cli_snippet(client, private_con, capsys, private_db_path):
    script = client.get("/embed.js")
    assert script.headers["content-type"].startswith("text/javascript")
    assert "event.origin !== appOrigin" in script.text and "tracker:height" in script.text
    code = cli.main(
        ["--db", str(private_db_path), "embed-snippet", "--base-url", "https://ilmasto.example/", "--lang", "sv"]
    )
    assert code == 0
    said = capsys.readouterr()
    printed = said.out.strip()
    assert printed == embed.programme_snippet(private_con, "https://ilmasto.example", lang="sv")
    # no site may frame the view yet: said on stderr, naming the setting as the settings page does
    assert said.err.strip() == embed.unlisted_warning((), "sv")
    assert f"”{i18n.t('setting.embed_allowed_origins', 'sv')}”" in said.err
    assert printed.startswith('<iframe src="https://ilmasto.example/view?embed=true&amp;lang=sv&amp;programme=1"')
    assert printed.endswith('<script src="https://ilmasto.example/embed.js" async></script>')
    assert cli.main(["--db", str(private_db_path), "embed-snippet", "--base-url", "ftp://x"]) == 1
    assert "https://" in capsys.readouterr().err
    set_setting(private_con, "embed_allowed_origins", "https://www.joensuu.example")
    assert cli.main(["--db", str(private_db_path), "embed-snippet", "--base-url", "https://ilmasto.example"]) == 0
    said = capsys.readouterr()
    assert said.out.startswith("<iframe ") and said.err == ""


# -- when the database cannot be read --

INCIDENT = re.compile(r"\b([0-9a-f]{8})\b")
# What a resident must never see of a failure: the file, the engine, its lock, the holder, the fix.
FAILURE_DETAILS = (
    ".duckdb",
    "Traceback",
    "IO Error",
    "Conflicting lock",
    "PID",
    "tracker migrate",
    "migrations/",
    "ZeroDivisionError",
    "a bug",
    "Internal Server Error",
)
HOLD = "import duckdb, sys, time\ncon = duckdb.connect(sys.argv[1])\nprint('held', flush=True)\ntime.sleep(300)\n"


@contextmanager
def held_by_another_process(path):
    """Another program (a command-line import, say) holding a write connection to the file."""
    holder = subprocess.Popen([sys.executable, "-c", HOLD, str(path)], stdout=subprocess.PIPE, text=True)
    try:
        assert holder.stdout.readline().strip() == "held"
        yield
    finally:
        holder.kill()
        holder.wait(timeout=30)


@pytest.fixture
def migrations_copy(tmp_path, monkeypatch):
    """A copy of migrations/ that the code reads instead, for a test to add to or edit."""
    folder = tmp_path / "migrations"
    shutil.copytree(db.MIGRATIONS_DIR, folder)
    monkeypatch.setattr(db, "MIGRATIONS_DIR", folder)
    return folder


def logged_incident(caplog, incident: str) -> logging.LogRecord:
    """The server log's record of ``incident``; it carries the exception and its traceback."""
    found = [record for record in caplog.records if incident in record.getMessage()]
    assert len(found) == 1, [record.getMessage() for record in caplog.records]
    assert found[0].levelno == logging.ERROR and found[0].exc_info, "the details go to the log"
    return found[0]


def assert_told_in(answer, lang: str, status: int) -> str:
    """The answer is ``status`` with the short message in ``lang`` and an incident id; that id."""
    assert answer.status_code == status, answer.text
    body = text_of(answer)
    before, _, after = i18n.t("error.page_failed", lang, incident="\0").partition("\0")
    assert before in body and after in body, body
    for detail in FAILURE_DETAILS:
        assert detail not in body, detail
    assert answer.headers["content-language"] == lang
    assert answer.headers["cache-control"] == "no-store"
    assert ("retry-after" in answer.headers) == (status == 503)
    if status == 503:
        assert int(answer.headers["retry-after"]) > 0
    assert answer.headers["x-content-type-options"] == "nosniff"
    return INCIDENT.search(body[body.index(before) + len(before) :]).group(1)


def assert_every_route_says_so(client, caplog, status: int, error_type: type) -> None:
    # a page: the light pages' frame, in the language of the URL
    page = client.get("/view?lang=sv&embed=true")
    incident = assert_told_in(page, "sv", status)
    assert page.headers["content-type"].startswith("text/html")
    assert text_of(page).startswith('<!doctype html><html lang="sv">')
    assert 'href="/view?lang=fi&amp;embed=true"' in text_of(page)  # the language links keep their place
    assert 'role="alert"' in text_of(page)
    assert isinstance(logged_incident(caplog, incident).exc_info[1], error_type)
    # no language in the URL: the browser's, else Finnish
    measure = client.get("/view/measure?code=6.1", headers={"Accept-Language": "de-DE,en;q=0.8,sv;q=0.5"})
    assert '<html lang="en">' in text_of(measure)
    logged_incident(caplog, assert_told_in(measure, "en", status))
    download = client.get("/view/open-data.csv")
    assert '<html lang="fi">' in text_of(download)
    logged_incident(caplog, assert_told_in(download, "fi", status))
    # the feed: plain text
    feed = client.get("/feed?programme=1", headers={"Accept-Language": "sv-FI"})
    assert feed.headers["content-type"].startswith("text/plain")
    logged_incident(caplog, assert_told_in(feed, "sv", status))
    # the API: JSON an API client on another origin may read
    for url, headers, lang in (
        ("/api/v1/programmes?lang=en", {"Accept-Language": "sv"}, "en"),
        ("/api/v1/measures?programme=1", {}, "fi"),
    ):
        api_answer = client.get(url, headers={"Origin": "https://data.example", **headers})
        incident = assert_told_in(api_answer, lang, status)
        told = i18n.t("error.page_failed", lang, incident=incident)
        assert api_answer.json() == {"error": told, "incident": incident}
        assert api_answer.headers["access-control-allow-origin"] == "*"
        logged_incident(caplog, incident)
    # the feedback form's submission, to the form's action
    posted = client.post(
        "/view/feedback?lang=en",
        data={"lang": "en", "programme": "1", "kind": "general", "message": "Good!", "consent": "yes"},
        headers={"Origin": BASE},
    )
    logged_incident(caplog, assert_told_in(posted, "en", status))


@pytest.mark.embedded_only  # a lake has no file lock: another process never holds it
def test_while_another_process_holds_the_file_residents_are_told_to_come_back_in_their_language(
    client, private_db_path, caplog
):
    with held_by_another_process(private_db_path):
        assert_every_route_says_so(client, caplog, 503, duckdb.IOException)
    # once the file is free the same routes answer again
    assert client.get("/view?lang=sv").status_code == 200
    assert client.get("/api/v1/programmes").status_code == 200
    # the form posts to the action the test posted to: its language in the URL
    assert form_of(text_of(client.get("/view/feedback?lang=en")))[0] == "/view/feedback?lang=en"


@pytest.mark.parametrize("change", ["behind", "edited"])
def test_a_database_behind_its_migrations_or_with_an_edited_one_is_a_503_not_a_bare_500(
    client, migrations_copy, caplog, change
):
    if change == "behind":  # new code deployed, `python -m tracker migrate` not run yet
        (migrations_copy / "9999_next_release.sql").write_text("CREATE TABLE next_release (id INTEGER);\n")
    else:  # an applied migration edited since
        with (migrations_copy / "0002_shared_sql.sql").open("a", encoding="utf-8") as handle:
            handle.write("\n-- edited after it was applied\n")
    assert_every_route_says_so(client, caplog, 503, SchemaBehind if change == "behind" else MigrationChanged)


def test_a_bug_in_a_route_is_logged_loudly_and_answered_with_the_same_short_message(client, monkeypatch, caplog):
    def broken(*args, **kwargs):
        raise ZeroDivisionError("a bug, not the database")

    monkeypatch.setattr(db, "query", broken)
    assert_every_route_says_so(client, caplog, 500, ZeroDivisionError)
