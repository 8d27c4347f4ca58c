"""Reads a council or official decision (Finnish or Swedish minutes as published
by Dynasty, CloudNC or Tweb, or text extracted from a PDF) into its fields:
who decided, when, in which section, the outcome, whether it was unanimous, and
every euro amount with its years and cost centre.

Rule-based on purpose: it runs offline, and every rule below names the phrasing
it was written for, so a new phrasing is one more rule and one more test text.
"""

from __future__ import annotations

import re
from dataclasses import asdict, dataclass, field
from datetime import date
from decimal import Decimal

from tracker.errors import UserError
from tracker.rules import OUTCOMES

_YEAR = r"(?:19|20)\d{2}"
_UPPER = "A-ZÅÄÖ"
_LOWER = "a-zåäöéü"
_WORD = rf"[{_UPPER}{_LOWER}]"


class NotADecision(UserError):
    """The text has no deciding body, no decision line and no deciding verb."""

    key = "decisions.not_a_decision"


class UnreadablePdf(UserError):
    """pypdf could not read the file: broken, encrypted or not a PDF after all."""

    key = "decisions.pdf_unreadable"


@dataclass
class MoneyItem:
    amount_eur: int | float
    per: str  # "year": the amount recurs in each of ``years``; "total": once
    years: list[int]
    cost_centre: str | None
    cost_centre_name: str | None
    text: str


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


# -- text clean-up ---------------------------------------------------------

_NBSP = re.compile(r"[\u00a0\u202f\u2007\u2009]")
_VOWELS = "aeiouyäöå"
_CONJUNCTIONS = ("ja", "tai", "sekä", "eli", "och", "eller", "samt")


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
        if after.lower() in _CONJUNCTIONS:
            return f"{before}{dash} {after}"
        if (
            before[-1].isupper()
            or before[-1].isdigit()
            or (before[-1].lower() == after[0].lower() and after[0].lower() in _VOWELS)
        ):
            return f"{before}{dash}{after}"
        return f"{before}{after}"

    return re.sub(rf"(\w+)([-–])[ \t]*\n[ \t]*([{_LOWER}0-9]\w*)", join, text)


def _paragraphs(text: str) -> list[str]:
    blocks = re.split(r"\n\s*\n", text)
    return [re.sub(r"\s+", " ", block).strip() for block in blocks if block.strip()]


def _sentences(paragraph: str) -> list[str]:
    parts = re.split(rf"(?<=[.!?:])\s+(?=[{_UPPER}0-9\"”])", paragraph)
    return [part.strip() for part in parts if part.strip()]


# -- header -----------------------------------------------------------------

_DATE = r"(?P<day>\d{1,2})\.\s?(?P<month>\d{1,2})\.\s?(?P<year>\d{4})"
_HEADER = re.compile(
    rf"^[ \t]*(?:§[ \t]*(?P<section_first>\d+)[ \t]+)?(?P<body>[{_UPPER}][\w\-– ]{{2,80}}?)"
    rf"(?:[ \t,]+§[ \t]*(?P<section_before_date>\d+))?[ \t,]+{_DATE}"
    rf"(?:[ \t]*(?:klo|kl\.?)[ \t]*[\d.:]+)?[ \t]*,?[ \t]*"
    rf"(?:§[ \t]*(?P<section>\d+)|(?P<section_after>\d+)[ \t]*§)?[ \t]*$",
    re.MULTILINE,
)
_CASE_NUMBER = re.compile(r"^\s*(?:Dnro|Dnr|Dno|DNRO|DNR|Diaarinumero|Asianro)\.?:?\s*(?P<value>\S[^\n]*?)\s*$", re.M)
# A header word that names the kind of decision, not who made it.
_GENERIC_BODIES = re.compile(
    r"^(?:viranhaltija(?:n)?\s*päätös|viranhaltijapäätös|päätös|pöytäkirja|pöytäkirjanote|ote pöytäkirjasta"
    r"|tjänsteinnehavar(?:en)?s?\s*beslut|tjänsteinnehavarbeslut|delegeringsbeslut|beslut|protokoll"
    r"|protokollsutdrag)$",
    re.IGNORECASE,
)
_OFFICIAL_HEADER = re.compile(r"^(?P<who>\w+?)(?:n|ns|s|en)?\s+(?:päätös|beslut)$", re.IGNORECASE)
_BODY_SUFFIX = (
    r"(?:hallitus|valtuusto|lautakunta|jaosto|johtaja|päällikkö|insinööri|koordinaattori|sihteeri|kamreeri"
    r"|styrelsen|styrelse|fullmäktige|nämnden|nämnd|sektionen|direktör|direktören|chef|chefen|ingenjör"
    r"|ingenjören|sekreterare|sekreteraren|koordinator|koordinatorn|samordnare|samordnaren)"
)
_DECIDING_VERB = (
    r"(?:päättää|päätti|päätän|päätin|hyväksyy|hyväksyi|hylkää|hylkäsi|beslutar|beslöt|beslutade|godkänner"
    r"|godkände|avslår|avslog)"
)
_SP = r"(?:[ \t]+\n?[ \t]*|\n[ \t]*)"  # spaces with at most one line break: not across paragraphs
_BODY_VERB = re.compile(
    rf"(?P<body>(?:[{_UPPER}][\w\-]*{_SP}(?:ja|och){_SP})?(?:[{_UPPER}][\w\-]*{_SP})?"
    rf"[{_UPPER}{_LOWER}][\w\-]*{_BODY_SUFFIX}){_SP}(?:yksimielisesti{_SP}|enhälligt{_SP})?{_DECIDING_VERB}\b"
)
_DECISION_LABEL = re.compile(
    r"^\s*(?:[\w]+n\s+)?(?:päätös|beslut)\s*(?::\s*(?P<inline>\S.*))?$", re.IGNORECASE | re.MULTILINE
)
_SECTION_LABELS = re.compile(
    r"^\s*(?:käsittely|lisätiedot|muutoksenhaku|tiedoksi|täytäntöönpano|merkittiin|valitusosoitus|oikaisuvaatimus"
    r"|behandling|ytterligare information|sökande av ändring|för kännedom|verkställighet|besvärsanvisning"
    r"|rättelseyrkande)\b",
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
    for block in re.split(r"\n\s*\n", text[start:]):
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
    r"äänin\s+\d+\s*[–—-]\s*\d+|äänestyks\w*|äänesty\w*|äänestettiin|äänestää|\d+\s+ääntä"
    r"|röster(?:na)?\s+\d+\s*[–—-]\s*\d+|med\s+\d+\s+röster|omröstning\w*|rösterna\s+\d+|röstade|\d+\s+röster",
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
    sentences = [s for p in _paragraphs(decision_part) for s in _sentences(p)]
    for sentence in reversed(sentences):
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


# -- language -----------------------------------------------------------------

_SV_WORDS = {"och", "att", "för", "som", "med", "till", "beslut", "av", "är", "på", "det", "den", "stadsstyrelsen"}
_FI_WORDS = {"ja", "että", "on", "päätös", "kaupungin", "se", "sekä", "ovat", "tai", "vuonna", "euroa", "kanssa"}


def detect_language(text: str) -> str:
    words = re.findall(r"\w+", text.lower())
    swedish = sum(word in _SV_WORDS for word in words)
    finnish = sum(word in _FI_WORDS for word in words)
    return "sv" if swedish > finnish else "fi"


# -- money --------------------------------------------------------------------

_AMOUNT = re.compile(
    r"(?<![\d.,/])(?P<number>\d{1,3}(?:[ .]\d{3})+(?:,\d+)?|\d+(?:,\d+)?)(?![.,]\d)"
    r"\s?(?:(?P<scale>t|tuhatta|tuh\.|milj\.|milj|miljoonaa|miljoona|M|miljoner|miljon|tusen)\s?)?"
    r"(?:€|euro(?:a|n|lla|sta|lle|ksi|t|s)?\b|eur\b|EUR\b)"
)
_SCALES = {"t": 1000, "tuhatta": 1000, "tuh.": 1000, "tusen": 1000}
_YEAR_MENTION = re.compile(
    rf"(?<![\d./,])(?P<a>{_YEAR})(?:\s*[–—-]\s*(?P<b>{_YEAR})|(?P<rest>(?:(?:\s*,\s*|\s+(?:ja|och|sekä|and)\s+){_YEAR})+))?"
    r"(?![\d/]|\.\d)"
)
_YEAR_KEYWORD = re.compile(
    r"(?:vuo(?:nna|sina|sille|delle|den|sien|siksi|situlle)|vuosi|talousarvio\w*|år(?:en|et)?|budget\w*)\s*$",
    re.IGNORECASE,
)
_UNTIL_YEAR = re.compile(r"^\s*(?:mennessä|asti|saakka)|vuoteen\s*$|till\s+år\s*$|fram\s+till\s*$", re.I)
_PER_YEAR = re.compile(
    r"vuodessa|vuosittain|vuosittai\w*|vuotuis\w*|vuotui\w*|per vuosi|/\s?vuosi\b|/\s?v\b|jokaisena vuotena"
    r"|kunakin vuonna|kunakin vuotena|joka vuosi|vuodelta kohden|per år|om året|i året|årligen|årlig\w*"
    r"|varje år|/\s?år\b",
    re.IGNORECASE,
)
_COST_CENTRE = re.compile(
    r"(?:kustannuspaik\w*|talousarviokohd\w*|määrärahakohd\w*|investointiosan\s+kohd\w*|investointikohd\w*"
    r"|projekti(?:numero|lle|lta)\w*|kostnadsställe\w*|budgetpost\w*|budgetmoment\w*|anslagspost\w*"
    r"|investeringsdelens?\s+post\w*)"
    r"\s*(?:nro\.?|nr\.?|numero|:)?\s*(?P<code>\d{3,12})\b"
    r"(?=(?P<after>[^\n]{0,120}))",
    re.IGNORECASE,
)
_NAME_STOP = {
    "vuonna", "vuosina", "vuosille", "vuodelle", "vuoden", "vuosien", "vuosittain", "vuodessa", "vuodeksi",
    "ja", "sekä", "tai", "jolle", "jolta", "josta", "varten", "mukaisesti", "käytettäväksi", "siten",
    "för", "under", "år", "åren", "och", "samt", "per", "i", "från", "till", "som", "enligt", "med", "av",
    "eller", "varav", "kun", "on", "ovat", "oli", "katetaan", "varataan",
}  # fmt: skip


def _amount_value(match: re.Match) -> Decimal:
    number = match.group("number").replace(" ", "")
    if re.fullmatch(r"\d{1,3}(?:\.\d{3})+(?:,\d+)?", number):
        number = number.replace(".", "")
    value = Decimal(number.replace(",", "."))
    scale = match.group("scale")
    if scale:
        value *= _SCALES.get(scale, 1_000_000)
    return value


def _plain(value: Decimal) -> int | float:
    return int(value) if value == value.to_integral_value() else float(value)


def _cost_centres(sentence: str) -> list[tuple[int, str, str | None]]:
    found = []
    for match in _COST_CENTRE.finditer(sentence):
        found.append((match.start(), match.group("code"), _cost_centre_name(match.group("after"))))
    return found


def _cost_centre_name(after: str) -> str | None:
    after = after.lstrip()
    quoted = re.match(r"^[\"”“'(](?P<name>[^\"”“')]{2,80})[\"”“')]", after)
    if quoted:
        return quoted.group("name").strip()
    words = []
    for token in re.finditer(r"[^\s.,;:()\"”“]+", after):
        word = token.group(0)
        start = token.start()
        if start and re.search(r"[.,;:()\"”“]", after[:start][-2:] if words else after[:start]):
            break
        if not words and not word[0].isupper():
            break
        if word.lower() in _NAME_STOP and not _joins_name(word, words, after[token.end() :]):
            break
        if re.search(r"\d", word) or len(words) == 6:
            break
        words.append(word)
    return " ".join(words) or None


def _joins_name(word: str, words: list[str], rest: str) -> bool:
    """ "Ympäristö- ja rakennusvalvonta", "Katujen ja liikenneväylien kunnossapito":
    a conjunction inside a name joins a shared-ending word or two genitives."""
    if word.lower() not in _CONJUNCTIONS or not words:
        return False
    if words[-1].endswith("-"):
        return True
    following = re.match(r"\s*(\w+)", rest)
    return bool(following) and words[-1].endswith("n") and following.group(1).endswith("n") and word == "ja"


def _year_mentions(sentence: str, blanked: str) -> list[tuple[int, int, list[int], bool]]:
    """(start, end, years, has a year keyword before it) for every year or range."""
    mentions = []
    for match in _YEAR_MENTION.finditer(blanked):
        before = blanked[: match.start()]
        if _UNTIL_YEAR.search(before[-12:]) or _UNTIL_YEAR.match(blanked[match.end() : match.end() + 12]):
            continue
        if re.search(r"\d\.\s?$|§\s*$|/\s*$", before):
            continue
        first = int(match.group("a"))
        if match.group("b"):
            last = int(match.group("b"))
            if not first <= last <= first + 30:
                continue
            years = list(range(first, last + 1))
        else:
            years = [first] + [int(y) for y in re.findall(_YEAR, match.group("rest") or "")]
        keyword = bool(_YEAR_KEYWORD.search(before[-25:]))
        mentions.append((match.start(), match.end(), years, keyword))
    return mentions


def _nearest(mentions, position: int):
    if not mentions:
        return None
    keyworded = [m for m in mentions if m[3]] or mentions
    return min(keyworded, key=lambda m: min(abs(m[0] - position), abs(m[1] - position)))


def _blank_amounts(sentence: str) -> str:
    return _AMOUNT.sub(lambda m: "#" * len(m.group(0)), sentence)


def _sentence_facts(sentence: str):
    blanked = _blank_amounts(sentence)
    return _year_mentions(sentence, blanked), _cost_centres(sentence)


def _money_in_paragraph(paragraph: str, decision_year: int | None) -> list[MoneyItem]:
    sentences = _sentences(paragraph)
    items = []
    for index, sentence in enumerate(sentences):
        amounts = list(_AMOUNT.finditer(sentence))
        if not amounts:
            continue
        mentions, centres = _sentence_facts(sentence)
        # Years and cost centres may sit in the next sentences ("Jäsenyys maksaa
        # 1200 euroa vuodessa ... Varaus on tehty vuosille 2022–2024.") or the one before.
        neighbours = []
        for other in sentences[index + 1 : index + 3]:
            if _AMOUNT.search(other):
                break
            neighbours.append(other)
        if index and not _AMOUNT.search(sentences[index - 1]):
            neighbours.append(sentences[index - 1])
        years_before = bool(mentions) and mentions[0][0] < amounts[0].start() and len(amounts) > 1
        for number, amount in enumerate(amounts):
            previous_end = amounts[number - 1].end() if number else 0
            next_start = amounts[number + 1].start() if number + 1 < len(amounts) else len(sentence)
            if len(amounts) == 1:
                segment = (0, len(sentence))
            elif years_before:
                segment = (previous_end, min(len(sentence), amount.end() + 25))
            else:
                segment = (amount.start(), next_start)
            local = [m for m in mentions if segment[0] <= m[0] < segment[1]]
            if years_before and len(amounts) > 1:
                local = [m for m in local if m[0] < amount.start()] or local
            chosen = _nearest(local, amount.start())
            if chosen is None and (len(amounts) == 1 or len(mentions) == 1):
                chosen = _nearest(mentions, amount.start())
            per_text = sentence[segment[0] : segment[1]]
            per = "year" if _PER_YEAR.search(per_text) else "total"
            local_centres = [c for c in centres if segment[0] <= c[0] < segment[1]] or centres
            centre = min(local_centres, key=lambda c: abs(c[0] - amount.start())) if local_centres else None
            for other in neighbours:
                if chosen and centre:
                    break
                other_mentions, other_centres = _sentence_facts(other)
                if not chosen and other_mentions:
                    chosen = _nearest(other_mentions, 0)
                if not centre and other_centres:
                    centre = other_centres[0]
            years = chosen[2] if chosen else ([decision_year] if per == "total" and decision_year else [])
            items.append(
                MoneyItem(
                    amount_eur=_plain(_amount_value(amount)),
                    per=per,
                    years=years,
                    cost_centre=centre[1] if centre else None,
                    cost_centre_name=centre[2] if centre else None,
                    text=sentence,
                )
            )
    return items


def _merge(items: list[MoneyItem]) -> list[MoneyItem]:
    """Drop repeats: the same amount told twice (in the account and in the
    proposal) is one item, keeping the version that says the most."""
    kept: list[MoneyItem] = []
    for item in items:
        key = (item.amount_eur, item.per)
        twin = next((k for k in kept if (k.amount_eur, k.per) == key and _compatible(k, item)), None)
        if twin is None:
            kept.append(item)
            continue
        if _richness(item) > _richness(twin):
            kept[kept.index(twin)] = item
    return kept


def _compatible(a: MoneyItem, b: MoneyItem) -> bool:
    return all(
        x is None or y is None or x == y or not x or not y
        for x, y in ((a.years, b.years), (a.cost_centre, b.cost_centre), (a.cost_centre_name, b.cost_centre_name))
    )


def _richness(item: MoneyItem) -> int:
    return bool(item.years) + bool(item.cost_centre) + bool(item.cost_centre_name)


# -- the whole --------------------------------------------------------------------


def parse(text: str) -> ParsedDecision:
    """Parse a decision; raise NotADecision when the text is not one."""
    text = normalise_text(text or "")
    if not text.strip():
        raise NotADecision("empty text")
    headers = _header(text)
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
    case_matches = list(_CASE_NUMBER.finditer(text))
    if case_matches:
        case = re.split(r"\s{2,}|,", case_matches[0].group("value"))[0].strip()

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

    unanimous = _unanimity(sentence, decision_part, handling)
    decision_year = decided.year if decided else None
    money = []
    for paragraph in _paragraphs(text):
        money.extend(_money_in_paragraph(paragraph, decision_year))
    return ParsedDecision(
        body=body,
        date=decided.isoformat() if decided else None,
        section=section,
        case_number=case,
        title=title,
        outcome=outcome,
        unanimous=unanimous,
        language=detect_language(text),
        money=_merge(money),
    )


def extract_pdf_text(data: bytes) -> str:
    """The text of a PDF's pages, one after the other (hyphenation is undone by ``parse``)."""
    from io import BytesIO

    from pypdf import PdfReader
    from pypdf.errors import PyPdfError

    try:
        reader = PdfReader(BytesIO(data))
        return "\n\n".join((page.extract_text() or "") for page in reader.pages)
    except PyPdfError as exc:
        raise UnreadablePdf(str(exc)) from exc
