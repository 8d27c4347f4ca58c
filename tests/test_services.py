import threading
from datetime import datetime

import pytest

from tracker import db, write
from tracker.auth import ANONYMOUS, Caller
from tracker.errors import ConflictError, PermissionDenied, ValidationError

EDITOR = Caller(role="editor", email="coordinator@joensuu.example")
VIEWER = Caller(role="viewer", email="board@joensuu.example")


def measure(con, code):
    row = con.execute("SELECT id, status, progress, version FROM measures WHERE code = ?", [code]).fetchone()
    return dict(zip(("id", "status", "progress", "version"), row, strict=True))


def test_update_sets_status_appends_event_bumps_version_and_audits(demo_con):
    target = measure(demo_con, "1.1")
    events_before = demo_con.execute(
        "SELECT count(*) FROM status_events WHERE measure_id = ?", [target["id"]]
    ).fetchone()[0]
    at = datetime(2026, 11, 28, 9, 30)
    new_version = write.measures.update_measure(
        demo_con,
        EDITOR,
        target["id"],
        expected_version=target["version"],
        status="done",
        progress=100,
        note="Valmis.",
        note_is_public=False,
        now=at,
    )
    assert new_version == target["version"] + 1
    after = measure(demo_con, "1.1")
    assert (after["status"], after["progress"], after["version"]) == ("done", 100, new_version)
    event = demo_con.execute(
        "SELECT occurred_at, actor, old_status, new_status, old_progress, new_progress, note, note_is_public"
        " FROM status_events WHERE measure_id = ? ORDER BY id DESC LIMIT 1",
        [target["id"]],
    ).fetchone()
    assert event == (at, EDITOR.email, target["status"], "done", target["progress"], 100, "Valmis.", False)
    assert (
        demo_con.execute("SELECT count(*) FROM status_events WHERE measure_id = ?", [target["id"]]).fetchone()[0]
        == events_before + 1
    )
    audit = demo_con.execute(
        "SELECT actor, action, entity_id, json_extract_string(after, '$.status')"
        " FROM audit_log ORDER BY id DESC LIMIT 1"
    ).fetchone()
    assert audit == (EDITOR.email, "measure.update_status", str(target["id"]), "done")


def test_a_stale_version_is_refused_and_nothing_is_written(demo_con):
    target = measure(demo_con, "1.1")
    write.measures.update_measure(demo_con, EDITOR, target["id"], expected_version=target["version"], progress=50)
    events = demo_con.execute("SELECT count(*) FROM status_events").fetchone()[0]
    with pytest.raises(ConflictError) as refused:
        write.measures.update_measure(demo_con, EDITOR, target["id"], expected_version=target["version"], status="done")
    assert refused.value.current["progress"] == 50
    assert refused.value.current["version"] == target["version"] + 1
    assert measure(demo_con, "1.1")["status"] == target["status"]
    assert demo_con.execute("SELECT count(*) FROM status_events").fetchone()[0] == events


def test_two_coordinators_at_once_exactly_one_wins(demo_db_path):
    con = db.connect(demo_db_path)
    target = measure(con, "2.1")
    barrier = threading.Barrier(2)
    outcomes = []

    def edit(progress):
        barrier.wait()
        try:
            write.measures.update_measure(
                con, EDITOR, target["id"], expected_version=target["version"], progress=progress
            )
            outcomes.append("saved")
        except ConflictError:
            outcomes.append("conflict")

    threads = [threading.Thread(target=edit, args=(p,)) for p in (11, 12)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(outcomes) == ["conflict", "saved"]
    assert measure(con, "2.1")["version"] == target["version"] + 1
    con.close()


@pytest.mark.parametrize("who", [ANONYMOUS, VIEWER])
def test_update_is_refused_to_anonymous_and_viewer(demo_con, who):
    target = measure(demo_con, "1.1")
    with pytest.raises(PermissionDenied):
        write.measures.update_measure(demo_con, who, target["id"], expected_version=target["version"], progress=1)
    assert measure(demo_con, "1.1") == target


@pytest.mark.parametrize(
    ("kwargs", "field"),
    [
        ({"progress": 101}, "progress"),
        ({"progress": -1}, "progress"),
        ({"progress": 2.5}, "progress"),
        ({"status": "finished"}, "status"),
        ({"note": "x" * 4001}, "note"),
    ],
)
def test_bad_values_are_refused_naming_the_field(demo_con, kwargs, field):
    target = measure(demo_con, "1.1")
    with pytest.raises(ValidationError) as refused:
        write.measures.update_measure(demo_con, EDITOR, target["id"], expected_version=target["version"], **kwargs)
    assert field in refused.value.problems
    assert measure(demo_con, "1.1") == target


def test_nothing_to_change_writes_nothing(demo_con):
    target = measure(demo_con, "1.1")
    version = write.measures.update_measure(demo_con, EDITOR, target["id"], expected_version=target["version"])
    assert version == target["version"]
    assert measure(demo_con, "1.1") == target
