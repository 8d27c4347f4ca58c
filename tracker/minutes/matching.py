"""Which measure a pasted decision concerns (proposals.py calls
``measure_candidates``): a measure whose title the minutes quote, one whose
number they name, then every other by how well its title fits the decision;
and the minutes that name one measure's number with another's title.

Linear in the text, like the reader: the text's words are looked up by their
first letters, not compared with every title word in turn.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from difflib import SequenceMatcher

import duckdb

from tracker import db
from tracker.minutes.reader import ParsedDecision

MAX_CANDIDATES = 5
_MEASURE_CODE = re.compile(
    r"\b(?:toimenpi|åtgärd|measure)\w*+\s++(?:nro\.?\s*+|nr\.?\s*+)?(?P<code>\d{1,2}(?:\.\d{1,2}){1,2}[a-z]?)\b"
    # the title quoted right after the number: toimenpiteen 6.1 'Asukkaiden ilmastoviestintä'
    r"(?:[ \t]*+[,:(–-]?[ \t]*+[\"'”“‘’«»](?P<quoted>[^\"'”“‘’«»\n]{3,200})[\"'”“‘’«»])?",
    re.IGNORECASE,
)
# How alike a quoted title and a measure's title must be to be the same title.
_SAME_TITLE = 0.8


@dataclass
class Candidate:
    measure_id: int
    code: str
    title: str
    status: str
    progress: int
    version: int
    score: float
    by_code: bool
    by_quote: bool = False  # the minutes quote this measure's title (after another measure's number)


@dataclass
class TitleMismatch:
    """The minutes name one measure by its number and quote another one's title:
    "toimenpiteen 6.1 'Asukkaiden ilmastoviestintä'" where that is 6.2's title."""

    code: str  # the number the minutes name
    quoted: str  # the title they quote
    code_title: str | None  # the numbered measure's own title (None: no such measure)
    match_code: str  # the measure whose title was quoted
    match_title: str


def _tokens(text: str) -> set[str]:
    return {word for word in re.findall(r"\w+", text.lower()) if len(word) > 3}


class _Tokens:
    """The words of a text (four letters or more), looked up by their first
    four (a long text has thousands of words; each title word looks at a few)."""

    def __init__(self, text: str):
        self.by_start: dict[str, list[str]] = {}
        for token in _tokens(text):
            self.by_start.setdefault(token[:4], []).append(token)

    def has_stem(self, stem: str) -> bool:
        return any(token.startswith(stem) for token in self.by_start.get(stem[:4], ()))


def _stem_match(word: str, text_tokens: _Tokens) -> bool:
    """Finnish and Swedish inflect word ends: "verkostoon" ~ "verkoston", "liittyminen" ~ "liittymisestä"."""
    need = max(5, len(word) - 4)
    return text_tokens.has_stem(word[:need])


def _similarity(title: str, decision_title: str | None, text_tokens: _Tokens) -> float:
    """How well a measure title fits the decision: its similarity to the decision's
    title, or the share of its words the text contains, weighed by how many
    words that is (two of two words are weaker evidence than three of three)."""
    words = _tokens(title)
    matched = sum(_stem_match(word, text_tokens) for word in words)
    overlap = (matched / len(words)) * (1 - 0.5**matched) if words else 0.0
    ratio = SequenceMatcher(None, title.lower(), decision_title.lower()).ratio() if decision_title else 0.0
    return round(max(overlap, ratio), 3)


def _title_likeness(quoted: str, titles: list[str]) -> float:
    return max((SequenceMatcher(None, quoted.lower(), title.lower()).ratio() for title in titles), default=0.0)


def _mismatches(references: list[tuple[str, str]], measures) -> tuple[list[TitleMismatch], set[str]]:
    """Each (number, quoted title) whose title is not the numbered measure's but
    another one's; and the codes of the measures whose titles were quoted."""
    titles = {
        row.code: [t for t in (row.title_fi, row.title_sv, row.title_en) if isinstance(t, str) and t]
        for row in measures.itertuples()
    }
    found, quoted_codes = [], set()
    for code, quoted in references:
        if code in titles and _title_likeness(quoted, titles[code]) >= _SAME_TITLE:
            continue
        best = max(titles, key=lambda other: _title_likeness(quoted, titles[other]), default=None)
        if best is None or best == code or _title_likeness(quoted, titles[best]) < _SAME_TITLE:
            continue
        quoted_codes.add(best)
        found.append(TitleMismatch(code, quoted, (titles.get(code) or [None])[0], best, titles[best][0]))
    return found, quoted_codes


def measure_candidates(
    con: duckdb.DuckDBPyConnection,
    programme_id: int,
    parsed: ParsedDecision,
    text: str,
    limit: int | None = MAX_CANDIDATES,
):
    """(candidates best first, organisation id, title mismatches): a measure whose
    title the text quotes after another's number (the number and the title
    disagree, the title is taken), then a measure whose code the text names
    ("toimenpide 3.4", "åtgärd 6.2"), then by title; ``limit=None`` ranks
    every measure so the editor can pick any of them."""
    measures = db.query(con, "decision_measure_candidates", programme_id=programme_id)
    if measures.empty:
        return [], None, []
    references = list(_MEASURE_CODE.finditer(text))
    named = {match.group("code") for match in references}
    quoted = [(match.group("code"), match.group("quoted").strip()) for match in references if match.group("quoted")]
    mismatches, quoted_codes = _mismatches(quoted, measures)
    text_tokens = _Tokens(text)
    candidates = []
    for row in measures.itertuples():
        titles = [t for t in (row.title_fi, row.title_sv, row.title_en) if isinstance(t, str) and t]
        score = max(_similarity(title, parsed.title, text_tokens) for title in titles)
        by_code = row.code in named
        candidates.append(
            Candidate(
                measure_id=int(row.id),
                code=row.code,
                title=row.title_sv if parsed.language == "sv" and isinstance(row.title_sv, str) else row.title_fi,
                status=row.status,
                progress=int(row.progress),
                version=int(row.version),
                score=1.0 if by_code or row.code in quoted_codes else score,
                by_code=by_code,
                by_quote=row.code in quoted_codes,
            )
        )
    candidates.sort(key=lambda c: (not c.by_quote, not c.by_code, -c.score))
    return candidates[:limit], int(measures["organisation_id"].iloc[0]), mismatches
