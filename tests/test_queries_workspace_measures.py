"""The workspace's measure queries give known results on the demo data.

Expected values come from the seed CSV files or from plain SQL, never from the
query under test.
"""

from datetime import datetime

from tests.conftest import TODAY
from tests.workspace_seed import (
    EDITOR,
    archive,
    code_key,
    measure_ids,
    programme_and_organisation,
    seed_last_update,
    seed_measures,
    seed_themes,
    seed_versions,
)
from tracker import db, write


def workspace_measures(con, programme_id, lang="fi", theme_id=None, include_closed=True):
    """The workspace_measures query with no measure kept in view, as of the tests' today."""
    return db.query(
        con,
        "workspace_measures",
        programme_id=programme_id,
        lang=lang,
        theme_id=theme_id,
        include_closed=include_closed,
        keep=[],
        today=TODAY,
    )


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
    frame = workspace_measures(demo_con, programme_id, lang="sv")
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
    frame = workspace_measures(demo_con, programme_id, lang="en", theme_id=theme_id)
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
    frame = workspace_measures(demo_con, programme_id)
    assert "6.5" not in set(frame["code"])
    assert len(frame) == 44
    # 9.1 is filed under theme 1, so it comes before 2.1
    assert list(frame["code"])[-5:] == ["1.9", "1.10", "9.1", "2.1", "6.1"]
    latest = frame.iloc[-1]
    assert (latest["code"], latest["updated_at"], latest["version"]) == ("6.1", now, versions["6.1"] + 1)
    assert frame.iloc[0]["code"] == "4.5"
    assert workspace_measures(demo_con, 999).empty


def test_workspace_measures_leave_out_done_and_cancelled_unless_asked(demo_con):
    programme_id, _ = programme_and_organisation(demo_con)
    open_codes = {code for code, row in seed_measures().items() if row["status"] not in ("done", "cancelled")}
    frame = workspace_measures(demo_con, programme_id, include_closed=False)
    assert set(frame["code"]) == open_codes
    assert "6.1" not in set(frame["code"])
