"""Helpers of test_residents_http*.py; their fixtures (``client``, ``private_con``,
``private_db_path``) are in tests/conftest.py."""

from __future__ import annotations

import html
import re

from tests.conftest import RESIDENTS_BASE_URL
from tests.public_data import MARKERS
from tracker import write
from tracker.auth import SYSTEM
from web import cache

BASE = RESIDENTS_BASE_URL


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
