"""One late rule (issue 12): late is "status late, or end date passed and not
done, cancelled or continuous"; every count, tile, chart and list uses it,
counts a late measure once, says the rule where late measures are listed, and
the weekly update offers the end date when the rule flags a measure by it."""

from datetime import date

import pytest

from tests.conftest import ROOT, TODAY
from tracker import db, write
from tracker.auth import Caller
from tracker.errors import ValidationError
from ui import data

EDITOR = Caller(role="editor", email="coordinator@joensuu.example")
RULE_FI = "Myöhässä: tila on Myöhässä, tai päättymispäivä on ohi eikä toimenpide ole valmis, peruttu tai jatkuva."
SCOPE = {"programme_id": 1, "lang": "fi", "include_unpublished": False, "today": TODAY}


@pytest.fixture(autouse=True)
def pinned_today(monkeypatch):
    monkeypatch.setattr(data, "today", lambda: TODAY)


def set_in_progress(con, code: str) -> int:
    """The issue's case: a measure moved from Myöhässä to Käynnissä whose end date has passed."""
    measure_id, version, end = con.execute(
        "SELECT id, version, end_date FROM measures WHERE code = ?", [code]
    ).fetchone()
    assert end < TODAY
    write.measures.update_measure(con, EDITOR, measure_id, expected_version=version, status="in_progress")
    return measure_id


def counts_by_status(frame, column="measures") -> dict:
    return frame.groupby("status")[column].sum().to_dict()


def test_a_measure_past_its_end_date_is_counted_once_as_late(demo_con):
    before = db.query(demo_con, "overview_tiles", recent_days=60, **SCOPE).iloc[0]
    set_in_progress(demo_con, "1.3")
    tiles = db.query(demo_con, "overview_tiles", recent_days=60, **SCOPE).iloc[0]
    assert (tiles["late"], tiles["in_progress"]) == (before["late"], before["in_progress"])
    statuses = ("done", "in_progress", "late", "not_started", "postponed", "cancelled")
    assert sum(int(tiles[s]) for s in statuses) == tiles["total"]

    themes = counts_by_status(db.query(demo_con, "theme_status_counts", **SCOPE))
    assert themes["late"] == tiles["late"] and themes["in_progress"] == tiles["in_progress"]
    national = counts_by_status(db.query(demo_con, "national_status_counts", include_unpublished=False, today=TODAY))
    assert national["late"] == tiles["late"]
    summary = db.query(demo_con, "national_summary", include_unpublished=False, today=TODAY, stale_days=180).iloc[0]
    assert summary["late"] == tiles["late"]
    organisations = db.query(
        demo_con,
        "national_organisations",
        search="",
        lang="fi",
        include_unpublished=False,
        today=TODAY,
        limit=5,
        offset=0,
    )
    assert organisations["late"].sum() == tiles["late"]
    history = db.query(demo_con, "status_history", **SCOPE)
    last = history[history["month_end"] == history["month_end"].max()]
    assert counts_by_status(last)["late"] == tiles["late"]


def test_the_lists_show_and_filter_a_late_measure_by_the_rule(demo_con):
    set_in_progress(demo_con, "1.3")
    late = db.query(demo_con, "late_measures", **SCOPE).set_index("code")
    assert (late.loc["1.3", "status"], late.loc["1.3", "set_status"]) == ("late", "in_progress")
    filters = {"themes": [], "units": [], "year_from": None, "year_to": None, "search": "", "stale_only": False}
    found = db.query(demo_con, "measures_filtered", statuses=["late"], stale_days=180, **filters, **SCOPE)
    assert "1.3" in set(found["code"]) and set(found["status"]) == {"late"}
    running = db.query(demo_con, "measures_filtered", statuses=["in_progress"], stale_days=180, **filters, **SCOPE)
    assert "1.3" not in set(running["code"])
    measure = db.query(demo_con, "measure_by_code", code="1.3", include_internal=False, **SCOPE).iloc[0]
    assert (measure["status"], measure["set_status"]) == ("late", "in_progress")
    public = db.query(
        demo_con, "public_measures", programme_id=1, lang="fi", theme_position=None, status="late", today=TODAY
    )
    assert "1.3" in set(public["code"])


def test_the_overview_says_the_rule_and_why_a_measure_is_late(demo_db_path):
    from tests.test_dashboard_pages import metric, open_page, texts

    con = db.connect(demo_db_path)
    set_in_progress(con, "1.3")
    late = con.execute(
        "SELECT count(*) FROM measures WHERE is_published AND (status = 'late'"
        " OR (end_date < ? AND status NOT IN ('done', 'cancelled') AND NOT is_continuous))",
        [TODAY],
    ).fetchone()[0]
    con.close()
    at = open_page("app_pages/overview.py")
    assert metric(at, "Myöhässä").value == str(late)
    assert RULE_FI in texts(at)
    late_list = next(h.proto.body for h in at.get("html") if "pv yli päättymispäivän" in h.proto.body)
    item = next(li for li in late_list.split("<li")[1:] if ">1.3 " in li)
    assert "⚠" in item and "tila Käynnissä" in item  # shown as late, with the status set on it
    # the tiles count each measure once: with postponed and cancelled they add up to the total
    shown = sum(
        int(metric(at, name).value.split(" / ")[0]) for name in ("Valmis", "Käynnissä", "Myöhässä", "Ei aloitettu")
    )
    other = next(c.value for c in at.caption if c.value.startswith("Lisäksi lykättyjä"))
    postponed, cancelled = (int(word) for word in other.replace(";", " ").split() if word.isdigit())
    assert shown + postponed + cancelled == int(metric(at, "Valmis").value.split(" / ")[1])


def test_the_measure_page_says_why_it_counts_as_late(demo_db_path):
    from tests.test_dashboard_pages import open_page, texts

    con = db.connect(demo_db_path)
    set_in_progress(con, "1.3")
    con.close()
    at = open_page("app_pages/measure.py", code="1.3")
    assert "Lasketaan myöhästyneeksi: päättymispäivä 31.12.2025 on ohi (tila Käynnissä)." in texts(at)


# -- the weekly update offers the end date --


def weekly(lang: str | None = None):
    from streamlit.testing.v1 import AppTest

    at = AppTest.from_file(str(ROOT / "dashboard.py"), default_timeout=60)
    at.session_state["app_caller"] = EDITOR
    if lang:
        at.query_params["lang"] = lang
    at.run()
    at.switch_page("app_pages/weekly.py").run()
    assert not at.exception, at.exception
    return at


def test_the_weekly_update_offers_the_end_date_where_the_rule_flags_it(demo_db_path):
    con = db.connect(demo_db_path)
    # Set without a save, so the card keeps its place among the stalest on the first page.
    con.execute("UPDATE measures SET status = 'in_progress' WHERE code = '1.3'")
    measure_id = con.execute("SELECT id FROM measures WHERE code = '1.3'").fetchone()[0]
    on_time = con.execute("SELECT id FROM measures WHERE code = '1.2'").fetchone()[0]
    con.close()
    at = weekly()
    assert any(RULE_FI in c.value for c in at.caption)
    keys = {d.key for d in at.date_input}
    assert f"weekly_end_date_{measure_id}" in keys and f"weekly_end_date_{on_time}" not in keys
    assert any("Päättymispäivä 31.12.2025 on ohi" in w.value for w in at.warning)

    at.date_input(key=f"weekly_end_date_{measure_id}").set_value(date(2027, 6, 30))
    next(b for b in at.button if b.label == "Tallenna").click()
    at.run()
    assert not at.exception, at.exception
    assert "Tallennettu 1 toimenpide." in [s.value for s in at.success]
    con = db.connect(demo_db_path)
    assert con.execute("SELECT end_date, status FROM measures WHERE id = ?", [measure_id]).fetchone() == (
        date(2027, 6, 30),
        "in_progress",
    )
    late = db.query(con, "late_measures", **SCOPE)
    assert "1.3" not in set(late["code"])
    changes = con.execute(
        "SELECT before, after FROM audit_log WHERE action = 'measure.update_status' ORDER BY id DESC LIMIT 1"
    ).fetchone()
    assert '"end_date": "2025-12-31"' in changes[0] and '"end_date": "2027-06-30"' in changes[1]
    con.close()
    # the card stays on screen, now without the end date (no longer flagged)
    assert f"weekly_status_{measure_id}" in {s.key for s in at.selectbox}
    assert f"weekly_end_date_{measure_id}" not in {d.key for d in at.date_input}


def test_an_end_date_before_the_start_is_refused_beside_its_measure(demo_con):
    measure_id, version, start = demo_con.execute(
        "SELECT id, version, start_date FROM measures WHERE code = '1.3'"
    ).fetchone()
    change = {"measure_id": measure_id, "expected_version": version, "end_date": date(start.year - 1, 1, 1)}
    with pytest.raises(ValidationError) as refused:
        write.measures.update_measures(demo_con, EDITOR, [change])
    assert refused.value.problems == {f"{measure_id}.end_date": ("validation.end_before_start", {})}
    assert demo_con.execute("SELECT version FROM measures WHERE id = ?", [measure_id]).fetchone()[0] == version


def test_moving_only_the_end_date_writes_no_status_event(demo_con):
    measure_id, version = demo_con.execute("SELECT id, version FROM measures WHERE code = '1.3'").fetchone()
    events = demo_con.execute("SELECT count(*) FROM status_events WHERE measure_id = ?", [measure_id]).fetchone()[0]
    change = {"measure_id": measure_id, "expected_version": version, "end_date": date(2027, 1, 31)}
    assert write.measures.update_measures(demo_con, EDITOR, [change]) == {measure_id: version + 1}
    assert demo_con.execute("SELECT count(*) FROM status_events WHERE measure_id = ?", [measure_id]).fetchone()[0] == (
        events
    )
