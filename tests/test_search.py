"""Search: Snowball stems stored per measure and language, written in the same
transaction as the measure's text (form, import, demo), and the prefix match
that finds Finnish and Swedish inflections; unpublished measures are never
found."""

from __future__ import annotations

import pytest

from tests.public_data import make_private_copy
from tests.spreadsheet_files import csv_bytes, measure_row
from tracker import db, search, write
from tracker.auth import Caller
from tracker.errors import ValidationError
from tracker.spreadsheet import importer

EDITOR = Caller(role="editor", email="koordinaattori@example.fi")
DEMO_PROGRAMME = "Joensuun ilmasto-ohjelma (esimerkkiaineisto)"


def found(con, query: str, lang: str = "fi", programme_id: int = 1) -> list[str]:
    rows = db.query(
        con,
        "public_search",
        programme_id=programme_id,
        lang=lang,
        query=search.clean_query(query),
        prefixes=search.query_prefixes(lang, query),
    )
    return rows["code"].tolist()


def index_rows(con, measure_id: int) -> dict[str, tuple[str, str]]:
    rows = con.execute(
        "SELECT lang, title_stems, body_stems FROM measure_search WHERE measure_id = ?", [measure_id]
    ).fetchall()
    return {lang: (title, body) for lang, title, body in rows}


def test_query_words_become_stem_prefixes():
    assert search.query_prefixes("fi", "Pyöräily") == [" pyöräi"]
    assert search.query_prefixes("fi", "kaukolämmön päästöt") == [" kaukolä", " pääst"]
    assert search.query_prefixes("sv", "cykling") == [" cykli"]
    assert search.query_prefixes("fi", "  ") == []
    assert search.stems_text("fi", "Pyöräilyn ja pyöräilyä!") == " ja pyöräily "
    assert search.stems_text("fi", None) == " "
    # a query is a few words: the rest is ignored, never an error
    assert len(search.query_prefixes("fi", "sana " * 100)) == 1
    assert len(search.query_prefixes("fi", " ".join(f"w{i}" for i in range(50)))) == search.QUERY_WORDS_MAX


@pytest.mark.parametrize(
    ("query", "lang", "code"),
    [
        ("pyöräily", "fi", "2.2"),  # Pyöräilyn pääverkon kehittäminen
        ("pyöräilyn", "fi", "2.2"),
        ("kaukolämpö", "fi", "1.4"),
        ("kaukolämmön", "fi", "1.4"),  # consonant gradation
        ("ICLEI", "fi", "6.1"),
        ("6.1", "fi", "6.1"),
        ("cykling", "sv", "2.2"),
        ("cycling", "en", "2.2"),
    ],
)
def test_inflected_words_find_the_measure(demo_con, query, lang, code):
    assert code in found(demo_con, query, lang)


def test_the_code_comes_first_and_every_word_must_match(demo_con):
    assert found(demo_con, "6.1")[0] == "6.1"
    assert found(demo_con, "6")[:4] == ["6.1", "6.2", "6.3", "6.4"]
    assert found(demo_con, "pyöräily kaukolämpö") == []
    assert found(demo_con, "") == []


def test_unpublished_and_archived_measures_are_never_found(databases, demo_template):
    con = db.connect(make_private_copy(databases, demo_template))
    try:
        code, measure_id, version = con.execute(
            "SELECT code, id, version FROM measures WHERE NOT is_published ORDER BY id LIMIT 1"
        ).fetchone()
        title = con.execute("SELECT title_fi FROM measures WHERE id = ?", [measure_id]).fetchone()[0]
        write.measures.save_measure(
            con,
            EDITOR,
            measure_id,
            {**_form(con, measure_id), "title_fi": "Salainen aurinkovoimala"},
            expected_version=version,
        )
        assert "Salainen" not in title
        assert code not in found(con, "aurinkovoimala")
        assert code not in found(con, code)
        published = con.execute("SELECT id, version, code FROM measures WHERE code = '2.2'").fetchone()
        write.measures.archive_measure(con, EDITOR, published[0], expected_version=published[1])
        assert "2.2" not in found(con, "pyöräily")
    finally:
        con.close()


def _form(con, measure_id: int) -> dict:
    row = write.measures.read_measure(con, measure_id)
    return {key: row[key] for key in write.measures.MEASURE_EDITABLE}


def test_the_form_keeps_the_index_in_its_transaction(demo_con):
    measure_id, version = demo_con.execute("SELECT id, version FROM measures WHERE code = '1.1'").fetchone()
    assert "1.1" not in found(demo_con, "aurinkopaneelit")
    fields = {**_form(demo_con, measure_id), "description_fi": "Kouluille asennetaan aurinkopaneeleita."}
    version = write.measures.save_measure(demo_con, EDITOR, measure_id, fields, expected_version=version)
    assert "1.1" in found(demo_con, "aurinkopaneelit")
    # a status update changes no text and leaves the index as it is
    before = index_rows(demo_con, measure_id)
    write.measures.update_measure(demo_con, EDITOR, measure_id, expected_version=version, progress=55)
    assert index_rows(demo_con, measure_id) == before
    new_id = write.measures.create_measure(
        demo_con, EDITOR, 1, {"code": "9.9", "title_fi": "Tuulivoimapuisto", "theme_id": 1}
    )
    assert set(index_rows(demo_con, new_id)) == {"fi", "sv", "en"}
    assert "9.9" in found(demo_con, "tuulivoimapuiston")


def test_a_failed_save_leaves_the_index_as_it_was(demo_con):
    measure_id, version = demo_con.execute("SELECT id, version FROM measures WHERE code = '1.1'").fetchone()
    before = index_rows(demo_con, measure_id)
    fields = {**_form(demo_con, measure_id), "title_fi": "Tuulivoima", "code": "1.2"}  # 1.2 is taken
    with pytest.raises(ValidationError):
        write.measures.save_measure(demo_con, EDITOR, measure_id, fields, expected_version=version)
    assert index_rows(demo_con, measure_id) == before


def test_the_import_indexes_what_it_creates_and_changes(demo_con):
    rows = [
        measure_row("2.2", theme="Liikenne", title="Sähköpyörien kaupunkipyöräjärjestelmä", description="Uusi."),
        measure_row("9.1", theme="Energia", title="Aurinkosähkö kouluille"),
    ]
    code, report = importer.import_bytes(demo_con, csv_bytes(rows), "t.csv", DEMO_PROGRAMME)
    assert code == 0, report
    assert "9.1" in found(demo_con, "aurinkosähkön")
    assert "2.2" in found(demo_con, "sähköpyörä")
    assert "2.2" not in found(demo_con, "pääverkko")  # the old title is gone from the index


def test_every_measure_has_its_three_rows_after_the_demo_and_synth(demo_con):
    from tracker.demo import synth

    synth.build(demo_con, municipalities=2, seed=3)
    missing = demo_con.execute(
        "SELECT count(*) FROM measures AS m WHERE (SELECT count(*) FROM measure_search AS s"
        " WHERE s.measure_id = m.id) <> 3"
    ).fetchone()[0]
    assert missing == 0
