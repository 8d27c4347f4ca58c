"""The residents' routes over HTTP (Starlette's test client, no browser): the
light pages, the feedback form's submission and its spam guards, the Atom
feed (parsed with feedparser), the JSON API (pages, filters, CORS, OpenAPI),
the framing rule, and the one leak test over all of them: nothing internal
or unpublished in any answer."""

from __future__ import annotations

import html
import json
import logging
import re
import shutil
import subprocess
import sys
from contextlib import contextmanager
from datetime import timedelta

import duckdb
import feedparser
import pytest
from starlette.applications import Starlette
from starlette.middleware import Middleware
from starlette.testclient import TestClient

from tests.public_data import MARKERS, make_private_copy
from tracker import cli, db, i18n, write
from tracker.auth import SYSTEM
from tracker.errors import MigrationChanged, SchemaBehind, ValidationError
from tracker.present import embed
from tracker.write.feedback import PER_ADDRESS_PER_HOUR
from web import api, cache
from web.api_description import document
from web.headers import HtmlLang, SecurityHeaders
from web.routes import routes

BASE = "http://tracker.test"


@pytest.fixture
def private_db_path(databases, demo_template, monkeypatch):
    path = make_private_copy(databases, demo_template)
    monkeypatch.setenv("TRACKER_DB", str(path))
    return path


@pytest.fixture
def con(private_db_path):
    connection = db.connect(private_db_path)
    yield connection
    connection.close()


@pytest.fixture
def client(private_db_path):
    cache.clear_all()
    app = Starlette(routes=routes(), middleware=[Middleware(SecurityHeaders), Middleware(HtmlLang)])
    with TestClient(app, base_url=BASE) as test_client:
        yield test_client
    cache.clear_all()


def set_setting(con, key, value):
    write.settings.set_setting(con, SYSTEM, key, value)
    cache.clear_all()  # another connection wrote: read the version again now, not within the second


def text_of(answer) -> str:
    return answer.content.decode("utf-8", errors="replace")


def assert_nothing_internal(text: str) -> None:
    for marker in MARKERS:
        assert marker not in text, marker


# -- the one leak test --


def every_public_answer(client, con) -> list[str]:
    ids_codes = con.execute("SELECT id, code FROM measures ORDER BY id").fetchall()
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


def test_no_route_gives_anything_internal_or_unpublished(client, con):
    answers = every_public_answer(client, con)
    everything = "\n".join(answers)
    assert "Liittyminen ICLEI-verkostoon" in everything and "Joining the ICLEI network" in everything
    assert "1\u00a0200\u00a0€" in everything  # money shown while the setting allows
    assert_nothing_internal(everything)
    unpublished = con.execute("SELECT id, code FROM measures WHERE NOT is_published").fetchall()
    for measure_id, code in unpublished:
        assert client.get(f"/api/v1/measures/{measure_id}").status_code == 404
        assert client.get(f"/view/measure?code={code}").status_code == 404


def test_money_stays_out_of_every_route_when_the_setting_says_so(client, con):
    set_setting(con, "public_show_money", "false")
    everything = "\n".join(every_public_answer(client, con))
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
def test_the_embedded_view_says_the_emissions_against_the_target_with_its_table(client, con, lang, heading, gap):
    """What residents see on the city's site: the emissions heading, the gap sentence and
    the table behind the overview's chart, the same figures as the overview's queries."""
    from tracker.present import emissions

    page = text_of(client.get(f"/view?lang={lang}&embed=true"))
    assert f'<h2 id="emissions-heading">{heading}</h2>' in page
    assert gap in page
    organisation_id = con.execute("SELECT organisation_id FROM programmes WHERE is_default").fetchone()[0]
    totals = db.query(con, "emission_totals", organisation_id=organisation_id)
    path = db.query(con, "emission_target_path", organisation_id=organisation_id, pace_years=emissions.PACE_YEARS)
    source = db.query(con, "emission_source", organisation_id=organisation_id, lang=lang)
    section = emissions.report_section_of(totals, path, source, lang)
    assert all(f">{header}<" in page for header in section.headers)
    assert all(f">{cell}<" in page for row in section.rows for cell in row if cell)
    # an emissions indicator the admin has not published stays off the residents' page
    con.execute("UPDATE indicators SET is_published = false WHERE role = 'emissions'")
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


def test_pages_are_built_once_per_data_version(client, con):
    first = client.get("/view?lang=fi")
    again = client.get("/view?lang=fi", headers={"If-None-Match": first.headers["etag"]})
    assert again.status_code == 304
    measure_id, version = con.execute("SELECT id, version FROM measures WHERE code = '6.2'").fetchone()
    write.measures.update_measure(con, SYSTEM, measure_id, expected_version=version, status="done")
    cache.clear_all()
    changed = client.get("/view?lang=fi", headers={"If-None-Match": first.headers["etag"]})
    assert changed.status_code == 200 and changed.headers["etag"] != first.headers["etag"]


# -- feedback --


def post_feedback(client, **fields):
    form = {"lang": "fi", "programme": "1", "kind": "general", "message": "Hyvä!", "consent": "yes", **fields}
    return client.post("/view/feedback", data=form, headers={"Origin": BASE}, follow_redirects=False)


def stored_feedback(con) -> list[tuple]:
    return con.execute("SELECT kind, message, sender_email, measure_id FROM feedback ORDER BY id").fetchall()


def test_feedback_is_received_and_thanked_for(client, con):
    answer = post_feedback(client, kind="measure", code="6.1", message="Hieno juttu", email="a@example.fi")
    assert answer.status_code == 303
    assert "sent=1" in answer.headers["location"] and "code=6.1" in answer.headers["location"]
    thanks = text_of(client.get(answer.headers["location"]))
    assert "Kiitos palautteesta" in thanks
    measure_id = con.execute("SELECT id FROM measures WHERE code = '6.1'").fetchone()[0]
    assert stored_feedback(con) == [("measure", "Hieno juttu", "a@example.fi", measure_id)]


def test_a_refused_form_comes_back_with_each_problem_beside_its_field(client, con):
    answer = post_feedback(client, message="  ", email="nope", consent="", name="Matti")
    assert answer.status_code == 422
    page = text_of(answer)
    assert 'role="alert"' in page and 'href="#message"' in page and 'href="#consent"' in page
    assert 'id="email" name="email"' in page and 'aria-invalid="true"' in page
    assert 'value="Matti"' in page  # what was typed is kept
    assert stored_feedback(con) == []


def test_spam_guards_keep_robots_and_floods_out(client, con):
    robot = post_feedback(client, website="http://spam.example")
    assert robot.status_code == 303 and "sent=1" in robot.headers["location"]
    assert stored_feedback(con) == []
    foreign = client.post(
        "/view/feedback", data={"message": "x", "consent": "yes"}, headers={"Origin": "https://evil.example"}
    )
    assert foreign.status_code == 403
    huge = post_feedback(client, message="x" * 30_000)
    assert huge.status_code == 413
    for _ in range(PER_ADDRESS_PER_HOUR):
        assert post_feedback(client).status_code == 303
    flooded = post_feedback(client)
    assert flooded.status_code == 429
    assert "tunnin kuluttua" in text_of(flooded)
    assert len(stored_feedback(con)) == PER_ADDRESS_PER_HOUR


def form_of(page: str) -> tuple[str, dict[str, str]]:
    """A feedback page's form as a browser would send it: its action and its hidden fields."""
    action = html.unescape(re.search(r'<form method="post" action="([^"]*)"', page)[1])
    hidden = dict(re.findall(r'<input type="hidden" name="([^"]+)" value="([^"]*)">', page))
    return action, {name: html.unescape(value) for name, value in hidden.items()}


def test_every_answer_to_an_embedded_form_may_be_framed_by_the_listed_sites(client, con):
    set_setting(con, "embed_allowed_origins", "https://www.joensuu.example")
    listed = "frame-ancestors 'self' https://www.joensuu.example"

    def post(action, hidden, origin=BASE, **fields):
        return client.post(action, data={**hidden, **fields}, headers={"Origin": origin}, follow_redirects=False)

    action, hidden = form_of(text_of(client.get("/view/feedback?lang=sv&embed=true&kind=measure&code=6.1")))
    # the resident forgets the consent and mistypes the e-mail: the form comes back inside the frame
    refused = post(action, hidden, message="Bra!", email="nej")
    assert refused.status_code == 422
    assert refused.headers["content-security-policy"] == listed
    assert "x-frame-options" not in refused.headers
    page = text_of(refused)
    assert 'role="alert"' in page and 'href="#consent"' in page and 'href="#email"' in page
    assert "tracker:height" in page  # and still sizes its frame
    assert form_of(page) == (action, hidden)  # sent again, it is embedded again
    too_large = post(action, hidden, message="x" * 30_000, consent="yes")
    cross_site = post(action, hidden, origin="https://evil.example", message="x", consent="yes")
    assert (too_large.status_code, cross_site.status_code) == (413, 403)
    for answer in (too_large, cross_site):
        assert answer.headers["content-security-policy"] == listed
    accepted = post(action, hidden, message="Bra!", consent="yes")
    assert accepted.status_code == 303 and accepted.headers["content-security-policy"] == listed
    thanks = client.get(accepted.headers["location"])
    assert "embed=true" in accepted.headers["location"] and thanks.headers["content-security-policy"] == listed
    assert "Tack för din respons" in text_of(thanks)
    for _ in range(PER_ADDRESS_PER_HOUR - 1):
        assert post(action, hidden, message="Bra!", consent="yes").status_code == 303
    flooded = post(action, hidden, message="Bra!", consent="yes")
    assert flooded.status_code == 429 and flooded.headers["content-security-policy"] == listed
    # outside the city's page the form posts without embed=true, so nobody else frames the answer
    plain_action, _hidden = form_of(text_of(client.get("/view/feedback?lang=sv")))
    assert plain_action == "/view/feedback?lang=sv"


def test_the_form_names_its_fields_and_hides_the_honeypot_from_people(client):
    page = text_of(client.get("/view/feedback?lang=en&kind=accessibility"))
    assert "Accessibility feedback" in page
    for field in ("message", "name", "email", "consent"):
        assert f'for="{field}"' in page and f'id="{field}"' in page
    assert 'class="honey" aria-hidden="true"' in page and 'tabindex="-1"' in page
    assert 'name="kind" value="accessibility"' in page


# -- the feed --


def test_the_feed_is_valid_atom_of_public_changes(client, con):
    # a public status change saved without a note, beside the noted ones
    measure_id, version = con.execute("SELECT id, version FROM measures WHERE code = '6.2'").fetchone()
    write.measures.update_measure(con, SYSTEM, measure_id, expected_version=version, status="done", progress=100)
    event_id = con.execute("SELECT max(id) FROM status_events WHERE measure_id = ?", [measure_id]).fetchone()[0]
    cache.clear_all()
    answer = client.get("/feed?programme=1&lang=sv")
    assert answer.headers["content-type"].startswith("application/atom+xml")
    parsed = feedparser.parse(answer.content)
    assert not parsed.bozo, parsed.bozo_exception
    assert parsed.version == "atom10"
    assert parsed.feed.title.endswith("statusändringar och anteckningar")
    assert 0 < len(parsed.entries) <= 50
    for entry in parsed.entries:
        assert entry.id.startswith("tag:") and entry.updated_parsed and entry.title
        assert "/view/measure?" in entry.link and "lang=sv" in entry.link
    public_events = con.execute(
        "SELECT count(*) FROM status_events e JOIN measures m ON m.id = e.measure_id"
        " WHERE m.is_published AND m.archived_at IS NULL AND e.note_is_public"
    ).fetchone()[0]
    assert len(parsed.entries) == min(50, public_events)
    assert_nothing_internal(answer.text)
    noteless = next(entry for entry in parsed.entries if entry.id.endswith(f":status-event:{event_id}"))
    assert noteless.content[0].value == noteless.title.split(": ", 1)[1]  # the change, and no note
    assert not re.search(r"\bnan\b", answer.text, re.IGNORECASE)
    assert client.get("/view?lang=fi").text.count('type="application/atom+xml"') == 1


# -- the API --


def test_measures_come_in_pages_with_links(client, con):
    published = con.execute("SELECT count(*) FROM measures WHERE is_published AND archived_at IS NULL").fetchone()[0]
    first = client.get("/api/v1/measures?per_page=5").json()
    assert (first["total"], len(first["data"]), first["page"]) == (published, 5, 1)
    assert first["links"]["prev"] is None and "page=2" in first["links"]["next"]
    second = client.get(first["links"]["next"]).json()
    assert {m["id"] for m in second["data"]}.isdisjoint(m["id"] for m in first["data"])
    last_page = -(-published // 5)
    last = client.get(f"/api/v1/measures?per_page=5&page={last_page}").json()
    assert last["links"]["next"] is None
    beyond = client.get(f"/api/v1/measures?per_page=5&page={last_page + 1}").json()
    assert beyond["data"] == [] and beyond["total"] == published


def test_filters_narrow_the_measures(client):
    done = client.get("/api/v1/measures?status=done&theme=6&lang=en").json()["data"]
    assert done and all(m["status"] == "done" and m["theme_position"] == 6 for m in done)
    assert any(m["title"] == "Joining the ICLEI network" and m["status_label"] == "Done" for m in done)
    recent = client.get("/api/v1/measures?updated_since=2026-11-01T00:00:00Z&per_page=200").json()["data"]
    everything = client.get("/api/v1/measures?per_page=200").json()["data"]
    assert 0 < len(recent) < len(everything)
    assert all(m["updated_at"] >= "2026-11-01" for m in recent)


def test_a_measure_past_its_end_date_is_late_in_the_api_and_the_pages_from_the_next_day(client, con, monkeypatch):
    """The late rule of every page (status late, or end date passed and not done) holds in
    the JSON API too, and a page or answer built yesterday is not served today: at midnight
    a measure becomes late with no write at all."""
    day = cache.today()
    measure_id, version, status = con.execute(
        "SELECT id, version, status FROM measures WHERE code = '1.2' AND is_published AND NOT is_continuous"
    ).fetchone()
    assert status == "in_progress"
    write.measures.update_measures(
        con, SYSTEM, [{"measure_id": measure_id, "expected_version": version, "end_date": day}]
    )
    cache.clear_all()

    def api_measure() -> dict:
        return client.get(f"/api/v1/measures/{measure_id}?lang=en").json()["data"]

    def late_ids() -> set[int]:
        return {m["id"] for m in client.get("/api/v1/measures?status=late&per_page=200").json()["data"]}

    def measure_page():
        return client.get("/view/measure?lang=en&code=1.2")

    today_page = measure_page()
    assert (api_measure()["status"], api_measure()["recorded_status"]) == ("in_progress", "in_progress")
    assert measure_id not in late_ids()

    monkeypatch.setattr(cache, "today", lambda: day + timedelta(days=1))
    measure = api_measure()
    assert (measure["status"], measure["recorded_status"], measure["status_label"]) == ("late", "in_progress", "Late")
    assert measure_id in late_ids()
    in_progress = client.get("/api/v1/measures?status=in_progress&per_page=200").json()["data"]
    assert measure_id not in {m["id"] for m in in_progress}
    tomorrow_page = measure_page()
    assert tomorrow_page.headers["etag"] != today_page.headers["etag"]
    assert "Late" in text_of(tomorrow_page) and "Late" not in text_of(today_page)


@pytest.mark.parametrize(
    ("url", "parameter"),
    [
        ("/api/v1/measures?status=finished", "status"),
        ("/api/v1/measures?per_page=500", "per_page"),
        ("/api/v1/measures?page=0", "page"),
        ("/api/v1/measures?updated_since=yesterday", "updated_since"),
        ("/api/v1/measures?lang=de", "lang"),
        ("/api/v1/measures?theme=x", "theme"),
    ],
)
def test_a_bad_parameter_is_named(client, url, parameter):
    answer = client.get(url)
    assert answer.status_code == 400
    assert answer.json()["parameter"] == parameter


def test_unknown_things_are_json_404s(client):
    for url in ("/api/v1/measures/999999", "/api/v1/programmes/999/themes", "/api/v1/measures?programme=999"):
        answer = client.get(url)
        assert answer.status_code == 404 and answer.json()["error"] == "not found", url
    assert client.get("/api/v1/nothing").status_code == 404


def test_one_measure_has_its_history_money_and_decisions(client, con):
    measure_id = con.execute("SELECT id FROM measures WHERE code = '6.1'").fetchone()[0]
    measure = client.get(f"/api/v1/measures/{measure_id}?lang=fi").json()["data"]
    assert measure["title"] == "Liittyminen ICLEI-verkostoon" and measure["start_date"] == "2022-01-01"
    assert measure["status_history"][0]["new_status"] == "done"
    assert [line["year"] for line in measure["money"]] == [2022, 2023, 2024]
    assert measure["decisions"][0]["body"] == "Kaupunginhallitus"
    assert set(measure) - {"status_history", "money", "decisions"} <= set(
        document()["components"]["schemas"]["Measure"]["properties"]
    )


def test_every_origin_may_read_and_preflight_is_answered(client):
    answer = client.get("/api/v1/programmes", headers={"Origin": "https://data.example"})
    assert answer.headers["access-control-allow-origin"] == "*"
    preflight = client.options(
        "/api/v1/measures", headers={"Origin": "https://data.example", "Access-Control-Request-Method": "GET"}
    )
    assert preflight.status_code == 204 and "GET" in preflight.headers["access-control-allow-methods"]
    assert client.post("/api/v1/measures").status_code in (404, 405)


def test_the_openapi_document_describes_every_route(client):
    described = client.get("/api/v1/openapi.json").json()
    assert described["openapi"].startswith("3.1")
    served = {
        route.path.removeprefix(api.PREFIX)
        for route in api.routes()
        if route.path not in (api.PREFIX, f"{api.PREFIX}/openapi.json")
    }
    assert set(described["paths"]) == served
    listed = client.get("/api/v1/measures?per_page=1").json()
    assert {"data", "page", "per_page", "total", "links"} <= set(listed)
    item = listed["data"][0]
    assert set(item) <= set(described["components"]["schemas"]["Measure"]["properties"])
    decision = client.get("/api/v1/decisions?per_page=1").json()["data"][0]
    assert set(decision) <= set(described["components"]["schemas"]["Decision"]["properties"])
    json.dumps(described)


# -- framing and the embed --


def test_only_the_embedded_public_view_may_be_framed_and_only_by_listed_sites(client, con):
    set_setting(con, "embed_allowed_origins", "https://www.joensuu.example\nhttps://kartta.joensuu.example")
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
        write.settings.set_setting(con, SYSTEM, "embed_allowed_origins", "https://x.example/path")


def test_links_that_leave_the_embedded_view_open_a_new_tab(client, con):
    # decision minutes online and a web address for accessibility feedback: links to other sites
    measure_id = con.execute("SELECT id FROM measures WHERE code = '6.1'").fetchone()[0]
    minutes = "https://paatokset.joensuu.example/kv/2024/7"
    fields = {"body": "Kaupunginvaltuusto", "decided_on": "2024-03-11", "outcome": "approved", "url": minutes}
    write.decisions.add_decision(con, SYSTEM, 1, fields, measure_ids=[measure_id])
    set_setting(con, "accessibility_feedback_contact", "https://www.joensuu.example/palaute")
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


def test_the_embed_script_and_the_cli_snippet(client, con, capsys, private_db_path):
    script = client.get("/embed.js")
    assert script.headers["content-type"].startswith("text/javascript")
    assert "event.origin !== appOrigin" in script.text and "tracker:height" in script.text
    code = cli.main(
        ["--db", str(private_db_path), "embed-snippet", "--base-url", "https://ilmasto.example/", "--lang", "sv"]
    )
    assert code == 0
    said = capsys.readouterr()
    printed = said.out.strip()
    assert printed == embed.programme_snippet(con, "https://ilmasto.example", lang="sv")
    # no site may frame the view yet: said on stderr, naming the setting as the settings page does
    assert said.err.strip() == embed.unlisted_warning((), "sv")
    assert f"”{i18n.t('setting.embed_allowed_origins', 'sv')}”" in said.err
    assert printed.startswith('<iframe src="https://ilmasto.example/view?embed=true&amp;lang=sv&amp;programme=1"')
    assert printed.endswith('<script src="https://ilmasto.example/embed.js" async></script>')
    assert cli.main(["--db", str(private_db_path), "embed-snippet", "--base-url", "ftp://x"]) == 1
    assert "https://" in capsys.readouterr().err
    set_setting(con, "embed_allowed_origins", "https://www.joensuu.example")
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
