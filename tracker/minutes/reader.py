"""Reads a council or official decision (Finnish or Swedish minutes as published
by Dynasty, CloudNC or Tweb, or text extracted from a PDF) into its fields:
who decided, when, in which section, the outcome, whether it was unanimous, and
every euro amount with its years and cost centre (money.py).

Rule-based on purpose: it runs offline, and every rule below names the phrasing
it was written for, so a new phrasing is one more rule and one more test text.
Every rule runs in time linear in the text, and a reading has a size limit and
a time budget (text.py says how).
"""

from __future__ import annotations

import hashlib
import re
import time
from dataclasses import asdict, dataclass, field
from datetime import date

from tracker.errors import UserError
from tracker.minutes.money import MoneyItem, money_items
from tracker.minutes.text import (
    LOWER,
    MAX_TEXT_CHARS,
    UPPER,
    Budget,
    ReadingTooSlow,
    TextTooLong,
    blocks,
    check_length,
    detect_language,
    normalise_text,
    paragraphs,
    sentences,
)
from tracker.rules import OUTCOMES

__all__ = [
    "MAX_TEXT_CHARS",
    "OUTCOMES",
    "MoneyItem",
    "NotADecision",
    "ParsedDecision",
    "PdfTooHeavy",
    "PdfTooSlow",
    "ReadingTooSlow",
    "TextTooLong",
    "UnreadablePdf",
    "detect_language",
    "extract_pdf_text",
    "normalise_text",
    "parse",
]
# A PDF is read up to this many pages (then the text's own limit applies).
MAX_PDF_PAGES = 300
# A page of dense minutes takes about 15 ms to read, so the 90 pages that fill
# MAX_TEXT_CHARS take about 1.5 s; this guards against a file built to be slow.
PDF_SECONDS = 15.0
# pypdf's own limits, lowered to what minutes need: a page of dense text is
# about 40 KB of content and 3 000 tokens; a page of drawings may be fifty times
# that. Without them one 14 KB file held the server for a minute per page.
PDF_PAGE_TOKENS = 200_000
PDF_STREAM_BYTES = 16 * 1024 * 1024
# pypdf keeps every stream it decoded until the file is closed, so the pages'
# contents together have a limit too (a real file: a few MB).
PDF_CONTENT_BYTES = 64 * 1024 * 1024


class NotADecision(UserError):
    """The text has no deciding body, no decision line and no deciding verb."""

    key = "decisions.not_a_decision"


class UnreadablePdf(UserError):
    """pypdf could not read the file: broken, encrypted or not a PDF after all."""

    key = "decisions.pdf_unreadable"


class PdfTooSlow(UserError):
    """Reading the PDF's pages took longer than PDF_SECONDS and was stopped."""

    key = "decisions.pdf_too_slow"


class PdfTooHeavy(UserError):
    """A page holds more content than a page of minutes can (pypdf's lowered
    limits, or PDF_CONTENT_BYTES for the pages so far)."""

    key = "decisions.pdf_too_heavy"


@dataclass
class ParsedDecision:
    body: str | None
    date: str | None
    section: int | None
    case_number: str | None
    title: str | None
    outcome: str
    unanimous: bool | None
    language: str
    money: list[MoneyItem] = field(default_factory=list)

    def as_dict(self) -> dict:
        return asdict(self)

    @property
    def decided_on(self) -> date | None:
        return None if self.date is None else date.fromisoformat(self.date)


# -- header -----------------------------------------------------------------

_DATE = r"(?P<day>\d{1,2})\.\s?(?P<month>\d{1,2})\.\s?(?P<year>\d{4})"
_HEADER = re.compile(
    rf"^[ \t]*+(?:§[ \t]*+(?P<section_first>\d++)[ \t]++)?(?P<body>[{UPPER}][\w\-– ]{{2,80}}?)"
    rf"(?:[ \t,]++§[ \t]*+(?P<section_before_date>\d++))?[ \t,]++{_DATE}"
    rf"(?:[ \t]*+(?:klo|kl\.?)[ \t]*+[\d.:]++)?[ \t]*+,?[ \t]*+"
    rf"(?:§[ \t]*+(?P<section>\d++)|(?P<section_after>\d++)[ \t]*+§)?[ \t]*+$",
    re.MULTILINE,
)
_CASE_NUMBER = re.compile(
    r"^[ \t]*+(?:Dnro|Dnr|Dno|DNRO|DNR|Diaarinumero|Asianro)\.?:?[ \t]*+(?P<value>\S[^\n]*+)", re.M
)
# A header word that names the kind of decision, not who made it.
_GENERIC_BODIES = re.compile(
    r"^(?:viranhaltija(?:n)?\s*päätös|viranhaltijapäätös|päätös|pöytäkirja|pöytäkirjanote|ote pöytäkirjasta"
    r"|tjänsteinnehavar(?:en)?s?\s*beslut|tjänsteinnehavarbeslut|delegeringsbeslut|beslut|protokoll"
    r"|protokollsutdrag)$",
    re.IGNORECASE,
)
_OFFICIAL_HEADER = re.compile(r"^(?P<who>\w+?)(?:n|ns|s|en)?\s+(?:päätös|beslut)$", re.IGNORECASE)
_SUFFIXES = (
    "hallitus", "valtuusto", "lautakunta", "jaosto", "johtaja", "päällikkö", "insinööri", "koordinaattori",
    "sihteeri", "kamreeri", "styrelsen", "styrelse", "fullmäktige", "nämnden", "nämnd", "sektionen", "direktör",
    "direktören", "chef", "chefen", "ingenjör", "ingenjören", "sekreterare", "sekreteraren", "koordinator",
    "koordinatorn", "samordnare", "samordnaren",
)  # fmt: skip
_BODY_SUFFIX = "(?:" + "|".join(_SUFFIXES) + ")"
_DECIDING_VERB = (
    r"(?:päättää|päätti|päätän|päätin|hyväksyy|hyväksyi|hylkää|hylkäsi|beslutar|beslöt|beslutade|godkänner"
    r"|godkände|avslår|avslog)"
)
# Spaces with at most one line break (not across paragraphs), taken whole.
_SP = r"(?:[ \t]++(?:\n[ \t]*+)?|\n[ \t]*+)"
# A whole word (from its start, taken whole) that ends in a deciding body's
# word with at least one letter before it: "Kaupunginhallitus", "Miljönämnden".
_WORD = r"(?<![\w\-])"
_BODY_WORD = rf"{_WORD}[{UPPER}{LOWER}][\w\-]*+(?:" + "|".join(f"(?<=[\\w\\-]{s})" for s in _SUFFIXES) + ")"
_BODY_VERB = re.compile(
    rf"(?P<body>(?:{_WORD}[{UPPER}][\w\-]*+{_SP}(?:ja|och){_SP})?(?:{_WORD}[{UPPER}][\w\-]*+{_SP})?"
    rf"{_BODY_WORD}){_SP}(?:yksimielisesti{_SP}|enhälligt{_SP})?{_DECIDING_VERB}\b"
)
_DECISION_LABEL = re.compile(
    r"^[ \t]*+(?:\w+n[ \t]++)?(?:päätös|beslut)[ \t]*+(?::\s*+(?P<inline>\S.*))?$", re.IGNORECASE | re.MULTILINE
)
_SECTION_LABELS = re.compile(
    r"^[ \t]*+(?:käsittely|lisätiedot|muutoksenhaku|tiedoksi|täytäntöönpano|merkittiin|valitusosoitus"
    r"|oikaisuvaatimus|behandling|ytterligare information|sökande av ändring|för kännedom|verkställighet"
    r"|besvärsanvisning|rättelseyrkande)\b",
    re.IGNORECASE | re.MULTILINE,
)


_LABEL_WORD = re.compile(r"^(?:päätös|beslut|päätösehdotus|förslag)\s+", re.IGNORECASE)


def _body_case(name: str) -> str:
    name = re.sub(r"\s+", " ", name).strip()
    return name[:1].upper() + name[1:]


def _header(text: str):
    """The header of THIS decision and the first header line: among "Body d.m.yyyy § n"
    lines the latest date wins (earlier handlings are quoted in it), the last on a tie."""
    found = []
    for match in _HEADER.finditer(text):
        body = match.group("body").strip(" -–")
        if re.search(r"\d", body) or len(body.split()) > 6:
            continue
        section = next(
            (
                match.group(name)
                for name in ("section", "section_after", "section_before_date", "section_first")
                if match.group(name)
            ),
            None,
        )
        if section is None and not re.search(_BODY_SUFFIX + r"$", body, re.IGNORECASE):
            continue
        try:
            when = date(int(match.group("year")), int(match.group("month")), int(match.group("day")))
        except ValueError:
            continue
        found.append((when, match.start(), body, None if section is None else int(section), match))
    if not found:
        return None
    latest = max(item[0] for item in found)
    return [item for item in found if item[0] == latest][-1], found[0]


def _title_after(text: str, start: int) -> str | None:
    """The first one-line paragraph after the header that reads like a title."""
    for block in blocks(text[start:]):
        lines = [line.strip() for line in block.split("\n") if line.strip()]
        lines = [line for line in lines if not _CASE_NUMBER.match(line) and not _HEADER.match(line)]
        if not lines:
            continue
        if len(lines) > 2:
            return None
        line = " ".join(lines)
        if line.endswith((".", ":")) or len(line) > 200 or re.match(r"^\w+:", line):
            return None
        return line
    return None


# -- outcome and votes --------------------------------------------------------

_OUTCOME_RULES = (
    (
        "withdrawn",
        r"poist\w* (?:asian )?esityslistalta|poistettiin esityslistalta|ströks? från föredragningslistan"
        r"|avfördes|avför(?:de)? ärendet",
    ),
    (
        "returned",
        r"palautettiin|palautti asian|päätti palauttaa|palauttaa asian|palautetaan asia"
        r"|återremitter\w*|återremiss",
    ),
    ("tabled", r"pöydälle|bordla\w*|bordlägg\w*"),
    ("rejected", r"hylättiin|hylkäsi|hylkää|ei hyväksynyt|avslogs|avslår|avslog|förkastades|förkastade"),
    (
        "approved_amended",
        r"muutettuna|muutetussa muodossa|muutoksin|seuraavin muutoksin|med ändring\w*|följande ändring\w*"
        r"|i ändrad form|ändrad form",
    ),
    (
        "approved",
        r"hyväksyttiin|hyväksyi|hyväksyy|hyväksyn|päätti|päättää|päätän|päätin|merkitsi|merkittiin|godkändes"
        r"|godkände|godkänner|godkänns|beslöt|beslutade|beslutar|antecknade|antecknades",
    ),
)
# Every outcome the rules know is one the tracker records, and the other way round.
assert {outcome for outcome, _pattern in _OUTCOME_RULES} == set(OUTCOMES)
# A motion that failed (a proposal to return, table or amend) says nothing
# about the fate of the item itself.
_FAILED_MOTION = re.compile(
    r"\b(?:palautus|pöydällepano|muutos|vasta|hylkäys)esity\w*\s+(?:hylättiin|raukesi|ei saanut kannatusta)"
    r"|\bhylkäsi\s+(?:\w+\s+){0,2}(?:palautus|pöydällepano|muutos|vasta|hylkäys)esity\w*"
    r"|\b(?:återremiss|bordläggnings|ändrings|avslags)yrkande\w*\s+(?:förkastades|föll|avslogs)"
    r"|\b(?:förkastade|avslog)\s+(?:\w+\s+){0,2}(?:återremiss|bordläggnings|ändrings|avslags)yrkande\w*",
    re.IGNORECASE,
)
_VOTE = re.compile(
    r"äänin\s++\d++\s*+[–—-]\s*+\d|äänestyks|äänesty|äänestettiin|äänestää|(?<!\d)\d++\s++ääntä"
    r"|röster(?:na)?\s++\d++\s*+[–—-]\s*+\d|med\s++\d++\s++röster|omröstning|rösterna\s++\d|röstade"
    r"|(?<!\d)\d++\s++röster",
    re.IGNORECASE,
)
_UNANIMOUS = re.compile(r"yksimielisesti|yksimielinen|enhälligt|enhällig", re.IGNORECASE)


def _classify(sentence: str) -> str | None:
    cleaned = _FAILED_MOTION.sub(" ", sentence.lower())
    for outcome, pattern in _OUTCOME_RULES:
        if re.search(pattern, cleaned):
            return outcome
    return None


def _outcome(decision_part: str) -> tuple[str | None, str | None]:
    """The outcome of the last sentence that states one, and that sentence."""
    found = [s for p in paragraphs(decision_part) for s in sentences(p)]
    for sentence in reversed(found):
        outcome = _classify(sentence)
        if outcome:
            return outcome, sentence
    return None, None


def _unanimity(*scopes: str | None) -> bool | None:
    for scope in scopes:
        if not scope:
            continue
        if _VOTE.search(scope):
            return False
        if _UNANIMOUS.search(scope):
            return True
    return None


# -- the whole --------------------------------------------------------------------


def parse(text: str, *, budget: Budget | None = None) -> ParsedDecision:
    """Parse a decision; raise NotADecision when the text is not one, TextTooLong
    over MAX_TEXT_CHARS, and ReadingTooSlow when the reading outruns its time
    budget (text.PARSE_SECONDS unless given)."""
    check_length(text or "")
    budget = budget or Budget()
    text = normalise_text(text or "")
    if not text.strip():
        raise NotADecision("empty text")
    budget.check()
    headers = _header(text)
    budget.check()
    body = decided = section = title = None
    scope_start = 0
    if headers:
        (decided, scope_start, body, section, _match), (_, _, _, _, first_match) = headers
        title = _title_after(text, first_match.end())
        generic = _GENERIC_BODIES.match(body)
        official = _OFFICIAL_HEADER.match(body)
        if generic:
            body = None
        elif official:
            body = None  # "Ympäristöjohtajan päätös": the verb sentence names the official
    case = None
    case_match = _CASE_NUMBER.search(text)
    if case_match:
        case = re.split(r"\s{2,}|,", case_match.group("value"))[0].strip()

    handling = text[scope_start:]
    labels = list(_DECISION_LABEL.finditer(handling))
    decision_part = None
    if labels:
        last = labels[-1]
        rest = handling[last.start() :]
        rest = rest[len(last.group(0)) :]
        stop = _SECTION_LABELS.search(rest)
        decision_part = ((last.group("inline") or "") + "\n" + (rest[: stop.start()] if stop else rest)).strip()
    verb_bodies = list(_BODY_VERB.finditer(handling))
    budget.check()
    if body is None:
        if verb_bodies:
            body = _body_case(_LABEL_WORD.sub("", verb_bodies[-1].group("body")))
        elif headers and (official := _OFFICIAL_HEADER.match(headers[0][2])):
            body = _body_case(official.group("who"))
    if not headers and not labels and not verb_bodies:
        raise NotADecision("no deciding body, decision line or deciding verb")

    outcome = sentence = None
    if decision_part:
        outcome, sentence = _outcome(decision_part)
    if outcome is None:
        # An official's decision has no "Päätös:" line: "Ympäristöjohtaja päättää hankkia ...".
        if verb_bodies:
            outcome, sentence = _outcome(handling[verb_bodies[-1].start() :])
        outcome = outcome or ("approved" if verb_bodies else None)
    if outcome is None:
        raise NotADecision("no outcome")

    budget.check()
    unanimous = _unanimity(sentence, decision_part, handling)
    money = money_items(text, decided.year if decided else None, budget)
    return ParsedDecision(
        body=body,
        date=decided.isoformat() if decided else None,
        section=section,
        case_number=case,
        title=title,
        outcome=outcome,
        unanimous=unanimous,
        language=detect_language(text),
        money=money,
    )


def extract_pdf_text(data: bytes, *, seconds: float = PDF_SECONDS) -> str:
    """The text of a PDF's pages, one after the other (hyphenation is undone by
    ``parse``), up to MAX_PDF_PAGES pages and MAX_TEXT_CHARS + 1 characters
    (enough for ``parse`` to refuse it as too long).

    Raises UnreadablePdf for a file pypdf cannot read, PdfTooSlow when the pages
    take over ``seconds`` (checked between pages; pypdf's lowered limits keep one
    page short) and PdfTooHeavy when a page holds more than minutes do. A page
    whose content and fonts repeat an earlier page's is not read again: pages that
    share one content stream cost once."""
    from io import BytesIO

    from pypdf import PdfReader, apply_configuration
    from pypdf.errors import LimitReachedError, PyPdfError

    deadline = time.monotonic() + seconds
    number = 0
    try:
        with apply_configuration(
            stream_parsing_work_maximum_count=PDF_PAGE_TOKENS,
            zlib_maximum_output_length=PDF_STREAM_BYTES,
            array_based_stream_maximum_output_length=PDF_STREAM_BYTES,
            lzw_maximum_output_length=PDF_STREAM_BYTES,
            run_length_maximum_output_length=PDF_STREAM_BYTES,
        ):
            reader = PdfReader(BytesIO(data))
            pages: list[str] = []
            read: dict[tuple, str] = {}
            length = content_bytes = 0
            for number, page in enumerate(reader.pages, start=1):
                if number > MAX_PDF_PAGES or length > MAX_TEXT_CHARS:
                    break
                if time.monotonic() > deadline:
                    raise PdfTooSlow("reading stopped", seconds=format(seconds, "g"), page=number)
                contents = page.get_contents()
                content = b"" if contents is None else contents.get_data()
                key = (hashlib.sha256(content).digest(), _text_resources(page), repr(page.get("/Rotate")))
                if key not in read:
                    content_bytes += len(content)
                    if content_bytes > PDF_CONTENT_BYTES:
                        raise PdfTooHeavy("too much content", page=number)
                    read[key] = page.extract_text() or ""
                pages.append(read[key])
                length += len(pages[-1])
    except LimitReachedError as exc:
        raise PdfTooHeavy(str(exc), page=max(number, 1)) from exc
    except PyPdfError as exc:
        raise UnreadablePdf(str(exc)) from exc
    return "\n\n".join(pages)[: MAX_TEXT_CHARS + 1]


def _text_resources(page) -> str:
    """What besides its content decides a page's text: its fonts and forms, as
    the file refers to them (two pages using the same objects read alike)."""
    resources = page.get("/Resources")
    if resources is None:
        return ""
    return repr([resources.raw_get(name) if name in resources else None for name in ("/Font", "/XObject")])
