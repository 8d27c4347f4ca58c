"""Cleaners of the optional per-measure fields the CDP-ICLEI Track and Covenant
of Mayors reports ask for (tracker/frameworks/vocabulary.py): the measure form
and the spreadsheet import both keep to them. A code must be one of its
vocabulary's; amounts are not negative, with at most two decimals; the
municipality's share is a per cent 0-100."""

from __future__ import annotations

from decimal import Decimal, InvalidOperation

from tracker import rules
from tracker.frameworks import vocabulary

FIELDS = vocabulary.FIELDS


def _decimal(value) -> Decimal | None:
    """A number as typed (``1 200,5``, ``12.5``, a float), or None for nothing; raises InvalidOperation."""
    if value is None or (isinstance(value, str) and not value.strip()):
        return None
    if isinstance(value, bool):
        raise InvalidOperation
    if isinstance(value, float):
        value = repr(value)
    text = str(value).translate(str.maketrans("", "", " \u00a0\u202f€%")).replace(",", ".")
    number = Decimal(text)
    if not number.is_finite():
        raise InvalidOperation
    return number


def clean_amount(problems: dict, field: str, value, high: Decimal = rules.MAX_EUROS) -> Decimal | None:
    """A quantity: not negative, at most two decimals, at most ``high``."""
    try:
        number = _decimal(value)
    except (InvalidOperation, ValueError):
        problems[field] = ("validation.amount", {})
        return None
    if number is None:
        return None
    if number < 0 or number > high or number != number.quantize(Decimal("0.01")):
        problems[field] = ("validation.amount_range", {"high": str(high).removesuffix(".00")})
    return number


def clean_code(problems: dict, field: str, value) -> str | None:
    """One code of the field's vocabulary, or None."""
    code = "" if value is None else str(value).strip()
    if not code:
        return None
    if code not in vocabulary.vocabulary(field):
        problems[field] = ("validation.unknown_choice", {"value": code[:60]})
    return code


def clean_codes(problems: dict, field: str, value) -> list[str] | None:
    """Codes of the field's vocabulary in its order, each once; None for none."""
    if value is None:
        return None
    given = [value] if isinstance(value, str) else list(value)
    codes = {str(code).strip() for code in given if str(code).strip()}
    terms = vocabulary.vocabulary(field)
    unknown = sorted(codes - set(terms))
    if unknown:
        problems[field] = ("validation.unknown_choice", {"value": ", ".join(unknown)[:60]})
    ordered = [code for code in terms if code in codes]
    return ordered or None


def clean_framework_fields(problems: dict, fields: dict) -> dict:
    """The clean values of every framework field in ``fields`` (absent ones are None)."""
    clean = {}
    for field in vocabulary.CODED_FIELDS:
        clean[field] = clean_code(problems, field, fields.get(field))
    for field in vocabulary.LIST_FIELDS:
        clean[field] = clean_codes(problems, field, fields.get(field))
    for field in vocabulary.AMOUNT_FIELDS:
        clean[field] = clean_amount(problems, field, fields.get(field))
    share = vocabulary.SHARE_FIELD
    clean[share] = clean_amount(problems, share, fields.get(share), Decimal(100))
    return {field: clean[field] for field in FIELDS}
