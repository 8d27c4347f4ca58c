"""The reference check the schema leaves to the write services (no foreign keys, see
migrations/0001_initial.sql): tests run it after writes."""

from pathlib import Path

import duckdb
import pandas as pd

ORPHAN_ROWS_SQL = Path(__file__).with_name("orphan_rows.sql")


def orphan_rows(con: duckdb.DuckDBPyConnection) -> pd.DataFrame:
    """Per relation, how many rows point at nothing (every relation listed, 0 when clean)."""
    cur = con.cursor()
    try:
        return cur.execute(ORPHAN_ROWS_SQL.read_text(encoding="utf-8")).df()
    finally:
        cur.close()
