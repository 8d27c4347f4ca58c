"""The one fi/sv/en catalogue (every ``tracker/messages/*.toml``, read as one)
and number, date and money formats per language (Finnish formats in fi:
1 200 €, 10.1.2022, 41 %)."""

from __future__ import annotations

import tomllib
from datetime import date, datetime
from decimal import Decimal
from functools import cache
from pathlib import Path

from babel.dates import format_date as _babel_date
from babel.dates import format_datetime as _babel_datetime
from babel.numbers import format_decimal as _babel_decimal

LANGUAGES = ("fi", "sv", "en")
DEFAULT_LANGUAGE = "fi"
CATALOGUE_DIR = Path(__file__).with_name("messages")
_LOCALE = {"fi": "fi_FI", "sv": "sv_FI", "en": "en_GB"}
_DATE_PATTERN = {"fi": "d.M.yyyy", "sv": "d.M.yyyy", "en": "d MMM yyyy"}


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
    return text.format_map(_StrictParams(params))


def has(key: str) -> bool:
    return key in catalogue()


def status_label(code: str, lang: str) -> str:
    return t(f"status.{code}", lang)


def format_number(value, lang: str, decimals: int | None = None) -> str:
    if value is None:
        return ""
    if decimals is None:
        pattern = "#,##0.##"
    elif decimals == 0:
        pattern = "#,##0"
    else:
        pattern = "#,##0." + "0" * decimals
    return _babel_decimal(Decimal(str(value)), format=pattern, locale=_LOCALE[lang])


def format_eur(value, lang: str, *, cents: bool | None = None) -> str:
    """Whole euros without decimals (1 200 €), cents only when there are some."""
    if value is None:
        return ""
    amount = Decimal(str(value))
    if cents is None:
        cents = amount != amount.to_integral_value()
    number = format_number(amount, lang, 2 if cents else 0)
    return f"{number}\u00a0€" if lang != "en" else f"€{number}"


def format_percent(value, lang: str, decimals: int = 0) -> str:
    """``value`` is a share (0.41), shown as 41 % in fi/sv and 41% in en."""
    if value is None:
        return ""
    number = format_number(round(float(value) * 100, decimals), lang, decimals)
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
