"""Fixtures that build temporary databases: an empty migrated one, and the demo.

The demo database is built once per session and copied per test, so each
test gets its own file it may change freely.
"""

from __future__ import annotations

import shutil
from datetime import date
from pathlib import Path

import pytest
import streamlit as st

from tracker import db
from tracker.demo import seed

ROOT = Path(__file__).resolve().parent.parent
# Staleness and lateness depend on the day; tests pin it to keep known results.
TODAY = date(2026, 11, 28)


@pytest.fixture(scope="session")
def demo_template(tmp_path_factory) -> Path:
    path = tmp_path_factory.mktemp("template") / "demo.duckdb"
    con = db.connect(path, migrate=True)
    seed.load_demo(con)
    con.close()
    return path


@pytest.fixture
def empty_db_path(tmp_path, monkeypatch) -> Path:
    path = tmp_path / "empty.duckdb"
    db.connect(path, migrate=True).close()
    monkeypatch.setenv("TRACKER_DB", str(path))
    return path


@pytest.fixture
def demo_db_path(tmp_path, demo_template, monkeypatch) -> Path:
    path = tmp_path / "demo.duckdb"
    shutil.copy(demo_template, path)
    monkeypatch.setenv("TRACKER_DB", str(path))
    return path


@pytest.fixture
def con(empty_db_path):
    connection = db.connect(empty_db_path)
    yield connection
    connection.close()


@pytest.fixture
def demo_con(demo_db_path):
    connection = db.connect(demo_db_path)
    yield connection
    connection.close()


@pytest.fixture(autouse=True)
def fresh_streamlit_caches():
    """The app caches its connection per process; each test gets its own database."""
    st.cache_resource.clear()
    st.cache_data.clear()
    yield
    st.cache_resource.clear()
    st.cache_data.clear()


@pytest.fixture(scope="session")
def browser():
    """Debian's chromium driven by Playwright; the tests skip only where it is absent."""
    from tests.live_app import CHROMIUM, CHROMIUM_ARGS, chromium_available

    if not chromium_available():
        pytest.skip("Debian's chromium is not installed (apt-get install chromium)")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        instance = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield instance
        instance.close()
