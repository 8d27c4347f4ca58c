"""The residents' feedback form over HTTP (Starlette's test client, no browser):
its submission, its spam guards, framing of its answers; and the Atom feed (parsed with feedparser)."""

from __future__ import annotations

import re

import feedparser

from tests.residents_http_client import BASE, assert_nothing_internal, form_of, set_setting, text_of
from tracker import write
from tracker.auth import SYSTEM
from tracker.write.feedback import PER_ADDRESS_PER_HOUR
from web import cache

# -- feedback --


def post_feedback(client, **fields):
    form = {"lang": "fi", "programme": "1", "kind": "general", "message": "Hyvä!", "consent": "yes", **fields}
    return client.post("/view/feedback", data=form, headers={"Origin": BASE}, follow_redirects=False)


def stored_feedback(private_con) -> list[tuple]:
    return private_con.execute("SELECT kind, message, sender_email, measure_id FROM feedback ORDER BY id").fetchall()


def test_feedback_is_received_and_thanked_for(client, private_con):
    answer = post_feedback(client, kind="measure", code="6.1", message="Hieno juttu", email="a@example.fi")
    assert answer.status_code == 303
    assert "sent=1" in answer.headers["location"] and "code=6.1" in answer.headers["location"]
    thanks = text_of(client.get(answer.headers["location"]))
    assert "Kiitos palautteesta" in thanks
    measure_id = private_con.execute("SELECT id FROM measures WHERE code = '6.1'").fetchone()[0]
    assert stored_feedback(private_con) == [("measure", "Hieno juttu", "a@example.fi", measure_id)]


def test_a_refused_form_comes_back_with_each_problem_beside_its_field(client, private_con):
    answer = post_feedback(client, message="  ", email="nope", consent="", name="Matti")
    assert answer.status_code == 422
    page = text_of(answer)
    assert 'role="alert"' in page and 'href="#message"' in page and 'href="#consent"' in page
    assert 'id="email" name="email"' in page and 'aria-invalid="true"' in page
    assert 'value="Matti"' in page  # what was typed is kept
    assert stored_feedback(private_con) == []


def test_spam_guards_keep_robots_and_floods_out(client, private_con):
    robot = post_feedback(client, website="http://spam.example")
    assert robot.status_code == 303 and "sent=1" in robot.headers["location"]
    assert stored_feedback(private_con) == []
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
    assert len(stored_feedback(private_con)) == PER_ADDRESS_PER_HOUR


def test_every_answer_to_an_embedded_form_may_be_framed_by_the_listed_sites(client, private_con):
    set_setting(private_con, "embed_allowed_origins", "https://www.joensuu.example")
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


def test_the_feed_is_valid_atom_of_public_changes(client, private_con):
    # a public status change saved without a note, beside the noted ones
    measure_id, version = private_con.execute("SELECT id, version FROM measures WHERE code = '6.2'").fetchone()
    write.measures.update_measure(
        private_con, SYSTEM, measure_id, expected_version=version, status="done", progress=100
    )
    event_id = private_con.execute("SELECT max(id) FROM status_events WHERE measure_id = ?", [measure_id]).fetchone()[0]
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
    public_events = private_con.execute(
        "SELECT count(*) FROM status_events e JOIN measures m ON m.id = e.measure_id"
        " WHERE m.is_published AND m.archived_at IS NULL AND e.note_is_public"
    ).fetchone()[0]
    assert len(parsed.entries) == min(50, public_events)
    assert_nothing_internal(answer.text)
    noteless = next(entry for entry in parsed.entries if entry.id.endswith(f":status-event:{event_id}"))
    assert noteless.content[0].value == noteless.title.split(": ", 1)[1]  # the change, and no note
    assert not re.search(r"\bnan\b", answer.text, re.IGNORECASE)
    assert client.get("/view?lang=fi").text.count('type="application/atom+xml"') == 1
