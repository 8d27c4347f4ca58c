import re
import subprocess
import sys
from pathlib import Path

import duckdb
import pytest

from tests.conftest import ROOT
from tests.integrity import ORPHAN_ROWS_SQL, RULE_VIOLATIONS_SQL, orphan_rows, rule_violations
from tracker import db
from tracker.errors import QueryNotFound
from tracker.write.ids import allocate_id


def test_migrations_apply_once_and_are_recorded(new_db_path):
    path = new_db_path
    con = db.open_file(path)
    first = db.apply_migrations(con)
    assert first == [m.name for m in db.migrations()]
    assert db.apply_migrations(con) == []
    assert db.applied_migrations(con) == first
    con.close()
    # reconnecting (as every app start does) applies nothing again
    con = db.connect(path)
    assert db.applied_migrations(con) == first
    con.close()


def test_a_failing_migration_leaves_nothing_behind(tmp_path, new_db_path, monkeypatch):
    migrations = tmp_path / "migrations"
    migrations.mkdir()
    (migrations / "0001_ok.sql").write_text("CREATE TABLE a (x INTEGER);")
    (migrations / "0002_broken.sql").write_text("CREATE TABLE b (x INTEGER); SELECT * FROM no_such_table;")
    monkeypatch.setattr(db, "MIGRATIONS_DIR", migrations)
    con = db.open_file(new_db_path)
    with pytest.raises(duckdb.CatalogException):
        db.apply_migrations(con)
    assert db.applied_migrations(con) == ["0001_ok.sql"]
    tables = {
        row[0]
        for row in con.execute(
            "SELECT table_name FROM information_schema.tables WHERE table_catalog = current_database()"
        ).fetchall()
    }
    assert "a" in tables and "b" not in tables


def test_unknown_query_name_is_a_clear_error(con):
    with pytest.raises(QueryNotFound, match="no query named 'no_such_query'"):
        db.query(con, "no_such_query")
    with pytest.raises(QueryNotFound):
        db.query(con, "../migrations/0001_initial")


def test_every_query_file_has_a_leading_comment_naming_its_parameters():
    for name in db.query_names():
        sql = db.query_sql(name)
        assert sql.startswith("--"), f"{name}.sql must begin with a comment saying what it returns"
        header = "\n".join(line for line in sql.splitlines() if line.startswith("--"))
        for param in set(__import__("re").findall(r"\$([a-z_]+)", sql)):
            assert f"${param}" in header, f"{name}.sql: ${param} is not described in its leading comment"


@pytest.mark.unchecked_data
@pytest.mark.parametrize(
    ("statement", "rule"),
    [
        ("UPDATE measures SET progress = 101 WHERE code = '6.1'", "measures.progress 0-100"),
        ("UPDATE measures SET status = 'finished' WHERE code = '6.1'", "measures.status known"),
        ("UPDATE budget_lines SET planned_eur = -1 WHERE true", "budget_lines.planned_eur not negative"),
        (
            "UPDATE measures SET end_date = DATE '2000-01-01' WHERE code = '6.1'",
            "measures.end_date not before start_date",
        ),
        (
            "INSERT INTO budget_lines (id, measure_id, year, cost_centre_id, planned_eur)"
            " SELECT (SELECT next_id FROM id_counters WHERE table_name = 'budget_lines'),"
            " measure_id, year, cost_centre_id, 1 FROM budget_lines LIMIT 1",
            "budget_lines.(measure_id, year, cost_centre_id) unique",
        ),
        ("UPDATE emission_rows SET year = 1989 WHERE true", "emission_rows.year in range"),
        (
            "INSERT INTO indicator_goals SELECT * FROM indicator_goals LIMIT 1",
            "indicator_goals.(indicator_id, year, month) unique",
        ),
        ("UPDATE indicators SET direction = 'sideways' WHERE true", "indicators.direction known"),
    ],
)
def test_a_bad_row_the_file_refuses_the_lake_stores_and_the_rule_check_finds(demo_con, databases, statement, rule):
    """The embedded file keeps its constraints as a second line of defence; a
    lake has none, so the write layer checks every rule itself and the tests
    check what is stored (tests/rule_violations.sql)."""
    if not databases.lake:
        with pytest.raises(duckdb.ConstraintException):
            demo_con.execute(statement)
        return
    assert rule_violations(demo_con).set_index("rule")["violations"][rule] == 0
    demo_con.execute(statement)
    assert rule_violations(demo_con).set_index("rule")["violations"][rule] > 0


def test_every_rule_of_the_schema_and_every_id_counter_is_in_the_rule_check(con, databases):
    """tests/rule_violations.sql states every PRIMARY KEY, UNIQUE and CHECK of the
    embedded file's tables (the lake holds none, so they are read from the file):
    a key as "<table>.<column> unique" or "<table>.(<column>, ...) unique", a CHECK
    by a rule of its table that names each of its columns; and it compares every
    table's largest id with its id counter."""
    counters = {row[0] for row in con.execute("SELECT table_name FROM id_counters").fetchall()}
    compared = set(re.findall(r'max\(id\) AS "(\w+) max id"', RULE_VIOLATIONS_SQL.read_text()))
    assert counters - compared == set(), "id counters whose table's largest id the rule check does not compare"
    constraints = con.execute(
        "SELECT table_name, constraint_type, constraint_column_names FROM duckdb_constraints()"
        " WHERE database_name = current_database() AND constraint_type IN ('PRIMARY KEY', 'UNIQUE', 'CHECK')"
        " ORDER BY ALL"
    ).fetchall()
    if databases.lake:
        assert constraints == [], "a lake holds no PRIMARY KEY, UNIQUE or CHECK: they go inside /*embedded: */"
        return
    assert {table for table, _, _ in constraints} >= {"measures", "sessions", "feedback", "emission_rows"}
    rules = rule_violations(con)["rule"].tolist()
    missing = []
    for table, kind, columns in constraints:
        names = [rule.removeprefix(f"{table}.") for rule in rules if rule.startswith(f"{table}.")]
        if kind == "CHECK":
            checks = [name for name in names if not name.endswith(" unique")]
            found = all(any(re.search(rf"\b{column}\b", name) for name in checks) for column in set(columns))
        else:
            key = columns[0] if len(columns) == 1 else f"({', '.join(columns)})"
            found = f"{key} unique" in names
        if not found:
            missing.append(f"{table}: {kind} ({', '.join(dict.fromkeys(columns))})")
    assert missing == [], f"constraints without a rule in tests/rule_violations.sql: {missing}"


def test_money_is_decimal_not_float(con):
    types = dict(
        con.execute(
            "SELECT column_name, data_type FROM information_schema.columns WHERE table_name = 'budget_lines'"
        ).fetchall()
    )
    assert types["planned_eur"] == "DECIMAL(14,2)"
    assert types["actual_eur"] == "DECIMAL(14,2)"


def test_data_version_grows_with_writes(demo_con):
    before = db.data_version(demo_con)
    demo_con.execute(
        "INSERT INTO audit_log (id, occurred_at, actor, action, entity)"
        " VALUES (?, current_localtimestamp(), 't', 'x', 'y')",
        [allocate_id(demo_con, "audit_log")],
    )
    assert db.data_version(demo_con) > before


# Pages of every app server are cached on the data version: another process's
# write must move it (a session's bookkeeping does not: tests/test_sessions.py).
@pytest.mark.lake_only
def test_a_write_by_another_process_moves_the_data_version(con):
    version = db.data_version(con)
    done = subprocess.run(
        [sys.executable, "-m", "tracker", "users", "add", "other@x.example", "--role", "viewer"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    assert done.returncode == 0, done.stderr[-3000:]
    assert db.data_version(con) > version


def test_every_named_query_is_run_by_some_test():
    tests = "\n".join(path.read_text(encoding="utf-8") for path in Path(__file__).parent.rglob("*.py"))
    untested = [name for name in db.query_names() if f'"{name}"' not in tests]
    assert untested == [], f"queries without a test: {untested}"


def test_demo_data_has_no_orphan_rows(demo_con):
    orphans = orphan_rows(demo_con)
    relations = re.findall(r"^(?:UNION ALL )?SELECT '", ORPHAN_ROWS_SQL.read_text(encoding="utf-8"), re.MULTILINE)
    assert len(orphans) == len(relations)  # every relation
    assert orphans[orphans["orphans"] > 0].empty, orphans


@pytest.mark.unchecked_data
def test_orphan_check_finds_a_dangling_reference(demo_con):
    demo_con.execute(
        "INSERT INTO status_events (id, measure_id, occurred_at, new_status, new_progress)"
        " VALUES (?, 999999, current_localtimestamp(), 'done', 100)",
        [allocate_id(demo_con, "status_events")],
    )
    orphans = orphan_rows(demo_con).set_index("relation")["orphans"]
    assert orphans["status_events.measure_id"] == 1


def test_a_measure_can_be_renamed_and_moved_although_events_point_at_it(demo_con):
    other_theme = demo_con.execute("SELECT id FROM themes WHERE position = 1").fetchone()[0]
    demo_con.execute("UPDATE measures SET code = '6.1a', theme_id = ? WHERE code = '6.1'", [other_theme])
    assert demo_con.execute("SELECT count(*) FROM measures WHERE code = '6.1a'").fetchone()[0] == 1
