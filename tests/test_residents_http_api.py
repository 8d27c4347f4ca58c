"""The residents' JSON API over HTTP (Starlette's test client, no browser): pages,
filters, lateness, errors, CORS and the OpenAPI document."""

from __future__ import annotations

import json
from datetime import timedelta

import pytest

from tests.residents_http_client import text_of
from tracker import write
from tracker.auth import SYSTEM
from web import api, cache
from web.api_description import document

# -- the API --


def test_measures_come_in_pages_with_links(client, private_con):
    published = private_con.execute(
        "SELECT count(*) FROM measures WHERE is_published AND archived_at IS NULL"
    ).fetchone()[0]
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


def test_a_measure_past_its_end_date_is_late_in_the_api_and_the_pages_from_the_next_day(
    client, private_con, monkeypatch
):
    """The late rule of every page (status late, or end date passed and not done) holds in
    the JSON API too, and a page or answer built yesterday is not served today: at midnight
    a measure becomes late with no write at all."""
    day = cache.today()
    measure_id, version, status = private_con.execute(
        "SELECT id, version, status FROM measures WHERE code = '1.2' AND is_published AND NOT is_continuous"
    ).fetchone()
    assert status == "in_progress"
    write.measures.update_measures(
        private_con, SYSTEM, [{"measure_id": measure_id, "expected_version": version, "end_date": day}]
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


def test_one_measure_has_its_history_money_and_decisions(client, private_con):
    measure_id = private_con.execute("SELECT id FROM measures WHERE code = '6.1'").fetchone()[0]
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
