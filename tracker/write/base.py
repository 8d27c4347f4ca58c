"""What every write module shares: the transaction of a service (where DuckDB's
write-write conflict becomes ConflictError, in this one place), problems
raised together, changed fields, the versioned update of a form, and running
SQL over an Arrow table for the bulk writes.

A write module offers two kinds of function: a public service that takes the
connection, checks the caller's role, validates and opens the transaction
here; and an inner function that takes the open cursor, so that a
coordinator (the spreadsheet import, a decision's proposal, a form saving
several things) can make many writes in one transaction.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import datetime

import duckdb
import pyarrow as pa

from tracker import db
from tracker.auth import Caller
from tracker.errors import ConflictError, ValidationError
from tracker.write import audit


@dataclass
class Target:
    """What a write is about, to report a conflict with: the entity, its id, the
    version the caller loaded and how to read what is there now. A service
    that writes many rows updates it as it goes."""

    entity: str
    entity_id: object = None
    expected_version: int | None = None
    reload: Callable[[duckdb.DuckDBPyConnection], dict] | None = None


@contextmanager
def transaction(con: duckdb.DuckDBPyConnection, target: Target) -> Iterator[duckdb.DuckDBPyConnection]:
    """A cursor in one transaction. When another session committed a change to a
    row this one writes (a record, or an id counter), DuckDB refuses the write;
    that is reported as the same ConflictError a stale version gets."""
    try:
        with db.transaction(con) as cur:
            yield cur
    except duckdb.TransactionException as exc:
        current = {}
        if target.reload is not None:
            cur = con.cursor()
            try:
                current = target.reload(cur)
            finally:
                cur.close()
        raise ConflictError(target.entity, target.entity_id, target.expected_version, current) from exc


def raise_if(problems: dict) -> None:
    if problems:
        raise ValidationError(problems)


def changed_fields(before: dict, after: dict) -> dict[str, tuple]:
    """Field -> (old, new) for every field whose value differs."""
    return {key: (before.get(key), value) for key, value in after.items() if before.get(key) != value}


def split_changes(before: dict, after: dict) -> tuple[dict, dict]:
    """The changed fields as two dicts, (old values, new values), as audit rows hold them."""
    diff = changed_fields(before, after)
    return {k: old for k, (old, _new) in diff.items()}, {k: new for k, (_old, new) in diff.items()}


def conflict_differences(loaded: dict, current: dict) -> list[tuple[str, object, object]]:
    """(field, what the form loaded, what is there now) for each field another person changed."""
    return [
        (key, loaded.get(key), current.get(key))
        for key in current
        if key not in ("version", "updated_at") and key in loaded and loaded.get(key) != current.get(key)
    ]


def check_version(entity: str, entity_id, before: dict, expected_version: int) -> None:
    if before["version"] != expected_version:
        raise ConflictError(entity, entity_id, expected_version, before)


def save_versioned(
    cur: duckdb.DuckDBPyConnection,
    caller: Caller,
    action: str,
    entity_id: int,
    before: dict,
    clean: dict,
    expected_version: int,
    *,
    update_sql: str,
    measure_id,
    now: datetime,
) -> int:
    """Write the validated fields of ``clean`` that differ from ``before`` over
    version ``expected_version`` with their audit row; return the version now current.

    ``update_sql`` is the owning module's UPDATE with ``{assignments}`` for the
    changed columns, then ``updated_at = ?``, ``id = ?`` and ``version = ?``.
    """
    check_version(audit.entity_of(action), entity_id, before, expected_version)
    old, new = split_changes(before, clean)
    if not new:
        return before["version"]
    # Column names are the validated field names, never user text; values are parameters.
    assignments = ", ".join(f"{name} = ?" for name in new)
    cur.execute(update_sql.format(assignments=assignments), [*new.values(), now, entity_id, expected_version])
    audit.record(
        cur,
        caller,
        action,
        entity_id,
        before={**old, "version": expected_version},
        after={**new, "version": expected_version + 1},
        measure_id=measure_id,
        now=now,
    )
    return expected_version + 1


def with_frame(cur: duckdb.DuckDBPyConnection, sql: str, frame: pa.Table, **params) -> None:
    """Run ``sql`` reading the Arrow table as ``staged`` (one statement for many rows)."""
    if frame.num_rows == 0:
        return
    cur.register("staged", frame)
    try:
        cur.execute(sql, params) if params else cur.execute(sql)
    finally:
        cur.unregister("staged")


def read_one(con: duckdb.DuckDBPyConnection, fetch: Callable, row_id: int) -> dict:
    """One row for a form, read with a write module's ``fetch`` (plain Python values)."""
    cur = con.cursor()
    try:
        return fetch(cur, row_id)
    finally:
        cur.close()
