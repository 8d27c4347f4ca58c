"""The HTTP side of the real server (``streamlit run server.py``): the headers
every response carries and the routes beside the pages."""

from __future__ import annotations

import json
import re
import urllib.error
import urllib.request

import duckdb
import pytest

from tests.live_app import running_app
from tracker import i18n

pytestmark = pytest.mark.browser


@pytest.fixture(scope="module")
def base(databases, demo_template):
    path = databases.copy(demo_template, "server")
    with running_app(path) as url:
        yield url
    databases.drop(path)


def fetch(url: str) -> tuple[int, dict, bytes]:
    try:
        with urllib.request.urlopen(url, timeout=30) as answer:
            return answer.status, {k.lower(): v for k, v in answer.headers.items()}, answer.read()
    except urllib.error.HTTPError as refused:
        return refused.code, {k.lower(): v for k, v in refused.headers.items()}, refused.read()


@pytest.mark.parametrize("path", ["/", "/weekly", "/_stcore/health", "/api/v1/nothing"])
def test_every_response_forbids_sniffing_and_framing_by_others(base, path):
    _status, headers, _body = fetch(base + path)
    assert headers["x-content-type-options"] == "nosniff"
    assert headers["referrer-policy"] == "strict-origin-when-cross-origin"
    assert headers["x-frame-options"] == "SAMEORIGIN"
    assert headers["content-security-policy"] == "frame-ancestors 'self'"


def test_an_unknown_api_path_is_a_json_404_not_the_app_page(base):
    status, headers, body = fetch(base + "/api/v1/nothing")
    assert status == 404
    assert headers["content-type"].startswith("application/json")
    assert json.loads(body) == {"error": "not found"}


@pytest.mark.embedded_only  # a lake has no file lock: another process never holds it
def test_while_another_process_holds_the_file_residents_get_a_503_in_their_language(databases, demo_template, tmp_path):
    # The probe's case on the real server: a command-line import holds the file while residents visit.
    path = databases.copy(demo_template, "held")
    holder = duckdb.connect(path)  # this test's process, not the server's
    log_path = tmp_path / "server.log"
    try:
        with running_app(path, log_path=log_path) as url:
            status, headers, body = fetch(url + "/view?lang=sv&embed=true")
            page = body.decode()
            assert status == 503 and headers["content-type"].startswith("text/html"), page
            assert page.startswith('<!doctype html><html lang="sv">') and int(headers["retry-after"]) > 0
            incident = re.search(r"koden ([0-9a-f]{8})", page)[1]
            assert page.count(i18n.t("error.page_failed", "sv", incident=incident)) == 1
            status, headers, body = fetch(url + "/api/v1/programmes?lang=en")
            answer = json.loads(body)
            assert status == 503 and answer == {
                "error": i18n.t("error.page_failed", "en", incident=answer["incident"]),
                "incident": answer["incident"],
            }
            log = log_path.read_text(errors="replace")
            for logged in (incident, answer["incident"]):
                assert f"incident {logged}: IO Error: Could not set lock" in log, log
            assert "Traceback" in log
    finally:
        holder.close()
        databases.drop(path)
