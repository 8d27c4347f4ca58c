"""The workspace's audit-log and user queries give known results.

They are checked against rows the tests create themselves through the write services.
"""

import json
from datetime import date, datetime, timedelta

import pytest

from tests.workspace_seed import (
    ADMIN,
    EDITOR,
    PASSWORD,
    decision_ids,
    measure_ids,
    none_if_missing,
    seed_versions,
)
from tracker import db, write
from tracker.auth import SYSTEM
from tracker.errors import AuthError

# -- the audit log: workspace_audit_log and workspace_audit_actors --


@pytest.fixture
def known_changes(demo_con):
    """Four audited writes at known moments by two people; returns what each must show."""
    ids = measure_ids(demo_con)
    versions = seed_versions()
    baseline = demo_con.execute("SELECT max(id) FROM audit_log").fetchone()[0]
    t1 = datetime(2025, 3, 10, 8, 0)
    write.accounts.add_user(
        demo_con, ADMIN, "viewer@joensuu.example", "viewer", display_name="Hallituksen jäsen", password=PASSWORD, now=t1
    )
    user_id = demo_con.execute("SELECT id FROM users WHERE email = 'viewer@joensuu.example'").fetchone()[0]
    t2 = datetime(2025, 3, 11, 23, 59, 30)
    write.measures.update_measure(demo_con, EDITOR, ids["1.2"], expected_version=versions["1.2"], progress=65, now=t2)
    t3 = datetime(2025, 3, 12, 0, 0)
    decision_id = decision_ids(demo_con)["latauspisteet"]
    write.decisions.set_decision_links(
        demo_con, EDITOR, decision_id, [ids["2.1"], ids["2.2"], ids["2.3"]], expected_version=1, now=t3
    )
    expected = [
        # newest first; the two links share a moment, so the later row comes first
        {
            "occurred_at": t3,
            "actor": EDITOR.email,
            "action": "decision.link_measure",
            "entity": "decision",
            "entity_id": str(decision_id),
            "measure_id": ids["2.3"],
            "measure_code": "2.3",
            "before": None,
            "after": {"measure_id": ids["2.3"]},
        },
        {
            "occurred_at": t3,
            "actor": EDITOR.email,
            "action": "decision.link_measure",
            "entity": "decision",
            "entity_id": str(decision_id),
            "measure_id": ids["2.2"],
            "measure_code": "2.2",
            "before": None,
            "after": {"measure_id": ids["2.2"]},
        },
        {
            "occurred_at": t2,
            "actor": EDITOR.email,
            "action": "measure.update_status",
            "entity": "measure",
            "entity_id": str(ids["1.2"]),
            "measure_id": ids["1.2"],
            "measure_code": "1.2",
            "before": {"status": "in_progress", "progress": 60, "version": versions["1.2"]},
            "after": {"status": "in_progress", "progress": 65, "version": versions["1.2"] + 1},
        },
        {
            "occurred_at": t1,
            "actor": ADMIN.email,
            "action": "user.create",
            "entity": "user",
            "entity_id": str(user_id),
            "measure_id": None,
            "measure_code": None,
            "before": None,
            "after": {"email": "viewer@joensuu.example", "role": "viewer", "display_name": "Hallituksen jäsen"},
        },
    ]
    return {"baseline": baseline, "expected": expected, "ids": ids}


def audit_entries(frame):
    entries = []
    for row in frame.itertuples():
        measure_id = none_if_missing(row.measure_id)
        before, after = none_if_missing(row.before), none_if_missing(row.after)
        entries.append(
            {
                "occurred_at": row.occurred_at.to_pydatetime(),
                "actor": row.actor,
                "action": row.action,
                "entity": row.entity,
                "entity_id": none_if_missing(row.entity_id),
                "measure_id": None if measure_id is None else int(measure_id),
                "measure_code": none_if_missing(row.measure_code),
                "before": None if before is None else json.loads(before),
                "after": None if after is None else json.loads(after),
            }
        )
    return entries


def log(con, measure_id=None, actor=None, date_from=None, date_to=None):
    return db.query(
        con, "workspace_audit_log", measure_id=measure_id, actor=actor, date_from=date_from, date_to=date_to
    )


def test_workspace_audit_log_unfiltered_shows_every_row_newest_first(demo_con, known_changes):
    frame = log(demo_con)
    assert len(frame) == demo_con.execute("SELECT count(*) FROM audit_log").fetchone()[0]
    mine = frame[frame["id"] > known_changes["baseline"]]
    assert audit_entries(mine) == known_changes["expected"]
    # the seed's own row (written when the demo was loaded, i.e. now) is the newest
    seeded = frame[frame["id"] <= known_changes["baseline"]]
    assert list(seeded["action"]) == ["demo.load"]
    assert list(seeded["actor"]) == [SYSTEM.actor]
    assert frame.index[frame["action"] == "demo.load"][0] == 0
    assert list(frame["id"][1:]) == sorted(frame["id"][1:], key=lambda i: -i)


def test_workspace_audit_log_by_measure(demo_con, known_changes):
    ids = known_changes["ids"]
    expected = known_changes["expected"]
    assert audit_entries(log(demo_con, measure_id=ids["1.2"])) == [expected[2]]
    assert audit_entries(log(demo_con, measure_id=ids["2.2"])) == [expected[1]]
    assert log(demo_con, measure_id=ids["6.1"]).empty


def test_workspace_audit_log_by_person(demo_con, known_changes):
    expected = known_changes["expected"]
    assert audit_entries(log(demo_con, actor=EDITOR.email)) == expected[:3]
    assert audit_entries(log(demo_con, actor=ADMIN.email)) == [expected[3]]
    assert log(demo_con, actor="nobody@joensuu.example").empty
    # filters combine: the admin never touched measure 1.2
    assert log(demo_con, measure_id=known_changes["ids"]["1.2"], actor=ADMIN.email).empty


def test_workspace_audit_log_by_dates_inclusive(demo_con, known_changes):
    expected = known_changes["expected"]
    # a single day includes its last second and nothing from midnight after it
    assert audit_entries(log(demo_con, date_from=date(2025, 3, 11), date_to=date(2025, 3, 11))) == [expected[2]]
    assert audit_entries(log(demo_con, date_from=date(2025, 3, 12), date_to=date(2025, 3, 12))) == expected[:2]
    assert audit_entries(log(demo_con, date_from=date(2025, 3, 10), date_to=date(2025, 3, 12))) == expected
    assert audit_entries(log(demo_con, date_to=date(2025, 3, 10))) == [expected[3]]
    later = log(demo_con, date_from=date(2025, 3, 11))
    assert audit_entries(later[later["id"] > known_changes["baseline"]]) == expected[:3]
    assert log(demo_con, date_from=date(2025, 3, 13), date_to=date(2025, 12, 31)).empty
    assert log(demo_con, date_from=date(2025, 3, 12), date_to=date(2025, 3, 10)).empty
    # dates as the page may hand them over, as ISO text
    assert audit_entries(log(demo_con, date_from="2025-03-11", date_to="2025-03-11")) == [expected[2]]


def test_workspace_audit_log_of_an_empty_database_is_empty(con):
    assert log(con).empty
    assert list(log(con).columns) == [
        "id",
        "occurred_at",
        "actor",
        "action",
        "entity",
        "entity_id",
        "measure_id",
        "measure_code",
        "before",
        "after",
        "entity_name",
        "entity_date",
        "entity_section",
    ]


def test_workspace_audit_actors_are_everyone_in_the_log(demo_con, con):
    assert db.query(con, "workspace_audit_actors").empty
    assert list(db.query(demo_con, "workspace_audit_actors")["actor"]) == [SYSTEM.actor]
    write.accounts.add_user(demo_con, ADMIN, "editor@joensuu.example", "editor", password=PASSWORD)
    ids = measure_ids(demo_con)
    write.measures.update_measure(demo_con, EDITOR, ids["1.3"], expected_version=seed_versions()["1.3"], progress=50)
    write.measures.update_measure(
        demo_con, EDITOR, ids["1.3"], expected_version=seed_versions()["1.3"] + 1, progress=55
    )
    actors = list(db.query(demo_con, "workspace_audit_actors")["actor"])
    expected = sorted(set(demo_con.execute("SELECT actor FROM audit_log").fetchall()))
    assert actors == [row[0] for row in expected]
    assert actors == sorted([ADMIN.email, EDITOR.email, SYSTEM.actor])


# -- workspace_users --


def test_workspace_users_of_a_database_without_accounts_is_empty(demo_con, con):
    assert demo_con.execute("SELECT count(*) FROM users").fetchone()[0] == 0
    assert db.query(demo_con, "workspace_users", since=datetime(2026, 11, 28, 12, 0)).empty
    assert db.query(con, "workspace_users", since=datetime(2026, 11, 28, 12, 0)).empty


def test_workspace_users_show_roles_locks_and_sign_ins(demo_con):
    created = datetime(2026, 11, 1, 9, 0)
    write.accounts.add_user(
        demo_con,
        SYSTEM,
        "Editor@Joensuu.example",
        "editor",
        display_name="Koordinaattori",
        password=PASSWORD,
        now=created,
    )
    write.accounts.add_user(demo_con, SYSTEM, "admin@joensuu.example", "admin", password=PASSWORD, now=created)
    write.accounts.add_user(demo_con, SYSTEM, "viewer@joensuu.example", "viewer", password=PASSWORD, now=created)
    write.accounts.add_user(demo_con, SYSTEM, "old@joensuu.example", "viewer", password=PASSWORD, now=created)
    signed_in = datetime(2026, 11, 20, 8, 30)
    write.password_sign_in.sign_in_with_password(demo_con, "admin@joensuu.example", PASSWORD, now=signed_in)
    failed_at = datetime(2026, 11, 21, 10, 0)
    for attempt in range(3):
        with pytest.raises(AuthError):
            write.password_sign_in.sign_in_with_password(
                demo_con, "viewer@joensuu.example", "wrong password!", client=f"192.0.2.{attempt}", now=failed_at
            )
    write.accounts.set_active(demo_con, SYSTEM, "old@joensuu.example", False)

    during = db.query(demo_con, "workspace_users", since=failed_at - write.password_sign_in.FORGET_AFTER)
    assert "password_hash" not in during.columns
    assert list(during["email"]) == [
        "admin@joensuu.example",
        "editor@joensuu.example",
        "old@joensuu.example",
        "viewer@joensuu.example",
    ]
    rows = during.set_index("email")
    assert list(rows["role"]) == ["admin", "editor", "viewer", "viewer"]
    assert [none_if_missing(v) for v in rows["display_name"]] == [None, "Koordinaattori", None, None]
    assert [bool(v) for v in rows["is_active"]] == [True, True, False, True]
    assert list(rows["failed_sign_ins"]) == [0, 0, 0, 3]
    assert rows.loc["admin@joensuu.example", "last_login_at"] == signed_in
    assert [none_if_missing(v) for v in rows["last_login_at"]][1:] == [None, None, None]
    assert set(rows["created_at"]) == {created}

    # failures older than the window are forgotten
    later = db.query(demo_con, "workspace_users", since=failed_at + timedelta(minutes=1))
    assert not later["failed_sign_ins"].any()
