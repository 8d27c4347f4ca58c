"""What the decision reader (reader.py, money.py) does to any text first: one
kind of space and line break, words hyphenated across PDF lines joined,
paragraphs and sentences, the language, and the limits every reading keeps.

Every regular expression of the reader runs in time that grows with the
length of its input, not with its square: a word or a run of spaces is
matched once (possessive quantifiers, ``*+``), a match starts only where a
word starts, and no two quantifiers can share a run of the same characters.
tests/test_decision_reader_limits.py throws the probe's long adversarial
lines at the reader. On top of that a reading has a size limit and a time
budget (``Budget``), so no text can hold the server.
"""

from __future__ import annotations

import re
import time

from tracker.errors import UserError

YEAR = r"(?:19|20)\d{2}"
UPPER = "A-ZÅÄÖ"
LOWER = "a-zåäöéü"

# The most a decision text may hold: about 100 pages of minutes, far more than
# one decision; the decision page and parse-decision refuse a longer text.
MAX_TEXT_CHARS = 300_000
# Reading a text of the largest size takes well under a second; this is the
# guard for what no test foresaw.
PARSE_SECONDS = 5.0


class TextTooLong(UserError):
    """The text is over MAX_TEXT_CHARS."""

    key = "decisions.text_too_long"


class ReadingTooSlow(UserError):
    """Reading the text took longer than its budget and was stopped."""

    key = "decisions.reading_too_slow"


class Budget:
    """A reading's time budget: ``check()`` between steps raises ReadingTooSlow
    once it is spent (each step itself is linear in its input, so a step never
    runs long past the budget)."""

    def __init__(self, seconds: float = PARSE_SECONDS):
        self.deadline = time.monotonic() + seconds

    def check(self) -> None:
        if time.monotonic() > self.deadline:
            raise ReadingTooSlow("reading stopped", seconds=format(PARSE_SECONDS, "g"))


def check_length(text: str) -> None:
    if len(text) > MAX_TEXT_CHARS:
        raise TextTooLong("too long", length=len(text), limit=MAX_TEXT_CHARS)


_NBSP = re.compile(r"[\u00a0\u202f\u2007\u2009]")
_VOWELS = "aeiouyäöå"
CONJUNCTIONS = ("ja", "tai", "sekä", "eli", "och", "eller", "samt")
# A word broken at a PDF line's end: the word (from its start), the dash, the line
# break and the rest of the word on the next line.
_LINE_BREAK_HYPHEN = re.compile(rf"(?<!\w)(\w++)([-–])[ \t]*+\n[ \t]*+([{LOWER}0-9]\w*+)")
_PARAGRAPH_BREAK = re.compile(r"\n[^\S\n]*+(?:\n[^\S\n]*+)+")
_SPACES = re.compile(r"\s++")
_SENTENCE_BREAK = re.compile(rf"(?<=[.!?:])\s++(?=[{UPPER}0-9\"”])")


def normalise_text(text: str) -> str:
    """One kind of space and newline, and words hyphenated across PDF line breaks joined.

    "kustannus-\\npaikalta" -> "kustannuspaikalta", "2022–\\n2024" -> "2022–2024";
    kept: "ICLEI-\\nverkosto" (acronym), "tasa-\\narvoisen" (same vowel on both
    sides, Finnish writes the hyphen), "yhteistyö-\\nja" (a shared-ending list).
    """
    text = _NBSP.sub(" ", text.replace("\r\n", "\n").replace("\r", "\n")).replace("\u00ad", "")
    text = "\n".join(line.rstrip() for line in text.split("\n"))

    def join(match: re.Match) -> str:
        before, dash, after = match.group(1), match.group(2), match.group(3)
        if before.isdigit() and after[0].isdigit():
            return f"{before}{dash}{after}"
        if after.lower() in CONJUNCTIONS:
            return f"{before}{dash} {after}"
        if (
            before[-1].isupper()
            or before[-1].isdigit()
            or (before[-1].lower() == after[0].lower() and after[0].lower() in _VOWELS)
        ):
            return f"{before}{dash}{after}"
        return f"{before}{after}"

    return _LINE_BREAK_HYPHEN.sub(join, text)


def paragraphs(text: str) -> list[str]:
    blocks = _PARAGRAPH_BREAK.split(text)
    return [_SPACES.sub(" ", block).strip() for block in blocks if block.strip()]


def blocks(text: str) -> list[str]:
    """The text's blank-line separated blocks as they are (lines kept)."""
    return _PARAGRAPH_BREAK.split(text)


def sentences(paragraph: str) -> list[str]:
    parts = _SENTENCE_BREAK.split(paragraph)
    return [part.strip() for part in parts if part.strip()]


_SV_WORDS = {"och", "att", "för", "som", "med", "till", "beslut", "av", "är", "på", "det", "den", "stadsstyrelsen"}
_FI_WORDS = {"ja", "että", "on", "päätös", "kaupungin", "se", "sekä", "ovat", "tai", "vuonna", "euroa", "kanssa"}


def detect_language(text: str) -> str:
    words = re.findall(r"\w+", text.lower())
    swedish = sum(word in _SV_WORDS for word in words)
    finnish = sum(word in _FI_WORDS for word in words)
    return "sv" if swedish > finnish else "fi"
