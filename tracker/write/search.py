"""Writes of ``measure_search``, the search index of measures (tracker.search
says how it matches). Every writer of a measure's code, title or description
calls ``index_measures`` inside its own transaction, so the index never lags
the text it stands for; publishing, archiving and status changes need no
re-indexing (the search joins the visible measures at read time).

The rows hold stems only, never the text: what a search shows comes from
``measures`` through the public queries.
"""

from __future__ import annotations

from collections.abc import Iterable

import duckdb
import pyarrow as pa

from tracker import i18n
from tracker.search import stems_text
from tracker.write.base import with_frame

_TEXT_COLUMNS = "id, title_fi, title_sv, title_en, description_fi, description_sv, description_en"


def _in_language(lang: str, fi, sv, en):
    """The text a reader of ``lang`` sees (the schema's in_language macro: Finnish when missing)."""
    chosen = {"fi": fi, "sv": sv, "en": en}[lang]
    return chosen if chosen else fi


def _rows(measures: list[tuple]) -> pa.Table:
    ids, langs, titles, bodies = [], [], [], []
    for measure_id, title_fi, title_sv, title_en, body_fi, body_sv, body_en in measures:
        for lang in i18n.LANGUAGES:
            ids.append(measure_id)
            langs.append(lang)
            titles.append(stems_text(lang, _in_language(lang, title_fi, title_sv, title_en)))
            bodies.append(stems_text(lang, _in_language(lang, body_fi, body_sv, body_en)))
    return pa.table(
        {
            "measure_id": pa.array(ids, pa.int32()),
            "lang": pa.array(langs, pa.string()),
            "title_stems": pa.array(titles, pa.string()),
            "body_stems": pa.array(bodies, pa.string()),
        }
    )


def _store(cur: duckdb.DuckDBPyConnection, measures: list[tuple]) -> None:
    with_frame(
        cur,
        "INSERT INTO measure_search (measure_id, lang, title_stems, body_stems)"
        " SELECT measure_id, lang, title_stems, body_stems FROM staged",
        _rows(measures),
    )


def index_measures(cur: duckdb.DuckDBPyConnection, measure_ids: Iterable[int]) -> None:
    """Index these measures again from their current text, in the caller's transaction."""
    ids = sorted({int(i) for i in measure_ids})
    if not ids:
        return
    cur.execute("DELETE FROM measure_search WHERE list_contains($ids, measure_id)", {"ids": ids})
    measures = cur.execute(
        f"SELECT {_TEXT_COLUMNS} FROM measures WHERE list_contains($ids, id)",  # noqa: S608 (constant columns)
        {"ids": ids},
    ).fetchall()
    _store(cur, measures)


def index_unindexed(cur: duckdb.DuckDBPyConnection) -> int:
    """Index every measure that has no rows yet (a new database, a bulk loader); returns how many."""
    measures = cur.execute(
        f"SELECT {_TEXT_COLUMNS} FROM measures AS m"  # noqa: S608 (constant columns)
        " WHERE NOT EXISTS (SELECT 1 FROM measure_search AS s WHERE s.measure_id = m.id)"
    ).fetchall()
    _store(cur, measures)
    return len(measures)
