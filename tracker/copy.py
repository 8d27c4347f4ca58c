"""A whole database into a new one, on either engine: ``python -m tracker copy
--to TARGET``. A town whose file has grown too small for it moves to a lake in
one command (and a lake comes back to a file the same way).

The target gets its schema from the migrations, in its own engine's form (so a
file gets its constraints back), then every table's rows in one transaction,
then each table is compared with the source row for row (counts, and EXCEPT
ALL both ways). The target must be new or hold no data; the source is only
read. A file may be open in one process at a time: stop the app before
copying a file, in either direction.
"""

from __future__ import annotations

import time
from dataclasses import dataclass, field

import duckdb

from tracker import db, lake
from tracker.errors import TrackerError
from tracker.spreadsheet.exporter import database_tables

# Filled by the migrations themselves; the source's rows replace them.
_BOOKKEEPING = ("schema_migrations", "id_counters")


@dataclass
class CopyResult:
    tables: dict[str, int] = field(default_factory=dict)  # table -> rows copied
    differences: dict[str, tuple[int, int, int, int]] = field(default_factory=dict)
    schema_seconds: float = 0.0
    copy_seconds: float = 0.0
    verify_seconds: float = 0.0

    @property
    def rows(self) -> int:
        return sum(self.tables.values())

    @property
    def identical(self) -> bool:
        return not self.differences


def _quoted(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


def _literal(text: str) -> str:
    return "'" + text.replace("'", "''") + "'"


def _attach(con: duckdb.DuckDBPyConnection, target: str, alias: str, *, read_only: bool) -> None:
    options = " (READ_ONLY)" if read_only else ""
    con.execute(f"ATTACH {_literal(target)} AS {alias}{options}")


def copy_database(source: str, target: str) -> CopyResult:
    """Copy every table of ``source`` (current schema) into ``target`` (new, or
    without data), and check the copy row for row."""
    if db.is_lake(source) == db.is_lake(target) and source == target:
        raise TrackerError("the source and the target are the same database")
    result = CopyResult()
    started = time.perf_counter()
    db.connect(source).close()  # refuses a source behind this code, or missing
    target_con = db.connect(target, migrate=True)
    try:
        tables = database_tables(target_con)
        filled = [t for t in tables if t not in _BOOKKEEPING and _count(target_con, t)]
        if filled:
            raise TrackerError(f"{lake.shown(target)} already holds data (in {', '.join(filled)}): copy into a new one")
    finally:
        target_con.close()
    result.schema_seconds = time.perf_counter() - started

    if db.is_lake(source) or db.is_lake(target):
        lake.ensure_extensions()
    con = duckdb.connect(config=lake.config())
    try:
        _attach(con, source, "source", read_only=True)
        _attach(con, target, "target", read_only=False)
        lake.prepare_storage(con, ["source", "target"])
        source_tables = set(database_tables_of(con, "source"))
        missing = sorted(set(tables) - source_tables)
        extra = sorted(source_tables - set(tables))
        if missing or extra:
            raise TrackerError(f"the source's tables differ from the target's: missing {missing}, extra {extra}")
        started = time.perf_counter()
        con.execute("BEGIN TRANSACTION")
        try:
            for table in tables:
                name = _quoted(table)
                if table in _BOOKKEEPING:
                    con.execute(f"DELETE FROM target.main.{name}")  # noqa: S608
                # Table names come from the catalogue and are quoted.
                copied = con.execute(
                    f"INSERT INTO target.main.{name} BY NAME SELECT * FROM source.main.{name}"  # noqa: S608
                ).fetchone()[0]
                result.tables[table] = copied
        except BaseException:
            con.execute("ROLLBACK")
            raise
        con.execute("COMMIT")
        result.copy_seconds = time.perf_counter() - started
        started = time.perf_counter()
        for table in tables:
            counts = _compare(con, table)
            if counts[0] != counts[1] or counts[2] or counts[3]:
                result.differences[table] = counts
        result.verify_seconds = time.perf_counter() - started
    finally:
        con.close()
    return result


def _compare(con: duckdb.DuckDBPyConnection, table: str) -> tuple[int, int, int, int]:
    """(rows in the source, rows in the target, source rows the target lacks, target rows the source lacks)."""
    columns = ", ".join(
        _quoted(name)
        for name in db.first_values(
            con,
            "SELECT column_name FROM duckdb_columns() WHERE database_name = 'target' AND schema_name = 'main'"
            " AND table_name = ? ORDER BY column_index",
            [table],
        )
    )
    source, target = f"source.main.{_quoted(table)}", f"target.main.{_quoted(table)}"
    # Names come from the catalogue and are quoted; each side is read once (a lake pays per scan).
    return con.execute(
        f"""WITH
            source_rows AS MATERIALIZED (SELECT {columns} FROM {source}),
            target_rows AS MATERIALIZED (SELECT {columns} FROM {target})
        SELECT
            (SELECT count(*) FROM source_rows),
            (SELECT count(*) FROM target_rows),
            (SELECT count(*) FROM (FROM source_rows EXCEPT ALL FROM target_rows)),
            (SELECT count(*) FROM (FROM target_rows EXCEPT ALL FROM source_rows))"""  # noqa: S608
    ).fetchone()


def database_tables_of(con: duckdb.DuckDBPyConnection, database: str) -> list[str]:
    return db.first_values(
        con,
        "SELECT table_name FROM duckdb_tables() WHERE database_name = ? AND schema_name = 'main'"
        " AND NOT temporary ORDER BY table_name",
        [database],
    )


def _count(con: duckdb.DuckDBPyConnection, table: str) -> int:
    cur = con.cursor()
    try:
        return cur.execute(f"SELECT count(*) FROM {_quoted(table)}").fetchone()[0]  # noqa: S608
    finally:
        cur.close()
