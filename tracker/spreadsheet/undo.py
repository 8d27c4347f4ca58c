"""Undo an import: every row a batch wrote (tracker/write/imports.py) set back
as it was, in one transaction, through the write layer's inner functions.

A measure or budget line the import updated gets its fields back; one it
created goes again, with the status events it appended, and so do the themes,
cost centres, programme and organisation it created once nothing uses them.
Nothing is written when a later edit touched what the import wrote: the undo
is refused with every such place named (``UndoRefused.conflicts``), so it
never overwrites someone's later work.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal

import duckdb

from tracker import db
from tracker.auth import Caller, require
from tracker.errors import NotFound, UserError
from tracker.spreadsheet.changes import FIELD_COLUMNS
from tracker.write import audit, budget, imports, measures, programmes
from tracker.write.base import Target, in_transaction

# measures / budget_lines column -> the spreadsheet column key that names it
_FILE_KEYS = {**{column: key for key, column in FIELD_COLUMNS.items()}, "theme_id": "theme"}
_FILE_KEYS.update({"planned_eur": "planned", "actual_eur": "actual", "name": "cost_centre"})
_DATES = ("start_date", "end_date")
_MONEY = ("planned_eur", "actual_eur")


@dataclass(frozen=True)
class UndoConflict:
    """A place a later edit touched: the measure's code, the field (a
    spreadsheet column key, or "measure" / "budget_line" / "status_history" for a
    whole row), what is there now and what the import wrote, and why."""

    code: str | None
    field: str
    now: object
    imported: object
    reason: str  # "changed" | "edited" | "later_event" | "in_use" | "missing"
    year: int | None = None
    cost_centre: str | None = None

    def as_dict(self) -> dict:
        plain = {"now": _json_value(self.now), "imported": _json_value(self.imported)}
        return {
            "code": self.code,
            "field": self.field,
            "year": self.year,
            "cost_centre": self.cost_centre,
            **plain,
            "reason": self.reason,
        }


class UndoRefused(UserError):
    """A later edit touched what the import wrote; nothing was undone."""

    key = "import_undo.refused"

    def __init__(self, batch_id: int, conflicts: list[UndoConflict]):
        super().__init__(f"batch {batch_id}: {len(conflicts)} conflicts", id=batch_id, count=len(conflicts))
        self.conflicts = conflicts


class AlreadyUndone(UserError):
    key = "import_undo.already_undone"


@dataclass
class UndoResult:
    batch_id: int
    measures_restored: int = 0
    measures_removed: int = 0
    budget_lines_restored: int = 0
    budget_lines_removed: int = 0
    status_events_removed: int = 0
    removed: dict = field(default_factory=dict)  # entity -> ids of themes, cost centres, ... removed


def _json_value(value):
    """A value as the batch stores it (the audit log's JSON encoding)."""
    return json.loads(audit.to_json({"v": value}))["v"]


def _typed(column: str, value):
    """A stored JSON value back in the column's Python type."""
    if value is None:
        return None
    if column in _DATES:
        return date.fromisoformat(value)
    if column in _MONEY:
        return Decimal(value)
    return value


@dataclass
class _Batch:
    """A batch's items sorted by what they are."""

    record: dict
    items: list[imports.BatchItem]

    def of(self, entity: str, action: str) -> list[imports.BatchItem]:
        return [item for item in self.items if item.entity == entity and item.action == action]


def _measure_conflicts(cur, batch: _Batch, events_of: dict[int, int]) -> list[UndoConflict]:
    conflicts = []
    for item in batch.of("measure", "update"):
        try:
            current = measures.fetch_measure(cur, item.entity_id)
        except NotFound:
            conflicts.append(UndoConflict(item.code, "measure", None, item.code, "missing"))
            continue
        for column, imported in item.after.items():
            if column == "version":
                continue
            if _json_value(current[column]) != imported:
                key = _FILE_KEYS.get(column, column)
                conflicts.append(UndoConflict(item.code, key, current[column], _typed(column, imported), "changed"))
    for measure_id, last_event in events_of.items():
        later = cur.execute(
            "SELECT count(*) FROM status_events WHERE measure_id = ? AND id > ?", [measure_id, last_event]
        ).fetchone()[0]
        if later:
            code = next((i.code for i in batch.items if i.entity == "measure" and i.entity_id == measure_id), None)
            code = code or cur.execute("SELECT code FROM measures WHERE id = ?", [measure_id]).fetchone()[0]
            conflicts.append(UndoConflict(code, "status_history", later, None, "later_event"))
    return conflicts


def _created_measure_conflicts(cur, batch: _Batch, batch_events: set[int], batch_lines: set[int]):
    conflicts = []
    for item in batch.of("measure", "create"):
        row = cur.execute(
            "SELECT version,"
            " (SELECT list(id) FROM status_events WHERE measure_id = $id),"
            " (SELECT list(id) FROM budget_lines WHERE measure_id = $id),"
            " (SELECT count(*) FROM measure_decisions WHERE measure_id = $id)"
            " + (SELECT count(*) FROM measure_indicators WHERE measure_id = $id)"
            " FROM measures WHERE id = $id",
            {"id": item.entity_id},
        ).fetchone()
        if row is None:
            continue
        version, events, lines, links = row
        if version != item.after["version"]:
            conflicts.append(UndoConflict(item.code, "measure", version, item.after["version"], "edited"))
        if set(events or []) - batch_events:
            conflicts.append(
                UndoConflict(item.code, "status_history", len(set(events) - batch_events), None, "later_event")
            )
        if set(lines or []) - batch_lines or links:
            conflicts.append(UndoConflict(item.code, "measure", None, None, "in_use"))
    return conflicts


def _line_conflicts(cur, batch: _Batch) -> list[UndoConflict]:
    conflicts = []
    centre_codes = dict(cur.execute("SELECT id, code FROM cost_centres").fetchall())
    for item in batch.of("budget_line", "update") + batch.of("budget_line", "create"):
        try:
            current = budget.fetch_budget_line(cur, item.entity_id)
        except NotFound:
            if item.action == "update":
                conflicts.append(UndoConflict(item.code, "budget_line", None, None, "missing"))
            continue
        where = {"year": current["year"], "cost_centre": centre_codes.get(current["cost_centre_id"])}
        if item.action == "create":
            if current["version"] != item.after["version"]:
                conflicts.append(UndoConflict(item.code, "budget_line", None, None, "edited", **where))
            continue
        for column, imported in item.after.items():
            if column != "version" and _json_value(current[column]) != imported:
                key = _FILE_KEYS[column]
                now, wrote = current[column], _typed(column, imported)
                conflicts.append(UndoConflict(item.code, key, now, wrote, "changed", **where))
    for item in batch.of("cost_centre", "update"):
        current = cur.execute("SELECT code, name FROM cost_centres WHERE id = ?", [item.entity_id]).fetchone()
        if current is not None and current[1] != item.after["name"]:
            conflicts.append(UndoConflict(None, "cost_centre", current[1], item.after["name"], "changed"))
    return conflicts


def conflicts(con: duckdb.DuckDBPyConnection, batch_id: int) -> list[UndoConflict]:
    """What stands in the way of undoing the batch now (nothing: it can be undone)."""
    cur = con.cursor()
    try:
        return _conflicts(cur, _read(cur, batch_id))
    finally:
        cur.close()


def _read(cur, batch_id: int) -> _Batch:
    record = imports.fetch_batch(cur, batch_id)
    if record["undone_at"] is not None:
        raise AlreadyUndone(f"batch {batch_id}", id=batch_id)
    return _Batch(record, imports.batch_items(cur, batch_id))


def _events_by_measure(batch: _Batch) -> dict[int, int]:
    """measure id -> the last status event the batch appended to it."""
    last: dict[int, int] = {}
    for item in batch.of("status_event", "create"):
        measure_id = item.after["measure_id"]
        last[measure_id] = max(last.get(measure_id, 0), item.entity_id)
    return last


def _conflicts(cur, batch: _Batch) -> list[UndoConflict]:
    events = {item.entity_id for item in batch.of("status_event", "create")}
    created = {item.entity_id for item in batch.of("measure", "create")}
    updated_events = {m: e for m, e in _events_by_measure(batch).items() if m not in created}
    lines = {item.entity_id for item in batch.of("budget_line", "create")}
    return (
        _measure_conflicts(cur, batch, updated_events)
        + _created_measure_conflicts(cur, batch, events, lines)
        + _line_conflicts(cur, batch)
    )


def undo_batch(
    con: duckdb.DuckDBPyConnection, caller: Caller, batch_id: int, *, now: datetime | None = None
) -> UndoResult:
    """Undo an import batch in one transaction, with an audit row for every row
    set back or removed and one (``import.undo``) for the whole; raises
    UndoRefused, naming every conflict, when a later edit touched what it wrote."""
    require(caller, "editor")
    now = now or db.utcnow()

    def write(cur: duckdb.DuckDBPyConnection):
        batch = _read(cur, batch_id)
        found = _conflicts(cur, batch)
        if found:
            raise UndoRefused(batch_id, found)
        return _undo(cur, caller, batch, now)

    return in_transaction(con, Target("programme"), write)


def _by_columns(pairs: list[tuple[dict, dict]]) -> list[list[tuple[dict, dict]]]:
    """(current, wanted) pairs grouped by the columns they set (a bulk update sets one column set)."""
    groups: dict[tuple, list] = {}
    for current, wanted in pairs:
        groups.setdefault(tuple(wanted), []).append((current, wanted))
    return list(groups.values())


def _undo(cur, caller: Caller, batch: _Batch, now: datetime) -> UndoResult:
    result = UndoResult(batch.record["id"])
    event_ids = [item.entity_id for item in batch.of("status_event", "create")]
    measures.delete_import_events(cur, event_ids)
    result.status_events_removed = len(event_ids)

    restores = []
    for item in batch.of("measure", "update"):
        current = measures.fetch_measure(cur, item.entity_id)
        wanted = {column: _typed(column, value) for column, value in item.before.items()}
        restores.append((current, wanted))
    for group in _by_columns(restores):
        measures.update_measure_rows(cur, caller, group, now=now)
    result.measures_restored = len(restores)

    created_lines = []
    for item in batch.of("budget_line", "create"):
        try:
            created_lines.append(budget.fetch_budget_line(cur, item.entity_id))
        except NotFound:
            continue  # removed since by someone else: nothing to take back
    budget.delete_budget_lines(cur, caller, created_lines, now=now)
    result.budget_lines_removed = len(created_lines)
    line_restores = []
    for item in batch.of("budget_line", "update"):
        current = budget.fetch_budget_line(cur, item.entity_id)
        line_restores.append((current, {column: _typed(column, value) for column, value in item.before.items()}))
    for group in _by_columns(line_restores):
        budget.update_budget_lines(cur, caller, group, now=now)
    result.budget_lines_restored = len(line_restores)

    created = [measures.fetch_measure(cur, item.entity_id) for item in batch.of("measure", "create")]
    measures.delete_imported_measures(cur, caller, created, now=now)
    result.measures_removed = len(created)

    for item in batch.of("cost_centre", "update"):
        centre = budget.fetch_cost_centre(cur, item.entity_id)
        budget.name_cost_centre(cur, caller, centre, item.before["name"], now=now)
    removers = (
        ("cost_centre", budget.delete_unused_cost_centre),
        ("theme", programmes.delete_unused_theme),
        ("programme", programmes.delete_unused_programme),
        ("organisation", programmes.delete_unused_organisation),
    )
    for entity, remove in removers:
        result.removed[entity] = [
            item.entity_id for item in batch.of(entity, "create") if remove(cur, caller, item.entity_id, now=now)
        ]

    imports.mark_undone(cur, caller, batch.record["id"], now=now)
    summary = {
        "batch": batch.record["id"],
        "file": batch.record["file_name"],
        "measures_restored": result.measures_restored,
        "measures_removed": result.measures_removed,
        "budget_lines_restored": result.budget_lines_restored,
        "budget_lines_removed": result.budget_lines_removed,
        "status_events": event_ids,
    }
    audit.record(cur, caller, "import.undo", batch.record["programme_id"], before=None, after=summary, now=now)
    return result
