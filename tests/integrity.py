"""The checks of what the schema leaves to the write services: references
(tests/orphan_rows.sql; no foreign keys, see migrations/0001_initial.sql) and
the rules a PRIMARY KEY, UNIQUE or CHECK states (tests/rule_violations.sql; a
lake holds none of them). The fixtures of tests/conftest.py run both after
every test that wrote to its database, on both engines."""

from pathlib import Path

import duckdb
import pandas as pd

ORPHAN_ROWS_SQL = Path(__file__).with_name("orphan_rows.sql")
RULE_VIOLATIONS_SQL = Path(__file__).with_name("rule_violations.sql")


def _run(con: duckdb.DuckDBPyConnection, path: Path) -> pd.DataFrame:
    cur = con.cursor()
    try:
        return cur.execute(path.read_text(encoding="utf-8")).df()
    finally:
        cur.close()


def orphan_rows(con: duckdb.DuckDBPyConnection) -> pd.DataFrame:
    """Per relation, how many rows point at nothing (every relation listed, 0 when clean)."""
    return _run(con, ORPHAN_ROWS_SQL)


def rule_violations(con: duckdb.DuckDBPyConnection) -> pd.DataFrame:
    """Per rule, how many stored rows break it (every rule listed, 0 when clean)."""
    return _run(con, RULE_VIOLATIONS_SQL)


def problems(con: duckdb.DuckDBPyConnection) -> dict[str, int]:
    """Every relation or rule with rows that break it, and how many; empty when the data is sound."""
    found = {}
    for frame in (orphan_rows(con), rule_violations(con)):
        for name, count in frame.itertuples(index=False):
            if count:
                found[name] = int(count)
    return found
