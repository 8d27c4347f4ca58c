"""Every database access goes through this module.

Connections, migrations, named queries (one SELECT per file in ``queries/``)
and the transaction helper used by every write service. The module is long on
purpose: it is the one place every access goes through, and keeping connection,
migration and transaction handling together keeps that single door easy to audit.

A migration is a file ``migrations/NNNN_name.sql`` (or ``NNNN_name.py`` with a
``migrate(cur)`` function, for a change SQL alone cannot make), identified by
its number NNNN, applied once in its own transaction and recorded in
``schema_migrations`` with the sha256 of its bytes. Only ``python -m tracker
migrate`` and ``init`` (and tools that build databases, and the tests) apply
migrations; ``connect()`` without ``migrate`` refuses a database that is behind
the code or whose applied migrations were changed since. docs/migrations.md
is the recipe, with ``rebuild_table`` for what DuckDB cannot alter in place.
"""

from __future__ import annotations

import hashlib
import importlib.util
import itertools
import os
import random
import re
import time
import weakref
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, datetime
from functools import cache
from pathlib import Path
from typing import TypeVar

import duckdb
import pandas as pd

from tracker import lake
from tracker.errors import MigrationChanged, QueryNotFound, SchemaBehind, TrackerError

ROOT = Path(__file__).resolve().parent.parent
MIGRATIONS_DIR = ROOT / "migrations"
QUERIES_DIR = ROOT / "queries"
DEFAULT_DB_PATH = ROOT / "data" / "tracker.duckdb"

_MIGRATION_NAME = re.compile(r"^(\d{4})_[a-z0-9_]+\.(sql|py)$")
_QUERY_NAME = re.compile(r"^[a-z0-9_]+$")

# No PRIMARY KEY: the runner is this table's only writer, and DuckLake has none.
_BOOKKEEPING_TABLE = """CREATE TABLE schema_migrations (
    number INTEGER NOT NULL,
    name VARCHAR NOT NULL,
    checksum VARCHAR NOT NULL,
    applied_at TIMESTAMP NOT NULL
)"""


def utcnow() -> datetime:
    """Naive UTC timestamp, the form every TIMESTAMP column holds."""
    return datetime.now(UTC).replace(tzinfo=None)


def db_path(explicit: str | os.PathLike | None = None) -> str:
    """The database to use: an explicit one, else $TRACKER_DB, else the default file.

    A file path is the embedded engine; ``ducklake:postgres:<libpq conninfo>``
    is a lake (tracker.lake), whose data files a new lake puts at $TRACKER_DATA_PATH.
    """
    if explicit:
        return str(explicit)
    return os.environ.get("TRACKER_DB") or str(DEFAULT_DB_PATH)


def is_lake(target: str | os.PathLike) -> bool:
    """Whether a database name (as TRACKER_DB or --db give it) is a lake rather than a file."""
    return lake.is_lake(target)


# connection -> whether it is a lake, for the connections this module opened
_lakes: weakref.WeakKeyDictionary = weakref.WeakKeyDictionary()


def _opened(con: duckdb.DuckDBPyConnection, on_lake: bool) -> duckdb.DuckDBPyConnection:
    _lakes[con] = on_lake
    return con


def on_lake(con: duckdb.DuckDBPyConnection) -> bool:
    """Whether ``con`` (a connection or a cursor) works on a lake."""
    known = _lakes.get(con)
    if known is None:
        row = con.execute("SELECT type FROM duckdb_databases() WHERE database_name = current_database()").fetchone()
        known = _lakes[con] = row is not None and row[0] == "ducklake"
    return known


def open_file(path: str | os.PathLike | None = None, *, read_only: bool = False) -> duckdb.DuckDBPyConnection:
    """The database opened as it is, created when missing (a file, or a lake's
    catalog with its data at $TRACKER_DATA_PATH): for the migration runner.
    ``read_only`` (a file): for commands that only read (several may then hold the file at once)."""
    target = db_path(path)
    if is_lake(target):
        return _opened(lake.connect(target, create=True), True)
    if read_only:
        try:
            return _opened(duckdb.connect(target, read_only=True), False)
        except duckdb.ConnectionException as error:
            # this process holds the file already (a test, a tool): share that instance
            if "different configuration" not in str(error):
                raise
    if target != ":memory:":
        Path(target).parent.mkdir(parents=True, exist_ok=True)
    return _opened(duckdb.connect(target), False)


def connect(
    path: str | os.PathLike | None = None, *, migrate: bool = False, read_only: bool = False
) -> duckdb.DuckDBPyConnection:
    """Open the database for use.

    With ``migrate`` (init, migrate, tools that build databases, tests) a missing
    database is created and pending migrations are applied. Without it (the app and
    every other command) nothing is created or changed: a missing or unmigrated
    database, or one behind this code, raises SchemaBehind; one whose applied
    migrations were edited since, MigrationChanged.
    """
    target = db_path(path)
    if not migrate and is_lake(target):
        con = _opened(lake.connect(target), True)
    elif not migrate and target != ":memory:" and not Path(target).exists():
        raise SchemaBehind(f"no database at {target}", key="db.not_set_up", path=target)
    else:
        con = open_file(target, read_only=read_only and not migrate and target != ":memory:")
    try:
        if migrate:
            apply_migrations(con)
        else:
            require_current(con)
    except BaseException:
        con.close()
        raise
    return con


# -- migrations ----------------------------------------------------------------


@dataclass(frozen=True)
class Migration:
    number: int
    path: Path
    checksum: str

    @property
    def name(self) -> str:
        return self.path.name


@dataclass(frozen=True)
class AppliedMigration:
    number: int
    name: str
    checksum: str | None  # None: recorded by a release that kept no checksums


def migrations() -> list[Migration]:
    """Every migration file in number order; a badly named one or a number used twice is an error."""
    found = []
    for path in sorted(MIGRATIONS_DIR.iterdir()):
        if path.suffix not in (".sql", ".py") or path.name == "__init__.py":
            continue
        match = _MIGRATION_NAME.match(path.name)
        if not match:
            raise TrackerError(f"migrations/{path.name}: a migration is named NNNN_lower_case_words.sql or .py")
        found.append(Migration(int(match[1]), path, hashlib.sha256(path.read_bytes()).hexdigest()))
    numbers = [migration.number for migration in found]
    if len(numbers) != len(set(numbers)):
        raise TrackerError(f"two migrations share a number: {[m.name for m in found]}")
    return found


def _database_path(con: duckdb.DuckDBPyConnection) -> str:
    """The database as TRACKER_DB names it (a lake's password masked), for messages."""
    row = con.execute("SELECT path, type FROM duckdb_databases() WHERE database_name = current_database()").fetchone()
    if row and row[1] == "ducklake":
        return lake.shown(lake.PREFIX + row[0])
    return (row and row[0]) or ":memory:"


def first_values(con: duckdb.DuckDBPyConnection, sql: str, params: list | None = None) -> list:
    """The first column of every row ``sql`` returns (a list of names from the catalogue, say)."""
    return [row[0] for row in con.execute(sql, params or []).fetchall()]


def _bookkeeping_columns(con: duckdb.DuckDBPyConnection) -> set[str]:
    return set(
        first_values(
            con,
            "SELECT column_name FROM information_schema.columns WHERE table_catalog = current_database()"
            " AND table_schema = 'main' AND table_name = 'schema_migrations'",
        )
    )


def _recorded(con: duckdb.DuckDBPyConnection) -> list[AppliedMigration] | None:
    """What schema_migrations records, in number order; None when the database has no such table."""
    columns = _bookkeeping_columns(con)
    if not columns:
        return None
    if "checksum" in columns:
        rows = con.execute("SELECT number, name, checksum FROM schema_migrations ORDER BY number").fetchall()
        return [AppliedMigration(*row) for row in rows]
    # the previous release's table: schema_migrations(name PRIMARY KEY, applied_at)
    names = first_values(con, "SELECT name FROM schema_migrations ORDER BY name")
    return [AppliedMigration(int(name[:4]), name, None) for name in names]


def applied_migrations(con: duckdb.DuckDBPyConnection) -> list[str]:
    """The names of the migrations recorded as applied, in number order."""
    return [record.name for record in _recorded(con) or []]


def _check_unchanged(con: duckdb.DuckDBPyConnection, recorded: list[AppliedMigration], files: list[Migration]) -> None:
    """Refuse a database whose applied migrations are no longer the files this code has."""
    by_number = {migration.number: migration for migration in files}
    for record in recorded:
        current = by_number.get(record.number)
        if current is None:
            raise MigrationChanged(
                f"migration {record.name}, applied to {_database_path(con)}, is no longer in migrations/",
                key="db.migration_missing",
                file=record.name,
                path=_database_path(con),
            )
        if record.checksum is not None and record.checksum != current.checksum:
            raise MigrationChanged(
                f"migrations/{current.name} was changed after it was applied to {_database_path(con)}",
                file=current.name,
                path=_database_path(con),
            )


def pending_migrations(con: duckdb.DuckDBPyConnection) -> list[Migration]:
    """The migrations this database has not had yet, once those it had are checked to be unchanged."""
    files = migrations()
    recorded = _recorded(con) or []
    _check_unchanged(con, recorded, files)
    done = {record.number for record in recorded}
    return [migration for migration in files if migration.number not in done]


def require_current(con: duckdb.DuckDBPyConnection) -> None:
    """Raise SchemaBehind unless every migration is applied and recorded with its checksum."""
    recorded = _recorded(con)
    path = _database_path(con)
    if recorded is None:
        raise SchemaBehind(f"{path} has no schema", key="db.not_set_up", path=path)
    pending = [migration.name for migration in pending_migrations(con)]
    if not pending and any(record.checksum is None for record in recorded):
        pending = ["schema_migrations"]  # only the bookkeeping is the previous release's
    if pending:
        raise SchemaBehind(f"{path} needs: {', '.join(pending)}", path=path, pending=", ".join(pending))


def _prepare_bookkeeping(con: duckdb.DuckDBPyConnection) -> None:
    """Create schema_migrations, or bring the previous release's (name, applied_at) to
    (number, name, checksum, applied_at), recording the checksum each applied file has now."""
    recorded = _recorded(con)
    if recorded is not None and all(record.checksum is not None for record in recorded):
        return
    with transaction(con) as cur:
        if recorded is None:
            cur.execute(_BOOKKEEPING_TABLE)
            return
        files = migrations()
        _check_unchanged(cur, recorded, files)
        by_number = {migration.number: migration for migration in files}
        rows = cur.execute("SELECT name, applied_at FROM schema_migrations ORDER BY name").fetchall()
        cur.execute("DROP TABLE schema_migrations")
        cur.execute(_BOOKKEEPING_TABLE)
        for name, applied_at in rows:
            current = by_number[int(name[:4])]
            cur.execute(
                "INSERT INTO schema_migrations VALUES (?, ?, ?, ?)",
                [current.number, current.name, current.checksum, applied_at],
            )


_EMBEDDED_ONLY = re.compile(r"/\*embedded:(.*?)\*/", re.DOTALL)


def migration_sql(text: str, *, lake: bool) -> str:
    """A migration's SQL for one engine. What only the embedded file can hold
    (sequences, PRIMARY KEY, UNIQUE, CHECK, indexes) is written inside
    ``/*embedded: ... */``: the file gets it un-commented, the lake reads a
    comment. The write layer checks every such rule itself on both engines."""
    return text if lake else _EMBEDDED_ONLY.sub(lambda match: match.group(1), text)


def _run_migration(migration: Migration, cur: duckdb.DuckDBPyConnection, *, lake: bool) -> None:
    if migration.path.suffix == ".sql":
        cur.execute(migration_sql(migration.path.read_text(encoding="utf-8"), lake=lake))
        return
    spec = importlib.util.spec_from_file_location(f"migration_{migration.number:04d}", migration.path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    module.migrate(cur)


def apply_migrations(con: duckdb.DuckDBPyConnection) -> list[str]:
    """Apply every pending migration, each in its own transaction; return the names applied now.

    Two processes migrating one lake at once: the second one's commit is
    refused, and it starts over from what the first one recorded."""
    applied: list[str] = []
    lake_engine = on_lake(con)

    def apply(migration: Migration, cur: duckdb.DuckDBPyConnection) -> bool:
        done = cur.execute("SELECT count(*) FROM schema_migrations WHERE number = ?", [migration.number])
        if done.fetchone()[0]:
            return False  # another process applied it since we looked
        _run_migration(migration, cur, lake=lake_engine)
        cur.execute(
            "INSERT INTO schema_migrations VALUES (?, ?, ?, ?)",
            [migration.number, migration.name, migration.checksum, utcnow()],
        )
        return True

    def run_all() -> None:
        _prepare_bookkeeping(con)
        for migration in pending_migrations(con):
            with transaction(con) as cur:
                if apply(migration, cur):
                    applied.append(migration.name)

    retry_on_conflict(run_all)
    return applied


def _columns(cur: duckdb.DuckDBPyConnection, table: str) -> list[str]:
    return first_values(
        cur,
        "SELECT column_name FROM information_schema.columns WHERE table_catalog = current_database()"
        " AND table_schema = 'main' AND table_name = ? ORDER BY ordinal_position",
        [table],
    )


def rebuild_table(
    cur: duckdb.DuckDBPyConnection,
    table: str,
    create_sql: str,
    column_map: dict[str, str] | None = None,
    *,
    indexes: list[str] | None = None,
) -> int:
    """Give ``table`` the shape ``create_sql`` (its CREATE TABLE statement, under
    its own name) describes, keeping every row; return how many rows were copied.

    For the changes DuckDB cannot make in place: a NOT NULL column added to a
    filled table, a column renamed or retyped while a CHECK or an index depends
    on it. Inside the caller's transaction: the old table is renamed aside, the
    new one created and filled, the old one dropped. ``column_map`` gives a new
    column's value as an SQL expression over the old columns (a renamed
    column: ``{"new_name": "old_name"}``); a column of the same name is copied
    as it is; any other new column takes its DEFAULT. The table's own indexes
    (CREATE INDEX) are made again, or ``indexes`` instead when given. Views and
    macros are not bound to a table: re-create those that name a changed column.
    ``create_sql`` and ``indexes`` are written for both engines as migrations are
    (``/*embedded: ... */``, see migration_sql); a lake has no indexes to keep.
    """
    column_map = column_map or {}
    lake_engine = on_lake(cur)
    old_columns = _columns(cur, table)
    if not old_columns:
        raise TrackerError(f"rebuild_table: there is no table {table}")
    own_indexes = cur.execute(
        "SELECT index_name, sql FROM duckdb_indexes() WHERE database_name = current_database()"
        " AND schema_name = 'main' AND table_name = ? AND sql IS NOT NULL",
        [table],
    ).fetchall()
    aside = f"{table}__before_rebuild"
    for index_name, _sql in own_indexes:
        cur.execute(f'DROP INDEX "{index_name}"')
    cur.execute(f'ALTER TABLE "{table}" RENAME TO "{aside}"')
    cur.execute(migration_sql(create_sql, lake=lake_engine))
    new_columns = _columns(cur, table)
    unknown = sorted(set(column_map) - set(new_columns))
    if not new_columns or unknown:
        raise TrackerError(f"rebuild_table: create_sql must create {table} with the columns {unknown} it maps")
    values = {
        column: column_map.get(column, f'"{column}"')
        for column in new_columns
        if column in column_map or column in old_columns
    }
    targets = ", ".join(f'"{column}"' for column in values)
    copied = cur.execute(
        f'INSERT INTO "{table}" ({targets}) SELECT {", ".join(values.values())} FROM "{aside}"'  # noqa: S608
    ).fetchone()[0]
    cur.execute(f'DROP TABLE "{aside}"')
    for statement in [sql for _name, sql in own_indexes] if indexes is None else indexes:
        if migration_sql(statement, lake=lake_engine).strip():
            cur.execute(migration_sql(statement, lake=lake_engine))
    return copied


# -- transactions and named queries --------------------------------------------


_writes = itertools.count(1)
_write_count = 0
Result = TypeVar("Result")

# How long a write refused for another session's concurrent commit is tried
# again, the fewest tries however long each takes (a long write, such as a big
# import, meets more commits of others than a short one), and the longest
# pause between two tries (each pause is random, up to twice the one before:
# two writers that met do not meet again).
RETRY_SECONDS = 10.0
RETRY_ATTEMPTS_AT_LEAST = 5
RETRY_PAUSE_MAX = 0.5
RETRY_FIRST_PAUSE = 0.01


def write_count() -> int:
    """How many transactions this process has committed through transaction()."""
    return _write_count


@dataclass
class RetryCounts:
    """What retry_on_conflict did in this process: writes tried again, and given up."""

    retried: int = 0
    gave_up: int = 0


retries = RetryCounts()


def is_conflict(error: BaseException) -> bool:
    """A write refused because another session wrote the same rows (embedded
    engine: at the statement) or the same table (lake: at COMMIT) first; the
    same write tried again from the start may well succeed."""
    return isinstance(error, duckdb.TransactionException) and "conflict" in str(error).lower()


def retry_on_conflict(
    attempt: Callable[[], Result],
    *,
    seconds: float | None = None,
    retryable: Callable[[BaseException], bool] = is_conflict,
) -> Result:
    """``attempt()``, tried again while it fails with a conflict (``retryable``: is_conflict),
    for ``seconds`` (RETRY_SECONDS) and at least RETRY_ATTEMPTS_AT_LEAST
    times, with random growing pauses; then the last conflict is raised as it
    is. ``attempt`` must start its transaction afresh, reading again
    everything it decides on."""
    deadline = time.monotonic() + (RETRY_SECONDS if seconds is None else seconds)
    pause = RETRY_FIRST_PAUSE
    for tries in itertools.count(1):
        try:
            return attempt()
        except Exception as error:
            if not retryable(error):
                raise
            if tries >= RETRY_ATTEMPTS_AT_LEAST and time.monotonic() + pause > deadline:
                retries.gave_up += 1
                raise
        retries.retried += 1
        time.sleep(random.uniform(0, pause))
        pause = min(pause * 2, RETRY_PAUSE_MAX)


@contextmanager
def transaction(con: duckdb.DuckDBPyConnection, *, changes_data: bool = True) -> Iterator[duckdb.DuckDBPyConnection]:
    """A cursor inside BEGIN ... COMMIT; any exception rolls everything back.
    Not retried (see run_in_transaction): for tools that are the only writer.

    ``changes_data=False`` is for bookkeeping no page shows (a session's last
    activity): its commit leaves the write count, and so every page cache, as is."""
    global _write_count
    cur = con.cursor()
    try:
        cur.execute("BEGIN TRANSACTION")
        try:
            yield cur
        except BaseException:
            _rollback(cur)
            raise
        # A refused COMMIT has ended the transaction already: nothing to roll back.
        cur.execute("COMMIT")
        if changes_data:
            _write_count = next(_writes)
    finally:
        cur.close()


def _rollback(cur: duckdb.DuckDBPyConnection) -> None:
    try:
        cur.execute("ROLLBACK")
    except duckdb.TransactionException as error:
        if "no transaction is active" not in str(error):
            raise


def run_in_transaction(con: duckdb.DuckDBPyConnection, body: Callable[[duckdb.DuckDBPyConnection], Result]) -> Result:
    """``body(cursor)`` in one transaction, committed; run again from the start
    while the write is refused for a conflict with another session's commit
    (retry_on_conflict). ``body`` reads what it decides on inside the
    transaction, so a run that comes after another writer sees that writer's
    rows: a stale version, a taken name or id then fails as it should."""

    def attempt() -> Result:
        with transaction(con) as cur:
            return body(cur)

    return retry_on_conflict(attempt)


@cache
def query_sql(name: str) -> str:
    if not _QUERY_NAME.match(name):
        raise QueryNotFound(name)
    path = QUERIES_DIR / f"{name}.sql"
    if not path.is_file():
        raise QueryNotFound(name)
    return path.read_text(encoding="utf-8")


def query_names() -> list[str]:
    return sorted(p.stem for p in QUERIES_DIR.glob("*.sql"))


def query(con: duckdb.DuckDBPyConnection, name: str, **params) -> pd.DataFrame:
    """Run ``queries/NAME.sql`` with ``$params`` and return a DataFrame.

    Only the parameters the query mentions are passed, so callers may hand
    over a common set (language, today, ...) without tailoring it.
    """
    sql = query_sql(name)
    used = {key: value for key, value in params.items() if re.search(rf"\${key}\b", sql)}
    cur = con.cursor()
    try:
        return cur.execute(sql, used).df()
    finally:
        cur.close()


def query_value(con: duckdb.DuckDBPyConnection, name: str, **params):
    """The single value of a one-row, one-column named query."""
    frame = query(con, name, **params)
    return None if frame.empty else frame.iat[0, 0]


def data_version(con: duckdb.DuckDBPyConnection) -> int:
    """Grows with every write, whichever process made it: on a lake its latest
    snapshot that changed data (a session's bookkeeping is left out, as on the
    file); on the file, which one process holds, the largest audit row id
    (every write appends an audit row)."""
    if on_lake(con):
        return lake.data_version(con)
    cur = con.cursor()
    try:
        return cur.execute("SELECT coalesce(max(id), 0) FROM audit_log").fetchone()[0]
    finally:
        cur.close()


def is_empty(con: duckdb.DuckDBPyConnection) -> bool:
    cur = con.cursor()
    try:
        return cur.execute("SELECT count(*) FROM organisations").fetchone()[0] == 0
    finally:
        cur.close()
