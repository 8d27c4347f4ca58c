"""The euros a decision names (reader.py calls ``money_items``): each amount
with its years, whether it recurs each year, and the cost centre it is paid
from, found in its sentence or the sentences around it.

Linear in the text like every rule of the reader (see text.py): a decision
names a handful of amounts, so at most MAX_AMOUNTS are read from one text,
and the years and cost centres near an amount are looked up by position,
not by going through all of them again for each amount.
"""

from __future__ import annotations

import re
from bisect import bisect_left
from dataclasses import dataclass
from decimal import Decimal

from tracker.minutes.text import CONJUNCTIONS, YEAR, Budget, paragraphs, sentences

# More amounts than this in one decision is not a decision the tracker can use.
MAX_AMOUNTS = 100


@dataclass
class MoneyItem:
    amount_eur: int | float
    per: str  # "year": the amount recurs in each of ``years``; "total": once
    years: list[int]
    cost_centre: str | None
    cost_centre_name: str | None
    text: str


_AMOUNT = re.compile(
    r"(?<![\d.,/])(?P<number>\d{1,3}(?:[ .]\d{3})++(?:,\d++)?|\d++(?:,\d++)?)(?![.,]\d)"
    r"\s?(?:(?P<scale>t|tuhatta|tuh\.|milj\.|milj|miljoonaa|miljoona|M|miljoner|miljon|tusen)\s?)?"
    r"(?:€|euro(?:a|n|lla|sta|lle|ksi|t|s)?\b|eur\b|EUR\b)"
)
_THOUSANDS_WITH_DOTS = re.compile(r"\d{1,3}(?:\.\d{3})+(?:,\d+)?")
_SCALES = {"t": 1000, "tuhatta": 1000, "tuh.": 1000, "tusen": 1000}
# A year, a range (2022–2024) or a list (2022, 2023 ja 2024; at most 40 years).
_YEAR_MENTION = re.compile(
    rf"(?<![\d./,])(?P<a>{YEAR})(?:[ \t]*+[–—-][ \t]*+(?P<b>{YEAR})"
    rf"|(?P<rest>(?:(?:[ \t]*+,[ \t]*+|[ \t]++(?:ja|och|sekä|and)[ \t]++){YEAR}){{1,40}}))?"
    r"(?![\d/]|\.\d)"
)
_YEAR_KEYWORD = re.compile(
    r"(?:vuo(?:nna|sina|sille|delle|den|sien|siksi|situlle)|vuosi|talousarvio\w*|år(?:en|et)?|budget\w*)\s*$",
    re.IGNORECASE,
)
_UNTIL_YEAR = re.compile(r"^\s*(?:mennessä|asti|saakka)|vuoteen\s*$|till\s+år\s*$|fram\s+till\s*$", re.I)
_DAY_MONTH_BEFORE = re.compile(r"\d\.\s?$")
_PER_YEAR = re.compile(
    r"vuodessa|vuosittain|vuosittai\w*|vuotuis\w*|vuotui\w*|per vuosi|/\s?vuosi\b|/\s?v\b|jokaisena vuotena"
    r"|kunakin vuonna|kunakin vuotena|joka vuosi|vuodelta kohden|per år|om året|i året|årligen|årlig\w*"
    r"|varje år|/\s?år\b",
    re.IGNORECASE,
)
_COST_CENTRE = re.compile(
    r"(?:kustannuspaik|talousarviokohd|määrärahakohd|investointiosan[ \t]++kohd|investointikohd"
    r"|projekti(?:numero|lle|lta)|kostnadsställe|budgetpost|budgetmoment|anslagspost"
    r"|investeringsdelens?[ \t]++post)[^\W\d]*+"
    r"\s*+(?:nro\.?|nr\.?|numero|:)?\s*+(?P<code>\d{3,12})\b"
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
    if _THOUSANDS_WITH_DOTS.fullmatch(number):
        number = number.replace(".", "")
    value = Decimal(number.replace(",", "."))
    scale = match.group("scale")
    if scale:
        value *= _SCALES.get(scale, 1_000_000)
    return value


def _plain(value: Decimal) -> int | float:
    return int(value) if value == value.to_integral_value() else float(value)


def _cost_centres(sentence: str) -> list[tuple[int, str, str | None]]:
    return [
        (match.start(), match.group("code"), _cost_centre_name(match.group("after")))
        for match in _COST_CENTRE.finditer(sentence)
    ]


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
    if word.lower() not in CONJUNCTIONS or not words:
        return False
    if words[-1].endswith("-"):
        return True
    following = re.match(r"\s*(\w+)", rest)
    return bool(following) and words[-1].endswith("n") and following.group(1).endswith("n") and word == "ja"


def _after_separators(text: str, end: int) -> bool:
    """Whether the text before ``end``, spaces left out, ends in "§" or "/"."""
    while end and text[end - 1].isspace():
        end -= 1
    return end > 0 and text[end - 1] in "§/"


def _year_mentions(blanked: str) -> list[tuple[int, int, list[int], bool]]:
    """(start, end, years, has a year keyword before it) for every year or range."""
    mentions = []
    for match in _YEAR_MENTION.finditer(blanked):
        start = match.start()
        if _UNTIL_YEAR.search(blanked[max(0, start - 12) : start]) or _UNTIL_YEAR.match(
            blanked[match.end() : match.end() + 12]
        ):
            continue
        if _DAY_MONTH_BEFORE.search(blanked[max(0, start - 3) : start]) or _after_separators(blanked, start):
            continue
        first = int(match.group("a"))
        if match.group("b"):
            last = int(match.group("b"))
            if not first <= last <= first + 30:
                continue
            years = list(range(first, last + 1))
        else:
            years = [first] + [int(y) for y in re.findall(YEAR, match.group("rest") or "")]
        keyword = bool(_YEAR_KEYWORD.search(blanked[max(0, start - 25) : start]))
        mentions.append((start, match.end(), years, keyword))
    return mentions


def _nearest(mentions, position: int):
    if not mentions:
        return None
    keyworded = [m for m in mentions if m[3]] or mentions
    return min(keyworded, key=lambda m: min(abs(m[0] - position), abs(m[1] - position)))


def _within(found: list, starts: list[int], low: int, high: int) -> list:
    """The items of ``found`` (sorted by start) that start in [low, high)."""
    return found[bisect_left(starts, low) : bisect_left(starts, high)]


def _blank_amounts(sentence: str) -> str:
    return _AMOUNT.sub(lambda m: "#" * len(m.group(0)), sentence)


class _Facts:
    """The years and cost centres of a sentence, found once."""

    def __init__(self, sentence: str):
        self.mentions = _year_mentions(_blank_amounts(sentence))
        self.mention_starts = [m[0] for m in self.mentions]
        self.centres = _cost_centres(sentence)
        self.centre_starts = [c[0] for c in self.centres]


def _money_in_paragraph(paragraph: str, decision_year: int | None, room: int, budget: Budget) -> list[MoneyItem]:
    parts = sentences(paragraph)
    facts: dict[int, _Facts] = {}

    def facts_of(index: int) -> _Facts:
        if index not in facts:
            facts[index] = _Facts(parts[index])
        return facts[index]

    has_amount = [bool(_AMOUNT.search(sentence)) for sentence in parts]
    items: list[MoneyItem] = []
    for index, sentence in enumerate(parts):
        if not has_amount[index]:
            continue
        budget.check()
        amounts = []
        for match in _AMOUNT.finditer(sentence):
            if len(items) + len(amounts) >= room:
                break
            amounts.append(match)
        if not amounts:
            break
        here = facts_of(index)
        mentions, centres = here.mentions, here.centres
        # Years and cost centres may sit in the next sentences ("Jäsenyys maksaa
        # 1200 euroa vuodessa ... Varaus on tehty vuosille 2022–2024.") or the one before.
        neighbours = []
        for other in range(index + 1, min(index + 3, len(parts))):
            if has_amount[other]:
                break
            neighbours.append(other)
        if index and not has_amount[index - 1]:
            neighbours.append(index - 1)
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
            local = _within(mentions, here.mention_starts, *segment)
            if years_before and len(amounts) > 1:
                local = [m for m in local if m[0] < amount.start()] or local
            chosen = _nearest(local, amount.start())
            if chosen is None and (len(amounts) == 1 or len(mentions) == 1):
                chosen = _nearest(mentions, amount.start())
            per_text = sentence[segment[0] : segment[1]]
            per = "year" if _PER_YEAR.search(per_text) else "total"
            local_centres = _within(centres, here.centre_starts, *segment) or centres
            centre = min(local_centres, key=lambda c: abs(c[0] - amount.start())) if local_centres else None
            for other in neighbours:
                if chosen and centre:
                    break
                there = facts_of(other)
                if not chosen and there.mentions:
                    chosen = _nearest(there.mentions, 0)
                if not centre and there.centres:
                    centre = there.centres[0]
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


def money_items(text: str, decision_year: int | None, budget: Budget) -> list[MoneyItem]:
    """Every amount of the (normalised) text with its years and cost centre, repeats merged."""
    found: list[MoneyItem] = []
    for paragraph in paragraphs(text):
        if len(found) >= MAX_AMOUNTS:
            break
        found.extend(_money_in_paragraph(paragraph, decision_year, MAX_AMOUNTS - len(found), budget))
    return _merge(found)
