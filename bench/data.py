"""The benchmark's data: the synthetic database and the parameters its queries run with."""

from __future__ import annotations

import subprocess
import sys
import time
from datetime import date, datetime
from pathlib import Path

from tracker import db, search


def prepare_database(directory: Path, municipalities: int, seed: int) -> tuple[Path, dict]:
    """The synthetic database for N and seed in ``directory``, built once and reused."""
    path = directory / f"bench-{municipalities}-seed{seed}.duckdb"
    info: dict = {"path": str(path), "municipalities": municipalities, "seed": seed}
    if path.exists():
        con = db.connect(path, migrate=True)
        if con.execute("SELECT count(*) FROM organisations").fetchone()[0] == municipalities:
            info["reused"] = True
        else:
            con.close()
            path.unlink()
    if not path.exists():
        # in a child process, so the peak RSS measured here is the app's, not the generator's
        started = time.perf_counter()
        command = [sys.executable, "-m", "tracker", "--db", str(path), "synth", "--seed", str(seed)]
        subprocess.run(
            [*command, "--municipalities", str(municipalities)],
            check=True,
            cwd=db.ROOT,
            stdout=subprocess.DEVNULL,
        )
        info["reused"] = False
        info["synth_seconds"] = round(time.perf_counter() - started, 2)
        con = db.connect(path, migrate=True)
    con.execute("CHECKPOINT")
    for table in ("organisations", "measures", "status_events", "budget_lines", "decisions"):
        info[table] = con.execute(f"SELECT count(*) FROM {table}").fetchone()[0]  # noqa: S608
    con.close()
    info["file_mb"] = round(path.stat().st_size / 1024 / 1024, 1)
    return path, info


def prepare_lake(target: str, synthetic: Path, municipalities: int) -> dict:
    """The lake ``target`` holding the synthetic file's data: copied into a new
    lake (``python -m tracker copy``), or reused when it holds just those
    municipalities. A lake a benchmark ran on holds its import too: give the
    next run a new one (createdb)."""
    from tracker.copy import copy_database

    info: dict = {"target": target}
    con = db.connect(target, migrate=True)
    try:
        held = con.execute("SELECT count(*) FROM organisations").fetchone()[0]
    finally:
        con.close()
    if held == municipalities:
        info["reused"] = True
        return info
    if held:
        raise RuntimeError(f"{target} holds {held} organisations, not {municipalities}: benchmark a new lake")
    started = time.perf_counter()
    result = copy_database(str(synthetic), target)
    info.update(reused=False, rows=result.rows, copy_seconds=round(time.perf_counter() - started, 2))
    if not result.identical:
        raise RuntimeError(f"the lake's copy differs from the file: {result.differences}")
    return info


def sample_parameters(con) -> dict:
    """A value for every $parameter the queries name: the largest programme, its
    measure with the most events, today, Finnish, everything included."""
    programme_id, organisation = con.execute(
        "SELECT p.id, o.name FROM programmes p JOIN organisations o ON o.id = p.organisation_id"
        " JOIN measures m ON m.programme_id = p.id GROUP BY ALL ORDER BY count(*) DESC, p.id LIMIT 1"
    ).fetchone()
    measure_id, code, theme_id = con.execute(
        "SELECT m.id, m.code, m.theme_id FROM measures m JOIN status_events e ON e.measure_id = m.id"
        " WHERE m.programme_id = ? GROUP BY ALL ORDER BY count(*) DESC, m.id LIMIT 1",
        [programme_id],
    ).fetchone()
    decision_id = con.execute("SELECT coalesce(min(decision_id), 0) FROM measure_decisions").fetchone()[0]
    indicator_id = con.execute("SELECT coalesce(min(id), 0) FROM indicators").fetchone()[0]
    organisation_id = con.execute("SELECT organisation_id FROM programmes WHERE id = ?", [programme_id]).fetchone()[0]
    return {
        "programme_id": programme_id,
        "organisation_id": organisation_id,
        "measure_id": measure_id,
        "decision_id": decision_id,
        "indicator_id": indicator_id,
        "theme_id": theme_id,
        "code": code,
        "lang": "fi",
        "today": date.today(),
        "search": organisation[:4].lower(),
        "limit": 25,
        "offset": 0,
        "stale_days": 180,
        "acceptable_days": 60,
        "upcoming_days": 90,
        "recent_days": 180,
        "status": "late",
        "include_unpublished": True,
        "include_internal": True,
        "include_money": True,
        "include_closed": True,
        # the weekly update's first run: no card kept from an earlier run of the visit
        "keep": [],
        "include_archived": True,
        # the measures list with its filters empty: the common, widest case
        "themes": [],
        "statuses": [],
        "units": [],
        "stale_only": False,
        "year_from": None,
        "year_to": None,
        "theme_position": None,
        # the audit log unfiltered: every person, up to now
        "actor": None,
        "date_from": None,
        "date_to": None,
        "now": datetime.now(),
        # the emissions views: level-3 sectors under Hinku's reading, the pace of five years
        "level": 3,
        "reading": "hinku",
        "pace_years": 5,
        # the reporting cycle (issue 14): the report and the comparison of now, the over-budget
        # lines of every year, decisions of this year
        "year": None,
        "period_id": None,
        "base_period_id": None,
        "on_day": date.today(),
        "as_of": date.today(),
        "since": date(date.today().year - 1, 12, 31),
        "until": date.today(),
        "token": "",
        # the admin's sign-in alerts: addresses with at least this many failures
        "least": 3,
        # a resident's search (issue 15) and the API's changes-since filter left open
        "query": "energia",
        "prefixes": search.query_prefixes("fi", "energia"),
        "updated_since": None,
    }
