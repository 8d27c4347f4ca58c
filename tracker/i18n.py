"""The one fi/sv/en catalogue (every ``tracker/messages/*.toml``, read as one)
and number, date and money formats per language (Finnish formats in fi:
1 200 €, 10.1.2022, 41 %, −300 €).

A count in a message agrees with its noun through a plural block, written as
ICU MessageFormat writes it: ``{count, plural, one {# toimenpide} other {#
toimenpidettä}}`` picks the form by the language's plural rule (CLDR: in fi,
sv and en "one" is exactly 1, everything else is "other"; ``=0 {…}`` matches
one number) and puts the count, in the language's number format, for ``#``;
``{count, number}`` is a count in that format without a noun (12 345).

Money has one rounding rule (``format_eur``): whole euros wherever an amount is
read, to the cent only where a coordinator edits it (``exact``)."""

from __future__ import annotations

import re
import tomllib
from datetime import date, datetime
from decimal import ROUND_HALF_UP, Decimal
from functools import cache
from pathlib import Path

from babel import Locale
from babel.dates import format_date as _babel_date
from babel.dates import format_datetime as _babel_datetime
from babel.numbers import format_decimal as _babel_decimal

LANGUAGES = ("fi", "sv", "en")
DEFAULT_LANGUAGE = "fi"
CATALOGUE_DIR = Path(__file__).with_name("messages")
_LOCALE = {"fi": "fi_FI", "sv": "sv_FI", "en": "en_GB"}
_DATE_PATTERN = {"fi": "d.M.yyyy", "sv": "d.M.yyyy", "en": "d MMM yyyy"}
# Babel's patterns write a hyphen for a negative number; typography wants the minus sign.
MINUS = "\u2212"
_PLURAL_BLOCK = re.compile(r"\{(\w+), plural,")
_NUMBER = re.compile(r"\{(\w+), number\}")


def normalise_language(value: str | None) -> str:
    value = (value or "").strip().lower()[:2]
    return value if value in LANGUAGES else DEFAULT_LANGUAGE


def _flatten(tree: dict, prefix: str = "") -> dict[str, dict[str, str]]:
    """TOML tables nest by dots; a leaf is a table holding fi/sv/en strings."""
    flat: dict[str, dict[str, str]] = {}
    for key, value in tree.items():
        path = f"{prefix}{key}"
        if isinstance(value, dict) and any(lang in value for lang in LANGUAGES):
            flat[path] = value
            nested = {k: v for k, v in value.items() if k not in LANGUAGES}
            flat.update(_flatten(nested, f"{path}."))
        elif isinstance(value, dict):
            flat.update(_flatten(value, f"{path}."))
    return flat


@cache
def catalogue() -> dict[str, dict[str, str]]:
    """Every key of every catalogue file; a key defined in two files is a bug."""
    merged: dict[str, dict[str, str]] = {}
    origin: dict[str, str] = {}
    for path in sorted(CATALOGUE_DIR.glob("*.toml")):
        with path.open("rb") as handle:
            entries = _flatten(tomllib.load(handle))
        for key, entry in entries.items():
            if key in merged:
                raise KeyError(f"catalogue key {key!r} is in both {origin[key]} and {path.name}")
            merged[key] = entry
            origin[key] = path.name
    return merged


class _StrictParams(dict):
    def __missing__(self, name: str):
        raise KeyError(f"message parameter {{{name}}} was not given")


def t(key: str, lang: str = DEFAULT_LANGUAGE, /, **params) -> str:
    """The message ``key`` in ``lang`` with ``{params}`` filled in.

    An unknown key or a placeholder left without its parameter raises
    KeyError: a missing translation or an unfilled ``{id}`` is a bug that the
    tests must see, not a string to show a user.
    """
    entry = catalogue()[key]
    text = entry.get(lang) or entry["fi"]
    if "plural," in text:
        text = _choose_plurals(text, lang, params)
    if ", number}" in text:
        text = _NUMBER.sub(lambda match: _count_text(params, match.group(1), lang), text)
    return text.format_map(_StrictParams(params))


def _count(params: dict, name: str):
    if name not in params:
        raise KeyError(f"message parameter {{{name}}} was not given")
    count = params[name]
    if isinstance(count, bool) or not isinstance(count, (int, float, Decimal)):
        raise TypeError(f"count parameter {{{name}}} must be a number, not {count!r}")
    return count


def _count_text(params: dict, name: str, lang: str) -> str:
    # Braces doubled: the result still goes through str.format_map.
    return format_number(_count(params, name), lang).replace("{", "{{").replace("}", "}}")


def plural_category(count, lang: str) -> str:
    """The CLDR plural category of ``count`` in ``lang`` ("one", "other", ...)."""
    return Locale.parse(_LOCALE[lang]).plural_form(count)


def _closing_brace(text: str, opening: int) -> int:
    """The index of the brace that closes the one at ``opening``."""
    depth = 0
    for index in range(opening, len(text)):
        depth += {"{": 1, "}": -1}.get(text[index], 0)
        if depth == 0:
            return index
    raise ValueError(f"unbalanced braces in message: {text!r}")


def plural_forms(text: str) -> list[tuple[str, dict[str, str]]]:
    """Every plural block of a message: (parameter, selector -> form), in order."""
    blocks = []
    for match in _PLURAL_BLOCK.finditer(text):
        end = _closing_brace(text, match.start())
        blocks.append((match.group(1), _forms(text[match.end() : end])))
    return blocks


def _forms(inside: str) -> dict[str, str]:
    """``one {…} other {…}`` -> {"one": "…", "other": "…"}."""
    forms, position = {}, 0
    while inside[position:].strip():
        opening = inside.index("{", position)
        selector = inside[position:opening].strip()
        closing = _closing_brace(inside, opening)
        forms[selector] = inside[opening + 1 : closing]
        position = closing + 1
    return forms


def _choose_plurals(text: str, lang: str, params: dict) -> str:
    """Each plural block replaced by the form its count takes, ``#`` by the count."""
    out, position = [], 0
    for match in _PLURAL_BLOCK.finditer(text):
        if match.start() < position:  # a block inside a form already chosen
            continue
        end = _closing_brace(text, match.start())
        count = _count(params, match.group(1))
        forms = _forms(text[match.end() : end])
        form = forms.get(f"={count}", forms.get(plural_category(count, lang), forms["other"]))
        out += [
            text[position : match.start()],
            _choose_plurals(form, lang, params).replace("#", format_number(count, lang)),
        ]
        position = end + 1
    return "".join([*out, text[position:]])


def has(key: str) -> bool:
    return key in catalogue()


def in_every_language(key: str) -> tuple[str, ...]:
    """The message ``key`` in fi, sv and en, in that order: a file header that
    is written in one language and read in any of the three."""
    return tuple(t(key, lang) for lang in LANGUAGES)


def status_label(code: str, lang: str) -> str:
    return t(f"status.{code}", lang)


def phase_label(code: str | None, lang: str) -> str:
    """A measure's implementation phase in words; a phase outside the vocabulary
    (typed before it existed) as it was stored."""
    key = f"phase.{code}"
    return t(key, lang) if code and has(key) else (code or "")


def rounded(value, decimals: int) -> Decimal:
    """``value`` to ``decimals`` places, halves away from zero (as money and shares are rounded by hand)."""
    return Decimal(str(value)).quantize(Decimal(1).scaleb(-decimals), rounding=ROUND_HALF_UP)


def format_number(value, lang: str, decimals: int | None = None) -> str:
    """A number in the language's format, a negative one with the minus sign (−3,5)."""
    if value is None:
        return ""
    if decimals is None:
        pattern = "#,##0.##"
        number = Decimal(str(value))
    else:
        pattern = "#,##0" + ("." + "0" * decimals if decimals else "")
        number = rounded(value, decimals)
    text = _babel_decimal(abs(number), format=pattern, locale=_LOCALE[lang])
    return MINUS + text if number < 0 and text.strip("0,. \u00a0") else text


def format_eur(value, lang: str, *, exact: bool = False) -> str:
    """Euros: whole euros (1 200 €, −300 €), the one rounding rule for every amount
    a reader reads; ``exact`` (an amount a coordinator edits): the cents when
    there are some (1 200,50 €)."""
    if value is None:
        return ""
    amount = Decimal(str(value))
    cents = exact and amount != amount.to_integral_value()
    number = format_number(amount, lang, 2 if cents else 0)
    if lang == "en":
        return f"{MINUS}€{number[1:]}" if number.startswith(MINUS) else f"€{number}"
    return f"{number}\u00a0€"


def format_percent(value, lang: str, decimals: int = 0) -> str:
    """``value`` is a share (0.41), shown in whole percent as 41 % in fi/sv and 41% in en."""
    if value is None:
        return ""
    number = format_number(Decimal(str(value)) * 100, lang, decimals)
    return f"{number}%" if lang == "en" else f"{number}\u00a0%"


def format_date(value, lang: str) -> str:
    if value is None or value != value:  # None or NaT
        return ""
    if isinstance(value, datetime):
        value = value.date()
    elif not isinstance(value, date):
        value = value.date() if hasattr(value, "date") else date.fromisoformat(str(value)[:10])
    return _babel_date(value, format=_DATE_PATTERN[lang], locale=_LOCALE[lang])


def format_datetime(value, lang: str) -> str:
    if value is None or value != value:
        return ""
    if not isinstance(value, datetime):
        value = value.to_pydatetime()
    pattern = _DATE_PATTERN[lang] + " HH:mm"
    return _babel_datetime(value, format=pattern, locale=_LOCALE[lang], tzinfo=None)
