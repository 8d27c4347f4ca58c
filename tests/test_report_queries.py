"""The named queries of the reporting cycle (issue 14), each against what the
tables say when read another way: now and a period's snapshot give the same
figures until something changes; the report's money, lateness and decisions."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from tests.conftest import TODAY
from tracker import db
from tracker.auth import Caller
from tracker.write import periods, reminders

EDITOR = Caller(role="editor", email="coordinator@joensuu.example")
NOW = {"programme_id": 1, "period_id": None, "include_unpublished": True, "today": TODAY, "lang": "fi"}


def closed_period(con) -> int:
    period_id = periods.open_period(con, EDITOR, 1, {"name_fi": "Vuosiraportti 2025", "as_of": date(2025, 12, 31)})
    periods.close_period(con, EDITOR, period_id, expected_version=1)
    return period_id


def test_the_snapshot_queries_read_every_measure_line_link_and_value(demo_con):
    period_id = periods.open_period(demo_con, EDITOR, 1, {"name_fi": "X", "as_of": date(2025, 12, 31)})
    measures = db.query(
        demo_con, "snapshot_capture_measures", programme_id=1, period_id=period_id, as_of=date(2025, 12, 31)
    )
    live = demo_con.execute("SELECT count(*) FROM measures WHERE programme_id = 1 AND archived_at IS NULL").fetchone()[
        0
    ]
    assert len(measures) == live and not measures["is_ready"].any()
    money = db.query(demo_con, "snapshot_capture_money", programme_id=1)
    total = demo_con.execute(
        "SELECT sum(planned_eur) FROM budget_lines b JOIN measures m ON m.id = b.measure_id"
        " WHERE m.programme_id = 1 AND m.archived_at IS NULL"
    ).fetchone()[0]
    assert Decimal(str(money["planned_eur"].sum())).quantize(Decimal("0.01")) == total
    links = db.query(demo_con, "snapshot_capture_decisions", programme_id=1)
    assert len(links) == demo_con.execute("SELECT count(*) FROM measure_decisions").fetchone()[0]
    values = db.query(demo_con, "snapshot_indicator_values", organisation_id=1)
    assert len(values) == demo_con.execute("SELECT count(*) FROM indicator_values").fetchone()[0]
    # each value under its own key: a monthly indicator's months are told apart
    assert not values.duplicated(["indicator_id", "year", "month", "sector"]).any()
    assert values["is_preliminary"].any()
    goals = db.query(demo_con, "snapshot_indicator_goals", organisation_id=1)
    assert (
        sorted(zip(goals["indicator_id"], goals["year"], goals["month"], strict=True))
        == demo_con.execute("SELECT indicator_id, year, month FROM indicator_goals ORDER BY ALL").fetchall()
    )


def test_now_and_a_fresh_snapshot_report_the_same(demo_con):
    period_id = closed_period(demo_con)
    frozen = {**NOW, "period_id": period_id}
    for name, extra in (
        ("report_tiles", {"year": 2025}),
        ("report_theme_status", {}),
        ("report_money_table", {}),
    ):
        now = db.query(demo_con, name, **NOW, **extra)
        then = db.query(demo_con, name, **frozen, **extra)
        assert now.astype(str).equals(then.astype(str)), name


def test_report_tiles_and_late_measures_agree_with_the_overview(demo_con):
    tiles = db.query(demo_con, "report_tiles", year=TODAY.year, **NOW).iloc[0]
    overview = db.query(
        demo_con, "overview_tiles", programme_id=1, include_unpublished=True, today=TODAY, recent_days=60
    ).iloc[0]
    assert (int(tiles["total"]), int(tiles["done"]), int(tiles["late"])) == (
        int(overview["total"]),
        int(overview["done"]),
        int(overview["late"]),
    )
    assert tiles["planned_year"] == overview["planned_this_year"]
    late = db.query(demo_con, "report_late", on_day=TODAY, **NOW)
    expected = db.query(demo_con, "late_measures", programme_id=1, lang="fi", include_unpublished=True, today=TODAY)
    assert list(late["code"]) == list(expected["code"])
    counts = db.query(demo_con, "report_theme_status", **NOW)
    assert int(counts.groupby("theme_id")["theme_total"].first().sum()) == int(tiles["total"])


def test_every_status_tile_and_theme_count_agrees_with_the_overview_when_measures_are_past_their_end(demo_con):
    """On a day when open measures have passed their end date, each is counted once, as
    late, in the report's tiles and theme table, exactly as the overview counts it."""
    later = date(2028, 1, 1)
    on_day = {**NOW, "today": later}
    past_end = demo_con.execute(
        "SELECT count(*) FROM measures WHERE archived_at IS NULL AND status IN ('in_progress', 'not_started')"
        " AND end_date < ? AND NOT is_continuous",
        [later],
    ).fetchone()[0]
    assert past_end > 0  # the day has what this test is about
    tiles = db.query(demo_con, "report_tiles", year=2027, **on_day).iloc[0]
    overview = db.query(
        demo_con, "overview_tiles", programme_id=1, include_unpublished=True, today=later, recent_days=60
    ).iloc[0]
    statuses = ("done", "in_progress", "late", "not_started", "postponed", "cancelled")
    assert {status: int(tiles[status]) for status in statuses} == {status: int(overview[status]) for status in statuses}
    assert sum(int(tiles[status]) for status in statuses) == int(tiles["total"])
    report_counts = db.query(demo_con, "report_theme_status", **on_day)
    overview_counts = db.query(
        demo_con, "theme_status_counts", programme_id=1, lang="fi", include_unpublished=True, today=later
    )
    as_counted = ["theme_id", "status", "measures"]
    report_counts = report_counts[as_counted].astype(str).sort_values(as_counted[:2]).reset_index(drop=True)
    overview_counts = overview_counts[overview_counts["measures"] > 0][as_counted].astype(str)
    report_counts = report_counts[report_counts["measures"] != "0"].reset_index(drop=True)
    assert report_counts.equals(overview_counts.sort_values(as_counted[:2]).reset_index(drop=True))


def test_the_money_table_has_year_and_cost_centre_totals(demo_con):
    money = db.query(demo_con, "report_money_table", **NOW)
    lines = money[money["level"] == "line"]
    centres = money[money["level"] == "centre"].set_index("cost_centre")
    for centre, group in lines.groupby("cost_centre"):
        assert round(group["planned_eur"].sum(), 2) == round(centres.at[centre, "planned_eur"], 2)
    years = money[money["level"] == "year"].set_index("year")
    for year, group in lines.groupby("year"):
        assert round(group["actual_eur"].sum(), 2) == round(years.at[year, "actual_eur"], 2)
    total = money[money["level"] == "total"].iloc[0]
    assert round(total["planned_eur"], 2) == round(lines["planned_eur"].sum(), 2)


def test_decisions_of_the_period_are_those_made_in_its_time(demo_con):
    everything = db.query(demo_con, "report_decisions", since=date(1990, 1, 1), until=TODAY, **NOW)
    assert (
        len(everything)
        == demo_con.execute(
            "SELECT count(DISTINCT md.decision_id) FROM measure_decisions md JOIN decisions d ON d.id = md.decision_id"
            " JOIN measures m ON m.id = md.measure_id WHERE m.archived_at IS NULL AND d.decided_on IS NOT NULL"
        ).fetchone()[0]
    )
    day = everything["decided_on"].iloc[0].date()
    window = db.query(demo_con, "report_decisions", since=day, until=TODAY, **NOW)
    assert len(window) == len(everything[everything["decided_on"].dt.date > day])


def test_money_change_per_year_and_the_framework_rows(demo_con):
    period_id = closed_period(demo_con)
    change = db.query(
        demo_con,
        "period_money_change",
        programme_id=1,
        base_period_id=period_id,
        period_id=None,
        include_unpublished=True,
    )
    assert (change["planned_before"] == change["planned_after"]).all() and len(change) > 0
    rows = db.query(demo_con, "framework_measures", programme_id=1, lang="en")
    assert (
        len(rows)
        == demo_con.execute("SELECT count(*) FROM measures WHERE programme_id = 1 AND archived_at IS NULL").fetchone()[
            0
        ]
    )


def test_the_opt_out_token_finds_its_contact(demo_con):
    rows = reminders.contacts_for(demo_con, EDITOR, ["Someone@Joensuu.example"])
    token = rows["someone@joensuu.example"]["opt_out_token"]
    found = db.query(demo_con, "reminder_contact_by_token", token=token)
    assert list(found.iloc[0]) == ["someone@joensuu.example", "fi", False]
    assert db.query(demo_con, "reminder_contact_by_token", token="nope").empty


def test_a_measures_open_periods_say_whether_it_is_ready_earliest_due_first(demo_con):
    later = periods.open_period(demo_con, EDITOR, 1, {"name_fi": "Kevät", "as_of": date(2026, 6, 30)})
    sooner = periods.open_period(
        demo_con, EDITOR, 1, {"name_fi": "Vuosi", "as_of": date(2025, 12, 31), "due_on": date(2026, 2, 15)}
    )
    measure_id = demo_con.execute("SELECT id FROM measures WHERE code = '1.1' AND programme_id = 1").fetchone()[0]
    periods.set_ready(demo_con, EDITOR, later, measure_id, True)
    found = db.query(demo_con, "measure_open_periods", measure_id=measure_id, lang="fi")
    assert list(zip(found["id"], found["name"], found["ready"], strict=True)) == [
        (sooner, "Vuosi", False),
        (later, "Kevät", True),
    ]
    assert found["marked_by"].iloc[1] == EDITOR.email
    periods.close_period(demo_con, EDITOR, sooner, expected_version=1)
    assert list(db.query(demo_con, "measure_open_periods", measure_id=measure_id, lang="fi")["id"]) == [later]
