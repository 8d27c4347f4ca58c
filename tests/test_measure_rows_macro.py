"""measure_rows (migration 0014): the signed-in measure columns stated once. The queries that
select from it are checked against their own expectations elsewhere; here, what the macro
itself promises: its columns in order, status as shown beside the one set, lateness never NULL."""

from datetime import date

COLUMNS = [
    "id",
    "programme_id",
    "theme_id",
    "code",
    "theme_position",
    "theme",
    "title",
    "description",
    "responsible_unit",
    "contact_name",
    "contact_email",
    "status",
    "set_status",
    "phase",
    "progress",
    "start_date",
    "end_date",
    "is_continuous",
    "is_late",
    "past_end",
    "is_published",
    "is_illustrative",
    "internal_note",
    "updated_at",
    "version",
]


def rows(con, *, with_unpublished: bool, on_day: date, lang: str = "fi"):
    return con.execute(
        "SELECT * FROM measure_rows(1, ?, ?, ?::DATE) ORDER BY id", [lang, with_unpublished, on_day]
    ).df()


def test_columns_in_order_and_every_visible_measure(demo_con):
    frame = rows(demo_con, with_unpublished=True, on_day=date(2026, 12, 1))
    assert list(frame.columns) == COLUMNS
    visible = demo_con.execute(
        "SELECT count(*) FROM measures WHERE programme_id = 1 AND archived_at IS NULL"
    ).fetchone()[0]
    assert len(frame) == visible
    published = rows(demo_con, with_unpublished=False, on_day=date(2026, 12, 1))
    assert published["is_published"].all()
    assert len(published) < len(frame)


def test_status_is_the_one_shown_on_the_day_and_lateness_is_never_null(demo_con):
    # Long after every end date the late rule flags every open, not continuous measure with one.
    frame = rows(demo_con, with_unpublished=True, on_day=date(2100, 1, 1))
    assert frame["is_late"].notna().all() and frame["past_end"].notna().all()
    flagged = frame[frame["past_end"]]
    assert len(flagged) > 0
    assert (flagged["status"] == "late").all() and flagged["is_late"].all()
    assert (flagged["set_status"] != "late").any()
    kept = frame[~frame["is_late"]]
    assert (kept["status"] == kept["set_status"]).all()


def test_texts_in_the_readers_language(demo_con):
    swedish = rows(demo_con, with_unpublished=True, on_day=date(2026, 12, 1), lang="sv")
    expected = demo_con.execute(
        "SELECT coalesce(nullif(title_sv, ''), title_fi) FROM measures"
        " WHERE programme_id = 1 AND archived_at IS NULL ORDER BY id"
    ).fetchall()
    assert swedish["title"].tolist() == [title for (title,) in expected]
