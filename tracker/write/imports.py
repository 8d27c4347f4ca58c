"""Writes of ``import_batches`` and ``import_batch_items`` (migration 0005): the
record of each spreadsheet import as one batch, every row it wrote with the
values before and after, and the mark an undo leaves. No other module writes
these two tables; the import and its undo (tracker/spreadsheet/) call the
inner functions here inside their own transaction.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from datetime import datetime

import duckdb
import pyarrow as pa

from tracker.auth import Caller
from tracker.errors import NotFound
from tracker.write.audit import to_json
from tracker.write.base import with_frame
from tracker.write.ids import allocate_id

BATCH_FIELDS = (
    "id",
    "programme_id",
    "file_name",
    "actor",
    "imported_at",
    "row_count",
    "created",
    "updated",
    "budget_lines_created",
    "budget_lines_updated",
    "undone_at",
    "undone_by",
)
ITEM_FIELDS = ("position", "entity", "entity_id", "action", "code", "before", "after")


@dataclass
class BatchItem:
    """One row an import wrote: its table, id, whether it was created or updated,
    the measure code it belongs to, and its values before and after."""

    entity: str
    entity_id: int
    action: str
    code: str | None = None
    before: dict | None = None
    after: dict | None = field(default=None)


def insert_batch(
    cur: duckdb.DuckDBPyConnection,
    caller: Caller,
    programme_id: int,
    file_name: str,
    counts: dict,
    items: list[BatchItem],
    *,
    now: datetime,
) -> int:
    """Record an import as one batch with every row it wrote; returns the batch id.
    (The import's own audit row, ``import.run``, names the batch.)"""
    batch_id = allocate_id(cur, "import_batches")
    cur.execute(
        "INSERT INTO import_batches (id, programme_id, file_name, actor, imported_at, row_count, created, updated,"
        " budget_lines_created, budget_lines_updated) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
        [
            batch_id,
            programme_id,
            file_name,
            caller.actor,
            now,
            counts["rows"],
            counts["created"],
            counts["updated"],
            counts["budget_lines_created"],
            counts["budget_lines_updated"],
        ],
    )
    if items:
        frame = pa.table(
            {
                "position": pa.array(range(1, len(items) + 1), pa.int32()),
                "entity": pa.array([item.entity for item in items], pa.string()),
                "entity_id": pa.array([item.entity_id for item in items], pa.int64()),
                "action": pa.array([item.action for item in items], pa.string()),
                "code": pa.array([item.code for item in items], pa.string()),
                "before": pa.array([to_json(item.before) for item in items], pa.string()),
                "after": pa.array([to_json(item.after) for item in items], pa.string()),
            }
        )
        with_frame(
            cur,
            "INSERT INTO import_batch_items (batch_id, position, entity, entity_id, action, code, before, after)"
            " SELECT $batch_id, position, entity, entity_id, action, code, before::JSON, after::JSON FROM staged",
            frame,
            batch_id=batch_id,
        )
    return batch_id


def fetch_batch(cur: duckdb.DuckDBPyConnection, batch_id: int) -> dict:
    row = cur.execute(
        f"SELECT {', '.join(BATCH_FIELDS)} FROM import_batches WHERE id = ?",  # noqa: S608 (constant columns)
        [batch_id],
    ).fetchone()
    if row is None:
        raise NotFound(f"import batch {batch_id}", key="import_undo.not_found", id=batch_id)
    return dict(zip(BATCH_FIELDS, row, strict=True))


def batch_items(cur: duckdb.DuckDBPyConnection, batch_id: int) -> list[BatchItem]:
    """The rows a batch wrote, in the order it wrote them (before/after as stored JSON, read back)."""
    rows = cur.execute(
        f"SELECT {', '.join(ITEM_FIELDS)} FROM import_batch_items"  # noqa: S608 (constant columns)
        " WHERE batch_id = ? ORDER BY position",
        [batch_id],
    ).fetchall()
    return [
        BatchItem(
            entity,
            int(entity_id),
            action,
            code,
            None if before is None else json.loads(before),
            None if after is None else json.loads(after),
        )
        for _position, entity, entity_id, action, code, before, after in rows
    ]


def mark_undone(cur: duckdb.DuckDBPyConnection, caller: Caller, batch_id: int, *, now: datetime) -> None:
    """The batch is undone (its audit row, ``import.undo``, is the undo's own)."""
    cur.execute(
        "UPDATE import_batches SET undone_at = ?, undone_by = ? WHERE id = ? AND undone_at IS NULL",
        [now, caller.actor, batch_id],
    )
