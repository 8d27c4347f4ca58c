"""Write services of the workspace: roles, validation per field, audit rows
with before -> after, optimistic concurrency."""

import json
from datetime import date
from decimal import Decimal

import pytest

from tracker import settings, write
from tracker.auth import ANONYMOUS, SYSTEM, Caller
from tracker.errors import ConflictError, PermissionDenied, ValidationError

EDITOR = Caller(role="editor", email="coordinator@joensuu.example")
VIEWER = Caller(role="viewer", email="board@joensuu.example")


def ids(con):
    """The ids a service needs, from the demo: ICLEI measure 6.1, its budget line, decision, cost centre."""
    measure_id, version, programme_id, theme_id = con.execute(
        "SELECT id, version, programme_id, theme_id FROM measures WHERE code = '6.1'"
    ).fetchone()
    line_id, line_version = con.execute(
        "SELECT id, version FROM budget_lines WHERE measure_id = ? ORDER BY year LIMIT 1", [measure_id]
    ).fetchone()
    decision_id, decision_version, organisation_id = con.execute(
        "SELECT d.id, d.version, d.organisation_id FROM decisions d JOIN measure_decisions md ON md.decision_id = d.id"
        " WHERE md.measure_id = ?",
        [measure_id],
    ).fetchone()
    centre_id = con.execute("SELECT id FROM cost_centres WHERE code = '1275'").fetchone()[0]
    return {
        "measure": measure_id,
        "version": version,
        "programme": programme_id,
        "theme": theme_id,
        "line": line_id,
        "line_version": line_version,
        "decision": decision_id,
        "decision_version": decision_version,
        "organisation": organisation_id,
        "centre": centre_id,
    }


def measure_fields(con, measure_id):
    row = write.measures.read_measure(con, measure_id)
    return {k: row[k] for k in write.measures.MEASURE_EDITABLE}


WRITES = {
    "update_measures": lambda con, who, i: write.measures.update_measures(
        con, who, [{"measure_id": i["measure"], "expected_version": i["version"], "progress": 50}]
    ),
    "create_measure": lambda con, who, i: write.measures.create_measure(
        con, who, i["programme"], {"code": "99.1", "title_fi": "Uusi", "theme_id": i["theme"]}
    ),
    "save_measure": lambda con, who, i: write.measures.save_measure(
        con, who, i["measure"], {**measure_fields(con, i["measure"]), "title_en": "x"}, expected_version=i["version"]
    ),
    "archive_measure": lambda con, who, i: write.measures.archive_measure(
        con, who, i["measure"], expected_version=i["version"]
    ),
    "add_budget_line": lambda con, who, i: write.budget.add_budget_line(
        con, who, i["measure"], {"year": 2030, "cost_centre_id": i["centre"], "planned_eur": "10"}
    ),
    "save_budget_line": lambda con, who, i: write.budget.save_budget_line(
        con,
        who,
        i["line"],
        {"year": 2022, "cost_centre_id": i["centre"], "planned_eur": "5"},
        expected_version=i["line_version"],
    ),
    "remove_budget_line": lambda con, who, i: write.budget.remove_budget_line(
        con, who, i["line"], expected_version=i["line_version"]
    ),
    "add_cost_centre": lambda con, who, i: write.budget.add_cost_centre(con, who, i["organisation"], {"code": "9999"}),
    "save_cost_centre": lambda con, who, i: write.budget.save_cost_centre(
        con,
        who,
        i["centre"],
        {"code": "1275", "name": "x"},
        expected={"code": "1275", "name": "Ilmastotyön koordinointi"},
    ),
    "remove_cost_centre": lambda con, who, i: write.budget.remove_cost_centre(con, who, i["centre"]),
    "add_decision": lambda con, who, i: write.decisions.add_decision(
        con, who, i["organisation"], {"body": "Kaupunginhallitus", "outcome": "approved"}
    ),
    "save_decision": lambda con, who, i: write.decisions.save_decision(
        con,
        who,
        i["decision"],
        {"body": "Valtuusto", "outcome": "approved"},
        expected_version=i["decision_version"],
    ),
    "set_decision_links": lambda con, who, i: write.decisions.set_decision_links(
        con, who, i["decision"], [], expected_version=i["decision_version"]
    ),
    "add_user": lambda con, who, i: write.accounts.add_user(con, who, "new@x.example", "editor"),
    "set_role": lambda con, who, i: write.accounts.set_role(con, who, "someone@x.example", "admin"),
    "set_active": lambda con, who, i: write.accounts.set_active(con, who, "someone@x.example", False),
    "reset_password": lambda con, who, i: write.accounts.reset_password(con, who, "someone@x.example"),
    "set_setting": lambda con, who, i: write.settings.set_setting(con, who, "session_idle_minutes", "5"),
}
ADMIN_ONLY = {"add_user", "set_role", "set_active", "reset_password", "set_setting"}


def snapshot(con):
    tables = ["measures", "budget_lines", "cost_centres", "decisions", "measure_decisions", "users", "settings"]
    return {t: con.execute(f"SELECT * FROM {t} ORDER BY ALL").fetchall() for t in tables} | {
        "audit": con.execute("SELECT count(*) FROM audit_log").fetchone()
    }


@pytest.mark.parametrize("name", sorted(WRITES))
def test_every_write_service_refuses_anonymous_and_viewer(demo_con, name):
    write.accounts.add_user(demo_con, SYSTEM, "someone@x.example", "viewer")
    i = ids(demo_con)
    before = snapshot(demo_con)
    callers = [ANONYMOUS, VIEWER] + ([EDITOR] if name in ADMIN_ONLY else [])
    for who in callers:
        with pytest.raises(PermissionDenied):
            WRITES[name](demo_con, who, i)
    assert snapshot(demo_con) == before


@pytest.mark.parametrize("name", sorted(set(WRITES) - {"remove_cost_centre"}))
def test_every_write_service_works_for_its_role_and_audits(demo_con, name):
    write.accounts.add_user(demo_con, SYSTEM, "someone@x.example", "viewer")
    i = ids(demo_con)
    audit_rows = demo_con.execute("SELECT count(*) FROM audit_log").fetchone()[0]
    who = SYSTEM if name in ADMIN_ONLY else EDITOR
    WRITES[name](demo_con, who, i)
    assert demo_con.execute("SELECT count(*) FROM audit_log").fetchone()[0] > audit_rows


@pytest.mark.parametrize(
    ("fields", "field", "key"),
    [
        ({"title_fi": ""}, "title_fi", "validation.required"),
        ({"title_fi": "x" * 301}, "title_fi", "validation.too_long"),
        ({"code": ""}, "code", "validation.required"),
        ({"code": "1.1"}, "code", "validation.code_taken"),
        ({"start_date": date(2025, 1, 1), "end_date": date(2024, 1, 1)}, "end_date", "validation.end_before_start"),
        ({"contact_email": "not an address"}, "contact_email", "validation.email"),
        ({"description_sv": "x" * 10001}, "description_sv", "validation.too_long"),
        ({"theme_id": 999999}, "theme_id", "validation.required"),
    ],
)
def test_measure_form_names_each_bad_field_and_writes_nothing(demo_con, fields, field, key):
    i = ids(demo_con)
    before = snapshot(demo_con)
    with pytest.raises(ValidationError) as refused:
        write.measures.save_measure(
            demo_con,
            EDITOR,
            i["measure"],
            {**measure_fields(demo_con, i["measure"]), **fields},
            expected_version=i["version"],
        )
    assert refused.value.problems[field][0] == key
    assert snapshot(demo_con) == before


@pytest.mark.parametrize(
    ("fields", "field", "key"),
    [
        ({"planned_eur": "-1"}, "planned_eur", "validation.euros_negative"),
        ({"planned_eur": "10,005"}, "planned_eur", "validation.euros_cents"),
        ({"planned_eur": "ten"}, "planned_eur", "validation.euros"),
        ({"planned_eur": ""}, "planned_eur", "validation.required"),
        ({"actual_eur": "-0.01"}, "actual_eur", "validation.euros_negative"),
        ({"year": 1989}, "year", "validation.whole_number"),
        ({"year": 2101}, "year", "validation.whole_number"),
        ({"year": 2023}, "year", "validation.budget_line_exists"),
        ({"cost_centre_id": None}, "cost_centre_id", "validation.required"),
        ({"funding_source": "x" * 201}, "funding_source", "validation.too_long"),
    ],
)
def test_budget_line_validation_names_the_field(demo_con, fields, field, key):
    i = ids(demo_con)
    base = {"year": 2030, "cost_centre_id": i["centre"], "planned_eur": "1 200,50"}
    with pytest.raises(ValidationError) as refused:
        write.budget.add_budget_line(demo_con, EDITOR, i["measure"], {**base, **fields})
    assert refused.value.problems[field][0] == key


def test_budget_line_accepts_finnish_amounts_and_audits_before_and_after(demo_con):
    i = ids(demo_con)
    line = write.budget.add_budget_line(
        demo_con, EDITOR, i["measure"], {"year": 2030, "cost_centre_id": i["centre"], "planned_eur": "1\u00a0200,50 €"}
    )
    assert write.budget.read_budget_line(demo_con, line)["planned_eur"] == Decimal("1200.50")
    write.budget.save_budget_line(
        demo_con,
        EDITOR,
        line,
        {"year": 2030, "cost_centre_id": i["centre"], "planned_eur": "1300", "actual_eur": "5"},
        expected_version=1,
    )
    before, after = demo_con.execute(
        "SELECT before, after FROM audit_log WHERE action = 'budget_line.update' ORDER BY id DESC LIMIT 1"
    ).fetchone()
    assert json.loads(before) == {"planned_eur": "1200.50", "actual_eur": None, "version": 1}
    assert json.loads(after) == {"planned_eur": "1300", "actual_eur": "5", "version": 2}
    with pytest.raises(ConflictError) as refused:
        write.budget.remove_budget_line(demo_con, EDITOR, line, expected_version=1)
    assert refused.value.current["planned_eur"] == Decimal("1300")


@pytest.mark.parametrize(
    ("fields", "field", "key"),
    [
        ({"body": ""}, "body", "validation.required"),
        ({"url": "javascript:alert(1)"}, "url", "validation.url"),
        ({"outcome": "maybe"}, "outcome", "validation.unknown_choice"),
        ({"section": 0}, "section", "validation.whole_number"),
        ({"decided_on": date(1980, 1, 1)}, "decided_on", "validation.year_range"),
        ({"case_number": "x" * 51}, "case_number", "validation.too_long"),
    ],
)
def test_decision_validation_names_the_field(demo_con, fields, field, key):
    i = ids(demo_con)
    with pytest.raises(ValidationError) as refused:
        write.decisions.add_decision(
            demo_con, EDITOR, i["organisation"], {"body": "KH", "outcome": "approved", **fields}
        )
    assert refused.value.problems[field][0] == key


def test_measure_edit_audits_every_changed_field_and_conflicts_show_the_other_change(demo_con):
    i = ids(demo_con)
    loaded = measure_fields(demo_con, i["measure"])
    version = write.measures.save_measure(
        demo_con,
        EDITOR,
        i["measure"],
        {**loaded, "title_en": "Joining ICLEI", "phase": "Done"},
        expected_version=i["version"],
    )
    assert version == i["version"] + 1
    before, after = demo_con.execute(
        "SELECT before, after FROM audit_log WHERE action = 'measure.update' ORDER BY id DESC LIMIT 1"
    ).fetchone()
    assert json.loads(after) == {"title_en": "Joining ICLEI", "phase": "Done", "version": version}
    assert set(json.loads(before)) == {"title_en", "phase", "version"}
    with pytest.raises(ConflictError) as refused:
        write.measures.save_measure(
            demo_con, EDITOR, i["measure"], {**loaded, "title_sv": "x"}, expected_version=i["version"]
        )
    changes = write.base.conflict_differences({**loaded, "version": i["version"]}, refused.value.current)
    assert ("title_en", loaded["title_en"], "Joining ICLEI") in changes


def test_create_and_archive_never_delete(demo_con):
    i = ids(demo_con)
    new_id = write.measures.create_measure(
        demo_con, EDITOR, i["programme"], {"code": "9.9", "title_fi": "Uusi", "theme_id": i["theme"]}
    )
    write.measures.archive_measure(demo_con, EDITOR, new_id, expected_version=1)
    archived = demo_con.execute(
        "SELECT archived_at IS NOT NULL, version FROM measures WHERE id = ?", [new_id]
    ).fetchone()
    assert archived == (True, 2)
    write.measures.archive_measure(demo_con, EDITOR, new_id, expected_version=2, restore=True)
    assert demo_con.execute("SELECT archived_at FROM measures WHERE id = ?", [new_id]).fetchone() == (None,)


def test_weekly_update_saves_many_in_one_go_or_nothing(demo_con):
    rows = demo_con.execute(
        "SELECT id, version, progress FROM measures WHERE code IN ('1.1', '1.2') ORDER BY code"
    ).fetchall()
    events = demo_con.execute("SELECT count(*) FROM status_events").fetchone()[0]
    stale = [
        {"measure_id": rows[0][0], "expected_version": rows[0][1], "progress": 77},
        {"measure_id": rows[1][0], "expected_version": rows[1][1] - 1, "progress": 78},
    ]
    with pytest.raises(ConflictError) as refused:
        write.measures.update_measures(demo_con, EDITOR, stale)
    assert refused.value.entity_id == rows[1][0]
    assert demo_con.execute("SELECT count(*) FROM status_events").fetchone()[0] == events
    bad = [{"measure_id": rows[0][0], "expected_version": rows[0][1], "progress": 170}]
    with pytest.raises(ValidationError) as invalid:
        write.measures.update_measures(demo_con, EDITOR, bad)
    assert f"{rows[0][0]}.progress" in invalid.value.problems
    good = [
        {"measure_id": r[0], "expected_version": r[1], "progress": 60, "note": "Tehty", "note_is_public": False}
        for r in rows
    ]
    versions = write.measures.update_measures(demo_con, EDITOR, good)
    assert versions == {r[0]: r[1] + 1 for r in rows}
    assert demo_con.execute("SELECT count(*) FROM status_events").fetchone()[0] == events + 2


def test_decision_links_are_audited_per_measure(demo_con):
    i = ids(demo_con)
    other = demo_con.execute("SELECT id FROM measures WHERE code = '1.1'").fetchone()[0]
    version = write.decisions.save_decision(
        demo_con,
        EDITOR,
        i["decision"],
        write.decisions.read_decision(demo_con, i["decision"]),
        expected_version=i["decision_version"],
        measure_ids=[i["measure"], other],
    )
    assert version == i["decision_version"] + 1
    linked = demo_con.execute(
        "SELECT measure_id FROM measure_decisions WHERE decision_id = ?", [i["decision"]]
    ).fetchall()
    assert sorted(r[0] for r in linked) == sorted([i["measure"], other])
    assert demo_con.execute(
        "SELECT actor FROM audit_log WHERE action = 'decision.link_measure' AND measure_id = ?", [other]
    ).fetchone() == (EDITOR.email,)


def test_a_used_cost_centre_cannot_be_removed(demo_con):
    i = ids(demo_con)
    with pytest.raises(ValidationError) as refused:
        write.budget.remove_cost_centre(demo_con, EDITOR, i["centre"])
    assert refused.value.problems["cost_centre_id"][0] == "validation.cost_centre_in_use"


def test_describe_changes_takes_missing_json_as_empty():
    # an audit row without before (a creation) comes out of pandas as NaN
    assert write.audit.describe_changes(float("nan"), '{"value": "1"}') == [("value", None, "1")]
    assert write.audit.describe_changes(None, None) == []


def test_all_settings_reads_stored_values_over_defaults(demo_con):
    write.settings.set_setting(demo_con, SYSTEM, "stale_days", "200")
    values = settings.all_settings(demo_con)
    assert values["stale_days"] == 200
    assert values["fresh_days"] == 30
    assert set(values) == set(settings.DEFAULTS)
