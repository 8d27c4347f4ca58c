"""The foundation's named queries give known results on the demo data.

Expected values are read from the seed CSV files, independently of the SQL.
"""

import csv
import re
from collections import Counter
from decimal import Decimal

from tests.conftest import TODAY
from tracker import db
from tracker.demo.seed import SEED_DIR


def seed_rows(name):
    with (SEED_DIR / name).open(encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle, delimiter=";"))


def published_measures():
    return [row for row in seed_rows("measures.csv") if row["is_published"] != "false"]


def programme_id(con):
    return int(db.query(con, "programmes", lang="fi")["id"].iloc[0])


def test_programmes_lists_the_demo_programme_in_each_language(demo_con):
    fi = db.query(demo_con, "programmes", lang="fi")
    sv = db.query(demo_con, "programmes", lang="sv")
    assert list(fi["name"]) == ["Joensuun ilmasto-ohjelma (esimerkkiaineisto)"]
    assert list(sv["name"]) == ["Joensuu klimatprogram (exempeldata)"]
    assert list(sv["organisation"]) == ["Joensuu stad"]
    assert fi["is_demo"].item() and fi["is_default"].item()
    assert (fi["start_year"].item(), fi["end_year"].item()) == (2022, 2030)


def programme_status_counts(con, pid, include_unpublished):
    """Measures per status over all themes (theme_status_counts has every theme x status, in status order)."""
    per_theme = db.query(
        con, "theme_status_counts", programme_id=pid, lang="fi", include_unpublished=include_unpublished, today=TODAY
    )
    return per_theme.groupby("status", sort=False)["measures"].sum().reset_index()


def test_status_counts_match_the_seed(demo_con):
    pid = programme_id(demo_con)
    public = programme_status_counts(demo_con, pid, include_unpublished=False)
    everything = programme_status_counts(demo_con, pid, include_unpublished=True)
    expected_public = Counter(row["status"] for row in published_measures())
    expected_all = Counter(row["status"] for row in seed_rows("measures.csv"))
    assert list(public["status"]) == ["done", "in_progress", "late", "not_started", "postponed", "cancelled"]
    assert dict(zip(public["status"], public["measures"], strict=True)) == {
        s: expected_public.get(s, 0) for s in public["status"]
    }
    assert dict(zip(everything["status"], everything["measures"], strict=True)) == {
        s: expected_all.get(s, 0) for s in everything["status"]
    }


def test_programme_measures_in_theme_and_code_order_with_language_fallback(demo_con):
    pid = programme_id(demo_con)
    fi = db.query(demo_con, "programme_measures", programme_id=pid, lang="fi", include_unpublished=False, today=TODAY)
    expected_codes = sorted(
        (row["code"] for row in published_measures()), key=lambda c: [int(p) for p in re.findall(r"\d+", c)]
    )
    assert list(fi["code"]) == expected_codes
    iclei = fi[fi["code"] == "6.1"].iloc[0]
    assert (iclei["title"], iclei["status"], iclei["progress"]) == ("Liittyminen ICLEI-verkostoon", "done", 100)
    en = db.query(demo_con, "programme_measures", programme_id=pid, lang="en", include_unpublished=False, today=TODAY)
    assert en[en["code"] == "6.1"]["title"].item() == "Joining the ICLEI network"
    # a title missing in a language falls back to Finnish
    demo_con.execute("UPDATE measures SET title_sv = NULL WHERE code = '6.1'")
    sv = db.query(demo_con, "programme_measures", programme_id=pid, lang="sv", include_unpublished=False, today=TODAY)
    assert sv[sv["code"] == "6.1"]["title"].item() == "Liittyminen ICLEI-verkostoon"


def test_programme_themes_in_programme_order(demo_con):
    themes = db.query(demo_con, "programme_themes", programme_id=programme_id(demo_con), lang="sv")
    assert list(themes["position"]) == [1, 2, 3, 4, 5, 6]
    assert themes["name"].iloc[5] == "Samarbete och kommunikation"


def test_demo_real_measures_is_only_iclei(demo_con):
    real = db.query(
        demo_con, "demo_real_measures", programme_id=programme_id(demo_con), lang="fi", include_unpublished=False
    )
    assert len(real) == 1
    iclei = real.iloc[0]
    assert (iclei["code"], iclei["title"], iclei["status"]) == ("6.1", "Liittyminen ICLEI-verkostoon", "done")
    assert (iclei["first_year"], iclei["last_year"]) == (2022, 2024)
    assert (iclei["planned_eur"], iclei["planned_per_year"]) == (3600, 1200)
    assert (iclei["decision_body"], iclei["decision_outcome"], iclei["decision_unanimous"]) == (
        "Kaupunginhallitus",
        "approved",
        True,
    )
    demo_con.execute("UPDATE measures SET is_published = false WHERE code = '6.1'")
    hidden = dict(programme_id=programme_id(demo_con), lang="fi")
    assert db.query(demo_con, "demo_real_measures", include_unpublished=False, **hidden).empty
    assert len(db.query(demo_con, "demo_real_measures", include_unpublished=True, **hidden)) == 1


def measure_by_code(con, pid, code, *, internal):
    """One measure in Finnish; an internal reader also sees unpublished measures and internal fields."""
    return db.query(
        con,
        "measure_by_code",
        programme_id=pid,
        code=code,
        lang="fi",
        include_unpublished=internal,
        include_internal=internal,
        today=TODAY,
    )


def test_measure_by_code_hides_internal_fields_unless_asked(demo_con):
    pid = programme_id(demo_con)
    row = next(r for r in seed_rows("measures.csv") if r["internal_note"] and r["is_published"] != "false")
    public = measure_by_code(demo_con, pid, row["code"], internal=False)
    assert public["internal_note"].isna().all() and public["contact_email"].isna().all()
    internal = measure_by_code(demo_con, pid, row["code"], internal=True)
    assert internal["internal_note"].item() == row["internal_note"]
    assert internal["contact_email"].item() == row["contact_email"]
    hidden = next(r for r in seed_rows("measures.csv") if r["is_published"] == "false")
    assert measure_by_code(demo_con, pid, hidden["code"], internal=False).empty


def iclei_id(con):
    return con.execute("SELECT id FROM measures WHERE code = '6.1'").fetchone()[0]


def test_iclei_budget_lines(demo_con):
    lines = db.query(demo_con, "measure_budget_lines", measure_id=iclei_id(demo_con))
    assert list(lines["year"]) == [2022, 2023, 2024]
    assert list(lines["cost_centre"]) == ["1275"] * 3
    assert set(lines["cost_centre_name"]) == {"Ilmastotyön koordinointi"}
    assert [Decimal(str(v)) for v in lines["planned_eur"]] == [Decimal(1200)] * 3
    assert lines["actual_eur"].iloc[:2].tolist() == [1200, 1200] and lines["actual_eur"].isna().iloc[2]


def test_iclei_decision(demo_con):
    decisions = db.query(demo_con, "measure_decisions", measure_id=iclei_id(demo_con))
    assert len(decisions) == 1
    decision = decisions.iloc[0]
    assert (decision["body"], decision["outcome"], bool(decision["unanimous"])) == (
        "Kaupunginhallitus",
        "approved",
        True,
    )
    assert decision["decided_on"] is None or decision["decided_on"] != decision["decided_on"]
    assert "Hyväksyttiin yksimielisesti" in decision["text"]
    assert not decision["is_illustrative"]


def test_measure_events_hide_internal_notes_unless_asked(demo_con):
    events = seed_rows("status_events.csv")
    code = next(e["code"] for e in events if e["note_is_public"] == "false")
    measure_id = demo_con.execute("SELECT id FROM measures WHERE code = ?", [code]).fetchone()[0]
    public = db.query(demo_con, "measure_events", measure_id=measure_id, include_internal=False)
    everything = db.query(demo_con, "measure_events", measure_id=measure_id, include_internal=True)
    of_code = [e for e in events if e["code"] == code]
    assert len(everything) == len(of_code)
    assert len(public) == sum(e["note_is_public"] != "false" for e in of_code)
    assert everything["occurred_at"].is_monotonic_decreasing


def test_theme_status_counts_cover_every_theme_and_status(demo_con):
    counts = db.query(
        demo_con,
        "theme_status_counts",
        today=TODAY,
        programme_id=programme_id(demo_con),
        lang="fi",
        include_unpublished=False,
    )
    assert len(counts) == 6 * 6
    expected = Counter((row["theme_position"], row["status"]) for row in published_measures())
    for row in counts.itertuples():
        assert row.measures == expected.get((str(row.position), row.status), 0)
    theme6 = counts[counts["position"] == 6]
    done = theme6[theme6["status"] == "done"].iloc[0]
    assert done["theme_total"] == sum(1 for r in published_measures() if r["theme_position"] == "6")
    assert abs(theme6["share"].sum() - 1) < 1e-9
