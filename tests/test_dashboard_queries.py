"""The leadership dashboard's queries: known numbers on the demo data (expected
values computed from the seed CSVs or a plain count, never by the query under
test) and exact results on small hand-built databases."""

import csv
from collections import defaultdict
from datetime import date, datetime
from decimal import Decimal

import pytest

from tests.conftest import ROOT, TODAY
from tests.dashboard_builders import Builder
from tracker import db

SEED = ROOT / "data" / "seed"


def seed_rows(name: str) -> list[dict]:
    with (SEED / name).open(encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle, delimiter=";"))


def published_measures() -> dict[str, dict]:
    return {row["code"]: row for row in seed_rows("measures.csv") if row["is_published"].strip().lower() != "false"}


def published_money() -> list[dict]:
    codes = published_measures()
    return [row for row in seed_rows("budget_lines.csv") if row["code"] in codes]


def money(value: str) -> Decimal:
    return Decimal(value) if value.strip() else Decimal(0)


def demo(con, name, **params):
    base = {"programme_id": 1, "lang": "fi", "include_unpublished": False, "today": TODAY}
    return db.query(con, name, **{**base, **params})


# -- demo data --


def is_late(m: dict) -> bool:
    """Whether a measure of the demo's CSV counts as late on TODAY: so marked, or past its end and not finished."""
    return m["status"] == "late" or bool(
        m["end_date"]
        and date.fromisoformat(m["end_date"]) < TODAY
        and m["status"] not in ("done", "cancelled")
        and m["is_continuous"] != "true"
    )


def test_headline_tiles_on_the_demo(demo_con):
    measures = published_measures()
    tiles = demo(demo_con, "overview_tiles", recent_days=60).iloc[0]
    statuses = [m["status"] for m in measures.values()]
    assert tiles["total"] == len(measures)
    assert tiles["done"] == statuses.count("done")
    assert tiles["in_progress"] == statuses.count("in_progress")
    assert tiles["not_started"] == statuses.count("not_started")
    late = [code for code, m in measures.items() if is_late(m)]
    assert tiles["late"] == len(late)
    lines = published_money()
    assert tiles["planned_this_year"] == sum(money(r["planned_eur"]) for r in lines if int(r["year"]) == TODAY.year)
    assert tiles["actual_this_year"] == sum(money(r["actual_eur"]) for r in lines if int(r["year"]) == TODAY.year)
    assert tiles["planned_period"] == sum(money(r["planned_eur"]) for r in lines if 2022 <= int(r["year"]) <= 2030)
    recent = demo_con.execute(
        "SELECT count(*) FROM measures WHERE is_published AND updated_at >= ?", [datetime(2026, 9, 29)]
    ).fetchone()[0]
    assert tiles["updated_recently"] == recent


def test_late_list_on_the_demo(demo_con):
    expected = {code for code, m in published_measures().items() if is_late(m)}
    late = demo(demo_con, "late_measures")
    assert set(late["code"]) == expected
    overdue = late["days_overdue"].dropna().tolist()
    assert overdue == sorted(overdue, reverse=True)


def test_stale_and_upcoming_lists_on_the_demo(demo_con):
    rows = demo_con.execute(
        "SELECT code, status, CAST(updated_at AS DATE) FROM measures WHERE is_published AND archived_at IS NULL"
    ).fetchall()
    open_rows = [
        (code, (TODAY - updated).days) for code, status, updated in rows if status not in ("done", "cancelled")
    ]
    stale = demo(demo_con, "stale_measures", acceptable_days=60, stale_days=180)
    assert set(stale["code"]) == {code for code, days in open_rows if days > 60}
    assert set(stale.loc[stale["is_stale"], "code"]) == {code for code, days in open_rows if days >= 180}
    assert (stale["stale_count"] == sum(days >= 180 for _, days in open_rows)).all()

    upcoming = demo(demo_con, "upcoming_measures", upcoming_days=90)
    expected = {
        code
        for code, m in published_measures().items()
        if m["end_date"]
        and 0 <= (date.fromisoformat(m["end_date"]) - TODAY).days <= 90
        and m["status"] not in ("done", "cancelled")
    }
    assert set(upcoming["code"]) == expected
    assert list(upcoming["end_date"]) == sorted(upcoming["end_date"])


def test_money_by_year_and_cost_centre_on_the_demo(demo_con):
    planned, actual = defaultdict(Decimal), defaultdict(Decimal)
    centre_planned = defaultdict(Decimal)
    for row in published_money():
        planned[int(row["year"])] += money(row["planned_eur"])
        actual[int(row["year"])] += money(row["actual_eur"])
        centre_planned[row["cost_centre"]] += money(row["planned_eur"])
    by_year = demo(demo_con, "money_by_year")
    assert list(by_year["year"]) == sorted(planned)
    for row in by_year.itertuples():
        assert Decimal(str(row.planned_eur)) == planned[row.year]
        assert Decimal(str(row.actual_eur)) == actual[row.year]
        assert row.utilisation == pytest.approx(float(actual[row.year] / planned[row.year]))
    assert Decimal(str(by_year["planned_total"].iloc[0])) == sum(planned.values())

    centres = demo(demo_con, "money_by_cost_centre")
    assert dict(zip(centres["cost_centre"], centres["planned_eur"].map(lambda v: Decimal(str(v))), strict=True)) == {
        k: v for k, v in centre_planned.items()
    }
    assert centres["cost_centre"].iloc[0] == max(centre_planned, key=centre_planned.get)


def test_measures_without_money_on_the_demo(demo_con):
    funded = {r["code"] for r in published_money() if money(r["planned_eur"]) > 0 or money(r["actual_eur"]) > 0}
    expected = set(published_measures()) - funded
    assert set(demo(demo_con, "measures_without_money")["code"]) == expected
    assert expected, "the demo has measures without money"


def test_status_history_ends_with_todays_counts_on_the_demo(demo_con):
    history = demo(demo_con, "status_history")
    last = history[history["month_end"] == history["month_end"].max()]
    assert last["month_end"].iloc[0].date() == TODAY
    current = dict(
        demo_con.execute("SELECT status, count(*) FROM measures WHERE is_published GROUP BY status").fetchall()
    )
    assert {r.status: r.measures for r in last.itertuples() if r.measures} == current
    first_event = demo_con.execute("SELECT min(occurred_at) FROM status_events").fetchone()[0]
    assert history["month_end"].min().date() == date(first_event.year, first_event.month, 31)


def test_indicator_target_path_on_the_demo(demo_con):
    """The charging points have no reduction target (goals only): no path; a yearly
    indicator given one gets the straight line from its base year's total."""
    charging = demo_con.execute("SELECT id FROM indicators WHERE unit = 'kpl'").fetchone()[0]
    assert db.query(demo_con, "indicator_target_path", indicator_id=charging).empty
    totals = {int(r["year"]): Decimal(r["value"]) for r in seed_rows("indicator_charging.csv")}
    demo_con.execute(
        "UPDATE indicators SET base_year = 2018, target_year = 2028, target_reduction_pct = 50 WHERE id = ?", [charging]
    )
    path = db.query(demo_con, "indicator_target_path", indicator_id=charging).set_index("year")
    assert path.loc[2018, "target"] == pytest.approx(float(totals[2018]))
    assert path.loc[2028, "target"] == pytest.approx(float(totals[2018]) * 0.5)
    assert path.loc[2023, "gap"] == pytest.approx(float(totals[2023]) - float(totals[2018]) * 0.75)
    assert path["actual"].notna().sum() == len(totals)


def test_budget_pivot_subtotals_on_the_demo(demo_con):
    lines = published_money()
    pivot = demo(demo_con, "budget_pivot")
    total = pivot[pivot["level"] == "total"].iloc[0]
    assert Decimal(str(total["planned_eur"])) == sum(money(r["planned_eur"]) for r in lines)
    assert Decimal(str(total["actual_eur"])) == sum(money(r["actual_eur"]) for r in lines)
    year_2024 = pivot[(pivot["level"] == "year") & (pivot["year"] == 2024)].iloc[0]
    assert Decimal(str(year_2024["planned_eur"])) == sum(money(r["planned_eur"]) for r in lines if r["year"] == "2024")
    assert len(pivot[pivot["level"] == "line"]) == len(
        {(r["year"], published_measures()[r["code"]]["theme_position"], r["cost_centre"]) for r in lines}
    )

    over = demo(demo_con, "budget_lines_over", year=None)
    expected = {
        (r["code"], int(r["year"]))
        for r in lines
        if r["actual_eur"] and money(r["actual_eur"]) > money(r["planned_eur"])
    }
    assert set(zip(over["code"], over["year"], strict=True)) == expected
    # the over-budget table follows the chosen year (issue 14)
    over_2024 = demo(demo_con, "budget_lines_over", year=2024)
    assert set(zip(over_2024["code"], over_2024["year"], strict=True)) == {e for e in expected if e[1] == 2024}


def test_measure_indicator_summary_on_the_demo(demo_con):
    measure_id = demo_con.execute("SELECT id FROM measures WHERE code = '2.1'").fetchone()[0]
    summary = db.query(
        demo_con, "measure_indicator_summary", measure_id=measure_id, lang="sv", include_unpublished=False
    ).set_index("name")
    charging = summary.loc["Offentliga laddpunkter för elbilar"]
    assert (charging["effect"], charging["effect_amount"], charging["effect_year"]) == ("increase", 100, 2030)
    assert (charging["latest_year"], charging["latest_total"]) == (2025, 63)
    # the goal the latest value is measured against: the first at or after it
    assert (charging["goal_year"], charging["goal_value"]) == (2026, 80)
    oil = demo_con.execute("SELECT id FROM measures WHERE code = '1.1'").fetchone()[0]
    emissions = db.query(demo_con, "measure_indicator_summary", measure_id=oil, lang="en", include_unpublished=False)
    assert list(emissions["name"]) == ["Greenhouse-gas emissions"]
    assert emissions.iloc[0]["effect_amount"] == 3.5
    unlinked = demo_con.execute("SELECT id FROM measures WHERE code = '6.1'").fetchone()[0]
    assert db.query(
        demo_con, "measure_indicator_summary", measure_id=unlinked, lang="fi", include_unpublished=True
    ).empty


FILTERS = {
    "themes": [],
    "statuses": [],
    "units": [],
    "year_from": None,
    "year_to": None,
    "search": "",
    "stale_only": False,
    "stale_days": 180,
}


def filtered(con, **changes):
    return demo(con, "measures_filtered", **{**FILTERS, **changes})


def test_measures_filter_by_text_in_every_language(demo_con):
    fi_hits = {
        code for code, m in published_measures().items() if "aurinko" in (m["title_fi"] + m["description_fi"]).lower()
    }
    assert set(filtered(demo_con, search="AURINKO")["code"]) == fi_hits
    assert set(filtered(demo_con, search="solpaneler")["code"]) == fi_hits
    assert set(filtered(demo_con, search="solar panels", lang="sv")["code"]) == fi_hits
    assert filtered(demo_con, search="%").empty
    assert filtered(demo_con, search="_").empty
    assert len(filtered(demo_con)) == len(published_measures())


def test_measures_filter_by_theme_status_unit_years_and_staleness(demo_con):
    measures = published_measures()
    expected = {c for c, m in measures.items() if m["theme_position"] == "1" and m["status"] in ("late", "done")}
    assert set(filtered(demo_con, themes=[1], statuses=["late", "done"])["code"]) == expected
    expected = {c for c, m in measures.items() if m["responsible_unit"] == "Tilapalvelut"}
    assert set(filtered(demo_con, units=["Tilapalvelut"])["code"]) == expected
    expected = {
        c
        for c, m in measures.items()
        if (not m["start_date"] or int(m["start_date"][:4]) <= 2022)
        and (m["is_continuous"] == "true" or not m["end_date"] or int(m["end_date"][:4]) >= 2022)
    }
    assert set(filtered(demo_con, year_from=2022, year_to=2022)["code"]) == expected
    stale = filtered(demo_con, stale_only=True)
    assert set(stale["code"]) == set(
        demo(demo_con, "stale_measures", acceptable_days=179, stale_days=180).query("is_stale")["code"]
    )
    assert (stale["days_since_update"] >= 180).all()


def test_unpublished_measures_only_when_asked(demo_con):
    hidden = demo_con.execute("SELECT count(*) FROM measures WHERE NOT is_published").fetchone()[0]
    assert hidden
    everything = demo(demo_con, "overview_tiles", recent_days=60, include_unpublished=True).iloc[0]["total"]
    public = demo(demo_con, "overview_tiles", recent_days=60).iloc[0]["total"]
    assert everything - public == hidden


# -- small hand-built databases --


@pytest.fixture
def small(con):
    build = Builder(con)
    programme = build.programme()
    energy = build.theme(programme, 1, "Energia")
    build.theme(programme, 2, "Tyhjä teema")
    return build, programme, energy


def history_at(con, programme_id, today, **params):
    params = {"include_unpublished": False, **params}
    frame = db.query(con, "status_history", programme_id=programme_id, today=today, **params)
    return {(row.month_end.date(), row.status): row.measures for row in frame.itertuples() if row.measures}, frame


def test_status_history_follows_a_measure_that_went_late_then_done(small, con):
    build, programme, energy = small
    build.measure(
        programme,
        energy,
        "1.1",
        status="done",
        events=[
            (datetime(2024, 1, 10, 9), "not_started"),
            (datetime(2024, 2, 15, 9), "in_progress"),
            (datetime(2024, 4, 5, 9), "late"),
            (datetime(2024, 5, 20, 9), "done"),
        ],
    )
    build.measure(programme, energy, "1.2", status="in_progress", events=[(datetime(2024, 2, 1, 8), "in_progress")])
    # an event late on the last day of a month counts for that month
    build.measure(
        programme,
        energy,
        "1.3",
        status="cancelled",
        events=[(datetime(2024, 3, 1), "not_started"), (datetime(2024, 3, 31, 23, 30), "cancelled")],
    )
    build.measure(programme, energy, "1.4", status="done", published=False, events=[(datetime(2024, 1, 2), "done")])
    counts, frame = history_at(con, programme, date(2024, 6, 10))
    by_point = {
        date(2024, 1, 31): {"not_started": 1},
        date(2024, 2, 29): {"in_progress": 2},
        date(2024, 3, 31): {"in_progress": 2, "cancelled": 1},
        date(2024, 4, 30): {"late": 1, "in_progress": 1, "cancelled": 1},
        date(2024, 5, 31): {"done": 1, "in_progress": 1, "cancelled": 1},
        date(2024, 6, 10): {"done": 1, "in_progress": 1, "cancelled": 1},
    }
    assert counts == {(point, status): n for point, by_status in by_point.items() for status, n in by_status.items()}
    # every status at every point, so the stacked chart never has gaps
    assert len(frame) == 6 * 6
    with_hidden, _ = history_at(con, programme, date(2024, 6, 10), include_unpublished=True)
    assert with_hidden[(date(2024, 1, 31), "done")] == 1


def test_status_history_counts_a_measure_without_events_from_its_creation(small, con):
    build, programme, energy = small
    build.measure(programme, energy, "1.1", status="in_progress", updated_at=datetime(2024, 3, 5))
    counts, _ = history_at(con, programme, date(2024, 4, 2))
    assert counts == {(date(2024, 3, 31), "in_progress"): 1, (date(2024, 4, 2), "in_progress"): 1}


def test_status_history_is_empty_without_measures(small, con):
    _, programme, _ = small
    assert history_at(con, programme, date(2024, 4, 2))[1].empty


def test_lateness_staleness_and_upcoming_on_a_small_database(small, con):
    build, programme, energy = small
    today = date(2025, 6, 1)
    build.measure(programme, energy, "1", status="in_progress", end=date(2025, 5, 1), updated_at=datetime(2025, 5, 30))
    build.measure(programme, energy, "2", status="late", end=date(2026, 1, 1), updated_at=datetime(2025, 1, 1))
    build.measure(programme, energy, "3", status="done", end=date(2024, 1, 1), updated_at=datetime(2020, 1, 1))
    build.measure(programme, energy, "4", status="in_progress", end=date(2024, 1, 1), continuous=True)
    build.measure(programme, energy, "5", status="not_started", end=date(2025, 8, 1), updated_at=datetime(2025, 3, 1))
    build.measure(programme, energy, "6", status="cancelled", end=date(2025, 7, 1), updated_at=datetime(2020, 1, 1))
    params = {"programme_id": programme, "lang": "fi", "include_unpublished": False, "today": today}
    late = db.query(con, "late_measures", **params)
    assert list(late["code"]) == ["1", "2"]
    assert list(late["days_overdue"].fillna(-1)) == [31, -1]
    stale = db.query(con, "stale_measures", acceptable_days=60, stale_days=180, **params)
    # 4 was created (and last updated) on 1.1.2024 by the builder
    assert list(stale["code"]) == ["4", "2", "5"]
    assert list(stale["is_stale"]) == [True, False, False]
    upcoming = db.query(con, "upcoming_measures", upcoming_days=90, **params)
    assert list(upcoming["code"]) == ["5"]
    assert upcoming["days_left"].iloc[0] == 61
    tiles = db.query(con, "overview_tiles", recent_days=60, **params).iloc[0]
    assert (tiles["total"], tiles["late"], tiles["done"], tiles["updated_recently"]) == (6, 2, 1, 1)


def test_money_queries_on_a_small_database(small, con):
    build, programme, energy = small
    first = build.measure(programme, energy, "1")
    second = build.measure(programme, energy, "2")
    build.measure(programme, energy, "3")
    zero = build.measure(programme, energy, "4")
    build.money(first, 2024, "100", 1000, 900)
    build.money(first, 2025, "100", 1000, 1200)
    build.money(second, 2025, "200", 500)
    build.money(zero, 2025, "200", 0)
    by_year = db.query(con, "money_by_year", programme_id=programme, include_unpublished=False).set_index("year")
    assert by_year.loc[2025, "planned_eur"] == 1500
    assert by_year.loc[2025, "actual_eur"] == 1200
    assert by_year.loc[2025, "utilisation"] == pytest.approx(0.8)
    assert by_year.loc[2025, "lines_without_actual"] == 2
    assert by_year.loc[2024, "variance_eur"] == -100
    without = db.query(con, "measures_without_money", programme_id=programme, lang="fi", include_unpublished=False)
    assert list(without["code"]) == ["3", "4"]
    over = db.query(con, "budget_lines_over", programme_id=programme, lang="fi", include_unpublished=False, year=None)
    assert list(zip(over["code"], over["year"], over["variance_eur"], strict=True)) == [("1", 2025, 200)]
    pivot = db.query(con, "budget_pivot", programme_id=programme, lang="fi", include_unpublished=False)
    assert list(pivot["level"]) == ["line", "theme", "year", "line", "line", "theme", "year", "total"]
    assert pivot.iloc[-1]["planned_eur"] == 2500
    tiles = db.query(
        con, "overview_tiles", programme_id=programme, include_unpublished=False, today=date(2025, 3, 1), recent_days=60
    ).iloc[0]
    assert (tiles["planned_this_year"], tiles["actual_this_year"], tiles["planned_period"]) == (1500, 1200, 2500)


def test_a_programme_without_money_gives_empty_results(small, con):
    build, programme, energy = small
    build.measure(programme, energy, "1")
    params = {"programme_id": programme, "lang": "fi", "include_unpublished": False, "year": None}
    for name in ("money_by_year", "money_by_cost_centre", "budget_pivot", "budget_lines_over"):
        assert db.query(con, name, **params).empty, name
    theme_year = db.query(con, "budget_theme_year", **params)
    assert theme_year.empty
    tiles = db.query(con, "overview_tiles", today=date(2025, 1, 1), recent_days=60, **params).iloc[0]
    assert (tiles["total"], tiles["planned_this_year"], tiles["planned_period"]) == (1, 0, 0)


def test_indicator_target_path_on_a_small_database(con):
    build = Builder(con)
    indicator = build.indicator(
        {(2010, "a"): 60, (2010, "b"): 40, (2020, "a"): 50, (2020, "b"): 10}, base_year=2010, target_year=2030
    )
    path = db.query(con, "indicator_target_path", indicator_id=indicator).set_index("year")
    assert list(path.index) == list(range(2010, 2031))
    assert path.loc[2020, "target"] == pytest.approx(60)
    assert path.loc[2020, "gap"] == pytest.approx(0)
    assert path.loc[2030, "target"] == pytest.approx(20)
    assert path["actual"].notna().sum() == 2
    series = db.query(con, "indicator_series", indicator_id=indicator)
    assert list(series.loc[series["year"] == 2020, "sector"]) == ["a", "b"]
    assert set(series.loc[series["year"] == 2020, "period_total"]) == {60}


def test_indicator_without_target_has_no_path(con):
    build = Builder(con)
    indicator = build.indicator({(2015, "a"): 5}, base_year=2010)
    assert db.query(con, "indicator_target_path", indicator_id=indicator).empty
