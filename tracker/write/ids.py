"""The one id allocator. Every row with an id gets it here, never from a
sequence or a column default (DuckLake has neither, and max(id) + 1 would hand
two concurrent appends the same id).

``id_counters`` (migration 0003) holds the next id of each table. Taking a
block updates that row inside the caller's transaction: a second writer
taking ids of the same table at the same time conflicts on the row and is
refused and runs again from the start (``base.in_transaction``), so no id is
given twice.
"""

from __future__ import annotations

import duckdb

from tracker.errors import TrackerError


def allocate_ids(cur: duckdb.DuckDBPyConnection, table: str, count: int = 1) -> range:
    """``count`` new ids of ``table``, in the transaction open on ``cur``."""
    if count < 0:
        raise ValueError("count must not be negative")
    if count == 0:
        return range(0)
    cur.execute("UPDATE id_counters SET next_id = next_id + ? WHERE table_name = ?", [count, table])
    row = cur.execute("SELECT next_id FROM id_counters WHERE table_name = ?", [table]).fetchone()
    if row is None:
        raise TrackerError(f"no id counter for table {table!r}: its migration must add one to id_counters")
    end = int(row[0])
    return range(end - count, end)


def allocate_id(cur: duckdb.DuckDBPyConnection, table: str) -> int:
    return allocate_ids(cur, table, 1)[0]
