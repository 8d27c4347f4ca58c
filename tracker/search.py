"""Finding measures by words in the reader's language, Finnish inflection
included: Snowball stems are stored per measure and language
(``measure_search``, written by tracker.write.search in the same transaction
as the measure), and a query word matches a stored stem that starts with the
query word's stem less its last letters.

Why prefixes of stems: Snowball alone gives "pyöräily" and "pyöräilyyn"
different stems, and "kaukolämpö"/"kaukolämmön" differ by consonant gradation;
matching the stem less up to two letters (never shorter than five) finds them
(measured in the emissions spike: recall 0.57 -> 0.95 in Finnish, 0.77 -> 0.97
in Swedish, for about one point of precision). DuckDB's fts extension has the
same stems, no prefix match, needs a full rebuild after every save and does
not run on DuckLake. No SQL here: tracker.write.search stores, queries/public_search.sql reads.
"""

from __future__ import annotations

import re
from functools import lru_cache

import snowballstemmer

STEMMERS = {"fi": "finnish", "sv": "swedish", "en": "english"}
# Letters and digits; a hyphen or punctuation splits words ("CO2-päästöt" -> co2, päästöt).
_WORD = re.compile(r"[^\W_]+", re.UNICODE)
# A query stem keeps at least this many letters when it is cut.
_PREFIX_MIN = 5
_PREFIX_CUT = 2
# The longest query taken, and its number of words: a query is a few words, not a text.
QUERY_MAX = 200
QUERY_WORDS_MAX = 8


@lru_cache(maxsize=3)
def _stemmer(lang: str):
    return snowballstemmer.stemmer(STEMMERS[lang])


@lru_cache(maxsize=200_000)
def stem(lang: str, word: str) -> str:
    """The Snowball stem of one lower-case word in ``lang``."""
    return _stemmer(lang).stemWord(word)


def words(text: str | None) -> list[str]:
    return _WORD.findall((text or "").lower())


@lru_cache(maxsize=50_000)
def stems_text(lang: str, text: str | None) -> str:
    """The distinct stems of ``text`` as stored: ``' stem1 stem2 … '`` (a space on
    each side, so that ``contains(stems, ' ' || prefix)`` matches a word's start)."""
    found = sorted({stem(lang, word) for word in words(text)})
    return " " + " ".join(found) + " " if found else " "


def query_prefixes(lang: str, query: str | None) -> list[str]:
    """Each word of the query as the prefix a stored stem must start with: ``' ' + stem``
    less up to two letters, never below five (shorter stems are kept whole)."""
    prefixes = []
    for word in words((query or "")[:QUERY_MAX])[:QUERY_WORDS_MAX]:
        word_stem = stem(lang, word)
        if len(word_stem) > _PREFIX_MIN:
            word_stem = word_stem[: max(_PREFIX_MIN, len(word_stem) - _PREFIX_CUT)]
        prefixes.append(" " + word_stem)
    return list(dict.fromkeys(prefixes))


def clean_query(query: str | None) -> str:
    """The query as the search takes it: trimmed, one line, at most QUERY_MAX characters."""
    return " ".join((query or "").split())[:QUERY_MAX]
