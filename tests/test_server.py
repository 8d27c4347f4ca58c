"""The HTTP side of the real server (``streamlit run server.py``): the headers
every response carries and the routes beside the pages."""

from __future__ import annotations

import json
import urllib.error
import urllib.request

import pytest

from tests.live_app import running_app

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
