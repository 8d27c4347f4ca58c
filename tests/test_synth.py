"""Synthetic municipalities: sizes in range, deterministic, every constraint and chain holds."""

import duckdb
import pytest

from tracker import cli, db, write
from tracker.auth import SYSTEM
from tracker.demo import synth

TABLES = (
    "organisations",
    "cost_centres",
    "decisions",
    "programmes",
    "themes",
    "measures",
    "status_events",
    "budget_lines",
    "measure_decisions",
    "indicators",
    "indicator_values",
    "measure_indicators",
)


@pytest.fixture(scope="module")
def small(tmp_path_factory):
    path = tmp_path_factory.mktemp("synth") / "small.duckdb"
    con = db.connect(path, migrate=True)
    summary = synth.build(con, municipalities=4, seed=7)
    yield con, summary
    con.close()


def table_fingerprint(con, table: str):
    """An order-independent digest of every column of a table."""
    return con.execute(f"SELECT count(*), sum(hash(COLUMNS(*))) FROM {table}").fetchall()


def test_sizes_are_in_the_ranges_of_the_issue(small):
    con, summary = small
    assert summary.organisations == 4
    per_org = con.execute(
        "SELECT count(DISTINCT t.id), count(DISTINCT m.id) FROM programmes p"
        " JOIN themes t ON t.programme_id = p.id JOIN measures m ON m.programme_id = p.id GROUP BY p.id"
    ).fetchall()
    assert len(per_org) == 4
    for themes, measures in per_org:
        assert 6 <= themes <= 8
        assert 80 <= measures <= 250
    events_per_measure = summary.status_events / summary.measures
    assert 8 <= events_per_measure <= 16
    lines = con.execute("SELECT min(c), max(c) FROM (SELECT count(*) c FROM budget_lines GROUP BY measure_id)")
    assert lines.fetchone() == (4, 6)
    years = con.execute("SELECT min(year(occurred_at)), max(year(occurred_at)) FROM status_events").fetchone()
    assert years == (2021, 2026)
    assert con.execute("SELECT count(*) FROM measure_decisions").fetchone()[0] > 0
    assert con.execute("SELECT count(DISTINCT indicator_id) FROM indicator_values").fetchone()[0] == 4


def test_status_mix_is_realistic(small):
    con, _ = small
    shares = dict(con.execute("SELECT status, count(*) / sum(count(*)) OVER () FROM measures GROUP BY 1").fetchall())
    assert set(shares) == {"not_started", "in_progress", "late", "done", "postponed", "cancelled"}
    assert 0.1 < shares["done"] < 0.5
    assert shares["in_progress"] > shares["cancelled"]
    # some measures are stale (not updated for half a year), most are not
    stale = con.execute(
        "SELECT avg((date_diff('day', updated_at, DATE '2026-11-28') > 180)::INTEGER) FROM measures"
    ).fetchone()[0]
    assert 0.02 < stale < 0.5


def test_every_event_chain_ends_on_the_measure_status_and_progress(small):
    con, _ = small
    mismatches = con.execute(
        """
        WITH last AS (
            SELECT measure_id, arg_max(new_status, (occurred_at, id)) AS status,
                arg_max(new_progress, (occurred_at, id)) AS progress, max(occurred_at) AS at, count(*) AS events
            FROM status_events GROUP BY measure_id)
        SELECT count(*) FROM measures m LEFT JOIN last l ON l.measure_id = m.id
        WHERE l.measure_id IS NULL OR m.status <> l.status OR m.progress <> l.progress
            OR m.updated_at <> l.at OR m.version <> l.events
        """
    ).fetchone()[0]
    assert mismatches == 0


def test_each_event_starts_where_the_previous_one_ended(small):
    con, _ = small
    broken = con.execute(
        """
        SELECT count(*) FROM (
            SELECT *, lag(new_status) OVER w AS prev_status, lag(new_progress) OVER w AS prev_progress,
                lag(occurred_at) OVER w AS prev_at
            FROM status_events WINDOW w AS (PARTITION BY measure_id ORDER BY occurred_at, id))
        WHERE old_status IS DISTINCT FROM prev_status OR old_progress IS DISTINCT FROM prev_progress
            OR occurred_at <= prev_at OR new_progress < prev_progress
        """
    ).fetchone()[0]
    assert broken == 0


def test_budget_lines_and_cost_centres_belong_to_the_same_organisation(small):
    con, _ = small
    foreign = con.execute(
        "SELECT count(*) FROM budget_lines b JOIN measures m ON m.id = b.measure_id"
        " JOIN programmes p ON p.id = m.programme_id JOIN cost_centres c ON c.id = b.cost_centre_id"
        " WHERE c.organisation_id <> p.organisation_id"
    ).fetchone()[0]
    assert foreign == 0
    foreign_decisions = con.execute(
        "SELECT count(*) FROM measure_decisions md JOIN measures m ON m.id = md.measure_id"
        " JOIN programmes p ON p.id = m.programme_id JOIN decisions d ON d.id = md.decision_id"
        " WHERE d.organisation_id <> p.organisation_id"
    ).fetchone()[0]
    assert foreign_decisions == 0


def test_the_write_ends_with_an_audit_row_and_the_app_can_keep_inserting(small):
    con, summary = small
    action, after = con.execute("SELECT action, after FROM audit_log ORDER BY id DESC LIMIT 1").fetchone()
    assert action == "demo.synth"
    assert f'"measures": {summary.measures}' in after
    # the id counters moved past the ids synth used, so the next insert does not collide
    with pytest.raises(RuntimeError, match="rolled back"), db.transaction(con) as cur:
        organisation_id = write.programmes.insert_organisation(cur, SYSTEM, "Uusi kunta", now=db.utcnow())
        write.budget.insert_cost_centre(cur, SYSTEM, organisation_id, "1", None)
        raise RuntimeError("rolled back")


def test_the_same_seed_gives_the_same_data_and_another_seed_does_not(tmp_path):
    fingerprints = []
    for name, seed in (("a", 3), ("b", 3), ("c", 4)):
        con = db.connect(tmp_path / f"{name}.duckdb", migrate=True)
        synth.build(con, municipalities=2, seed=seed)
        fingerprints.append({table: table_fingerprint(con, table) for table in TABLES})
        con.close()
    assert fingerprints[0] == fingerprints[1]
    assert fingerprints[0]["measures"] != fingerprints[2]["measures"]


def test_synth_adds_to_a_database_with_the_demo(demo_con):
    before = demo_con.execute("SELECT count(*) FROM organisations").fetchone()[0]
    synth.build(demo_con, municipalities=2, seed=1)
    assert demo_con.execute("SELECT count(*) FROM organisations").fetchone()[0] == before + 2
    assert demo_con.execute("SELECT count(*) FROM programmes WHERE is_default").fetchone()[0] == 1


def test_constraints_refuse_what_synth_must_avoid(small):
    """The data passed the schema's CHECK/UNIQUE/FK on insert; a duplicate would not."""
    con, _ = small
    with pytest.raises(duckdb.ConstraintException):
        con.execute(
            "INSERT INTO budget_lines (measure_id, year, cost_centre_id, planned_eur)"
            " SELECT measure_id, year, cost_centre_id, 1 FROM budget_lines LIMIT 1"
        )


def test_the_cli_fills_the_database_named_by_db(tmp_path, capsys):
    path = tmp_path / "cli.duckdb"
    assert cli.main(["synth", "--municipalities", "1", "--seed", "2", "--db", str(path)]) == 0
    assert "1 synthetic municipalities" in capsys.readouterr().out
    con = db.connect(path)
    assert con.execute("SELECT count(*) FROM organisations").fetchone()[0] == 1
    con.close()


def test_zero_municipalities_is_refused(con):
    with pytest.raises(ValueError, match="at least 1"):
        synth.build(con, municipalities=0)
