"""The command line while another process holds the database file (issue 12):
a clear message in the command's language, exit code 3, valid JSON with
--json; commands that only read open the file read-only."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import urllib.request
from contextlib import contextmanager
from pathlib import Path

import pytest

from tests.conftest import ROOT
from tests.live_app import running_app
from tracker import db
from tracker.cli.common import EXIT_DATABASE_BUSY

DECISION = ROOT / "data" / "seed" / "decisions"
HOLD = (
    "import duckdb, sys, time\n"
    "con = duckdb.connect(sys.argv[1], read_only=sys.argv[2] == 'read-only')\n"
    "print('held', flush=True)\n"
    "time.sleep(300)\n"
)


def tracker(db_path: Path, *args: str) -> subprocess.CompletedProcess:
    """``python -m tracker --db PATH ARGS`` as a person would run it."""
    environment = {key: value for key, value in os.environ.items() if key != "TRACKER_DB"}
    return subprocess.run(
        [sys.executable, "-m", "tracker", "--db", str(db_path), *args],
        cwd=ROOT,
        env=environment,
        capture_output=True,
        text=True,
        timeout=120,
    )


@contextmanager
def held(db_path: Path, mode: str):
    """Another program holding the database file (``read-write`` or ``read-only``)."""
    holder = subprocess.Popen(
        [sys.executable, "-c", HOLD, str(db_path), mode], stdout=subprocess.PIPE, text=True, cwd=ROOT
    )
    try:
        assert holder.stdout.readline().strip() == "held"
        yield holder.pid
    finally:
        holder.kill()
        holder.wait(timeout=30)


def decision_file() -> Path:
    return next(path for path in sorted(DECISION.iterdir()) if path.suffix == ".txt")


@pytest.mark.embedded_only  # a lake has no file lock: every command runs beside the app
def test_while_the_app_serves_the_file_commands_say_so_and_what_to_do(demo_db_path, tmp_path):
    measures = tmp_path / "measures.csv"
    measures.write_bytes((ROOT / "data" / "seed" / "measures.csv").read_bytes())
    with running_app(demo_db_path) as base:
        # the app opens the file at its first request that needs it
        urllib.request.urlopen(base + "/auth/session?token=none", timeout=30).close()
        listing = tracker(demo_db_path, "users", "list")
        assert listing.returncode == EXIT_DATABASE_BUSY
        assert "Traceback" not in listing.stderr and listing.stdout == ""
        assert "is in use by the running app (process" in listing.stderr
        assert "on the page “Users” (/users), or stop the app" in listing.stderr

        added = tracker(demo_db_path, "users", "add", "ed@x.example", "--role", "editor")
        assert added.returncode == EXIT_DATABASE_BUSY and "(/users)" in added.stderr

        imported = tracker(demo_db_path, "import", str(measures), "--programme", "X", "--lang", "sv")
        assert imported.returncode == EXIT_DATABASE_BUSY
        assert "används just nu av den körande appen" in imported.stderr
        assert "”Import och export” (/import-export)" in imported.stderr

        report = tracker(demo_db_path, "import", str(measures), "--programme", "X", "--json")
        assert report.returncode == EXIT_DATABASE_BUSY
        answer = json.loads(report.stdout)
        assert answer["written"] is False and answer["rows"] == 0
        assert answer["database_busy"]["held_by"] == "app"
        assert answer["database_busy"]["exit_code"] == EXIT_DATABASE_BUSY
        assert "käynnissä oleva sovellus" in answer["errors"][0]["message"]

        exported = tracker(demo_db_path, "export", str(tmp_path / "out.csv"), "--programme", "X", "--format", "csv")
        assert exported.returncode == EXIT_DATABASE_BUSY and "(/import-export)" in exported.stderr
        assert not (tmp_path / "out.csv").exists()

        migrated = tracker(demo_db_path, "migrate")
        assert migrated.returncode == EXIT_DATABASE_BUSY
        assert "Stop the app (Ctrl+C in the window where make run started it)" in migrated.stderr

        # reading a decision needs no database: it works beside the app
        parsed = tracker(demo_db_path, "parse-decision", str(decision_file()), "--json")
        assert parsed.returncode == 0 and json.loads(parsed.stdout)["body"]


@pytest.mark.embedded_only  # a lake has no file lock: every command runs beside the app
def test_another_program_holding_the_file_is_named_and_waited_for(demo_db_path):
    with held(demo_db_path, "read-write") as pid:
        listing = tracker(demo_db_path, "users", "list")
    assert listing.returncode == EXIT_DATABASE_BUSY
    assert f"in use by another program (process {pid}: " in listing.stderr
    assert "Wait until it has finished and run the command again." in listing.stderr


@pytest.mark.embedded_only  # a lake has no file lock: every command runs beside the app
def test_read_only_commands_run_beside_another_reader(demo_db_path, tmp_path):
    con = db.connect(demo_db_path)
    (programme,) = con.execute("SELECT name FROM programmes").fetchone()
    con.close()
    with held(demo_db_path, "read-only"):
        listing = tracker(demo_db_path, "users", "list")
        assert listing.returncode == 0, listing.stderr
        out = tmp_path / "measures.xlsx"
        exported = tracker(demo_db_path, "export", str(out), "--programme", programme, "--format", "xlsx")
        assert exported.returncode == 0, exported.stderr
        assert out.stat().st_size > 0
        # a write still needs the file to itself
        added = tracker(demo_db_path, "users", "add", "ed@x.example", "--role", "editor")
        assert added.returncode == EXIT_DATABASE_BUSY


@pytest.mark.parametrize("args", [[], ["import"], ["export"], ["users"]])
def test_help_documents_the_exit_code(args):
    shown = subprocess.run(
        [sys.executable, "-m", "tracker", *args, "--help"], cwd=ROOT, capture_output=True, text=True, timeout=60
    )
    assert shown.returncode == 0
    assert f"{EXIT_DATABASE_BUSY} the database is held by another process (the running app)" in " ".join(
        shown.stdout.split()
    )
