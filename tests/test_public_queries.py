"""The named queries behind the residents' routes (JSON API, feed, the public
measure page) and the editors' feedback inbox, run on the demo: public fields
only, published measures only, and what a resident's feedback leaves."""

from __future__ import annotations

from datetime import date, datetime

from tracker import db
from tracker.write import feedback

ICLEI = "6.1"
TODAY = date(2026, 11, 30)


def programme_and_measure(con) -> tuple[int, int]:
    return con.execute("SELECT programme_id, id FROM measures WHERE code = ? ORDER BY id LIMIT 1", [ICLEI]).fetchone()


def test_the_api_lists_only_published_measures_with_their_total(demo_con):
    programme_id, _ = programme_and_measure(demo_con)
    published = demo_con.execute(
        "SELECT count(*) FROM measures WHERE programme_id = ? AND is_published AND archived_at IS NULL", [programme_id]
    ).fetchone()[0]
    params = dict(
        programme_id=programme_id, lang="fi", theme_position=None, status=None, updated_since=None, today=TODAY
    )
    page = db.query(demo_con, "public_api_measures", **params, include_money=False, limit=5, offset=0)
    assert len(page) == 5 and int(page["total"].iloc[0]) == published
    everything = db.query(demo_con, "public_api_measures", **params, include_money=True, limit=1000, offset=0)
    assert len(everything) == published and ICLEI in everything["code"].tolist()
    # a later page continues where the first one ended
    second = db.query(demo_con, "public_api_measures", **params, include_money=False, limit=5, offset=5)
    assert set(page["code"]).isdisjoint(second["code"])


def test_the_api_measure_has_no_row_once_unpublished(demo_con):
    _, measure_id = programme_and_measure(demo_con)
    found = db.query(demo_con, "public_api_measure", measure_id=measure_id, lang="en", include_money=True, today=TODAY)
    assert found.iloc[0]["code"] == ICLEI
    demo_con.execute("UPDATE measures SET is_published = false WHERE id = ?", [measure_id])
    assert db.query(
        demo_con, "public_api_measure", measure_id=measure_id, lang="en", include_money=True, today=TODAY
    ).empty


def test_the_iclei_decision_is_public_on_its_measure_and_in_the_api(demo_con):
    programme_id, measure_id = programme_and_measure(demo_con)
    decisions = db.query(demo_con, "public_measure_decisions", measure_id=measure_id)
    assert not decisions.empty
    assert "decision_text" not in decisions.columns  # the pasted text is never public
    listed = db.query(demo_con, "public_api_decisions", programme_id=programme_id, limit=50, offset=0)
    assert not listed.empty and int(listed["total"].iloc[0]) >= len(decisions)


def test_the_feed_holds_public_events_newest_first(demo_con):
    programme_id, _ = programme_and_measure(demo_con)
    events = db.query(demo_con, "public_feed_events", programme_id=programme_id, lang="fi", limit=10)
    assert 0 < len(events) <= 10
    times = [value for value in events.iloc[:, list(events.columns).index("occurred_at")]]
    assert times == sorted(times, reverse=True)


def test_the_inbox_counts_and_lists_feedback(demo_con):
    programme_id, measure_id = programme_and_measure(demo_con)
    before = db.query(demo_con, "workspace_feedback_counts").iloc[0]
    item = feedback.Feedback(
        kind="measure",
        programme_id=programme_id,
        measure_id=measure_id,
        lang="fi",
        message="Hyvä että liityttiin ICLEIin.",
        name="Asukas",
        email="asukas@example.fi",
        consent=True,
    )
    feedback.receive(demo_con, item, address="192.0.2.1", retention_days=30, now=datetime(2026, 11, 28, 12))
    counts = db.query(demo_con, "workspace_feedback_counts").iloc[0]
    assert int(counts["new_items"]) == int(before["new_items"]) + 1
    listed = db.query(demo_con, "workspace_feedback", status="new", lang="fi", limit=10)
    assert listed.iloc[0]["message"] == "Hyvä että liityttiin ICLEIin."
