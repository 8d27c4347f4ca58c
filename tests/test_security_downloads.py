"""Every CSV and XLSX the app offers goes through the one formula guard
(tracker.formulas, issue 17): a walk over every page's download buttons, with
the probe's formulas in every text the files carry, finds no cell a
spreadsheet program would run."""

from __future__ import annotations

import asyncio
import concurrent.futures
import csv
import gc
import io

import pytest
import streamlit as st
from openpyxl import load_workbook
from streamlit.runtime.media_file_storage import MediaFileStorageError
from streamlit.testing.v1 import AppTest

from tests.hostile_data import FORMULA_CODE, FORMULA_PAYLOADS, make_hostile_copy
from tests.page_app import opened
from tracker import db, formulas, short_lived, write
from tracker.auth import SYSTEM, Caller
from ui import session
from ui.pages import PAGES

ADMIN = Caller(role="admin", email="admin@joensuu.example")
# The downloads the walk must meet (file name, or its ending): a download that
# vanished from the walk would make the test pass without looking at it.
EXPECTED = {
    "public": {".csv", ".json"},
    "measures": {".csv"},
    "audit": {"audit-log.csv"},
    "report": {".pdf", "cdp.xlsx", "com.xlsx"},
    "import_export": {"toimenpiteet_pohja.xlsx", "atgarder_mall.xlsx", "measures_template.xlsx", ".csv", ".xlsx"},
}


@pytest.fixture
def hostile_db_path(databases, demo_template, monkeypatch):
    path = make_hostile_copy(databases, demo_template)
    monkeypatch.setenv("TRACKER_DB", str(path))
    con = db.connect(path)
    try:
        # an audit row about the measure whose code is a formula, its note a formula too
        measure_id, version = con.execute("SELECT id, version FROM measures WHERE code = ?", [FORMULA_CODE]).fetchone()
        write.measures.update_measure(
            con, Caller(role="editor", email="ed@x.example"), measure_id, expected_version=version, note="=1+2"
        )
    finally:
        con.close()
    return path


def downloads(at: AppTest) -> list[tuple[str, bytes]]:
    """(file name, bytes) behind every download button of the page, the ones
    built when clicked included (their callable is run as a click would)."""
    managers = [o for o in gc.get_objects() if type(o).__name__ == "MediaFileManager"]
    files = []
    for button in at.get("download_button"):
        proto = button.proto
        if proto.deferred_file_id:
            manager = next(m for m in managers if proto.deferred_file_id in m._deferred_callables)
            url = manager.execute_deferred(proto.deferred_file_id)
        else:
            url = proto.url
            manager = next(m for m in managers if m.read_file(url.rsplit("/", 1)[-1]) is not None)
        stored = manager.read_file(url.rsplit("/", 1)[-1])
        files.append((stored.filename, stored.content))
    return files


def dangerous_cells(name: str, content: bytes) -> list[str]:
    """The text cells of a CSV or XLSX file a spreadsheet program would run as a formula."""
    if name.endswith(".csv"):
        text = content.decode("utf-8-sig")
        dialect = csv.Sniffer().sniff(text.splitlines()[0], delimiters=",;")
        cells = [cell for row in csv.reader(io.StringIO(text), dialect) for cell in row]
        return [cell for cell in cells if formulas.is_dangerous(cell)]
    if name.endswith(".xlsx"):
        book = load_workbook(io.BytesIO(content))
        found = []
        for sheet in book.worksheets:
            for row in sheet.iter_rows():
                for cell in row:
                    if cell.data_type == "f":
                        found.append(f"{cell.coordinate}: formula {cell.value}")
                    elif isinstance(cell.value, str) and formulas.is_dangerous(cell.value) and not cell.quotePrefix:
                        found.append(f"{cell.coordinate}: {cell.value}")
        return found
    return []


def neutralised_payloads(name: str, content: bytes) -> int:
    """How many of the probe's formulas the file carries, neutralised."""
    if name.endswith(".csv"):
        text = content.decode("utf-8-sig")
    elif name.endswith(".xlsx"):
        book = load_workbook(io.BytesIO(content))
        text = "\n".join(
            str(c.value) for s in book.worksheets for r in s.iter_rows() for c in r if c.quotePrefix and c.value
        )
        text = "\n".join("'" + line for line in text.splitlines())
    else:
        return 0
    return sum(text.count("'" + formula.strip()) for formula in (*FORMULA_PAYLOADS, FORMULA_CODE))


def test_every_download_the_app_offers_is_free_of_formulas(hostile_db_path):
    seen = {}
    for page in PAGES:
        at = opened(page.module, None if page.least_role == "anonymous" else ADMIN)
        assert not at.exception, (page.module, at.exception)
        for name, content in downloads(at):
            seen.setdefault(page.module, []).append(name)
            assert dangerous_cells(name, content) == [], (page.module, name)
            template = any(word in name for word in ("pohja", "mall", "template"))
            if name.endswith((".csv", ".xlsx")) and not template:
                assert neutralised_payloads(name, content) > 0, (page.module, name, "carries none of the formulas")
    for page, wanted in EXPECTED.items():
        names = seen.get(page, [])
        for ending in wanted:
            assert any(name.endswith(ending) for name in names), (page, ending, names)
    assert set(seen) == set(EXPECTED), "a page offers a download this test does not know: add it to EXPECTED"


@pytest.mark.parametrize("text", [*FORMULA_PAYLOADS, "\r=1+1", FORMULA_CODE])
def test_the_guard_neutralises_every_formula_start(text):
    assert formulas.neutralise(text) == "'" + text
    assert not formulas.is_dangerous(formulas.neutralise(text))


def test_the_guard_leaves_numbers_dates_and_plain_text_alone():
    import pandas as pd

    frame = pd.DataFrame({"n": [-5, 3], "t": ["-2+3", "Liittyminen"], "d": pd.to_datetime(["2024-01-01", None])})
    safe = formulas.neutralise_frame(frame)
    assert safe["n"].tolist() == [-5, 3]
    assert safe["t"].tolist() == ["'-2+3", "Liittyminen"]
    text = formulas.csv_bytes(frame, sep=";").decode("utf-8")
    assert text.startswith("\ufeffn;t;d") and ";'-2+3;" in text


# -- internal downloads: built on click, for a caller who still holds the role, short-lived --


def test_internal_downloads_are_built_on_click_and_registered_short_lived(hostile_db_path):
    for page in ("audit", "import_export"):
        at = opened(page, ADMIN)
        buttons = at.get("download_button")
        assert buttons, page
        for button in buttons:
            assert button.proto.deferred_file_id and not button.proto.url, (page, "built on every run")
        managers = [o for o in gc.get_objects() if type(o).__name__ == "MediaFileManager"]
        for button in buttons:
            manager = next(m for m in managers if button.proto.deferred_file_id in m._deferred_callables)
            file_id = manager.execute_deferred(button.proto.deferred_file_id).rsplit("/", 1)[-1].split(".")[0]
            # the id web/media.py will meet is the one registered (Streamlit's content hash)
            assert file_id in short_lived._expiry, (page, button.label)
            assert not short_lived.expired(file_id)


def test_an_internal_download_is_refused_once_the_account_lost_its_role(demo_db_path, monkeypatch):
    con = db.connect(demo_db_path)
    write.accounts.add_user(con, SYSTEM, "viewer@x.example", "viewer")
    who = write.accounts.current_caller(con, "viewer@x.example")  # an account's caller, with its user id
    # A caller with a user id comes from a session cookie, which AppTest cannot send:
    # the page run keeps the caller placed here, as a resumed session would give it.
    monkeypatch.setattr(session, "refresh_session", lambda: st.session_state[session.CALLER_KEY])
    at = opened("audit", who)
    assert not at.exception, at.exception
    write.accounts.set_active(con, SYSTEM, "viewer@x.example", False)
    con.close()
    managers = [o for o in gc.get_objects() if type(o).__name__ == "MediaFileManager"]
    deferred = at.get("download_button")[0].proto.deferred_file_id
    manager = next(m for m in managers if deferred in m._deferred_callables)
    with pytest.raises(MediaFileStorageError):
        manager.execute_deferred(deferred)


def test_an_expired_internal_download_answers_404():
    from starlette.responses import PlainTextResponse

    from web.media import ExpiringDownloads

    middleware = ExpiringDownloads(PlainTextResponse("file"))

    def status(path: str) -> int:
        sent = []

        async def receive():
            return {"type": "http.request", "body": b""}

        async def send(message):
            sent.append(message)

        scope = {"type": "http", "method": "GET", "path": path, "headers": [], "query_string": b""}
        # in a thread of its own: another test may have left an event loop running in this one
        with concurrent.futures.ThreadPoolExecutor(1) as pool:
            pool.submit(asyncio.run, middleware(scope, receive, send)).result()
        return sent[0]["status"]

    short_lived.register("a" * 56, lifetime=60)
    short_lived.register("b" * 56, lifetime=-1)
    assert status("/media/" + "a" * 56 + ".csv") == 200
    assert status("/media/" + "b" * 56 + ".csv") == 404
    assert status("/media/" + "c" * 56 + ".png") == 200  # not an internal download
