"""Write services. Each one: checks the caller's role, validates, then writes
in one transaction together with its audit row. Nothing else writes."""

from __future__ import annotations

import json
from datetime import date, datetime
from decimal import Decimal

import duckdb

from tracker import db
from tracker.auth import Caller, require
from tracker.errors import ConflictError, NotFound, ValidationError
from tracker.status import STATUSES

NOTE_MAX_LENGTH = 4000
MEASURE_FIELDS = (
    "id",
    "programme_id",
    "theme_id",
    "code",
    "title_fi",
    "title_sv",
    "title_en",
    "description_fi",
    "description_sv",
    "description_en",
    "responsible_unit",
    "contact_name",
    "contact_email",
    "status",
    "phase",
    "progress",
    "start_date",
    "end_date",
    "is_continuous",
    "is_published",
    "internal_note",
    "archived_at",
    "updated_at",
    "version",
)


def _json_default(value):
    if isinstance(value, (date, datetime)):
        return value.isoformat()
    if isinstance(value, Decimal):
        return str(value)
    raise TypeError(f"cannot store {type(value).__name__} in the audit log")


def audit(
    cur: duckdb.DuckDBPyConnection,
    caller: Caller,
    action: str,
    entity: str,
    entity_id,
    *,
    before: dict | None,
    after: dict | None,
    measure_id: int | None = None,
    now: datetime | None = None,
) -> None:
    """Append the audit row of a write; call it inside the write's transaction."""
    cur.execute(
        "INSERT INTO audit_log (occurred_at, actor, action, entity, entity_id, measure_id, before, after)"
        " VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
        [
            now or db.utcnow(),
            caller.actor,
            action,
            entity,
            None if entity_id is None else str(entity_id),
            measure_id,
            None if before is None else json.dumps(before, default=_json_default, ensure_ascii=False),
            None if after is None else json.dumps(after, default=_json_default, ensure_ascii=False),
        ],
    )


def fetch_measure(cur: duckdb.DuckDBPyConnection, measure_id: int) -> dict:
    # The column list is the constant MEASURE_FIELDS; only the id is a value.
    sql = f"SELECT {', '.join(MEASURE_FIELDS)} FROM measures WHERE id = ?"  # noqa: S608
    row = cur.execute(sql, [measure_id]).fetchone()
    if row is None:
        raise NotFound(f"measure {measure_id}", key="error.measure_not_found", id=measure_id)
    return dict(zip(MEASURE_FIELDS, row, strict=True))


def changed_fields(before: dict, after: dict) -> dict[str, tuple]:
    """Field -> (old, new) for every field whose value differs."""
    return {key: (before.get(key), value) for key, value in after.items() if before.get(key) != value}


def validate_status_update(status: str | None, progress, note: str | None) -> None:
    problems: dict[str, tuple[str, dict]] = {}
    if status is not None and status not in STATUSES:
        problems["status"] = ("validation.status_unknown", {"value": status})
    if progress is not None:
        if isinstance(progress, bool) or not isinstance(progress, (int, float, Decimal)) or progress != int(progress):
            problems["progress"] = ("validation.progress_range", {})
        elif not 0 <= int(progress) <= 100:
            problems["progress"] = ("validation.progress_range", {})
    if note is not None and len(note) > NOTE_MAX_LENGTH:
        problems["note"] = ("validation.too_long", {"max": NOTE_MAX_LENGTH})
    if problems:
        raise ValidationError(problems)


def update_measure(
    con: duckdb.DuckDBPyConnection,
    caller: Caller,
    measure_id: int,
    *,
    expected_version: int,
    status: str | None = None,
    progress: int | None = None,
    note: str | None = None,
    note_is_public: bool = True,
    source: str = "app",
    now: datetime | None = None,
) -> int:
    """Set a measure's status, progress and/or a dated note; return its new version.

    Appends the status event, bumps ``version`` and writes the audit row in one
    transaction. Refuses with ConflictError when ``expected_version`` is not
    the current one, so two coordinators never overwrite each other silently.
    """
    require(caller, "editor")
    note = (note or "").strip() or None
    validate_status_update(status, progress, note)
    now = now or db.utcnow()
    try:
        with db.transaction(con) as cur:
            return apply_status_update(
                cur,
                caller,
                measure_id,
                expected_version=expected_version,
                status=status,
                progress=progress,
                note=note,
                note_is_public=note_is_public,
                source=source,
                now=now,
            )
    except duckdb.TransactionException as exc:
        # Another transaction committed a change to the same row between our
        # read and our write: that is the same conflict, seen by DuckDB.
        cur = con.cursor()
        try:
            current = fetch_measure(cur, measure_id)
        finally:
            cur.close()
        raise ConflictError("measure", measure_id, expected_version, current) from exc


def apply_status_update(
    cur: duckdb.DuckDBPyConnection,
    caller: Caller,
    measure_id: int,
    *,
    expected_version: int,
    status: str | None,
    progress: int | None,
    note: str | None,
    note_is_public: bool,
    source: str,
    now: datetime,
) -> int:
    """The body of update_measure inside the caller's transaction (validated input)."""
    before = fetch_measure(cur, measure_id)
    if before["version"] != expected_version:
        raise ConflictError("measure", measure_id, expected_version, before)
    new_status = before["status"] if status is None else status
    new_progress = before["progress"] if progress is None else int(progress)
    if new_status == before["status"] and new_progress == before["progress"] and note is None:
        return before["version"]
    cur.execute(
        "UPDATE measures SET status = ?, progress = ?, updated_at = ?, version = version + 1"
        " WHERE id = ? AND version = ?",
        [new_status, new_progress, now, measure_id, expected_version],
    )
    cur.execute(
        "INSERT INTO status_events (measure_id, occurred_at, actor, source, old_status, new_status,"
        " old_progress, new_progress, note, note_is_public) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
        [
            measure_id,
            now,
            caller.actor,
            source,
            before["status"],
            new_status,
            before["progress"],
            new_progress,
            note,
            bool(note_is_public),
        ],
    )
    after = {"status": new_status, "progress": new_progress, "version": expected_version + 1}
    if note is not None:
        after["note"] = note
        after["note_is_public"] = bool(note_is_public)
    audit(
        cur,
        caller,
        "update_status",
        "measure",
        measure_id,
        before={k: before[k] for k in ("status", "progress", "version")},
        after=after,
        measure_id=measure_id,
        now=now,
    )
    return expected_version + 1
