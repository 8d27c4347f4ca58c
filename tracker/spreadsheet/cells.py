"""Cell parsers for the measures spreadsheet: each turns one raw cell value (a
CSV string, or whatever openpyxl read from an .xlsx cell) into its value, None
for an empty cell, or raises CellError carrying a catalogue key. They never
raise anything else (the property tests throw arbitrary values at them)."""

from __future__ import annotations

import math
import re
from dataclasses import dataclass, field
from datetime import date, datetime, time
from decimal import ROUND_HALF_UP, Decimal

from tracker import i18n, rules
from tracker.formulas import FORMULA_STARTS
from tracker.spreadsheet import sheet_format
from tracker.status import STATUSES

MAX_LENGTHS = {
    "code": rules.MEASURE_CODE_MAX,
    "theme": rules.NAME_MAX,
    "title": rules.MEASURE_TITLE_MAX,
    "cost_centre": rules.COST_CENTRE_CODE_MAX,
    "text": rules.DESCRIPTION_MAX,
    "description": rules.DESCRIPTION_MAX,
    "responsible": rules.RESPONSIBLE_MAX,
}
# Text that would start a formula was written with an apostrophe in front
# (tracker.formulas); the importer takes it off again.
_SPACES = str.maketrans("", "", " \u00a0\u202f\u2009\u2007")
_MONEY_WORDS = re.compile(r"(?i)(€|eur\b|euroa?\b|e$)")
_FI_DATE = re.compile(r"^(\d{1,2})\.(\d{1,2})\.(\d{4})$")
_ISO_DATE = re.compile(r"^(\d{4})-(\d{1,2})-(\d{1,2})(?:[ T][0-9:.]+)?$")
_YEAR = re.compile(r"^\d{4}$")
_PLAIN_NUMBER = re.compile(r"^\d+(?:\.\d+)?$")


@dataclass(frozen=True)
class Percent:
    """An .xlsx number cell formatted as percent: 0.45 shown as 45 %."""

    value: float


@dataclass(frozen=True)
class BadCell:
    """A cell the reader would not hand on (a NUL character, a cell over the
    size limit): the plan reports it by row and column with this message."""

    key: str
    params: dict = field(default_factory=dict, compare=False, hash=False)

    def __str__(self) -> str:
        return "…"


class CellError(Exception):
    """A cell that cannot be read; ``key`` and ``params`` name the catalogue message."""

    def __init__(self, key: str, **params):
        super().__init__(key)
        self.key = key
        self.params = params


@dataclass
class _Number:
    value: Decimal
    decimals: int = field(default=0)


def is_empty(value) -> bool:
    if value is None:
        return True
    if isinstance(value, str):
        return value.strip() == ""
    if isinstance(value, float):
        return math.isnan(value)
    return False


def _number_text(value: float | int) -> str:
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


def text(value, max_length: int = MAX_LENGTHS["text"]) -> str | None:
    """Any cell as trimmed text; the exporter's formula guard is taken off."""
    if is_empty(value):
        return None
    if isinstance(value, bool):
        return sheet_format.YES_NO["fi"][0 if value else 1]
    if isinstance(value, Percent):
        result = _number_text(value.value * 100) + " %"
    elif isinstance(value, (int, float)):
        if isinstance(value, float) and math.isinf(value):
            raise CellError("import.cell.not_text")
        result = _number_text(value)
    elif isinstance(value, datetime):
        result = value.date().isoformat() if value.time() == time() else value.isoformat(sep=" ")
    elif isinstance(value, date):
        result = value.isoformat()
    elif isinstance(value, str):
        # One line ending, as the forms store it (tracker.write.fields.clean_text).
        result = value.replace("\r\n", "\n").replace("\r", "\n").strip()
        if len(result) > 1 and result[0] == "'" and result[1] in (*FORMULA_STARTS, "'"):
            # the exporter's guard: before a formula start, and before an apostrophe of the text itself
            result = result[1:].strip()
    else:
        raise CellError("import.cell.not_text")
    if "\x00" in result:
        raise CellError("import.cell.not_text")
    if len(result) > max_length:
        raise CellError("import.cell.too_long", max=max_length)
    return result


def code(value) -> str | None:
    return text(value, MAX_LENGTHS["code"])


def theme(value) -> str | None:
    return text(value, MAX_LENGTHS["theme"])


def title(value) -> str | None:
    return text(value, MAX_LENGTHS["title"])


def _fold(word: str) -> str:
    return " ".join(word.lower().replace("_", " ").replace("-", " ").split())


def _status_words() -> dict[str, str]:
    words = {_fold(code): code for code in STATUSES}
    for code in STATUSES:
        words.update({_fold(i18n.status_label(code, lang)): code for lang in i18n.LANGUAGES})
    words.update({_fold(word): code for word, code in sheet_format.STATUS_SYNONYMS.items()})
    return words


STATUS_WORDS = _status_words()


def status(value) -> str | None:
    word = text(value)
    if word is None:
        return None
    found = STATUS_WORDS.get(_fold(word))
    if found is None:
        raise CellError("import.cell.status_unknown", value=word[:60])
    return found


def _decimal_from_text(raw: str) -> _Number:
    """A number as Finnish and English files write it: 1 200,50 / 1.200,50 /
    1,200.50 / 1200.5; raises CellError for anything else."""
    cleaned = raw.translate(_SPACES).replace("\u2212", "-")
    negative = cleaned.startswith("-")
    if negative:
        cleaned = cleaned[1:]
    if "," in cleaned and "." in cleaned:
        decimal_mark = "," if cleaned.rfind(",") > cleaned.rfind(".") else "."
        thousands = "." if decimal_mark == "," else ","
        whole, _, fraction = cleaned.rpartition(decimal_mark)
        groups = whole.split(thousands)
        if not (groups[0].isdigit() and len(groups[0]) <= 3 and all(len(g) == 3 and g.isdigit() for g in groups[1:])):
            raise CellError("import.cell.not_number", value=raw[:60])
        cleaned = "".join(groups) + "." + fraction
    elif cleaned.count(",") == 1:
        cleaned = cleaned.replace(",", ".")
    elif cleaned.count(",") > 1 or cleaned.count(".") > 1:
        mark = "," if "," in cleaned else "."
        groups = cleaned.split(mark)
        if not (groups[0].isdigit() and len(groups[0]) <= 3 and all(len(g) == 3 and g.isdigit() for g in groups[1:])):
            raise CellError("import.cell.not_number", value=raw[:60])
        cleaned = "".join(groups)
    if not _PLAIN_NUMBER.match(cleaned):
        raise CellError("import.cell.not_number", value=raw[:60])
    number = Decimal(cleaned)
    decimals = len(cleaned.partition(".")[2])
    return _Number(-number if negative else number, decimals)


def _number(value) -> _Number | None:
    if is_empty(value):
        return None
    if isinstance(value, bool):
        raise CellError("import.cell.not_number", value=str(value))
    if isinstance(value, Percent):
        value = value.value * 100
    if isinstance(value, int):
        return _Number(Decimal(value))
    if isinstance(value, float):
        if not math.isfinite(value):
            raise CellError("import.cell.not_number", value=str(value))
        if abs(value) >= 1e15:
            return _Number(Decimal(repr(value)))
        # A float from Excel carries binary noise (0.1 + 0.2); six places is plenty.
        return _Number(Decimal(repr(value)).quantize(Decimal("0.000001"), ROUND_HALF_UP).normalize(), 0)
    if isinstance(value, str):
        return _decimal_from_text(value.strip())
    raise CellError("import.cell.not_number", value=str(value)[:60])


def number(value) -> Decimal | None:
    """Any number, negative too, as Finnish and English files write it (an indicator's value)."""
    found = _number(value)
    return None if found is None else found.value


def _progress_number(value) -> Decimal | None:
    if isinstance(value, str):
        value = value.strip().removesuffix("%").strip()
    number = _number(value)
    if number is None:
        return None
    if not Decimal(0) <= number.value <= Decimal(100):
        raise CellError("import.cell.progress_range")
    return number.value


def progress(value) -> int | None:
    """Progress in whole percent (the tracker keeps whole percent): a fraction
    is rounded half up; ``progress_fraction`` tells the plan to warn about it."""
    number = _progress_number(value)
    return None if number is None else int(number.quantize(Decimal(1), ROUND_HALF_UP))


def progress_fraction(value) -> Decimal | None:
    """The progress as written when it is not a whole percent (55,5), else None."""
    try:
        number = _progress_number(value)
    except CellError:
        return None
    if number is None or number == number.to_integral_value():
        return None
    return number.normalize()


def money(value) -> Decimal | None:
    if isinstance(value, str):
        value = _MONEY_WORDS.sub("", value.strip()).strip()
    number = _number(value)
    if number is None:
        return None
    if number.value < 0:
        raise CellError("import.cell.money_negative")
    if number.decimals > 2:
        raise CellError("import.cell.money_decimals", value=str(value)[:60])
    if number.value > rules.MAX_EUROS:
        raise CellError("import.cell.money_too_large")
    return number.value.quantize(Decimal("0.01"), ROUND_HALF_UP)


def year(value) -> int | None:
    number = _number(value)
    if number is None:
        return None
    if number.value != number.value.to_integral_value() or not rules.year_in_range(number.value):
        raise CellError("import.cell.year_range", low=rules.MIN_YEAR, high=rules.MAX_YEAR)
    return int(number.value)


def _checked_date(y: int, m: int, d: int, raw) -> date:
    if not rules.year_in_range(y):
        raise CellError("import.cell.date_year_range", low=rules.MIN_YEAR, high=rules.MAX_YEAR)
    try:
        return date(y, m, d)
    except ValueError:
        raise CellError("import.cell.not_date", value=str(raw)[:60]) from None


def _date(value, *, end: bool) -> date | None:
    if is_empty(value):
        return None
    if isinstance(value, datetime):
        return _checked_date(value.year, value.month, value.day, value)
    if isinstance(value, date):
        return _checked_date(value.year, value.month, value.day, value)
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        if isinstance(value, float) and not value.is_integer():
            raise CellError("import.cell.not_date", value=str(value)[:60])
        raw = str(int(value)) if math.isfinite(value) else "?"
    elif isinstance(value, str):
        raw = value.strip()
    else:
        raise CellError("import.cell.not_date", value=str(value)[:60])
    if _YEAR.match(raw):
        return _checked_date(int(raw), 12, 31, raw) if end else _checked_date(int(raw), 1, 1, raw)
    found = _FI_DATE.match(raw)
    if found:
        return _checked_date(int(found[3]), int(found[2]), int(found[1]), raw)
    found = _ISO_DATE.match(raw)
    if found:
        return _checked_date(int(found[1]), int(found[2]), int(found[3]), raw)
    raise CellError("import.cell.not_date", value=raw[:60])


def start_date(value) -> date | None:
    return _date(value, end=False)


def end_date(value) -> date | None:
    return _date(value, end=True)


def flag(value) -> bool | None:
    if is_empty(value):
        return None
    if isinstance(value, bool):
        return value
    if isinstance(value, (int, float)) and not isinstance(value, Percent):
        if value in (0, 1):
            return bool(value)
        raise CellError("import.cell.not_flag", value=str(value)[:60])
    word = text(value)
    folded = word.lower()
    if folded in sheet_format.YES_WORDS:
        return True
    if folded in sheet_format.NO_WORDS:
        return False
    raise CellError("import.cell.not_flag", value=word[:60])


def cost_centre(value) -> tuple[str, str | None] | None:
    """``1275`` or ``1275 Ilmastotyön koordinointi``: the code, then the name."""
    raw = text(value)
    if raw is None:
        return None
    centre_code, _, name = raw.partition(" ")
    name = name.strip().lstrip("-–").strip() or None
    if len(centre_code) > MAX_LENGTHS["cost_centre"]:
        raise CellError("import.cell.too_long", max=MAX_LENGTHS["cost_centre"])
    return centre_code, name


PARSERS = {
    "code": code,
    "theme": theme,
    "title": title,
    "description": lambda value: text(value, MAX_LENGTHS["description"]),
    "responsible": lambda value: text(value, MAX_LENGTHS["responsible"]),
    "status": status,
    "progress": progress,
    "start": start_date,
    "end": end_date,
    "continuous": flag,
    "public": flag,
    "cost_centre": cost_centre,
    "year": year,
    "planned": money,
    "actual": money,
}


# -- the optional framework fields of a measure (issue 14): the rules are those of the measure
# form (tracker/write/framework_fields.py); a vocabulary cell takes the code or its label in any
# language, a list cell codes or labels separated by ";" --


def _term_words(field: str) -> dict[str, str]:
    """Folded code and fi/sv/en label -> code, for one framework vocabulary."""
    from tracker.frameworks import vocabulary

    words = {}
    for code, term in vocabulary.vocabulary(field).items():
        words[_fold(code)] = code
        for lang in i18n.LANGUAGES:
            words[_fold(i18n.t(term.key, lang))] = code
    return words


def _framework_code(field: str, value) -> str | None:
    from tracker.write.framework_fields import clean_code

    word = text(value)
    if word is None:
        return None
    code = _term_words(field).get(_fold(word), word)
    problems: dict = {}
    clean = clean_code(problems, field, code)
    if problems:
        raise CellError("import.cell.not_in_list", value=word[:60])
    return clean


def _framework_codes(field: str, value) -> list[str] | None:
    from tracker.write.framework_fields import clean_codes

    raw = text(value)
    if raw is None:
        return None
    words = _term_words(field)
    parts = [part.strip() for part in raw.split(";") if part.strip()]
    unknown = [part for part in parts if _fold(part) not in words]
    if unknown:
        raise CellError("import.cell.not_in_list", value="; ".join(unknown)[:60])
    return clean_codes({}, field, [words[_fold(part)] for part in parts])


def _framework_amount(value, high: Decimal | None = None) -> Decimal | None:
    amount = money(value)
    if amount is not None and high is not None and amount > high:
        raise CellError("import.cell.share_range")
    return amount


PARSERS.update(
    {
        "sector": lambda value: _framework_code("sector", value),
        "financing": lambda value: _framework_code("financing_source", value),
        "finance_status": lambda value: _framework_code("finance_status", value),
        "com_area": lambda value: _framework_code("com_area", value),
        "com_instrument": lambda value: _framework_code("com_instrument", value),
        "co_benefits": lambda value: _framework_codes("co_benefits", value),
        "total_cost": _framework_amount,
        "municipal_share": lambda value: _framework_amount(value, Decimal(100)),
        "emission_reduction": _framework_amount,
        "energy_saved": _framework_amount,
        "renewable_energy": _framework_amount,
    }
)
# -- end of the framework fields --
