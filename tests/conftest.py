"""Fixtures that build temporary databases: an empty migrated one, and the demo,
on each storage engine.

Every test that takes a database (``con``, ``demo_con``, ``empty_db_path``,
``demo_db_path``, ``new_db_path``, ``private_db_path``, ``private_con``, ``client``,
``databases``, ``demo_template``) runs twice: on the embedded
file (``[embedded]``) and on a lake with its catalog in PostgreSQL
(``[lake]``). The ``..._db_path`` fixtures give what TRACKER_DB takes: a file
path, or ``ducklake:postgres:<conninfo>``; open it with ``db.connect`` (never
``duckdb.connect``, which knows no lake). The lake pass starts a throwaway
PostgreSQL cluster (tests/pg_cluster.py) and is skipped, with the reason,
where PostgreSQL is not installed. TRACKER_TEST_ENGINES=embedded (or lake)
runs one pass only.

Templates are built once per session and engine and copied per test (a file
copy; ``CREATE DATABASE ... TEMPLATE`` for a lake, whose data files the copies
share: files are never changed, only added), so each test gets its own
database it may change freely. After a test that wrote to it, the database is
checked for orphan rows and broken rules (tests/integrity.py); a test that
breaks them on purpose is marked ``unchecked_data``.
"""

from __future__ import annotations

import itertools
import os
import shutil
from datetime import date
from pathlib import Path

import pytest
import streamlit as st

from tests import integrity, pg_cluster
from tests.public_data import make_private_copy
from tracker import db, lake
from tracker.demo import seed

ROOT = Path(__file__).resolve().parent.parent
# Staleness and lateness depend on the day; tests pin it to keep known results.
TODAY = date(2026, 11, 28)
# Where the residents' routes answer in Starlette's test client (the ``client`` fixture).
RESIDENTS_BASE_URL = "http://tracker.test"

ENGINES = tuple(name for name in os.environ.get("TRACKER_TEST_ENGINES", "embedded,lake").split(",") if name)


def pytest_report_header(config):
    reason = pg_cluster.unavailable_reason() if "lake" in ENGINES else "TRACKER_TEST_ENGINES leaves it out"
    lake = "tested on a throwaway PostgreSQL cluster" if reason is None else f"NOT TESTED: {reason}"
    return [f"storage engines: {', '.join(ENGINES)}; lake: {lake}"]


def pytest_configure(config):
    config.addinivalue_line(
        "markers", "unchecked_data: the test leaves orphan rows, broken rules or another schema on purpose"
    )
    config.addinivalue_line("markers", "lake_only: about several processes on one lake (a file has one process)")
    config.addinivalue_line(
        "markers", "embedded_only: about the file's single process (its lock, its write count): a lake has neither"
    )


def pytest_collection_modifyitems(config, items):
    """A lake_only test runs in the lake pass only, an embedded_only test in the file's pass only."""
    left_out = [
        item
        for item in items
        if getattr(item, "callspec", None)
        and (
            (item.get_closest_marker("lake_only") and item.callspec.params.get("engine") == "embedded")
            or (item.get_closest_marker("embedded_only") and item.callspec.params.get("engine") == "lake")
        )
    ]
    if left_out:
        config.hook.pytest_deselected(items=left_out)
        items[:] = [item for item in items if item not in left_out]


class Databases:
    """Databases of one engine for one session: new ones, and copies of a template."""

    _names = itertools.count(1)

    def __init__(self, engine: str, folder: Path, cluster: pg_cluster.Cluster | None):
        self.engine = engine
        self.folder = folder
        self.cluster = cluster
        self.data_path = folder / "lake-data"

    @property
    def lake(self) -> bool:
        return self.engine == "lake"

    def _name(self, hint: str) -> str:
        return f"{hint}_{os.getpid()}_{next(self._names)}"

    def new(self, hint: str = "db") -> str:
        """A database that does not exist yet (its first migrate creates it)."""
        name = self._name(hint)
        if not self.lake:
            return str(self.folder / f"{name}.duckdb")
        self.cluster.create_database(name)
        return self.cluster.lake(name)

    def copy(self, template: str, hint: str = "db") -> str:
        """A new database holding what ``template`` holds (nothing may have it open)."""
        name = self._name(hint)
        if not self.lake:
            path = self.folder / f"{name}.duckdb"
            shutil.copy(template, path)
            return str(path)
        self.cluster.create_database(name, template=_database_name(template))
        return self.cluster.lake(name)

    def drop(self, target: str) -> None:
        if self.lake:
            self.cluster.drop_database(_database_name(target))
        else:
            Path(target).unlink(missing_ok=True)
            Path(f"{target}.wal").unlink(missing_ok=True)


def _database_name(target: str) -> str:
    """The PostgreSQL database of a lake target this module made (``dbname=NAME ...``)."""
    return next(part.removeprefix("dbname=") for part in lake.conninfo(target).split() if part.startswith("dbname="))


@pytest.fixture(scope="session")
def lake_cluster():
    """The PostgreSQL server of the lake pass, started on first use."""
    reason = pg_cluster.unavailable_reason()
    if reason:
        pytest.skip(f"lake engine not tested: {reason}")
    cluster = pg_cluster.start()
    yield cluster
    cluster.stop()


@pytest.fixture(scope="session", params=ENGINES)
def engine(request) -> str:
    return request.param


@pytest.fixture(scope="session")
def databases(engine, request, tmp_path_factory):
    """Where this engine's databases come from; on a lake, TRACKER_DATA_PATH is set for new lakes."""
    folder = tmp_path_factory.mktemp(engine)
    cluster = request.getfixturevalue("lake_cluster") if engine == "lake" else None
    store = Databases(engine, folder, cluster)
    previous = os.environ.get("TRACKER_DATA_PATH")
    if store.lake:
        os.environ["TRACKER_DATA_PATH"] = str(store.data_path)
    yield store
    if previous is None:
        os.environ.pop("TRACKER_DATA_PATH", None)
    else:
        os.environ["TRACKER_DATA_PATH"] = previous


def _template(databases: Databases, hint: str, fill) -> str:
    target = databases.new(hint)
    con = db.connect(target, migrate=True)
    try:
        fill(con)
    finally:
        con.close()
    return target


@pytest.fixture(scope="session")
def empty_template(databases) -> str:
    return _template(databases, "empty_template", lambda con: None)


@pytest.fixture(scope="session")
def demo_template(databases) -> str:
    return _template(databases, "demo_template", seed.load_demo)


def checked_copy(databases: Databases, template: str, request, monkeypatch, hint: str):
    """A copy of ``template`` for one test, set as TRACKER_DB, checked for
    integrity after the test when it wrote to it, then dropped."""
    target = databases.copy(template, hint)
    monkeypatch.setenv("TRACKER_DB", target)
    # On a lake one connection stays open for the test: every db.connect of the
    # test and of the pages it runs shares its DuckDB instance (and the
    # extensions it loaded). A file must stay free for other processes.
    keeper = db.connect(target) if databases.lake else None
    version = db.data_version(keeper) if keeper else None
    try:
        yield target
        if request.node.get_closest_marker("unchecked_data"):
            return
        con = keeper or db.connect(target)
        try:
            if keeper is None or db.data_version(con) != version:
                found = integrity.problems(con)
                assert not found, f"the test left rows that break the schema's rules: {found}"
        finally:
            if con is not keeper:
                con.close()
    finally:
        if keeper is not None:
            keeper.close()
        databases.drop(target)


@pytest.fixture
def empty_db_path(databases, empty_template, request, monkeypatch):
    yield from checked_copy(databases, empty_template, request, monkeypatch, "empty")


@pytest.fixture
def demo_db_path(databases, demo_template, request, monkeypatch):
    yield from checked_copy(databases, demo_template, request, monkeypatch, "demo")


@pytest.fixture
def new_db_path(databases, monkeypatch):
    """A database that does not exist yet: its first ``db.connect(..., migrate=True)`` creates it."""
    target = databases.new("new")
    monkeypatch.setenv("TRACKER_DB", target)
    yield target
    databases.drop(target)


def _connected(target: str):
    """A connection to ``target`` for one test, closed after it."""
    connection = db.connect(target)
    yield connection
    connection.close()


@pytest.fixture
def con(empty_db_path):
    yield from _connected(empty_db_path)


@pytest.fixture
def demo_con(demo_db_path):
    yield from _connected(demo_db_path)


@pytest.fixture
def private_db_path(databases, demo_template, monkeypatch):
    """The demo with internal data that must never be public added (tests/public_data.py), set as TRACKER_DB."""
    target = make_private_copy(databases, demo_template)
    monkeypatch.setenv("TRACKER_DB", target)
    yield target
    databases.drop(target)


@pytest.fixture
def private_con(private_db_path):
    yield from _connected(private_db_path)


@pytest.fixture
def client(private_db_path):
    """Starlette's test client of the residents' routes (web/) over the private copy."""
    from starlette.applications import Starlette
    from starlette.middleware import Middleware
    from starlette.testclient import TestClient

    from web import cache
    from web.headers import HtmlLang, SecurityHeaders
    from web.routes import routes

    cache.clear_all()
    app = Starlette(routes=routes(), middleware=[Middleware(SecurityHeaders), Middleware(HtmlLang)])
    with TestClient(app, base_url=RESIDENTS_BASE_URL) as test_client:
        yield test_client
    cache.clear_all()


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
