"""Writes of the reporting periods (issue 14): ``reporting_periods``,
``period_ready``, ``period_closings`` and the snapshot tables. No other module
writes them.

An editor opens a period of a programme and marks measures ready for it;
closing it (editor or admin, confirmed in the page) takes a snapshot of every
measure — status, progress, phase, dates, latest public note, money per year
and cost centre, linked decisions — and of the organisation's indicator
values (each with its month and preliminary flag, exactly as stored) and
dated goals, each read by a named query (queries/snapshot_*.sql), so the
figures the period reports never change afterwards. Reopening (admin, with a reason)
is audited and keeps every snapshot taken; closing again takes a new one and
the period reports that.

Snapshot rows are only ever inserted: nothing here updates or deletes them.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

import duckdb

from tracker import db, rules
from tracker.auth import Caller, require
from tracker.errors import NotFound, UserError
from tracker.write import audit
from tracker.write.base import Target, check_version, fetch_row, in_transaction, raise_if, read_one, run_service
from tracker.write.fields import clean_date, clean_text
from tracker.write.ids import allocate_id

PERIOD_FIELDS = (
    "id",
    "programme_id",
    "name_fi",
    "name_sv",
    "name_en",
    "as_of",
    "due_on",
    "state",
    "opened_at",
    "opened_by",
    "closing_id",
    "reopened_at",
    "reopened_by",
    "reopen_reason",
    "version",
)
NAME_MAX = rules.NAME_MAX
REASON_MAX = rules.NOTE_MAX

# Each snapshot table's INSERT over the named query that reads what it freezes ({query}).
SNAPSHOTS = (
    (
        "INSERT INTO snapshot_measures (closing_id, measure_id, code, theme_id, theme_position, theme_fi, theme_sv,"
        " theme_en, title_fi, title_sv, title_en, responsible_unit, status, progress, phase, start_date, end_date,"
        " is_continuous, is_published, is_late, is_ready, updated_at, note, note_at)"
        " SELECT $closing_id, measure_id, code, theme_id, theme_position, theme_fi, theme_sv, theme_en, title_fi,"
        " title_sv, title_en, responsible_unit, status, progress, phase, start_date, end_date, is_continuous,"
        " is_published, is_late, is_ready, updated_at, note, note_at FROM ({query})",
        "snapshot_capture_measures",
    ),
    (
        "INSERT INTO snapshot_money (closing_id, measure_id, year, cost_centre_code, cost_centre_name, planned_eur,"
        " actual_eur) SELECT $closing_id, measure_id, year, cost_centre_code, cost_centre_name, planned_eur,"
        " actual_eur FROM ({query})",
        "snapshot_capture_money",
    ),
    (
        "INSERT INTO snapshot_decisions (closing_id, measure_id, decision_id, body, decided_on, section,"
        " case_number, title, outcome, unanimous, url) SELECT $closing_id, measure_id, decision_id, body,"
        " decided_on, section, case_number, title, outcome, unanimous, url FROM ({query})",
        "snapshot_capture_decisions",
    ),
    (
        "INSERT INTO snapshot_indicators (closing_id, indicator_id, name_fi, name_sv, name_en, unit, year, month,"
        " sector, value, is_preliminary) SELECT $closing_id, indicator_id, name_fi, name_sv, name_en, unit, year,"
        " month, sector, value, is_preliminary FROM ({query})",
        "snapshot_indicator_values",
    ),
    (
        "INSERT INTO snapshot_indicator_goals (closing_id, indicator_id, name_fi, name_sv, name_en, unit, year,"
        " month, value, note) SELECT $closing_id, indicator_id, name_fi, name_sv, name_en, unit, year, month,"
        " value, note FROM ({query})",
        "snapshot_indicator_goals",
    ),
)


@dataclass(frozen=True)
class Closing:
    """What a closing took: its id and how many rows of each snapshot."""

    closing_id: int
    measures: int
    money_lines: int
    decision_links: int
    indicator_values: int
    indicator_goals: int


def fetch_period(cur: duckdb.DuckDBPyConnection, period_id: int) -> dict:
    missing = NotFound(f"period {period_id}", key="period.not_found", id=period_id)
    return fetch_row(cur, "reporting_periods", PERIOD_FIELDS, period_id, missing)


def read_period(con: duckdb.DuckDBPyConnection, period_id: int) -> dict:
    return read_one(con, fetch_period, period_id)


def find_period(con: duckdb.DuckDBPyConnection, programme_id: int, name: str) -> dict:
    """The programme's period called ``name`` in any language (case and surrounding spaces ignored)."""
    cur = con.cursor()
    try:
        row = cur.execute(
            "SELECT id FROM reporting_periods WHERE programme_id = ? AND lower(trim(?)) IN"
            " (lower(name_fi), lower(coalesce(name_sv, '')), lower(coalesce(name_en, ''))) ORDER BY id LIMIT 1",
            [programme_id, name],
        ).fetchone()
        if row is None:
            raise NotFound(name, key="period.name_not_found", name=name)
        return fetch_period(cur, row[0])
    finally:
        cur.close()


def _target(period_id: int | None, expected_version: int | None = None) -> Target:
    return Target("period", period_id, expected_version, lambda cur: fetch_period(cur, period_id))


def _require_open(period: dict) -> None:
    if period["state"] != "open":
        raise UserError(f"period {period['id']} is closed", key="period.closed", name=period["name_fi"])


# -- open --


def validate_period(cur: duckdb.DuckDBPyConnection, programme_id: int, fields: dict) -> dict:
    problems: dict = {}
    clean = {
        "name_fi": clean_text(problems, "name_fi", fields.get("name_fi"), NAME_MAX, required=True),
        "name_sv": clean_text(problems, "name_sv", fields.get("name_sv"), NAME_MAX),
        "name_en": clean_text(problems, "name_en", fields.get("name_en"), NAME_MAX),
        "as_of": clean_date(problems, "as_of", fields.get("as_of")),
        "due_on": clean_date(problems, "due_on", fields.get("due_on")),
    }
    if clean["as_of"] is None and "as_of" not in problems:
        problems["as_of"] = ("validation.required", {})
    for field in ("as_of", "due_on"):
        value = clean[field]
        if value is not None and not rules.year_in_range(value.year):
            problems[field] = ("validation.year_range", {"low": rules.MIN_YEAR, "high": rules.MAX_YEAR})
    if cur.execute("SELECT 1 FROM programmes WHERE id = ?", [programme_id]).fetchone() is None:
        raise NotFound(f"programme {programme_id}", key="error.not_found")
    names = [clean[field] for field in ("name_fi", "name_sv", "name_en") if clean[field]]
    if names and "name_fi" not in problems:
        # A period's name in any language names one period of the programme (the CLI finds it by name).
        taken = cur.execute(
            "SELECT name_fi FROM reporting_periods WHERE programme_id = ? AND (lower(name_fi) IN (SELECT unnest(?))"
            " OR lower(coalesce(name_sv, '')) IN (SELECT unnest(?)) OR lower(coalesce(name_en, '')) IN"
            " (SELECT unnest(?)))",
            [programme_id, *[[name.lower() for name in names]] * 3],
        ).fetchone()
        if taken:
            problems["name_fi"] = ("period.name_taken", {"name": taken[0]})
    raise_if(problems)
    return clean


def open_period(
    con: duckdb.DuckDBPyConnection, caller: Caller, programme_id: int, fields: dict, *, now: datetime | None = None
) -> int:
    """A new open period of the programme (``name_fi`` and ``as_of`` required,
    ``name_sv``, ``name_en``, ``due_on`` optional); returns its id."""

    def write(cur: duckdb.DuckDBPyConnection, now: datetime):
        clean = validate_period(cur, programme_id, fields)
        period_id = allocate_id(cur, "reporting_periods")
        cur.execute(
            "INSERT INTO reporting_periods (id, programme_id, name_fi, name_sv, name_en, as_of, due_on, state,"
            " opened_at, opened_by, version) VALUES (?, ?, ?, ?, ?, ?, ?, 'open', ?, ?, 1)",
            [period_id, programme_id, *clean.values(), now, caller.actor],
        )
        audit.record(
            cur, caller, "period.open", period_id, before=None, after={"programme_id": programme_id, **clean}, now=now
        )
        return period_id

    return run_service(con, caller, "editor", _target(None), write, now)


# -- ready --


def set_ready(
    con: duckdb.DuckDBPyConnection,
    caller: Caller,
    period_id: int,
    measure_id: int,
    ready: bool,
    *,
    now: datetime | None = None,
) -> bool:
    """Mark a measure ready for an open period (or take the mark back); returns
    whether anything changed. A closed period refuses."""

    def write(cur: duckdb.DuckDBPyConnection, now: datetime):
        period = fetch_period(cur, period_id)
        _require_open(period)
        measure = cur.execute(
            "SELECT id FROM measures WHERE id = ? AND programme_id = ? AND archived_at IS NULL",
            [measure_id, period["programme_id"]],
        ).fetchone()
        if measure is None:
            raise NotFound(f"measure {measure_id}", key="error.measure_not_found", id=measure_id)
        marked = cur.execute(
            "SELECT marked_at FROM period_ready WHERE period_id = ? AND measure_id = ?", [period_id, measure_id]
        ).fetchone()
        if bool(marked) == bool(ready):
            return False
        if ready:
            cur.execute(
                "INSERT INTO period_ready (period_id, measure_id, marked_at, marked_by) VALUES (?, ?, ?, ?)",
                [period_id, measure_id, now, caller.actor],
            )
        else:
            cur.execute("DELETE FROM period_ready WHERE period_id = ? AND measure_id = ?", [period_id, measure_id])
        audit.record(
            cur,
            caller,
            "period.mark_ready" if ready else "period.unmark_ready",
            period_id,
            before={"ready": not ready},
            after={"ready": bool(ready)},
            measure_id=measure_id,
            now=now,
        )
        return True

    return run_service(con, caller, "editor", _target(period_id), write, now)


# -- close and reopen --


def _take_snapshot(cur: duckdb.DuckDBPyConnection, period: dict, closing_id: int) -> Closing:
    organisation_id = cur.execute(
        "SELECT organisation_id FROM programmes WHERE id = ?", [period["programme_id"]]
    ).fetchone()[0]
    params = {
        "closing_id": closing_id,
        "programme_id": period["programme_id"],
        "period_id": period["id"],
        "as_of": period["as_of"],
        "organisation_id": organisation_id,
    }
    counts = []
    for insert, query in SNAPSHOTS:
        source = db.query_sql(query)
        used = {key: value for key, value in params.items() if f"${key}" in source or key == "closing_id"}
        # The snapshot is the named query's result as it is: the query says what is frozen.
        counts.append(cur.execute(insert.format(query=f"\n{source}\n"), used).fetchone()[0])
    return Closing(closing_id, *counts)


def close_period(
    con: duckdb.DuckDBPyConnection,
    caller: Caller,
    period_id: int,
    *,
    expected_version: int,
    now: datetime | None = None,
) -> Closing:
    """Close an open period: freeze the snapshot of every measure, indicator value
    and indicator goal, in one transaction with its audit row."""

    def write(cur: duckdb.DuckDBPyConnection, now: datetime):
        period = fetch_period(cur, period_id)
        check_version("period", period_id, period, expected_version)
        _require_open(period)
        closing_id = allocate_id(cur, "period_closings")
        cur.execute(
            "INSERT INTO period_closings (id, period_id, closed_at, closed_by, as_of) VALUES (?, ?, ?, ?, ?)",
            [closing_id, period_id, now, caller.actor, period["as_of"]],
        )
        closing = _take_snapshot(cur, period, closing_id)
        cur.execute(
            "UPDATE reporting_periods SET state = 'closed', closing_id = ?, version = version + 1"
            " WHERE id = ? AND version = ?",
            [closing_id, period_id, expected_version],
        )
        audit.record(
            cur,
            caller,
            "period.close",
            period_id,
            before={"state": "open", "closing_id": period["closing_id"]},
            after={
                "state": "closed",
                "closing_id": closing_id,
                "measures": closing.measures,
                "budget_lines": closing.money_lines,
                "decision_links": closing.decision_links,
                "indicator_values": closing.indicator_values,
                "indicator_goals": closing.indicator_goals,
            },
            version=expected_version,
            now=now,
        )
        return closing

    return run_service(con, caller, "editor", _target(period_id, expected_version), write, now)


def reopen_period(
    con: duckdb.DuckDBPyConnection,
    caller: Caller,
    period_id: int,
    reason: str,
    *,
    expected_version: int,
    now: datetime | None = None,
) -> int:
    """Reopen a closed period (admin, with a reason); its snapshot is kept and
    stays what the period reports until it is closed again. Returns the new version."""
    require(caller, "admin")
    problems: dict = {}
    reason = clean_text(problems, "reason", reason, REASON_MAX, required=True)
    raise_if(problems)
    now = now or db.utcnow()

    def write(cur: duckdb.DuckDBPyConnection):
        period = fetch_period(cur, period_id)
        check_version("period", period_id, period, expected_version)
        if period["state"] != "closed":
            raise UserError(f"period {period_id} is open", key="period.not_closed", name=period["name_fi"])
        cur.execute(
            "UPDATE reporting_periods SET state = 'open', reopened_at = ?, reopened_by = ?, reopen_reason = ?,"
            " version = version + 1 WHERE id = ? AND version = ?",
            [now, caller.actor, reason, period_id, expected_version],
        )
        audit.record(
            cur,
            caller,
            "period.reopen",
            period_id,
            before={"state": "closed"},
            after={"state": "open", "reason": reason, "kept_closing_id": period["closing_id"]},
            version=expected_version,
            now=now,
        )
        return expected_version + 1

    return in_transaction(con, _target(period_id, expected_version), write)
