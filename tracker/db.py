"""Every database access goes through this module.

Connections, migrations (numbered files in ``migrations/``, each applied once
in a transaction and recorded in ``schema_migrations``), named queries (one
SELECT per file in ``queries/``) and the transaction helper used by every
write service.
"""

from __future__ import annotations

import itertools
import os
import re
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime
from functools import cache
from pathlib import Path

import duckdb
import pandas as pd

from tracker.errors import QueryNotFound, TrackerError

ROOT = Path(__file__).resolve().parent.parent
MIGRATIONS_DIR = ROOT / "migrations"
QUERIES_DIR = ROOT / "queries"
DEFAULT_DB_PATH = ROOT / "data" / "tracker.duckdb"

_MIGRATION_NAME = re.compile(r"^(\d{4})_[a-z0-9_]+\.sql$")
_QUERY_NAME = re.compile(r"^[a-z0-9_]+$")


def utcnow() -> datetime:
    """Naive UTC timestamp, the form every TIMESTAMP column holds."""
    return datetime.now(UTC).replace(tzinfo=None)


def db_path(explicit: str | os.PathLike | None = None) -> str:
    """The database to use: an explicit path, else $TRACKER_DB, else the default."""
    if explicit:
        return str(explicit)
    return os.environ.get("TRACKER_DB") or str(DEFAULT_DB_PATH)


def connect(path: str | os.PathLike | None = None, *, migrate: bool = True) -> duckdb.DuckDBPyConnection:
    """Open the database (creating the file if needed) and apply pending migrations."""
    target = db_path(path)
    if target != ":memory:":
        Path(target).parent.mkdir(parents=True, exist_ok=True)
    con = duckdb.connect(target)
    if migrate:
        apply_migrations(con)
    return con


def migration_files() -> list[Path]:
    files = sorted(p for p in MIGRATIONS_DIR.glob("*.sql") if _MIGRATION_NAME.match(p.name))
    numbers = [p.name[:4] for p in files]
    if len(numbers) != len(set(numbers)):
        raise TrackerError(f"two migrations share a number: {numbers}")
    return files


def applied_migrations(con: duckdb.DuckDBPyConnection) -> list[str]:
    con.execute(
        "CREATE TABLE IF NOT EXISTS schema_migrations ( name VARCHAR PRIMARY KEY, applied_at TIMESTAMP NOT NULL)"
    )
    return [row[0] for row in con.execute("SELECT name FROM schema_migrations ORDER BY name").fetchall()]


def apply_migrations(con: duckdb.DuckDBPyConnection) -> list[str]:
    """Apply every migration not yet recorded; return the names applied now."""
    done = set(applied_migrations(con))
    applied = []
    for path in migration_files():
        if path.name in done:
            continue
        with transaction(con) as cur:
            cur.execute(path.read_text(encoding="utf-8"))
            cur.execute("INSERT INTO schema_migrations VALUES (?, ?)", [path.name, utcnow()])
        applied.append(path.name)
    return applied


_writes = itertools.count(1)
_write_count = 0


def write_count() -> int:
    """How many transactions this process has committed through transaction()."""
    return _write_count


@contextmanager
def transaction(con: duckdb.DuckDBPyConnection) -> Iterator[duckdb.DuckDBPyConnection]:
    """A cursor inside BEGIN ... COMMIT; any exception rolls everything back."""
    global _write_count
    cur = con.cursor()
    cur.execute("BEGIN TRANSACTION")
    try:
        yield cur
    except BaseException:
        cur.execute("ROLLBACK")
        cur.close()
        raise
    cur.execute("COMMIT")
    cur.close()
    _write_count = next(_writes)


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
    """Grows with every write (every write appends an audit row)."""
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
