"""Reporting periods (issue 14): open, mark ready, close with a frozen snapshot,
reopen (audited, the snapshot kept), compare any two, and the same from the CLI."""

from __future__ import annotations

import json
from datetime import date, datetime
from decimal import Decimal

import pytest

from tests.conftest import TODAY
from tests.integrity import orphan_rows
from tracker import cli, db, write
from tracker.auth import Caller
from tracker.errors import NotFound, PermissionDenied, UserError, ValidationError
from tracker.write import measures, periods

EDITOR = Caller(role="editor", email="coordinator@joensuu.example")
ADMIN = Caller(role="admin", email="admin@joensuu.example")
VIEWER = Caller(role="viewer", email="board@joensuu.example")
PROGRAMME = 1
NAME = "Vuosiraportti 2025"


def measure_id(con, code: str) -> int:
    return con.execute("SELECT id FROM measures WHERE code = ? AND programme_id = ?", [code, PROGRAMME]).fetchone()[0]


def version(con, code: str) -> int:
    return con.execute("SELECT version FROM measures WHERE id = ?", [measure_id(con, code)]).fetchone()[0]


def update(con, code: str, **fields) -> None:
    """Update one measure as the editor, at the version it has now."""
    measures.update_measure(con, EDITOR, measure_id(con, code), expected_version=version(con, code), **fields)


def open_2025(con, now=None, **extra) -> int:
    fields = {"name_fi": NAME, "name_en": "Annual report 2025", "as_of": date(2025, 12, 31), **extra}
    return periods.open_period(con, EDITOR, PROGRAMME, fields, now=now)


def close(con, period_id: int, caller=EDITOR, now=datetime(2026, 2, 1, 12)):
    period = periods.read_period(con, period_id)
    return periods.close_period(con, caller, period_id, expected_version=period["version"], now=now)


def snapshot(con, period_id: int, code: str) -> dict:
    row = con.execute(
        "SELECT s.status, s.progress, s.is_ready, s.is_late, s.note FROM snapshot_measures AS s"
        " JOIN reporting_periods AS p ON p.closing_id = s.closing_id WHERE p.id = ? AND s.code = ?",
        [period_id, code],
    ).fetchone()
    return dict(zip(("status", "progress", "is_ready", "is_late", "note"), row, strict=True))


def test_open_period_is_audited_and_checks_its_fields(demo_con):
    period_id = open_2025(demo_con, due_on=date(2026, 2, 15))
    period = periods.read_period(demo_con, period_id)
    assert (period["state"], period["as_of"], period["due_on"], period["closing_id"]) == (
        "open",
        date(2025, 12, 31),
        date(2026, 2, 15),
        None,
    )
    audit = demo_con.execute("SELECT action, actor FROM audit_log WHERE entity = 'period'").fetchall()
    assert audit == [("period.open", EDITOR.email)]
    with pytest.raises(ValidationError) as taken:
        periods.open_period(demo_con, EDITOR, PROGRAMME, {"name_fi": "annual report 2025", "as_of": date(2025, 1, 1)})
    assert taken.value.problems["name_fi"][0] == "period.name_taken"
    with pytest.raises(ValidationError) as missing:
        periods.open_period(demo_con, EDITOR, PROGRAMME, {"name_fi": " ", "as_of": None})
    assert set(missing.value.problems) == {"name_fi", "as_of"}
    with pytest.raises(PermissionDenied):
        periods.open_period(demo_con, VIEWER, PROGRAMME, {"name_fi": "X", "as_of": date(2025, 1, 1)})


def test_readiness_lists_ready_not_ready_and_not_updated_since_the_period_opened(demo_con):
    period_id = open_2025(demo_con, now=datetime(2030, 1, 5, 9))  # after every update of the demo
    assert periods.set_ready(demo_con, EDITOR, period_id, measure_id(demo_con, "1.1"), True)
    assert not periods.set_ready(demo_con, EDITOR, period_id, measure_id(demo_con, "1.1"), True)  # already
    # 1.2 updated after the period opened, but not marked ready
    update(demo_con, "1.2", progress=65, now=datetime(2030, 1, 10))
    frame = db.query(demo_con, "period_readiness", period_id=period_id, lang="fi").set_index("code")
    assert frame.at["1.1", "readiness"] == "ready"
    assert frame.at["1.2", "readiness"] == "not_ready"
    assert frame.at["1.3", "readiness"] == "not_updated"
    assert frame.at["1.1", "marked_by"] == EDITOR.email
    listed = db.query(demo_con, "reporting_periods", programme_id=PROGRAMME, lang="en").iloc[0]
    assert (listed["name"], int(listed["ready"]), int(listed["measures"])) == ("Annual report 2025", 1, len(frame))


def test_closing_freezes_every_measure_and_a_closed_period_never_changes(demo_con):
    period_id = open_2025(demo_con)
    periods.set_ready(demo_con, EDITOR, period_id, measure_id(demo_con, "1.2"), True)
    closing = close(demo_con, period_id)
    live_measures = demo_con.execute(
        "SELECT count(*) FROM measures WHERE programme_id = ? AND archived_at IS NULL", [PROGRAMME]
    ).fetchone()[0]
    live_lines = demo_con.execute(
        "SELECT count(*) FROM budget_lines AS b JOIN measures AS m ON m.id = b.measure_id"
        " WHERE m.programme_id = ? AND m.archived_at IS NULL",
        [PROGRAMME],
    ).fetchone()[0]
    live_values = demo_con.execute("SELECT count(*) FROM indicator_values").fetchone()[0]
    assert (closing.measures, closing.money_lines, closing.indicator_values) == (
        live_measures,
        live_lines,
        live_values,
    )
    assert closing.decision_links > 0
    before = snapshot(demo_con, period_id, "1.2")
    assert before["is_ready"] is True
    # the live measure moves on; the snapshot does not
    update(demo_con, "1.2", status="done", progress=100, note="Valmis 2026.")
    assert snapshot(demo_con, period_id, "1.2") == before
    # nothing about a closed period can be changed
    with pytest.raises(UserError) as refused:
        periods.set_ready(demo_con, EDITOR, period_id, measure_id(demo_con, "1.3"), True)
    assert refused.value.key == "period.closed"
    with pytest.raises(UserError):
        close(demo_con, period_id)
    assert orphan_rows(demo_con)["orphans"].sum() == 0
    audit = demo_con.execute("SELECT after FROM audit_log WHERE action = 'period.close'").fetchone()[0]
    assert json.loads(audit)["measures"] == live_measures


LIVE_VALUES = "SELECT indicator_id, year, month, sector, value, is_preliminary FROM indicator_values ORDER BY ALL"
LIVE_GOALS = "SELECT indicator_id, year, month, value, note FROM indicator_goals ORDER BY ALL"


def frozen_values(con, closing_id: int) -> list[tuple]:
    return con.execute(
        "SELECT indicator_id, year, month, sector, value, is_preliminary FROM snapshot_indicators"
        " WHERE closing_id = ? ORDER BY ALL",
        [closing_id],
    ).fetchall()


def frozen_goals(con, closing_id: int) -> list[tuple]:
    return con.execute(
        "SELECT indicator_id, year, month, value, note FROM snapshot_indicator_goals WHERE closing_id = ? ORDER BY ALL",
        [closing_id],
    ).fetchall()


def test_closing_keeps_every_indicator_value_and_goal_exactly_as_stored(demo_con):
    """Months of a monthly indicator, preliminary flags, six decimals, the largest value the
    indicator form takes (which DECIMAL(14, 3) could not hold: the closing failed) and the
    dated goals are all in the snapshot, and stay there when the live ones change."""
    journeys = demo_con.execute("SELECT id FROM indicators WHERE frequency = 'monthly'").fetchone()[0]
    largest = "999 999 999 999 999 999"
    write.indicators.set_value(
        demo_con, EDITOR, journeys, {"year": 2026, "month": 3, "value": "0,0004", "is_preliminary": True}
    )
    write.indicators.set_value(demo_con, EDITOR, journeys, {"year": 2026, "month": 4, "value": "123456789012,345678"})
    write.indicators.set_value(demo_con, EDITOR, journeys, {"year": 2026, "month": 5, "value": largest})
    write.indicators.set_goal(
        demo_con, EDITOR, journeys, {"year": 2026, "month": 6, "value": "250000,5", "note": "Kesän tavoite"}
    )
    write.indicators.set_goal(demo_con, EDITOR, journeys, {"year": 2030, "month": 12, "value": largest})
    live_values, live_goals = demo_con.execute(LIVE_VALUES).fetchall(), demo_con.execute(LIVE_GOALS).fetchall()

    period_id = open_2025(demo_con)
    closing = close(demo_con, period_id)
    assert (closing.indicator_values, closing.indicator_goals) == (len(live_values), len(live_goals))
    assert frozen_values(demo_con, closing.closing_id) == live_values
    assert frozen_goals(demo_con, closing.closing_id) == live_goals
    frozen = {(i, y, m, s): (v, p) for i, y, m, s, v, p in frozen_values(demo_con, closing.closing_id)}
    assert frozen[(journeys, 2026, 3, "")] == (Decimal("0.0004"), True)
    assert frozen[(journeys, 2026, 4, "")] == (Decimal("123456789012.345678"), False)
    assert frozen[(journeys, 2026, 5, "")] == (Decimal("999999999999999999"), False)
    assert sorted(m for i, y, m, _ in frozen if (i, y) == (journeys, 2024)) == list(range(1, 13))
    assert any(p for _, p in frozen.values())  # the demo's preliminary emissions year too
    assert (journeys, 2026, 6, Decimal("250000.5"), "Kesän tavoite") in live_goals
    names = demo_con.execute(
        "SELECT DISTINCT name_fi, unit FROM snapshot_indicator_goals WHERE closing_id = ? AND indicator_id = ?",
        [closing.closing_id, journeys],
    ).fetchall()
    assert names == demo_con.execute("SELECT name_fi, unit FROM indicators WHERE id = ?", [journeys]).fetchall()
    after = json.loads(
        demo_con.execute("SELECT after FROM audit_log WHERE action = 'period.close' ORDER BY id DESC").fetchone()[0]
    )
    assert (after["indicator_values"], after["indicator_goals"]) == (len(live_values), len(live_goals))

    # the live values and goals move on; the snapshot does not
    write.indicators.set_value(demo_con, EDITOR, journeys, {"year": 2026, "month": 3, "value": "7"})
    write.indicators.set_goal(demo_con, EDITOR, journeys, {"year": 2026, "month": 6, "value": "1"})
    assert frozen_values(demo_con, closing.closing_id) == live_values
    assert frozen_goals(demo_con, closing.closing_id) == live_goals


def test_the_latest_public_note_and_lateness_on_the_as_of_day_are_frozen(demo_con):
    code = "1.4"
    update(demo_con, code, note="Julkinen muistiinpano.", note_is_public=True)
    update(demo_con, code, note="Sisäinen muistiinpano.", note_is_public=False)
    period_id = open_2025(demo_con)
    close(demo_con, period_id)
    frozen = snapshot(demo_con, period_id, code)
    assert frozen["note"] == "Julkinen muistiinpano."
    end, status, continuous = demo_con.execute(
        "SELECT end_date, status, is_continuous FROM measures WHERE id = ?", [measure_id(demo_con, code)]
    ).fetchone()
    expected_late = status == "late" or (
        end is not None and end < date(2025, 12, 31) and status not in ("done", "cancelled") and not continuous
    )
    assert frozen["is_late"] == expected_late


def test_reopening_is_for_an_admin_with_a_reason_and_keeps_the_old_snapshot(demo_con):
    period_id = open_2025(demo_con)
    first = close(demo_con, period_id)
    period = periods.read_period(demo_con, period_id)
    with pytest.raises(PermissionDenied):
        periods.reopen_period(demo_con, EDITOR, period_id, "Korjaus", expected_version=period["version"])
    with pytest.raises(ValidationError):
        periods.reopen_period(demo_con, ADMIN, period_id, "  ", expected_version=period["version"])
    periods.reopen_period(demo_con, ADMIN, period_id, "Talousluvut korjattu", expected_version=period["version"])
    reopened = periods.read_period(demo_con, period_id)
    assert (reopened["state"], reopened["closing_id"], reopened["reopen_reason"]) == (
        "open",
        first.closing_id,
        "Talousluvut korjattu",
    )
    # still reports the first snapshot while open again
    assert snapshot(demo_con, period_id, "1.1")["status"] is not None
    update(demo_con, "1.3", status="done", progress=100)
    second = close(demo_con, period_id, now=datetime(2026, 2, 3))
    assert second.closing_id != first.closing_id
    kept = demo_con.execute(
        "SELECT closing_id, status FROM snapshot_measures WHERE measure_id = ? ORDER BY closing_id",
        [measure_id(demo_con, "1.3")],
    ).fetchall()
    assert kept[0][0] == first.closing_id and kept[1] == (second.closing_id, "done")
    assert kept[0][1] != "done"
    actions = [
        row[0]
        for row in demo_con.execute("SELECT action FROM audit_log WHERE entity = 'period' ORDER BY id").fetchall()
    ]
    assert actions == ["period.open", "period.close", "period.reopen", "period.close"]


def test_any_two_periods_compare_and_now_compares_with_a_period(demo_con):
    first = periods.open_period(
        demo_con, EDITOR, PROGRAMME, {"name_fi": "Vuosiraportti 2024", "as_of": date(2024, 12, 31)}
    )
    close(demo_con, first)
    update(demo_con, "1.3", status="done", progress=100)
    second = open_2025(demo_con)
    close(demo_con, second)
    third = periods.open_period(
        demo_con, EDITOR, PROGRAMME, {"name_fi": "Välikatsaus 2026", "as_of": date(2026, 6, 30)}
    )
    update(demo_con, "1.2", status="late", progress=61)
    close(demo_con, third)
    scope = {"programme_id": PROGRAMME, "include_unpublished": True, "today": TODAY}
    # the oldest against the newest, not only the latest two
    summary = db.query(demo_con, "period_change_summary", base_period_id=first, period_id=third, **scope).iloc[0]
    assert int(summary["newly_done"]) == 1 and int(summary["done_after"]) == int(summary["done_before"]) + 1
    assert int(summary["status_changes"]) == 2
    changes = db.query(demo_con, "period_changes", base_period_id=first, period_id=third, lang="fi", **scope)
    by_code = changes.set_index("code")
    assert set(by_code.index) == {"1.2", "1.3"}
    assert bool(by_code.at["1.3", "newly_done"]) and by_code.at["1.3", "status_after"] == "done"
    assert by_code.at["1.2", "status_before"] != "late" and by_code.at["1.2", "status_after"] == "late"
    assert bool(by_code.at["1.2", "newly_late"])
    # the first and second differ by 1.3 only; now and the third by nothing
    assert list(
        db.query(demo_con, "period_changes", base_period_id=first, period_id=second, lang="fi", **scope)["code"]
    ) == ["1.3"]
    assert db.query(demo_con, "period_changes", base_period_id=third, period_id=None, lang="fi", **scope).empty


def test_the_cli_opens_marks_closes_lists_and_compares(demo_db_path, capsys):
    base = ["--db", str(demo_db_path)]
    programme = "Joensuun ilmasto-ohjelma (esimerkkiaineisto)"
    assert (
        cli.main(
            [*base, "period", "open", "--programme", programme, "--name", "Vuosiraportti 2024", "--as-of", "2024-12-31"]
        )
        == 0
    )
    assert cli.main([*base, "period", "close", "--programme", programme, "--name", "Vuosiraportti 2024"]) == 0
    assert (
        cli.main(
            [
                *base,
                "period",
                "open",
                "--programme",
                programme,
                "--name",
                NAME,
                "--name-en",
                "Annual report 2025",
                "--as-of",
                "2025-12-31",
                "--due",
                "2026-02-15",
            ]
        )
        == 0
    )
    assert (
        cli.main([*base, "period", "ready", "--programme", programme, "--name", "Annual report 2025", "1.1", "1.2"])
        == 0
    )
    assert "2 of 2 measures marked ready" in capsys.readouterr().out
    assert cli.main([*base, "period", "ready", "--programme", programme, "--name", NAME, "9.99"]) == 1
    assert "9.99" in capsys.readouterr().err
    assert cli.main([*base, "period", "list", "--programme", programme, "--json"]) == 0
    listed = json.loads(capsys.readouterr().out)
    assert [(p["name"], p["state"], p["ready"], p["due"]) for p in listed] == [
        (NAME, "open", 2, "2026-02-15"),
        ("Vuosiraportti 2024", "closed", 0, None),
    ]
    assert (
        cli.main([*base, "period", "compare", "--programme", programme, "--name", NAME, "--with", "Vuosiraportti 2024"])
        == 1
    )
    assert "has not been closed" in capsys.readouterr().err
    assert cli.main([*base, "period", "close", "--programme", programme, "--name", NAME]) == 0
    assert "Closed 'Vuosiraportti 2025'" in capsys.readouterr().out
    assert cli.main([*base, "period", "close", "--programme", programme, "--name", NAME]) == 1
    assert "closed" in capsys.readouterr().err
    assert (
        cli.main(
            [
                *base,
                "period",
                "compare",
                "--programme",
                programme,
                "--name",
                NAME,
                "--with",
                "Vuosiraportti 2024",
                "--json",
            ]
        )
        == 0
    )
    compared = json.loads(capsys.readouterr().out)
    assert compared["summary"]["measures_after"] == compared["summary"]["measures_before"] > 0
    assert cli.main([*base, "period", "reopen", "--programme", programme, "--name", NAME, "--reason", "Korjaus"]) == 0
    assert cli.main([*base, "period", "list", "--programme", "Ei ohjelmaa"]) == 1
    with pytest.raises(SystemExit):
        cli.main([*base, "period", "open", "--programme", programme, "--name", "X", "--as-of", "31.12.2025"])


def test_an_unknown_period_name_is_a_clear_refusal(demo_con):
    with pytest.raises(NotFound) as missing:
        periods.find_period(demo_con, PROGRAMME, "Ei ole")
    assert missing.value.key == "period.name_not_found"
