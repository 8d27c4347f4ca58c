"""Writes of ``measures`` and ``status_events``: a status update, the weekly
update of many measures, the measure form (create, save, archive, restore)
and the bulk writes the spreadsheet import makes. No other module writes
these two tables.

Every change of status or progress appends its status event; events are
never updated or deleted (they are the timeline and the progress charts).

The module is long because it is the one writer of these two tables: keeping
every write of them here is what lets a reader check that rule in one place.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, datetime

import duckdb
import pyarrow as pa

from tracker import db, rules
from tracker.auth import Caller, require
from tracker.errors import NotFound, ValidationError
from tracker.status import STATUSES
from tracker.write import audit, search
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
    update_rows,
    with_frame,
)
from tracker.write.fields import check_date_order, check_email, clean_date, clean_progress, clean_text
from tracker.write.framework_fields import FIELDS as FRAMEWORK_FIELDS
from tracker.write.framework_fields import clean_framework_fields
from tracker.write.ids import allocate_ids

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
    *FRAMEWORK_FIELDS,
    "archived_at",
    "updated_at",
    "version",
)
# field -> (max length, required) of the measure form's text fields
MEASURE_TEXT_FIELDS = {
    "code": (rules.MEASURE_CODE_MAX, True),
    "title_fi": (rules.MEASURE_TITLE_MAX, True),
    "title_sv": (rules.MEASURE_TITLE_MAX, False),
    "title_en": (rules.MEASURE_TITLE_MAX, False),
    "description_fi": (rules.DESCRIPTION_MAX, False),
    "description_sv": (rules.DESCRIPTION_MAX, False),
    "description_en": (rules.DESCRIPTION_MAX, False),
    "responsible_unit": (rules.RESPONSIBLE_MAX, False),
    "contact_name": (rules.NAME_MAX, False),
    "contact_email": (rules.EMAIL_MAX_LENGTH, False),
    "phase": (100, False),
    "internal_note": (rules.NOTE_MAX, False),
}
# What the search index (tracker.write.search) is built from.
SEARCHED_FIELDS = frozenset(
    {"code", "title_fi", "title_sv", "title_en", "description_fi", "description_sv", "description_en"}
)
MEASURE_EDITABLE = (
    *MEASURE_TEXT_FIELDS,
    "theme_id",
    "start_date",
    "end_date",
    "is_continuous",
    "is_published",
    *FRAMEWORK_FIELDS,
)
# Arrow types of the columns a bulk write may set.
_COLUMN_TYPES = {
    "code": pa.string(),
    "theme_id": pa.int32(),
    "status": pa.string(),
    "progress": pa.int32(),
    "start_date": pa.date32(),
    "end_date": pa.date32(),
    "is_continuous": pa.bool_(),
    "is_published": pa.bool_(),
    **dict.fromkeys(MEASURE_TEXT_FIELDS, pa.string()),
    # the optional framework fields (issue 14)
    **dict.fromkeys(("sector", "financing_source", "finance_status", "com_area", "com_instrument"), pa.string()),
    **dict.fromkeys(
        ("total_cost_eur", "emission_reduction_t", "energy_saved_mwh", "renewable_energy_mwh"), pa.decimal128(14, 2)
    ),
    "municipal_share_pct": pa.decimal128(5, 2),
    "co_benefits": pa.list_(pa.string()),
}
# (column, Arrow type) of a status event as insert_status_events takes it
_EVENT_COLUMNS = (
    ("measure_id", pa.int32()),
    ("old_status", pa.string()),
    ("new_status", pa.string()),
    ("old_progress", pa.int32()),
    ("new_progress", pa.int32()),
    ("note", pa.string()),
    ("note_is_public", pa.bool_()),
)
# end_date left as it is by a status update (None would clear it).
KEEP = object()
_UPDATE_SQL = "UPDATE measures SET {assignments}, updated_at = ?, version = version + 1 WHERE id = ? AND version = ?"


def fetch_measure(cur: duckdb.DuckDBPyConnection, measure_id: int) -> dict:
    missing = NotFound(f"measure {measure_id}", key="error.measure_not_found", id=measure_id)
    return fetch_row(cur, "measures", MEASURE_FIELDS, measure_id, missing)


def read_measure(con: duckdb.DuckDBPyConnection, measure_id: int) -> dict:
    """The measure as its form loads it."""
    return read_one(con, fetch_measure, measure_id)


def organisation_of(cur: duckdb.DuckDBPyConnection, measure_id: int) -> int:
    """The organisation whose programme holds the measure."""
    row = cur.execute(
        "SELECT p.organisation_id FROM measures AS m JOIN programmes AS p ON p.id = m.programme_id WHERE m.id = ?",
        [measure_id],
    ).fetchone()
    if row is None:
        raise NotFound(f"measure {measure_id}", key="error.measure_not_found", id=measure_id)
    return row[0]


def _measure_target(measure_id: int | None, expected_version: int | None) -> Target:
    return Target("measure", measure_id, expected_version, lambda cur: fetch_measure(cur, measure_id))


# -- status updates --


def validate_status_update(status: str | None, progress, note: str | None) -> None:
    problems: dict[str, tuple[str, dict]] = {}
    if status is not None and status not in STATUSES:
        problems["status"] = ("validation.status_unknown", {"value": status})
    if progress is not None and (isinstance(progress, str) or clean_progress(problems, "progress", progress) is None):
        problems["progress"] = ("validation.progress_range", {})
    if note is not None and len(note) > rules.NOTE_MAX:
        problems["note"] = ("validation.too_long", {"max": rules.NOTE_MAX})
    raise_if(problems)


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
    The weekly update of one measure: problems are keyed by field alone.
    """
    fields = {"status": status, "progress": progress, "note": note, "note_is_public": note_is_public}
    change = {"measure_id": measure_id, "expected_version": expected_version, **fields}
    versions = _update_statuses(con, caller, [change], source=source, now=now, problem_key=_field_alone)
    return versions[measure_id]


def _field_alone(_measure_id: int, field: str) -> str:
    return field


def _measure_and_field(measure_id: int, field: str) -> str:
    return f"{measure_id}.{field}"


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
    end_date: date | object | None = KEEP,
) -> int:
    """The body of update_measure inside the caller's transaction (validated input).

    ``end_date`` (the weekly update offers it when the late rule flags a measure
    past its end date) is checked against the start date stored now."""
    before = fetch_measure(cur, measure_id)
    check_version("measure", measure_id, before, expected_version)
    new_status = before["status"] if status is None else status
    new_progress = before["progress"] if progress is None else int(progress)
    new_end = before["end_date"] if end_date is KEEP else end_date
    if end_date is not KEEP:
        problems: dict = {}
        new_end = clean_date(problems, "end_date", end_date)
        check_date_order(problems, before["start_date"], new_end)
        raise_if(problems)
    end_moved = new_end != before["end_date"]
    if new_status == before["status"] and new_progress == before["progress"] and note is None and not end_moved:
        return before["version"]
    cur.execute(
        "UPDATE measures SET status = ?, progress = ?, end_date = ?, updated_at = ?, version = version + 1"
        " WHERE id = ? AND version = ?",
        [new_status, new_progress, new_end, now, measure_id, expected_version],
    )
    if new_status != before["status"] or new_progress != before["progress"] or note is not None:
        event = (measure_id, before["status"], new_status, before["progress"], new_progress, note, bool(note_is_public))
        insert_status_events(cur, caller, [event], now=now, source=source)
    recorded = ("status", "progress", "version", *(("end_date",) if end_moved else ()))
    after = {"status": new_status, "progress": new_progress, "version": expected_version + 1}
    if end_moved:
        after["end_date"] = new_end
    if note is not None:
        after["note"] = note
        after["note_is_public"] = bool(note_is_public)
    audit.record(
        cur,
        caller,
        "measure.update_status",
        measure_id,
        before={k: before[k] for k in recorded},
        after=after,
        measure_id=measure_id,
        now=now,
    )
    return expected_version + 1


def update_measures(
    con: duckdb.DuckDBPyConnection, caller: Caller, changes: list[dict], *, now: datetime | None = None
) -> dict[int, int]:
    """Save the weekly update of many measures at once, all or nothing.

    Each change holds ``measure_id``, ``expected_version`` and any of
    ``status``, ``progress``, ``note``, ``note_is_public``, ``end_date``. Each
    changed measure gets its status event and audit row. Returns measure id ->
    new version. Problems are keyed ``"<measure id>.<field>"``.
    """
    return _update_statuses(con, caller, changes, source="weekly", now=now, problem_key=_measure_and_field)


def _update_statuses(
    con: duckdb.DuckDBPyConnection,
    caller: Caller,
    changes: list[dict],
    *,
    source: str,
    now: datetime | None,
    problem_key: Callable[[int, str], str],
) -> dict[int, int]:
    """update_measures' and update_measure's one path: every change validated
    first (problems named ``problem_key(measure id, field)``), then all written in
    one transaction."""
    require(caller, "editor")
    problems: dict = {}
    cleaned = []
    for change in changes:
        note = (change.get("note") or "").strip() or None
        try:
            validate_status_update(change.get("status"), change.get("progress"), note)
        except ValidationError as invalid:
            problems.update({problem_key(change["measure_id"], field): p for field, p in invalid.problems.items()})
        cleaned.append({**change, "note": note})
    raise_if(problems)
    now = now or db.utcnow()
    target = _measure_target(None, None)

    def write(cur: duckdb.DuckDBPyConnection) -> dict[int, int]:
        versions = {}
        for change in cleaned:
            # A conflict names the measure being written when it happened.
            target.entity_id, target.expected_version = change["measure_id"], change["expected_version"]
            target.reload = lambda cur, measure_id=change["measure_id"]: fetch_measure(cur, measure_id)
            try:
                versions[change["measure_id"]] = apply_status_update(
                    cur,
                    caller,
                    change["measure_id"],
                    expected_version=change["expected_version"],
                    status=change.get("status"),
                    progress=change.get("progress"),
                    note=change["note"],
                    note_is_public=change.get("note_is_public", True),
                    source=source,
                    now=now,
                    end_date=change.get("end_date", KEEP),
                )
            except ValidationError as invalid:
                problems = {problem_key(change["measure_id"], field): p for field, p in invalid.problems.items()}
                raise ValidationError(problems) from None
        return versions

    return in_transaction(con, target, write)


# -- the measure form --


def validate_measure(cur: duckdb.DuckDBPyConnection, programme_id: int, measure_id: int | None, fields: dict) -> dict:
    """The clean values of the measure form, or ValidationError naming each bad field."""
    problems: dict = {}
    clean = {
        name: clean_text(problems, name, fields.get(name), *spec[:1], required=spec[1])
        for name, spec in MEASURE_TEXT_FIELDS.items()
    }
    check_email(problems, "contact_email", clean["contact_email"])
    clean["start_date"] = clean_date(problems, "start_date", fields.get("start_date"))
    clean["end_date"] = clean_date(problems, "end_date", fields.get("end_date"))
    check_date_order(problems, clean["start_date"], clean["end_date"])
    clean["is_continuous"] = bool(fields.get("is_continuous", False))
    clean["is_published"] = bool(fields.get("is_published", True))
    clean.update(clean_framework_fields(problems, fields))
    theme_id = fields.get("theme_id")
    theme = None
    if theme_id is not None:
        theme = cur.execute(
            "SELECT id FROM themes WHERE id = ? AND programme_id = ?", [theme_id, programme_id]
        ).fetchone()
    if theme is None:
        problems["theme_id"] = ("validation.required", {})
    clean["theme_id"] = theme_id
    if clean["code"] and "code" not in problems:
        # Codes are unique per programme: checked here, not by a UNIQUE index.
        taken = cur.execute(
            "SELECT id FROM measures WHERE programme_id = ? AND code = ? AND id IS DISTINCT FROM ?",
            [programme_id, clean["code"], measure_id],
        ).fetchone()
        if taken:
            problems["code"] = ("validation.code_taken", {"code": clean["code"]})
    raise_if(problems)
    return clean


def create_measure(
    con: duckdb.DuckDBPyConnection, caller: Caller, programme_id: int, fields: dict, *, now: datetime | None = None
) -> int:
    """A new measure (status not started, progress 0); returns its id."""

    def write(cur: duckdb.DuckDBPyConnection, now: datetime) -> int:
        clean = validate_measure(cur, programme_id, None, fields)
        return insert_measures(cur, caller, programme_id, [clean], now=now)[0]

    return run_service(con, caller, "editor", Target("measure"), write, now)


def save_measure(
    con: duckdb.DuckDBPyConnection,
    caller: Caller,
    measure_id: int,
    fields: dict,
    *,
    expected_version: int,
    now: datetime | None = None,
) -> int:
    """Save the measure form over version ``expected_version``; returns the new version."""
    return save_form(
        con,
        caller,
        "measure.update",
        measure_id,
        expected_version=expected_version,
        fetch=fetch_measure,
        validate=lambda cur, before: validate_measure(cur, before["programme_id"], measure_id, fields),
        update_sql=_UPDATE_SQL,
        measure_of=lambda before: measure_id,
        now=now,
        after_write=lambda cur, changed: _reindex_if_text_changed(cur, [measure_id], changed),
    )


def _reindex_if_text_changed(cur: duckdb.DuckDBPyConnection, measure_ids: list[int], changed) -> None:
    """The search index follows a measure's code, titles and descriptions in the same transaction."""
    if SEARCHED_FIELDS.intersection(changed):
        search.index_measures(cur, measure_ids)


def archive_measure(
    con: duckdb.DuckDBPyConnection,
    caller: Caller,
    measure_id: int,
    *,
    expected_version: int,
    restore: bool = False,
    now: datetime | None = None,
) -> int:
    """Archive a measure (it leaves every list; nothing is deleted), or restore it."""

    def write(cur: duckdb.DuckDBPyConnection, now: datetime) -> int:
        before = fetch_measure(cur, measure_id)
        check_version("measure", measure_id, before, expected_version)
        archived_at = None if restore else now
        cur.execute(
            "UPDATE measures SET archived_at = ?, updated_at = ?, version = version + 1 WHERE id = ?",
            [archived_at, now, measure_id],
        )
        audit.record(
            cur,
            caller,
            "measure.restore" if restore else "measure.archive",
            measure_id,
            before={"archived_at": before["archived_at"]},
            after={"archived_at": archived_at},
            version=expected_version,
            measure_id=measure_id,
            now=now,
        )
        return expected_version + 1

    return run_service(con, caller, "editor", _measure_target(measure_id, expected_version), write, now)


# -- bulk writes (the spreadsheet import) --


def insert_measures(
    cur: duckdb.DuckDBPyConnection, caller: Caller, programme_id: int, rows: list[dict], *, now: datetime
) -> list[int]:
    """New measures of a programme, one per row (validated dicts with the same
    keys, ``code`` among them), each with its audit row; returns their ids in order.
    Columns a row leaves out take the schema's defaults (not started, 0 %)."""
    ids = insert_rows(
        cur,
        caller,
        "measure.create",
        "measures",
        rows,
        sql="INSERT INTO measures (id, programme_id, {names}, created_at, updated_at, version)"
        " SELECT id, $programme_id, {names}, $now, $now, 1 FROM staged",
        types=_COLUMN_TYPES,
        now=now,
        measure_of=lambda measure_id, _row: measure_id,
        programme_id=programme_id,
    )
    search.index_measures(cur, ids)
    return ids


def update_measure_rows(
    cur: duckdb.DuckDBPyConnection, caller: Caller, changes: list[tuple[dict, dict]], *, now: datetime
) -> None:
    """Overwrite stored measures: (current row with ``id`` and ``version``, wanted
    values) pairs whose wanted dicts share their keys; each gets its version
    bumped and an audit row with the fields that changed."""
    update_rows(
        cur,
        caller,
        "measure.update",
        changes,
        sql="UPDATE measures SET {assignments}, updated_at = $now, version = measures.version + 1"
        " FROM staged WHERE measures.id = staged.id",
        types=_COLUMN_TYPES,
        now=now,
        measure_of=lambda current: current["id"],
    )
    if changes:
        _reindex_if_text_changed(cur, [current["id"] for current, _ in changes], changes[0][1])


def insert_status_events(
    cur: duckdb.DuckDBPyConnection, caller: Caller, events: list[tuple], *, now: datetime, source: str
) -> list[int]:
    """Status events: (measure id, old status, new status, old progress, new
    progress[, note, note is public]) each, by ``caller`` from ``source``; returns their ids."""
    if not events:
        return []
    events = [(*event, None, True) if len(event) == 5 else (*event[:6], bool(event[6])) for event in events]
    ids = allocate_ids(cur, "status_events", len(events))
    if len(events) == 1:
        # One status update: a plain insert costs half of staging a one-row table.
        cur.execute(
            "INSERT INTO status_events (id, measure_id, occurred_at, actor, source, old_status, new_status,"
            " old_progress, new_progress, note, note_is_public) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            [ids[0], events[0][0], now, caller.actor, source, *events[0][1:]],
        )
        return list(ids)
    columns = zip(*events, strict=True)
    frame = pa.table(
        {
            "id": pa.array(ids, pa.int64()),
            **{name: pa.array(values, kind) for (name, kind), values in zip(_EVENT_COLUMNS, columns, strict=True)},
        }
    )
    with_frame(
        cur,
        "INSERT INTO status_events (id, measure_id, occurred_at, actor, source, old_status, new_status,"
        " old_progress, new_progress, note, note_is_public) SELECT id, measure_id, $now, $actor, $source,"
        " old_status, new_status, old_progress, new_progress, note, note_is_public FROM staged",
        frame,
        now=now,
        actor=caller.actor,
        source=source,
    )
    return list(ids)


# -- an import's undo (tracker/spreadsheet/undo.py) --


def delete_import_events(cur: duckdb.DuckDBPyConnection, event_ids: list[int]) -> None:
    """Remove the status events an import appended, when that import is undone.

    The one exception to "events are never deleted": the events of an import
    that is taken back say something that did not happen. The undo refuses
    while a later event follows one of them, and the batch keeps what each
    said (import_batch_items); the undo's audit row names them."""
    if event_ids:
        frame = pa.table({"id": pa.array(event_ids, pa.int64())})
        with_frame(cur, "DELETE FROM status_events WHERE id IN (SELECT id FROM staged)", frame)


def delete_imported_measures(
    cur: duckdb.DuckDBPyConnection, caller: Caller, rows: list[dict], *, now: datetime
) -> None:
    """Remove measures an import created, when that import is undone: the undo
    checked that nothing else points at them (no other event, budget line,
    decision or indicator) and that nobody edited them. The audit row of each
    keeps everything the measure held."""
    if not rows:
        return
    frame = pa.table({"id": pa.array([row["id"] for row in rows], pa.int64())})
    with_frame(cur, "DELETE FROM measures WHERE id IN (SELECT id FROM staged)", frame)
    search.index_measures(cur, [row["id"] for row in rows])  # their search rows go with them
    audit.record_many(cur, caller, now, [("measure.delete", row["id"], row["id"], row, None) for row in rows])
