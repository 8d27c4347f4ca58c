"""Writes of ``budget_lines`` and ``cost_centres``: the budget-lines form, the
cost-centre list, and the inner writes the spreadsheet import and a decision's
proposal coordinate. No other module writes these two tables.

A budget line or a cost centre no line uses can be deleted; the audit row of
the deletion keeps everything the row held. One line per measure, year and
cost centre, and one cost-centre code per organisation: both are checked here
before writing (DuckLake has no UNIQUE constraint to fall back on).
"""

from __future__ import annotations

from datetime import datetime

import duckdb
import pyarrow as pa

from tracker import rules
from tracker.auth import Caller, require
from tracker.errors import ConflictError, NotFound, ValidationError
from tracker.write import audit
from tracker.write.base import (
    Target,
    check_version,
    fetch_row,
    in_transaction,
    insert_rows,
    raise_if,
    read_one,
    run_service,
    save_form,
    split_changes,
    update_rows,
    with_frame,
)
from tracker.write.fields import clean_euros, clean_text, clean_year
from tracker.write.ids import allocate_id
from tracker.write.measures import organisation_of

BUDGET_FIELDS = (
    "id",
    "measure_id",
    "year",
    "cost_centre_id",
    "planned_eur",
    "actual_eur",
    "funding_source",
    "note",
    "version",
)
COST_CENTRE_FIELDS = ("id", "organisation_id", "code", "name")
_MONEY = pa.decimal128(14, 2)
_COLUMN_TYPES = {
    "measure_id": pa.int32(),
    "year": pa.int32(),
    "cost_centre_id": pa.int32(),
    "planned_eur": _MONEY,
    "actual_eur": _MONEY,
    "funding_source": pa.string(),
    "note": pa.string(),
}
_UPDATE_SQL = (
    "UPDATE budget_lines SET {assignments}, updated_at = ?, version = version + 1 WHERE id = ? AND version = ?"
)


# -- budget lines --


def fetch_budget_line(cur: duckdb.DuckDBPyConnection, line_id: int) -> dict:
    return fetch_row(cur, "budget_lines", BUDGET_FIELDS, line_id, NotFound(f"budget line {line_id}"))


def read_budget_line(con: duckdb.DuckDBPyConnection, line_id: int) -> dict:
    """The budget line as its form loads it."""
    return read_one(con, fetch_budget_line, line_id)


def find_budget_line(cur: duckdb.DuckDBPyConnection, measure_id: int, year: int, centre_id: int) -> dict | None:
    """The measure's line on that year and cost centre, if there is one."""
    row = cur.execute(
        "SELECT id FROM budget_lines WHERE measure_id = ? AND year = ? AND cost_centre_id = ?",
        [measure_id, year, centre_id],
    ).fetchone()
    return None if row is None else fetch_budget_line(cur, row[0])


def programme_budget_lines(cur: duckdb.DuckDBPyConnection, programme_id: int) -> dict[tuple, dict]:
    """(measure id, year, cost centre id) -> line of every line of a programme's measures."""
    columns = ", ".join(f"b.{name}" for name in BUDGET_FIELDS)
    rows = cur.execute(
        f"SELECT {columns} FROM budget_lines AS b JOIN measures AS m ON m.id = b.measure_id"  # noqa: S608
        " WHERE m.programme_id = ?",
        [programme_id],
    ).fetchall()
    lines = (dict(zip(BUDGET_FIELDS, row, strict=True)) for row in rows)
    return {(line["measure_id"], line["year"], line["cost_centre_id"]): line for line in lines}


def _validate_budget_line(cur, measure_id: int, line_id: int | None, fields: dict) -> dict:
    problems: dict = {}
    clean = {
        "year": clean_year(problems, "year", fields.get("year")),
        "cost_centre_id": fields.get("cost_centre_id"),
        "planned_eur": clean_euros(problems, "planned_eur", fields.get("planned_eur"), required=True),
        "actual_eur": clean_euros(problems, "actual_eur", fields.get("actual_eur")),
        "funding_source": clean_text(problems, "funding_source", fields.get("funding_source"), rules.NAME_MAX),
        "note": clean_text(problems, "note", fields.get("note"), rules.BUDGET_NOTE_MAX),
    }
    organisation_id = organisation_of(cur, measure_id)
    centre = None
    if clean["cost_centre_id"] is not None:
        centre = cur.execute(
            "SELECT id FROM cost_centres WHERE id = ? AND organisation_id = ?",
            [clean["cost_centre_id"], organisation_id],
        ).fetchone()
    if centre is None:
        problems["cost_centre_id"] = ("validation.required", {})
    if not problems:
        duplicate = cur.execute(
            "SELECT id FROM budget_lines WHERE measure_id = ? AND year = ? AND cost_centre_id = ?"
            " AND id IS DISTINCT FROM ?",
            [measure_id, clean["year"], clean["cost_centre_id"], line_id],
        ).fetchone()
        if duplicate:
            problems["year"] = ("validation.budget_line_exists", {"year": clean["year"]})
    raise_if(problems)
    return clean


def _line_target(line_id: int, expected_version: int | None) -> Target:
    return Target("budget_line", line_id, expected_version, lambda cur: fetch_budget_line(cur, line_id))


def add_budget_line(
    con: duckdb.DuckDBPyConnection, caller: Caller, measure_id: int, fields: dict, *, now: datetime | None = None
) -> int:
    def write(cur: duckdb.DuckDBPyConnection, now: datetime) -> int:
        clean = _validate_budget_line(cur, measure_id, None, fields)
        return insert_budget_lines(cur, caller, [{"measure_id": measure_id, **clean}], now=now)[0]

    return run_service(con, caller, "editor", Target("budget_line"), write, now)


def save_budget_line(
    con: duckdb.DuckDBPyConnection,
    caller: Caller,
    line_id: int,
    fields: dict,
    *,
    expected_version: int,
    now: datetime | None = None,
) -> int:
    return save_form(
        con,
        caller,
        "budget_line.update",
        line_id,
        expected_version=expected_version,
        fetch=fetch_budget_line,
        validate=lambda cur, before: _validate_budget_line(cur, before["measure_id"], line_id, fields),
        update_sql=_UPDATE_SQL,
        measure_of=lambda before: before["measure_id"],
        now=now,
    )


def remove_budget_line(
    con: duckdb.DuckDBPyConnection,
    caller: Caller,
    line_id: int,
    *,
    expected_version: int,
    now: datetime | None = None,
) -> None:
    """Delete a budget line; the audit row keeps everything it held."""

    def write(cur: duckdb.DuckDBPyConnection, now: datetime) -> None:
        before = fetch_budget_line(cur, line_id)
        check_version("budget_line", line_id, before, expected_version)
        cur.execute("DELETE FROM budget_lines WHERE id = ?", [line_id])
        audit.record(
            cur,
            caller,
            "budget_line.delete",
            line_id,
            before=before,
            after=None,
            measure_id=before["measure_id"],
            now=now,
        )

    run_service(con, caller, "editor", _line_target(line_id, expected_version), write, now)


def insert_budget_lines(
    cur: duckdb.DuckDBPyConnection, caller: Caller, rows: list[dict], *, now: datetime
) -> list[int]:
    """New budget lines (validated dicts with the same keys, ``measure_id``,
    ``year``, ``cost_centre_id`` and ``planned_eur`` among them), each with its
    audit row; returns their ids in order."""
    return insert_rows(
        cur,
        caller,
        "budget_line.create",
        "budget_lines",
        rows,
        sql="INSERT INTO budget_lines (id, {names}, updated_at, version) SELECT id, {names}, $now, 1 FROM staged",
        types=_COLUMN_TYPES,
        now=now,
        measure_of=lambda _line_id, row: row["measure_id"],
        unaudited=("measure_id",),
    )


def update_budget_lines(
    cur: duckdb.DuckDBPyConnection, caller: Caller, changes: list[tuple[dict, dict]], *, now: datetime
) -> None:
    """Overwrite stored lines: (current line, wanted values) pairs whose wanted
    dicts share their keys; each gets its version bumped and an audit row."""
    update_rows(
        cur,
        caller,
        "budget_line.update",
        changes,
        sql="UPDATE budget_lines SET {assignments}, updated_at = $now, version = budget_lines.version + 1"
        " FROM staged WHERE budget_lines.id = staged.id",
        types=_COLUMN_TYPES,
        now=now,
        measure_of=lambda current: current["measure_id"],
    )


def delete_budget_lines(cur: duckdb.DuckDBPyConnection, caller: Caller, lines: list[dict], *, now: datetime) -> None:
    """Remove budget lines (as fetched), each with the audit row that keeps what it held."""
    if not lines:
        return
    frame = pa.table({"id": pa.array([line["id"] for line in lines], pa.int64())})
    with_frame(cur, "DELETE FROM budget_lines WHERE id IN (SELECT id FROM staged)", frame)
    audit.record_many(
        cur, caller, now, [("budget_line.delete", line["id"], line["measure_id"], line, None) for line in lines]
    )


# -- cost centres --


def fetch_cost_centre(cur: duckdb.DuckDBPyConnection, centre_id: int) -> dict:
    return fetch_row(cur, "cost_centres", COST_CENTRE_FIELDS, centre_id, NotFound(f"cost centre {centre_id}"))


def organisation_cost_centres(cur: duckdb.DuckDBPyConnection, organisation_id: int) -> dict[str, dict]:
    """code -> cost centre of every cost centre of an organisation."""
    rows = cur.execute(
        "SELECT id, organisation_id, code, name FROM cost_centres WHERE organisation_id = ?", [organisation_id]
    ).fetchall()
    return {row[2]: dict(zip(COST_CENTRE_FIELDS, row, strict=True)) for row in rows}


def _validate_cost_centre(cur, organisation_id: int, centre_id: int | None, fields: dict) -> dict:
    problems: dict = {}
    clean = {
        "code": clean_text(problems, "code", fields.get("code"), rules.COST_CENTRE_CODE_MAX, required=True),
        "name": clean_text(problems, "name", fields.get("name"), rules.NAME_MAX),
    }
    if "code" not in problems and not rules.COST_CENTRE_CODE_PATTERN.match(clean["code"]):
        problems["code"] = ("validation.cost_centre_code_one_word", {})
    if "code" not in problems:
        taken = cur.execute(
            "SELECT id FROM cost_centres WHERE organisation_id = ? AND code = ? AND id IS DISTINCT FROM ?",
            [organisation_id, clean["code"], centre_id],
        ).fetchone()
        if taken:
            problems["code"] = ("validation.code_taken", {"code": clean["code"]})
    raise_if(problems)
    return clean


def add_cost_centre(
    con: duckdb.DuckDBPyConnection, caller: Caller, organisation_id: int, fields: dict, *, now=None
) -> int:
    require(caller, "editor")

    def write(cur: duckdb.DuckDBPyConnection) -> int:
        clean = _validate_cost_centre(cur, organisation_id, None, fields)
        return insert_cost_centre(cur, caller, organisation_id, clean["code"], clean["name"], now=now)

    return in_transaction(con, Target("cost_centre"), write)


def save_cost_centre(
    con: duckdb.DuckDBPyConnection, caller: Caller, centre_id: int, fields: dict, *, expected: dict, now=None
) -> None:
    """Rename a cost centre; ``expected`` is the code and name the form loaded
    (cost centres carry no version number, so the values themselves are compared)."""
    require(caller, "editor")

    def write(cur: duckdb.DuckDBPyConnection) -> None:
        before = fetch_cost_centre(cur, centre_id)
        clean = _validate_cost_centre(cur, before["organisation_id"], centre_id, fields)
        if (before["code"], before["name"]) != (expected.get("code"), expected.get("name")):
            raise ConflictError("cost_centre", centre_id, None, before)
        _update_cost_centre(cur, caller, before, clean, now)

    in_transaction(con, Target("cost_centre", centre_id, None, lambda cur: fetch_cost_centre(cur, centre_id)), write)


def _update_cost_centre(cur, caller: Caller, before: dict, wanted: dict, now) -> None:
    old, new = split_changes(before, wanted)
    if not new:
        return
    assignments = ", ".join(f"{name} = ?" for name in new)
    cur.execute(f"UPDATE cost_centres SET {assignments} WHERE id = ?", [*new.values(), before["id"]])  # noqa: S608
    audit.record(cur, caller, "cost_centre.update", before["id"], before=old, after=new, now=now)


def name_cost_centre(cur: duckdb.DuckDBPyConnection, caller: Caller, centre: dict, name: str, *, now) -> None:
    """Give an unnamed cost centre the name a file or a decision gives it."""
    _update_cost_centre(cur, caller, centre, {"name": name}, now)


def remove_cost_centre(con: duckdb.DuckDBPyConnection, caller: Caller, centre_id: int, *, now=None) -> None:
    """Only a cost centre no budget line uses can be deleted."""
    require(caller, "editor")

    def write(cur: duckdb.DuckDBPyConnection) -> None:
        before = fetch_cost_centre(cur, centre_id)
        used = cur.execute("SELECT count(*) FROM budget_lines WHERE cost_centre_id = ?", [centre_id]).fetchone()[0]
        if used:
            raise ValidationError({"cost_centre_id": ("validation.cost_centre_in_use", {"count": used})})
        cur.execute("DELETE FROM cost_centres WHERE id = ?", [centre_id])
        audit.record(cur, caller, "cost_centre.delete", centre_id, before=before, after=None, now=now)

    in_transaction(con, Target("cost_centre", centre_id, None, lambda cur: fetch_cost_centre(cur, centre_id)), write)


def delete_unused_cost_centre(cur: duckdb.DuckDBPyConnection, caller: Caller, centre_id: int, *, now) -> bool:
    """Remove a cost centre an undone import created, if no budget line uses it; True when removed."""
    if cur.execute("SELECT count(*) FROM budget_lines WHERE cost_centre_id = ?", [centre_id]).fetchone()[0]:
        return False
    before = fetch_cost_centre(cur, centre_id)
    cur.execute("DELETE FROM cost_centres WHERE id = ?", [centre_id])
    audit.record(cur, caller, "cost_centre.delete", centre_id, before=before, after=None, now=now)
    return True


def insert_cost_centre(
    cur: duckdb.DuckDBPyConnection, caller: Caller, organisation_id: int, code: str, name: str | None, *, now=None
) -> int:
    """A new cost centre of an organisation (code checked unique by the caller), with its audit row."""
    centre_id = allocate_id(cur, "cost_centres")
    cur.execute(
        "INSERT INTO cost_centres (id, organisation_id, code, name) VALUES (?, ?, ?, ?)",
        [centre_id, organisation_id, code, name],
    )
    audit.record(cur, caller, "cost_centre.create", centre_id, before=None, after={"code": code, "name": name}, now=now)
    return centre_id
