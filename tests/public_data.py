"""A copy of the demo database full of internal data with distinctive marker
strings, for the tests that assert none of it reaches the public view."""

from __future__ import annotations

from tracker import db
from tracker.write.ids import allocate_id, allocate_ids

MARKERS = (
    "UNPUBLISHED-TITLE-MARKER",
    "UNPUBLISHED-DESCRIPTION-MARKER",
    "INTERNAL-NOTE-MARKER",
    "INTERNAL-EVENT-MARKER",
    "BUDGET-NOTE-MARKER",
    "ACTOR-MARKER",
    "@internal-marker.example",
    "@joensuu.example",  # the demo's contact e-mails
)


def make_private_copy(databases, template: str) -> str:
    """Copy the demo (``databases``: the conftest fixture) and fill it with
    internal data that must never be public."""
    target = databases.copy(template, "private")
    con = db.connect(target)
    try:
        con.execute(
            "UPDATE measures SET title_fi = 'UNPUBLISHED-TITLE-MARKER ' || code,"
            " title_sv = 'UNPUBLISHED-TITLE-MARKER sv', title_en = 'UNPUBLISHED-TITLE-MARKER en',"
            " description_fi = 'UNPUBLISHED-DESCRIPTION-MARKER' WHERE NOT is_published"
        )
        con.execute(
            "UPDATE measures SET internal_note = 'INTERNAL-NOTE-MARKER ' || id,"
            " contact_email = 'person' || id || '@internal-marker.example' WHERE code <> '6.1'"
        )
        con.execute("UPDATE measures SET internal_note = 'INTERNAL-NOTE-MARKER iclei' WHERE code = '6.1'")
        con.execute("UPDATE status_events SET actor = 'ACTOR-MARKER'")
        con.execute("UPDATE budget_lines SET note = 'BUDGET-NOTE-MARKER'")
        for code in ("6.1", "1.1"):
            con.execute(
                "INSERT INTO status_events (id, measure_id, occurred_at, actor, old_status, new_status, old_progress,"
                " new_progress, note, note_is_public)"
                " SELECT ?, id, TIMESTAMP '2026-11-01 09:00', 'ACTOR-MARKER', status, status, progress, progress,"
                " 'INTERNAL-EVENT-MARKER about ' || code, false FROM measures WHERE code = ?",
                [allocate_id(con, "status_events"), code],
            )
        # an unpublished measure with money and events of its own
        unpublished = con.execute("SELECT count(*) FROM measures WHERE NOT is_published").fetchone()[0]
        first_id = allocate_ids(con, "status_events", unpublished).start
        con.execute(
            "INSERT INTO status_events (id, measure_id, occurred_at, actor, new_status, new_progress, note,"
            " note_is_public) SELECT ? + row_number() OVER (ORDER BY id) - 1, id, TIMESTAMP '2026-10-01 09:00',"
            " 'ACTOR-MARKER', status, progress, 'UNPUBLISHED-DESCRIPTION-MARKER event', true"
            " FROM measures WHERE NOT is_published",
            [first_id],
        )
        assert unpublished > 0, "the demo must hold unpublished measures for this test to mean anything"
    finally:
        con.close()
    return target
