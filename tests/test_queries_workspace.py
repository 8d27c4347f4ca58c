"""The workspace's decision, cost-centre and budget-line queries give known results on the demo data.

Expected values come from the seed CSV files or from plain SQL, never from the
query under test. The measure queries are in test_queries_workspace_measures.py,
the audit-log and user queries in test_queries_workspace_audit.py.
"""

from collections import Counter
from datetime import date
from decimal import Decimal

from tests.workspace_seed import (
    EDITOR,
    archive,
    code_key,
    decision_ids,
    euros,
    measure_ids,
    none_if_missing,
    programme_and_organisation,
    seed_euros,
    seed_links,
    seed_measures,
    seed_rows,
    seed_versions,
)
from tracker import db, write
from tracker.demo.seed import SEED_DIR

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
