"""The second storage engine: DuckLake with its catalog in PostgreSQL and its
data files in a folder or an S3-compatible bucket.

``TRACKER_DB=ducklake:postgres:<libpq conninfo>`` names the lake; the first
``init`` or ``migrate`` creates its catalog with the data files at
``TRACKER_DATA_PATH``, which the catalog then remembers. DuckDB still runs every
query: the lake is the connection's own database (``duckdb.connect(target)``),
so every cursor sees it and ``queries/*.sql`` run unchanged.

The DuckDB extensions come from their PyPI packages (duckdb-extension-*, pinned
in requirements.txt): each package file is installed once into an extension
folder of the app's own and loaded from there. Nothing is ever downloaded:
``autoinstall_known_extensions`` is off, so a missing extension is an error at
once, not a request to the internet.
"""

from __future__ import annotations

import importlib.util
import os
import re
import sys
import threading
from pathlib import Path

import duckdb

from tracker.errors import DatabaseUnavailable, SchemaBehind, TrackerError

PREFIX = "ducklake:"
POSTGRES_PREFIX = "ducklake:postgres:"
# the extensions a lake needs, and those an S3 data path needs besides
LAKE_EXTENSIONS = ("ducklake", "postgres")
S3_EXTENSIONS = ("httpfs", "aws")
# the name an extension's binary answers to, where it differs from its package's
_BINARY_NAMES = {"postgres": "postgres_scanner"}

_installed: set[str] = set()
_install_lock = threading.Lock()


def is_lake(target: str | os.PathLike) -> bool:
    return str(target).startswith(PREFIX)


def conninfo(target: str) -> str:
    """The libpq conninfo of a lake target (``ducklake:postgres:<conninfo>``)."""
    if not target.startswith(POSTGRES_PREFIX):
        raise TrackerError(
            f"{shown(target)}: a lake is named ducklake:postgres:<libpq conninfo>"
            " (e.g. ducklake:postgres:dbname=tracker host=127.0.0.1 user=tracker)"
        )
    return target.removeprefix(POSTGRES_PREFIX)


_SECRET = re.compile(r"(password\s*=\s*)('(?:[^'\\]|\\.)*'|\S+)", re.IGNORECASE)


def shown(target: str | os.PathLike) -> str:
    """The target as a message may show it: a password in the conninfo is masked."""
    return _SECRET.sub(r"\1***", str(target))


def extension_directory() -> Path:
    """Where the extensions are installed: $TRACKER_EXTENSION_DIR, else beside the Python environment."""
    return Path(os.environ.get("TRACKER_EXTENSION_DIR") or Path(sys.prefix) / "duckdb_extensions")


def config() -> dict[str, str]:
    """The DuckDB configuration of every lake connection: extensions from our folder, never downloaded."""
    return {
        "extension_directory": str(extension_directory()),
        "autoinstall_known_extensions": "false",
        "autoload_known_extensions": "true",
    }


def extension_file(name: str) -> Path:
    """The extension's file inside its PyPI package (duckdb-extension-NAME, same version as duckdb)."""
    package = f"duckdb-extension-{name}=={duckdb.__version__}"
    spec = importlib.util.find_spec(f"duckdb_extension_{name}")
    if spec is None or not spec.submodule_search_locations:
        raise TrackerError(f"the DuckDB extension {name} is not installed: pip install {package}")
    folder = Path(next(iter(spec.submodule_search_locations)))
    path = folder / "extensions" / f"v{duckdb.__version__}" / f"{name}.duckdb_extension"
    if not path.is_file():
        raise TrackerError(
            f"{path} is missing: the installed extension package does not match duckdb; pip install {package}"
        )
    return path


def _installed_file(name: str) -> Path:
    platform = duckdb.execute("PRAGMA platform").fetchone()[0]
    binary = _BINARY_NAMES.get(name, name)
    return extension_directory() / f"v{duckdb.__version__}" / platform / f"{binary}.duckdb_extension"


def ensure_extensions(names: tuple[str, ...] = LAKE_EXTENSIONS) -> None:
    """Install each extension from its package file into the extension folder,
    once per folder (the copy is skipped when it is already there)."""
    wanted = [name for name in names if name not in _installed]
    if not wanted:
        return
    with _install_lock:
        boot = None
        try:
            for name in wanted:
                source = extension_file(name)
                copy = _installed_file(name)
                if not (copy.is_file() and copy.stat().st_size == source.stat().st_size):
                    boot = boot or duckdb.connect(config=config())
                    boot.install_extension(str(source), force_install=True)
                _installed.add(name)
        finally:
            if boot is not None:
                boot.close()


def data_path() -> str | None:
    """$TRACKER_DATA_PATH: the folder or ``s3://bucket/prefix`` of a new lake's data files."""
    return os.environ.get("TRACKER_DATA_PATH") or None


def _is_s3(path: str | None) -> bool:
    return bool(path) and path.startswith(("s3://", "s3a://"))


def _literal(text: str) -> str:
    return "'" + text.replace("'", "''") + "'"


def _prepare_s3(con: duckdb.DuckDBPyConnection) -> None:
    """Credentials for an S3 data path the usual AWS way (environment, ~/.aws, instance role)."""
    ensure_extensions(S3_EXTENSIONS)
    con.execute("LOAD httpfs")
    con.execute("LOAD aws")
    options = ["TYPE s3", "PROVIDER credential_chain"]
    endpoint = os.environ.get("AWS_ENDPOINT_URL_S3") or os.environ.get("AWS_ENDPOINT_URL")
    if endpoint:  # an S3-compatible store other than AWS (MinIO, Ceph, ...)
        scheme, _, host = endpoint.partition("://")
        options += [f"ENDPOINT {_literal(host.rstrip('/'))}", "URL_STYLE 'path'"]
        if scheme == "http":
            options.append("USE_SSL false")
    con.execute(f"CREATE OR REPLACE SECRET tracker_s3 ({', '.join(options)})")


def _unavailable(target: str, error: duckdb.Error) -> DatabaseUnavailable:
    reason = str(error).splitlines()[0] if str(error) else type(error).__name__
    return DatabaseUnavailable(f"cannot open the lake {shown(target)}: {error}", path=shown(target), reason=reason)


def _not_created(target: str) -> SchemaBehind:
    return SchemaBehind(f"no lake at {shown(target)}", key="db.not_set_up", path=shown(target))


def connect(target: str, *, create: bool = False) -> duckdb.DuckDBPyConnection:
    """The lake as a DuckDB connection whose own database it is.

    With ``create`` a lake that does not exist yet gets its catalog, with the
    data files at $TRACKER_DATA_PATH; without it a missing lake raises
    SchemaBehind (``db.not_set_up``), as a missing file does. A lake whose
    catalog cannot be reached raises DatabaseUnavailable.
    """
    conninfo(target)
    ensure_extensions()
    wanted_path = data_path()
    if _is_s3(wanted_path):
        ensure_extensions(S3_EXTENSIONS)
    try:
        con = duckdb.connect(target, config=config())
    except duckdb.Error as error:
        if "data_path is not set" not in str(error):
            raise _unavailable(target, error) from error
        if not create:
            raise _not_created(target) from error
        _create(target, wanted_path)
        con = duckdb.connect(target, config=config())
    try:
        stored = stored_data_path(con)
        if wanted_path and _normalised(wanted_path) != _normalised(stored):
            raise DatabaseUnavailable(
                f"TRACKER_DATA_PATH {wanted_path} is not the data path {stored} of {shown(target)}",
                key="db.data_path_mismatch",
                path=shown(target),
                given=wanted_path,
                stored=stored,
            )
        if _is_s3(stored):
            _prepare_s3(con)
    except BaseException:
        con.close()
        raise
    return con


def _normalised(path: str) -> str:
    if _is_s3(path):
        return path.rstrip("/")
    return str(Path(path).resolve())


def _create(target: str, path: str | None) -> None:
    if not path:
        raise SchemaBehind(
            f"the lake {shown(target)} does not exist yet: set TRACKER_DATA_PATH for its first init or migrate",
            key="db.lake_needs_data_path",
            path=shown(target),
        )
    if not _is_s3(path):
        Path(path).mkdir(parents=True, exist_ok=True)
        path = str(Path(path).resolve()) + "/"
    boot = duckdb.connect(config=config())
    try:
        if _is_s3(path):
            _prepare_s3(boot)
        boot.execute(f"ATTACH {_literal(target)} AS new_lake (DATA_PATH {_literal(path)})")
    except duckdb.Error as error:
        raise _unavailable(target, error) from error
    finally:
        boot.close()


def stored_data_path(con: duckdb.DuckDBPyConnection) -> str:
    """Where the lake keeps its data files, as its catalog records."""
    cur = con.cursor()
    try:
        database = cur.execute("SELECT current_database()").fetchone()[0]
        return _option(cur, database, "data_path")
    finally:
        cur.close()


def prepare_storage(con: duckdb.DuckDBPyConnection, databases: list[str]) -> None:
    """S3 credentials on ``con`` when one of its attached ``databases`` is a lake in a bucket."""
    cur = con.cursor()
    try:
        lakes = [
            row[0]
            for row in cur.execute(
                "SELECT database_name FROM duckdb_databases() WHERE type = 'ducklake'"
                " AND list_contains(?, database_name)",
                [databases],
            ).fetchall()
        ]
        if any(_is_s3(_option(cur, name, "data_path")) for name in lakes):
            _prepare_s3(con)
    finally:
        cur.close()


def _option(cur: duckdb.DuckDBPyConnection, database: str, name: str) -> str:
    row = cur.execute("SELECT value FROM ducklake_options(?) WHERE option_name = ?", [database, name]).fetchone()
    return row[0] if row else ""


def maintain(con: duckdb.DuckDBPyConnection, keep_days: int) -> dict[str, int]:
    """DuckLake's upkeep, in the order its documentation gives: small inserts
    kept in the catalog written out as files, small files merged, snapshots
    older than ``keep_days`` expired (time travel reaches back that far), and
    the files no snapshot needs any more deleted. Returns what each step did."""
    keep_days = int(keep_days)
    if keep_days < 0:
        raise ValueError("keep_days must not be negative")
    older = f"older_than => now() - INTERVAL {keep_days} DAY"
    steps = {
        "tables_flushed": "ducklake_flush_inlined_data(current_database())",
        "files_merged": "ducklake_merge_adjacent_files(current_database())",
        "snapshots_expired": f"ducklake_expire_snapshots(current_database(), {older})",
        "files_deleted": f"ducklake_cleanup_old_files(current_database(), {older})",
        "orphans_deleted": f"ducklake_delete_orphaned_files(current_database(), {older})",
    }
    cur = con.cursor()
    try:
        # The calls are DuckLake's own functions; the number of days is an int.
        return {name: cur.execute(f"SELECT count(*) FROM {call}").fetchone()[0] for name, call in steps.items()}  # noqa: S608
    finally:
        cur.close()


# The lake's data version leaves out the snapshots of a signed-in session's
# bookkeeping (tracker/write/sessions.py: its last activity in sessions, the
# sign-in throttle, hand-offs, known browsers): rows no page shows, committed
# without an audit row. On the file such a commit leaves the data version
# (max(audit_log.id)) as it is; on a lake it makes a snapshot like any commit.
#
# The catalog lists what each snapshot did (ducklake_snapshot_changes.changes_made,
# comma-separated kind:table_id entries). A snapshot whose every entry is rows
# inserted into or deleted from one of those tables is bookkeeping; any other
# entry (another table, a table created, altered, compacted, ...) is data.
# Run in PostgreSQL itself (postgres_query), the query walks the snapshots back
# from the newest along their primary key and stops at the first that changed
# data: one round trip, and a walk only as long as the bookkeeping since the
# last write. When snapshot expiry has removed every snapshot that changed
# data, the oldest snapshot kept stands in: no smaller than the version seen
# before, and smaller than any later write's.
_DATA_SNAPSHOT_SQL = """
SELECT coalesce(
    (SELECT c.snapshot_id FROM ducklake_snapshot_changes AS c
     WHERE NOT string_to_array(c.changes_made, ',') <@ ARRAY(
         SELECT kind || ':' || t.table_id
         FROM ducklake_table AS t,
             unnest(ARRAY['inlined_insert', 'inlined_delete', 'inserted_into_table', 'deleted_from_table']) AS kind
         WHERE t.table_name IN ('sessions', 'sign_in_throttle', 'sign_in_handoffs', 'known_browsers'))
     ORDER BY c.snapshot_id DESC LIMIT 1),
    (SELECT min(snapshot_id) FROM ducklake_snapshot)) AS version
"""


def data_version(con: duckdb.DuckDBPyConnection) -> int:
    """The lake's latest snapshot that changed data: a commit of any process
    moves it, except one that only wrote a session's bookkeeping, so browsing
    empties no page cache. Read on a fresh cursor, outside any transaction,
    so each read sees the catalog as it is then."""
    cur = con.cursor()
    try:
        # DuckLake reaches its catalog as this attached PostgreSQL database.
        return cur.execute(
            "SELECT version FROM postgres_query('__ducklake_metadata_' || current_database(), ?)", [_DATA_SNAPSHOT_SQL]
        ).fetchone()[0]
    finally:
        cur.close()
