"""The workspace's named queries give known results on the demo data.

Expected values come from the seed CSV files or from plain SQL, never from the
query under test; audit-log and user queries are checked against rows the
tests create themselves through the write services.
"""

import csv
import json
import math
import re
from collections import Counter
from datetime import date, datetime, timedelta
from decimal import Decimal

import pytest

from tests.conftest import TODAY
from tracker import db, write
from tracker.auth import SYSTEM, Caller
from tracker.demo.seed import SEED_DIR
from tracker.errors import AuthError

ADMIN = Caller(role="admin", email="admin@joensuu.example")
EDITOR = Caller(role="editor", email="coordinator@joensuu.example")
PASSWORD = "correct horse battery staple"


def seed_rows(name):
    with (SEED_DIR / name).open(encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle, delimiter=";"))


def code_key(code):
    """Numeric parts of a measure code as numbers: 1.2 < 1.10 < 2.1."""
    return [int(m.group()) if (m := re.match(r"\d+", part)) else 0 for part in code.split(".")], code


def seed_measures():
    return {row["code"]: row for row in seed_rows("measures.csv")}


def seed_versions():
    """A seeded measure's version is the number of its status events."""
    counts = Counter(row["code"] for row in seed_rows("status_events.csv"))
    return {code: max(1, counts[code]) for code in seed_measures()}


def seed_last_update():
    last = {}
    for row in seed_rows("status_events.csv"):
        at = datetime.fromisoformat(row["at"])
        last[row["code"]] = max(last.get(row["code"], at), at)
    return last


def seed_themes():
    """Theme position -> (fi, sv, en) names, from programme.toml."""
    import tomllib

    with (SEED_DIR / "programme.toml").open("rb") as handle:
        spec = tomllib.load(handle)
    return {str(t["position"]): (t["name_fi"], t["name_sv"], t["name_en"]) for t in spec["themes"]}


def measure_ids(con):
    return dict(con.execute("SELECT code, id FROM measures").fetchall())


def decision_ids(con):
    """Seed decision key -> id: decisions are inserted in file order."""
    keys = [row["key"] for row in seed_rows("decisions.csv")]
    ids = [row[0] for row in con.execute("SELECT id FROM decisions ORDER BY id LIMIT ?", [len(keys)]).fetchall()]
    return dict(zip(keys, ids, strict=True))


def programme_and_organisation(con):
    return con.execute("SELECT id, organisation_id FROM programmes").fetchone()


def none_if_missing(value):
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return None
    try:
        import pandas as pd

        if pd.isna(value):
            return None
    except (TypeError, ValueError):
        pass
    return value


def euros(value):
    value = none_if_missing(value)
    return None if value is None else Decimal(str(value)).quantize(Decimal("0.01"))


def seed_euros(text):
    return None if not text else Decimal(text)


def seed_links():
    """Decision key -> the codes of the measures it is linked to."""
    links = {}
    for row in seed_rows("measure_decisions.csv"):
        links.setdefault(row["decision_key"], []).append(row["code"])
    return links


def archive(con, code):
    measure_id, version = con.execute("SELECT id, version FROM measures WHERE code = ?", [code]).fetchone()
    write.measures.archive_measure(con, EDITOR, measure_id, expected_version=version)
    return measure_id


# -- decision_measure_candidates --


def test_decision_measure_candidates_are_every_live_measure_in_code_order(demo_con):
    programme_id, organisation_id = programme_and_organisation(demo_con)
    frame = db.query(demo_con, "decision_measure_candidates", programme_id=programme_id)
    measures = seed_measures()
    versions = seed_versions()
    ids = measure_ids(demo_con)
    # unpublished measures are candidates too: a decision may concern them
    assert list(frame["code"]) == sorted(measures, key=code_key)
    assert len(frame) == 42
    for row in frame.itertuples():
        seed = measures[row.code]
        assert row.id == ids[row.code]
        assert (row.title_fi, row.title_sv, row.title_en) == (seed["title_fi"], seed["title_sv"], seed["title_en"])
        assert (row.status, row.progress) == (seed["status"], int(seed["progress"]))
        assert row.version == versions[row.code]
        assert row.organisation_id == organisation_id


def test_decision_measure_candidates_leave_out_archived_and_sort_codes_numerically(demo_con):
    programme_id, _ = programme_and_organisation(demo_con)
    theme_1 = demo_con.execute("SELECT id FROM themes WHERE position = 1").fetchone()[0]
    write.measures.create_measure(
        demo_con, EDITOR, programme_id, {"code": "1.10", "title_fi": "Kymmenes", "theme_id": theme_1}
    )
    archive(demo_con, "2.6")
    codes = list(db.query(demo_con, "decision_measure_candidates", programme_id=programme_id)["code"])
    assert "2.6" not in codes
    assert len(codes) == 42
    # 1.10 comes after 1.8, not after 1.1 as a text sort would put it
    assert codes[codes.index("1.8") + 1] == "1.10"
    assert codes[: codes.index("1.10") + 1] == [f"1.{n}" for n in (1, 2, 3, 4, 5, 6, 7, 8, 10)]


def test_decision_measure_candidates_of_an_unknown_programme_are_empty(demo_con, con):
    assert db.query(demo_con, "decision_measure_candidates", programme_id=999).empty
    assert db.query(con, "decision_measure_candidates", programme_id=1).empty


# -- organisation_decisions --


def test_organisation_decisions_match_the_seed_with_linked_measure_ids(demo_con):
    _, organisation_id = programme_and_organisation(demo_con)
    frame = db.query(demo_con, "organisation_decisions", organisation_id=organisation_id)
    ids = measure_ids(demo_con)
    keys = decision_ids(demo_con)
    links = seed_links()
    seed = seed_rows("decisions.csv")
    assert list(frame["id"]) == [keys[row["key"]] for row in seed]
    for row, expected in zip(frame.itertuples(), seed, strict=True):
        assert row.body == expected["body"]
        assert row.title == expected["title"]
        assert row.outcome == expected["outcome"]
        assert none_if_missing(row.case_number) == (expected["case_number"] or None)
        section = none_if_missing(row.section)
        assert (None if section is None else int(section)) == (
            int(expected["section"]) if expected["section"] else None
        )
        decided_on = none_if_missing(row.decided_on)
        assert (None if decided_on is None else decided_on.date()) == (
            date.fromisoformat(expected["decided_on"]) if expected["decided_on"] else None
        )
        assert row.text == (SEED_DIR / expected["text_file"]).read_text(encoding="utf-8")
        assert list(row.measure_ids) == sorted(ids[code] for code in links.get(expected["key"], []))
    climate = frame[frame["id"] == keys["ilmasto-ohjelma"]].iloc[0]
    assert len(climate["measure_ids"]) == 3


def test_organisation_decisions_show_an_unlinked_decision_with_an_empty_list(demo_con):
    _, organisation_id = programme_and_organisation(demo_con)
    new_id = write.decisions.add_decision(
        demo_con, EDITOR, organisation_id, {"body": "Ympäristölautakunta", "outcome": "rejected", "title": "Uusi"}
    )
    frame = db.query(demo_con, "organisation_decisions", organisation_id=organisation_id)
    assert len(frame) == 6
    new = frame.iloc[-1]
    assert (new["id"], new["body"], new["outcome"], new["title"]) == (new_id, "Ympäristölautakunta", "rejected", "Uusi")
    assert list(new["measure_ids"]) == []
    assert db.query(demo_con, "organisation_decisions", organisation_id=organisation_id + 1).empty


# -- workspace_decisions and workspace_decision_measures --


def test_workspace_decisions_newest_first_with_undated_last(demo_con):
    _, organisation_id = programme_and_organisation(demo_con)
    frame = db.query(demo_con, "workspace_decisions", organisation_id=organisation_id)
    keys = decision_ids(demo_con)
    seed = seed_rows("decisions.csv")
    dated = sorted((row for row in seed if row["decided_on"]), key=lambda row: row["decided_on"], reverse=True)
    undated = [row for row in seed if not row["decided_on"]]
    expected = dated + undated
    assert list(frame["id"]) == [keys[row["key"]] for row in expected]
    links = Counter(row["decision_key"] for row in seed_rows("measure_decisions.csv"))
    for row, seed_row in zip(frame.itertuples(), expected, strict=True):
        assert row.body == seed_row["body"]
        assert row.title == seed_row["title"]
        assert row.outcome == seed_row["outcome"]
        unanimous = none_if_missing(row.unanimous)
        assert unanimous == ({"true": True, "false": False}.get(seed_row["unanimous"]))
        assert none_if_missing(row.url) == (seed_row["url"] or None)
        assert row.version == 1
        assert row.linked_measures == links[seed_row["key"]]
    # the adopting decision of the programme is linked to three measures
    assert frame.set_index("id").loc[keys["ilmasto-ohjelma"], "linked_measures"] == 3


def test_workspace_decisions_undated_ties_newest_id_first_and_counts_links(demo_con):
    _, organisation_id = programme_and_organisation(demo_con)
    ids = measure_ids(demo_con)
    new_id = write.decisions.add_decision(
        demo_con,
        EDITOR,
        organisation_id,
        {"body": "Ympäristölautakunta", "outcome": "approved", "unanimous": False},
        measure_ids=[ids["3.1"], ids["3.2"]],
    )
    frame = db.query(demo_con, "workspace_decisions", organisation_id=organisation_id)
    keys = decision_ids(demo_con)
    # two undated decisions last, the newer (higher id) first
    assert list(frame["id"])[-2:] == [new_id, keys["iclei"]]
    new = frame.set_index("id").loc[new_id]
    assert (new["linked_measures"], bool(new["unanimous"]), new["version"]) == (2, False, 1)
    assert db.query(demo_con, "workspace_decisions", organisation_id=organisation_id + 1).empty


def test_workspace_decision_measures_are_the_seeded_links(demo_con):
    ids = measure_ids(demo_con)
    keys = decision_ids(demo_con)
    for key, codes in seed_links().items():
        frame = db.query(demo_con, "workspace_decision_measures", decision_id=keys[key])
        assert list(frame["measure_id"]) == sorted(ids[code] for code in codes), key
    assert db.query(demo_con, "workspace_decision_measures", decision_id=999).empty


def test_workspace_decision_measures_follow_link_changes(demo_con):
    ids = measure_ids(demo_con)
    decision_id = decision_ids(demo_con)["latauspisteet"]
    write.decisions.set_decision_links(demo_con, EDITOR, decision_id, [ids["2.2"], ids["2.3"]], expected_version=1)
    frame = db.query(demo_con, "workspace_decision_measures", decision_id=decision_id)
    assert list(frame["measure_id"]) == sorted([ids["2.2"], ids["2.3"]])
    write.decisions.set_decision_links(demo_con, EDITOR, decision_id, [], expected_version=2)
    assert db.query(demo_con, "workspace_decision_measures", decision_id=decision_id).empty


# -- workspace_cost_centres and workspace_budget_lines --


def test_workspace_cost_centres_in_code_order_with_line_counts(demo_con):
    _, organisation_id = programme_and_organisation(demo_con)
    frame = db.query(demo_con, "workspace_cost_centres", organisation_id=organisation_id)
    centres = seed_rows("cost_centres.csv")
    used = Counter(row["cost_centre"] for row in seed_rows("budget_lines.csv"))
    assert list(frame["code"]) == sorted(row["code"] for row in centres)
    assert dict(zip(frame["code"], frame["name"], strict=True)) == {row["code"]: row["name"] for row in centres}
    assert dict(zip(frame["code"], frame["budget_lines"], strict=True)) == {
        row["code"]: used[row["code"]] for row in centres
    }
    assert frame["budget_lines"].sum() == len(seed_rows("budget_lines.csv"))
    plain = dict(demo_con.execute("SELECT code, id FROM cost_centres").fetchall())
    assert dict(zip(frame["code"], frame["id"], strict=True)) == plain


def test_workspace_cost_centres_list_an_unused_centre_with_zero_lines(demo_con, con):
    _, organisation_id = programme_and_organisation(demo_con)
    centre_id = write.budget.add_cost_centre(demo_con, EDITOR, organisation_id, {"code": "0100", "name": "Uusi"})
    frame = db.query(demo_con, "workspace_cost_centres", organisation_id=organisation_id)
    first = frame.iloc[0]
    assert (first["id"], first["code"], first["name"], first["budget_lines"]) == (centre_id, "0100", "Uusi", 0)
    assert len(frame) == 10
    assert db.query(demo_con, "workspace_cost_centres", organisation_id=organisation_id + 1).empty
    assert db.query(con, "workspace_cost_centres", organisation_id=1).empty


def test_workspace_budget_lines_of_every_measure_match_the_seed(demo_con):
    ids = measure_ids(demo_con)
    centres = {row["code"]: row["name"] for row in seed_rows("cost_centres.csv")}
    by_code = {}
    for row in seed_rows("budget_lines.csv"):
        by_code.setdefault(row["code"], []).append(row)
    for code in seed_measures():
        frame = db.query(demo_con, "workspace_budget_lines", measure_id=ids[code])
        expected = sorted(by_code.get(code, []), key=lambda row: (int(row["year"]), row["cost_centre"]))
        got = [
            (
                int(r.year),
                r.cost_centre,
                r.cost_centre_name,
                euros(r.planned_eur),
                euros(r.actual_eur),
                none_if_missing(r.funding_source),
                none_if_missing(r.note),
                r.version,
            )
            for r in frame.itertuples()
        ]
        assert got == [
            (
                int(row["year"]),
                row["cost_centre"],
                centres[row["cost_centre"]],
                seed_euros(row["planned_eur"]),
                seed_euros(row["actual_eur"]),
                row["funding_source"] or None,
                row["note"] or None,
                1,
            )
            for row in expected
        ], code


def test_workspace_budget_lines_of_iclei_and_of_a_measure_without_money(demo_con):
    ids = measure_ids(demo_con)
    iclei = db.query(demo_con, "workspace_budget_lines", measure_id=ids["6.1"])
    assert list(iclei["year"]) == [2022, 2023, 2024]
    assert set(iclei["cost_centre"]) == {"1275"}
    assert [euros(v) for v in iclei["planned_eur"]] == [Decimal("1200.00")] * 3
    assert [euros(v) for v in iclei["actual_eur"]] == [Decimal("1200.00"), Decimal("1200.00"), None]
    plain = demo_con.execute(
        "SELECT id, cost_centre_id FROM budget_lines WHERE measure_id = ? ORDER BY year", [ids["6.1"]]
    ).fetchall()
    assert list(zip(iclei["id"], iclei["cost_centre_id"], strict=True)) == plain
    with_money = {row["code"] for row in seed_rows("budget_lines.csv")}
    without = sorted(set(seed_measures()) - with_money, key=code_key)
    for code in without:
        assert db.query(demo_con, "workspace_budget_lines", measure_id=ids[code]).empty
    assert db.query(demo_con, "workspace_budget_lines", measure_id=999).empty


def test_workspace_budget_lines_show_an_edit_and_a_new_line(demo_con):
    ids = measure_ids(demo_con)
    line_id = demo_con.execute(
        "SELECT id FROM budget_lines WHERE measure_id = ? AND year = 2024", [ids["6.1"]]
    ).fetchone()[0]
    fields = write.budget.read_budget_line(demo_con, line_id)
    write.budget.save_budget_line(demo_con, EDITOR, line_id, {**fields, "actual_eur": "1 150,50"}, expected_version=1)
    centre = demo_con.execute("SELECT id FROM cost_centres WHERE code = '1410'").fetchone()[0]
    write.budget.add_budget_line(
        demo_con, EDITOR, ids["6.1"], {"year": 2024, "cost_centre_id": centre, "planned_eur": "300", "note": "Matkat"}
    )
    _, organisation_id = programme_and_organisation(demo_con)
    first_centre = write.budget.add_cost_centre(demo_con, EDITOR, organisation_id, {"code": "0100", "name": "Uusi"})
    write.budget.add_budget_line(
        demo_con, EDITOR, ids["6.1"], {"year": 2024, "cost_centre_id": first_centre, "planned_eur": 50}
    )
    frame = db.query(demo_con, "workspace_budget_lines", measure_id=ids["6.1"])
    assert list(zip(frame["year"], frame["cost_centre"], strict=True)) == [
        (2022, "1275"),
        (2023, "1275"),
        (2024, "0100"),
        (2024, "1275"),
        (2024, "1410"),
    ]
    edited, added = frame.iloc[3], frame.iloc[4]
    assert (euros(edited["actual_eur"]), edited["version"]) == (Decimal("1150.50"), 2)
    assert (euros(added["planned_eur"]), none_if_missing(added["actual_eur"]), added["note"]) == (
        Decimal("300.00"),
        None,
        "Matkat",
    )
    assert added["cost_centre_name"] == "Hankintapalvelut"


# -- workspace_measure_choices --


def test_workspace_measure_choices_in_theme_and_code_order(demo_con):
    programme_id, _ = programme_and_organisation(demo_con)
    measures = seed_measures()
    ids = measure_ids(demo_con)
    expected = sorted(measures, key=lambda code: (int(measures[code]["theme_position"]), code_key(code)))
    for lang, column in (("fi", "title_fi"), ("sv", "title_sv"), ("en", "title_en")):
        frame = db.query(
            demo_con, "workspace_measure_choices", programme_id=programme_id, lang=lang, include_archived=False
        )
        assert list(frame["code"]) == expected
        assert list(frame["id"]) == [ids[code] for code in expected]
        assert list(frame["title"]) == [measures[code][column] for code in expected]
        assert not frame["is_archived"].any()


def test_workspace_measure_choices_archived_only_on_request(demo_con):
    programme_id, _ = programme_and_organisation(demo_con)
    theme_1 = demo_con.execute("SELECT id FROM themes WHERE position = 1").fetchone()[0]
    for code in ("9.1", "1.10"):
        write.measures.create_measure(
            demo_con, EDITOR, programme_id, {"code": code, "title_fi": code, "theme_id": theme_1}
        )
    archived_id = archive(demo_con, "4.4")
    live = db.query(demo_con, "workspace_measure_choices", programme_id=programme_id, lang="fi", include_archived=False)
    every = db.query(demo_con, "workspace_measure_choices", programme_id=programme_id, lang="fi", include_archived=True)
    assert archived_id not in set(live["id"])
    assert len(live) == 43
    assert len(every) == 44
    # theme order first (9.1 is filed under theme 1), then numeric code order
    assert list(live["code"])[:11] == [*(f"1.{n}" for n in range(1, 9)), "1.10", "9.1", "2.1"]
    assert list(every[every["is_archived"]]["id"]) == [archived_id]
    assert every[every["id"] == archived_id]["code"].item() == "4.4"
    assert db.query(demo_con, "workspace_measure_choices", programme_id=999, lang="fi", include_archived=True).empty


def test_workspace_measure_choices_fall_back_to_finnish(demo_con):
    programme_id, _ = programme_and_organisation(demo_con)
    measures = seed_measures()
    demo_con.execute("UPDATE measures SET title_sv = NULL, title_en = '' WHERE code = '6.1'")
    for lang in ("sv", "en", "xx"):
        frame = db.query(
            demo_con, "workspace_measure_choices", programme_id=programme_id, lang=lang, include_archived=False
        )
        assert frame[frame["code"] == "6.1"]["title"].item() == measures["6.1"]["title_fi"], lang
    en = db.query(demo_con, "workspace_measure_choices", programme_id=programme_id, lang="en", include_archived=False)
    assert en[en["code"] == "6.2"]["title"].item() == measures["6.2"]["title_en"]


# -- workspace_measures --


def test_workspace_measures_least_recently_updated_first(demo_con):
    programme_id, _ = programme_and_organisation(demo_con)
    measures = seed_measures()
    versions = seed_versions()
    last = seed_last_update()
    themes = seed_themes()
    frame = db.query(
        demo_con,
        "workspace_measures",
        programme_id=programme_id,
        lang="sv",
        theme_id=None,
        include_closed=True,
        keep=[],
        today=TODAY,
    )
    expected = sorted(measures, key=lambda code: (last[code], int(measures[code]["theme_position"]), code_key(code)))
    assert list(frame["code"]) == expected
    ids = measure_ids(demo_con)
    for row in frame.itertuples():
        seed = measures[row.code]
        assert row.id == ids[row.code]
        assert row.title == seed["title_sv"]
        assert row.theme == themes[seed["theme_position"]][1]
        assert (row.status, row.progress) == (seed["status"], int(seed["progress"]))
        assert bool(row.is_published) == (seed["is_published"] != "false")
        assert row.updated_at == last[row.code]
        assert row.version == versions[row.code]
    # 4.5 and 6.5 were last updated at the same moment: theme order breaks the tie
    assert expected.index("4.5") + 1 == expected.index("6.5")


def test_workspace_measures_of_one_theme_in_english_and_fallback(demo_con):
    programme_id, _ = programme_and_organisation(demo_con)
    measures = seed_measures()
    themes = seed_themes()
    theme_id = demo_con.execute("SELECT id FROM themes WHERE position = 6").fetchone()[0]
    demo_con.execute("UPDATE themes SET name_en = NULL WHERE position = 6")
    demo_con.execute("UPDATE measures SET title_en = NULL WHERE code = '6.3'")
    frame = db.query(
        demo_con,
        "workspace_measures",
        programme_id=programme_id,
        lang="en",
        theme_id=theme_id,
        include_closed=True,
        keep=[],
        today=TODAY,
    )
    expected_codes = {code for code, row in measures.items() if row["theme_position"] == "6"}
    assert set(frame["code"]) == expected_codes
    assert set(frame["theme"]) == {themes["6"][0]}
    titles = dict(zip(frame["code"], frame["title"], strict=True))
    assert titles["6.3"] == measures["6.3"]["title_fi"]
    assert titles["6.2"] == measures["6.2"]["title_en"]


def test_workspace_measures_move_an_update_to_the_end_and_drop_archived(demo_con):
    programme_id, _ = programme_and_organisation(demo_con)
    ids = measure_ids(demo_con)
    versions = seed_versions()
    # 6.1 was the least recently updated; a weekly update puts it last, together with what
    # else changed at the same moment: ties go by theme order, then by numeric code order
    now = datetime(2026, 11, 27, 12, 0)
    theme_1 = demo_con.execute("SELECT id FROM themes WHERE position = 1").fetchone()[0]
    for code in ("9.1", "1.10", "1.9"):
        write.measures.create_measure(
            demo_con, EDITOR, programme_id, {"code": code, "title_fi": code, "theme_id": theme_1}, now=now
        )
    write.measures.update_measures(
        demo_con,
        EDITOR,
        [
            {"measure_id": ids[code], "expected_version": versions[code], "note": "Viikkopäivitys"}
            for code in ("6.1", "2.1")
        ],
        now=now,
    )
    archive(demo_con, "6.5")
    frame = db.query(
        demo_con,
        "workspace_measures",
        programme_id=programme_id,
        lang="fi",
        theme_id=None,
        include_closed=True,
        keep=[],
        today=TODAY,
    )
    assert "6.5" not in set(frame["code"])
    assert len(frame) == 44
    # 9.1 is filed under theme 1, so it comes before 2.1
    assert list(frame["code"])[-5:] == ["1.9", "1.10", "9.1", "2.1", "6.1"]
    latest = frame.iloc[-1]
    assert (latest["code"], latest["updated_at"], latest["version"]) == ("6.1", now, versions["6.1"] + 1)
    assert frame.iloc[0]["code"] == "4.5"
    assert db.query(
        demo_con,
        "workspace_measures",
        programme_id=999,
        lang="fi",
        theme_id=None,
        include_closed=True,
        keep=[],
        today=TODAY,
    ).empty


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
    write.sessions.sign_in_with_password(demo_con, "admin@joensuu.example", PASSWORD, now=signed_in)
    failed_at = datetime(2026, 11, 21, 10, 0)
    for attempt in range(3):
        with pytest.raises(AuthError):
            write.sessions.sign_in_with_password(
                demo_con, "viewer@joensuu.example", "wrong password!", client=f"192.0.2.{attempt}", now=failed_at
            )
    write.accounts.set_active(demo_con, SYSTEM, "old@joensuu.example", False)

    during = db.query(demo_con, "workspace_users", since=failed_at - write.sessions.FORGET_AFTER)
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


def test_workspace_measures_leave_out_done_and_cancelled_unless_asked(demo_con):
    programme_id, _ = programme_and_organisation(demo_con)
    open_codes = {code for code, row in seed_measures().items() if row["status"] not in ("done", "cancelled")}
    frame = db.query(
        demo_con,
        "workspace_measures",
        programme_id=programme_id,
        lang="fi",
        theme_id=None,
        include_closed=False,
        keep=[],
        today=TODAY,
    )
    assert set(frame["code"]) == open_codes
    assert "6.1" not in set(frame["code"])
