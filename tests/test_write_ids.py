"""The one id allocator (tracker.write.ids, migration 0003): ids in blocks,
never twice, also when two writers take them at the same time (the second is
tried again once the first has committed), and counters that start after what
a database made by the previous release holds."""

from __future__ import annotations

import threading
import time
from pathlib import Path

import duckdb
import pytest

from tracker import db, write
from tracker.auth import Caller
from tracker.errors import ConflictError, TrackerError
from tracker.write.base import Target, in_transaction
from tracker.write.ids import allocate_id, allocate_ids

ROOT = Path(__file__).resolve().parent.parent
EDITOR = Caller(role="editor", email="coordinator@joensuu.example")


def counters(con) -> dict[str, int]:
    return dict(con.execute("SELECT table_name, next_id FROM id_counters").fetchall())


def test_blocks_follow_each_other_and_a_table_without_a_counter_is_a_bug(con):
    first = allocate_ids(con, "measures", 3)
    second = allocate_ids(con, "measures", 2)
    assert list(first) + list(second) == [1, 2, 3, 4, 5]
    assert allocate_id(con, "themes") == 1
    assert allocate_ids(con, "themes", 0) == range(0)
    with pytest.raises(TrackerError, match="no id counter"):
        allocate_id(con, "no_such_table")


def test_a_row_written_without_an_allocated_id_is_refused(con):
    with pytest.raises(duckdb.ConstraintException):
        con.execute("INSERT INTO organisations (name) VALUES ('Ilman tunnusta')")


def test_the_demo_loader_and_the_services_share_the_counters(demo_con):
    before = counters(demo_con)
    assert before["measures"] == demo_con.execute("SELECT max(id) + 1 FROM measures").fetchone()[0]
    assert before["audit_log"] == demo_con.execute("SELECT max(id) + 1 FROM audit_log").fetchone()[0]
    programme_id, theme_id = demo_con.execute("SELECT programme_id, theme_id FROM measures LIMIT 1").fetchone()
    measure_id = write.measures.create_measure(
        demo_con, EDITOR, programme_id, {"code": "99.1", "title_fi": "Uusi", "theme_id": theme_id}
    )
    assert measure_id == before["measures"]
    assert counters(demo_con)["audit_log"] == before["audit_log"] + 1


def _two_writers(con, hold_seconds: float) -> dict:
    """The first writer takes a block and holds its transaction open for
    ``hold_seconds``; the second takes a block meanwhile. The embedded file
    refuses the second one's update of the counter at once; a lake refuses
    whichever commits last. Either way a refused writer is tried again."""
    inside = threading.Event()
    outcomes = {}

    def take(name: str, hold: float):
        def write(cur):
            block = allocate_ids(cur, "measures", 5)
            inside.set()
            time.sleep(hold)
            return block

        try:
            outcomes[name] = in_transaction(con, Target("measure"), write)
        except ConflictError:
            outcomes[name] = "conflict"

    first = threading.Thread(target=take, args=("first", hold_seconds))
    first.start()
    inside.wait(10)
    second = threading.Thread(target=take, args=("second", 0))
    second.start()
    for thread in (first, second):
        thread.join()
    return outcomes


def test_a_writer_meeting_another_ones_uncommitted_ids_is_tried_again_and_gets_the_next_block(demo_db_path):
    con = db.connect(demo_db_path)
    before = counters(con)["measures"]
    outcomes = _two_writers(con, hold_seconds=0.5)
    blocks = sorted([outcomes["first"], outcomes["second"]], key=lambda block: block.start)
    assert [list(block) for block in blocks] == [list(range(before, before + 5)), list(range(before + 5, before + 10))]
    assert allocate_ids(con, "measures", 1).start == before + 10
    con.close()


def test_a_writer_still_refused_when_the_retry_time_is_up_gets_a_conflict(demo_db_path, monkeypatch):
    monkeypatch.setattr(db, "RETRY_SECONDS", 0.3)
    monkeypatch.setattr(db, "RETRY_ATTEMPTS_AT_LEAST", 1)
    con = db.connect(demo_db_path)
    before = counters(con)["measures"]
    outcomes = _two_writers(con, hold_seconds=1.5)
    assert list(outcomes.values()).count("conflict") == 1
    winners = [block for block in outcomes.values() if block != "conflict"]
    assert len(winners) == 1 and list(winners[0]) == list(range(before, before + 5))
    assert allocate_ids(con, "measures", 1).start == before + 5
    con.close()


def _apply(con, path: Path) -> None:
    con.execute(db.migration_sql(path.read_text(encoding="utf-8"), lake=False))


def test_counters_start_after_the_rows_and_sequences_of_a_previous_release(tmp_path):
    """A database made before migration 0003: ids came from sequences, and a
    deleted row's id must not be handed out again (the audit log names it)."""
    migrations = sorted((ROOT / "migrations").glob("*.sql"))
    con = duckdb.connect(str(tmp_path / "old.duckdb"))
    _apply(con, migrations[0])
    con.execute("INSERT INTO organisations (name) VALUES ('Vanha kunta')")
    con.execute("INSERT INTO cost_centres (organisation_id, code) VALUES (1, '1275'), (1, '1276'), (1, '1277')")
    con.execute("DELETE FROM cost_centres WHERE code = '1277'")
    con.execute(
        "INSERT INTO audit_log (occurred_at, actor, action, entity) VALUES (current_localtimestamp(), 'x', 'y', 'z')"
    )
    for path in migrations[1:]:
        _apply(con, path)
    started = counters(con)
    assert started["organisations"] == 2
    assert started["cost_centres"] == 4  # after the deleted 3, not after the largest id left (2)
    assert started["audit_log"] == 2
    assert started["measures"] == 1
    assert con.execute("SELECT count(*) FROM duckdb_sequences()").fetchone()[0] == 0
    with pytest.raises(duckdb.ConstraintException):
        con.execute("INSERT INTO cost_centres (organisation_id, code) VALUES (1, '9999')")
    con.close()
