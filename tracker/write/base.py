"""What every write module shares: the transaction of a service (where a
write refused for another session's concurrent write is tried again, and
what still conflicts becomes ConflictError, in this one place), problems
raised together, changed fields, the versioned save of a form, reading a row
by id, the bookkeeping transaction of rows no page shows and the retry of such
short writes (sessions and the password sign-in), and the bulk inserts and
updates that run the owning module's SQL over an Arrow table.

Most services are ``run_service``: the caller's role checked, the clock read
once, the body run through ``in_transaction``.

A write module offers two kinds of function: a public service that takes the
connection, checks the caller's role, validates and runs its writes through
``in_transaction`` here; and an inner function that takes the open cursor, so
that a coordinator (the spreadsheet import, a decision's proposal, a form
saving several things) can make many writes in one transaction.

Rules for a write body, so that it works on both engines (docs/migrations.md):
it may run more than once (read inside the transaction everything it decides
on; no side effects outside the database), every row with an id takes it from
``tracker.write.ids``, every write appends its audit row (``audit.record``:
taking the audit row's id is what makes two concurrent writers meet, so a rule
checked by reading first — a free name, a free e-mail — holds on the lake,
which has no UNIQUE), and nothing relies on a PRIMARY KEY, UNIQUE or CHECK to
refuse a bad row: the lake has none.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import datetime
from typing import TypeVar

import duckdb
import pyarrow as pa

from tracker import db
from tracker.auth import Caller, require
from tracker.errors import ConflictError, UserError, ValidationError
from tracker.write import audit
from tracker.write.ids import allocate_ids


@dataclass
class Target:
    """What a write is about, to report a conflict with: the entity, its id, the
    version the caller loaded and how to read what is there now. A service
    that writes many rows updates it as it goes."""

    entity: str
    entity_id: object = None
    expected_version: int | None = None
    reload: Callable[[duckdb.DuckDBPyConnection], dict] | None = None


Result = TypeVar("Result")


def in_transaction(
    con: duckdb.DuckDBPyConnection, target: Target, body: Callable[[duckdb.DuckDBPyConnection], Result]
) -> Result:
    """``body(cursor)`` in one transaction, committed; returns what it returns.

    When DuckDB refuses the write because another session wrote the same rows
    (the embedded file) or the same table (a lake) at the same time, the whole
    body runs again from the start, after a short random pause, for a few
    seconds at most (tracker.db.run_in_transaction): the person never sees
    that. A body that then finds a version other than the one the person
    loaded raises ConflictError itself (check_version), as does a write still
    refused when the time is up: the same conflict screen a stale version gets.
    """
    try:
        return db.run_in_transaction(con, body)
    except duckdb.TransactionException as exc:
        raise _conflict(con, target) from exc


def run_service(
    con: duckdb.DuckDBPyConnection,
    caller: Caller,
    role: str,
    target: Target,
    body: Callable[[duckdb.DuckDBPyConnection, datetime], Result],
    now: datetime | None = None,
) -> Result:
    """What most services do: refuse a caller without ``role`` ("anonymous" for
    a service open to anyone, such as the residents' feedback), then run
    ``body(cursor, now)`` through ``in_transaction``, ``now`` being the moment
    given or else the clock's."""
    require(caller, role)
    now = now or db.utcnow()
    return in_transaction(con, target, lambda cur: body(cur, now))


@contextmanager
def transaction(con: duckdb.DuckDBPyConnection, target: Target) -> Iterator[duckdb.DuckDBPyConnection]:
    """A cursor in one transaction, tried once: a write refused for another
    session's concurrent write is reported as ConflictError at once. For
    services whose body is not yet a function ``in_transaction`` can run again;
    prefer ``in_transaction``."""
    try:
        with db.transaction(con) as cur:
            yield cur
    except duckdb.TransactionException as exc:
        raise _conflict(con, target) from exc


@contextmanager
def bookkeeping(con: duckdb.DuckDBPyConnection) -> Iterator[duckdb.DuckDBPyConnection]:
    """A transaction for rows no page shows (a session's last activity, a
    counter): page caches stay; another session's commit of the same row
    raises ConflictError like any write."""
    try:
        with db.transaction(con, changes_data=False) as cur:
            yield cur
    except duckdb.TransactionException as exc:
        raise ConflictError("session", None, 0, {}) from exc


def retry_commit_race(action):
    """Run a short write again when another session's commit of the same rows
    got in between (sign-ins and the audit counter are shared by everyone), with
    the growing random pauses of every other write (db.retry_on_conflict): two
    app servers on a lake signing people in at the same moment take turns
    instead of failing after a few immediate tries."""
    return db.retry_on_conflict(action, retryable=_commit_race)


def _commit_race(error: BaseException) -> bool:
    return isinstance(error, ConflictError) and db.is_conflict(error.__cause__)


def _conflict(con: duckdb.DuckDBPyConnection, target: Target) -> ConflictError:
    current = {}
    if target.reload is not None:
        cur = con.cursor()
        try:
            current = target.reload(cur)
        finally:
            cur.close()
    return ConflictError(target.entity, target.entity_id, target.expected_version, current)


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


def save_form(
    con: duckdb.DuckDBPyConnection,
    caller: Caller,
    action: str,
    row_id: int,
    *,
    expected_version: int,
    fetch: Callable[[duckdb.DuckDBPyConnection, int], dict],
    validate: Callable[[duckdb.DuckDBPyConnection, dict], dict],
    update_sql: str,
    measure_of: Callable[[dict], int | None],
    now: datetime | None,
    after_write: Callable[[duckdb.DuckDBPyConnection, dict], None] | None = None,
) -> int:
    """Save a form over version ``expected_version`` in one transaction: the row
    read with ``fetch``, the form's fields cleaned by ``validate(cur, row)``,
    those that differ written with their audit row; returns the version now current.
    ``after_write(cur, changed)`` (the new values of the changed fields) runs in
    the same transaction, for what must change with the row (a search index).

    ``update_sql`` is the owning module's UPDATE with ``{assignments}`` for the
    changed columns, then ``updated_at = ?``, ``id = ?`` and ``version = ?``.
    """
    entity = audit.entity_of(action)

    def write(cur: duckdb.DuckDBPyConnection, now: datetime) -> int:
        before = fetch(cur, row_id)
        clean = validate(cur, before)
        check_version(entity, row_id, before, expected_version)
        old, new = split_changes(before, clean)
        if not new:
            return before["version"]
        # Column names are the validated field names, never user text; values are parameters.
        assignments = ", ".join(f"{name} = ?" for name in new)
        cur.execute(update_sql.format(assignments=assignments), [*new.values(), now, row_id, expected_version])
        audit.record(
            cur,
            caller,
            action,
            row_id,
            before=old,
            after=new,
            version=expected_version,
            measure_id=measure_of(before),
            now=now,
        )
        if after_write is not None:
            after_write(cur, new)
        return expected_version + 1

    target = Target(entity, row_id, expected_version, lambda cur: fetch(cur, row_id))
    return run_service(con, caller, "editor", target, write, now)


def fetch_row(cur: duckdb.DuckDBPyConnection, table: str, fields: tuple[str, ...], row_id, missing: UserError) -> dict:
    """The row of ``table`` with ``id`` = ``row_id`` as field -> value; ``missing`` is raised when there is none."""
    # Table and columns are a write module's constants; only the id is a value.
    row = cur.execute(f"SELECT {', '.join(fields)} FROM {table} WHERE id = ?", [row_id]).fetchone()  # noqa: S608
    if row is None:
        raise missing
    return dict(zip(fields, row, strict=True))


def _frame(rows: list[dict], columns: list[str], types: dict[str, pa.DataType], ids) -> pa.Table:
    return pa.table(
        {"id": pa.array(ids, pa.int64()), **{c: pa.array([row[c] for row in rows], types[c]) for c in columns}}
    )


def insert_rows(
    cur: duckdb.DuckDBPyConnection,
    caller: Caller,
    action: str,
    table: str,
    rows: list[dict],
    *,
    sql: str,
    types: dict[str, pa.DataType],
    now: datetime,
    measure_of: Callable[[int, dict], int | None],
    unaudited: tuple[str, ...] = (),
    **params,
) -> list[int]:
    """New rows of ``table`` from validated dicts that share their keys, with
    ids from the allocator and an audit row each (the row's values but
    ``unaudited``); returns the ids in order. ``sql`` is the owning module's
    ``INSERT ... SELECT ... FROM staged`` with ``{names}`` for the columns."""
    if not rows:
        return []
    ids = list(allocate_ids(cur, table, len(rows)))
    columns = list(rows[0])
    with_frame(cur, sql.format(names=", ".join(columns)), _frame(rows, columns, types, ids), now=now, **params)
    audit.record_many(
        cur,
        caller,
        now,
        [
            (action, row_id, measure_of(row_id, row), None, {k: v for k, v in row.items() if k not in unaudited})
            for row_id, row in zip(ids, rows, strict=True)
        ],
    )
    return ids


def update_rows(
    cur: duckdb.DuckDBPyConnection,
    caller: Caller,
    action: str,
    changes: list[tuple[dict, dict]],
    *,
    sql: str,
    types: dict[str, pa.DataType],
    now: datetime,
    measure_of: Callable[[dict], int | None],
) -> None:
    """Overwrite stored rows: (current row with ``id`` and ``version``, wanted
    values) pairs whose wanted dicts share their keys; each gets its version
    bumped and an audit row with the fields that changed. ``sql`` is the owning
    module's ``UPDATE ... FROM staged`` with ``{assignments}`` for the columns."""
    if not changes:
        return
    columns = list(changes[0][1])
    assignments = ", ".join(f"{column} = staged.{column}" for column in columns)
    frame = _frame([wanted for _, wanted in changes], columns, types, [current["id"] for current, _ in changes])
    with_frame(cur, sql.format(assignments=assignments), frame, now=now)
    rows = []
    for current, wanted in changes:
        old, new = split_changes(current, wanted)
        version = current["version"]
        rows.append(
            (action, current["id"], measure_of(current), old | {"version": version}, new | {"version": version + 1})
        )
    audit.record_many(cur, caller, now, rows)


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
