"""The database connection routes use: one per process and database, opened
without migrating (the app never migrates; ``python -m tracker migrate`` does).

Pages hold their own cached connection (ui.data); DuckDB hands both the same
database instance, so a route sees every write a page made and vice versa.
"""

from __future__ import annotations

from functools import cache

import duckdb

from tracker import db


@cache
def _connection(path: str) -> duckdb.DuckDBPyConnection:
    return db.connect(path)


def connection() -> duckdb.DuckDBPyConnection:
    """The process's connection to the configured database; take a cursor per call."""
    return _connection(db.db_path())
