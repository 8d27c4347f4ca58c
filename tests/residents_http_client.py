"""The Starlette test client and its private demo copy, shared by test_residents_http*.py.

A test module takes the fixtures by importing them (pytest finds fixtures in a module's namespace).
"""

from __future__ import annotations

import html
import re

import pytest
from starlette.applications import Starlette
from starlette.middleware import Middleware
from starlette.testclient import TestClient

from tests.public_data import MARKERS, make_private_copy
from tracker import db, write
from tracker.auth import SYSTEM
from web import cache
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


def form_of(page: str) -> tuple[str, dict[str, str]]:
    """A feedback page's form as a browser would send it: its action and its hidden fields."""
    action = html.unescape(re.search(r'<form method="post" action="([^"]*)"', page)[1])
    hidden = dict(re.findall(r'<input type="hidden" name="([^"]+)" value="([^"]*)">', page))
    return action, {name: html.unescape(value) for name, value in hidden.items()}
