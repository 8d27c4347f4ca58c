"""Field cleaners of the forms' write services: each takes the problems dict,
the field name and the value as typed, records a problem (field -> catalogue
key and parameters) when the value breaks a rule of ``tracker.rules``, and
returns the clean value."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal, InvalidOperation

from tracker import rules


def clean_text(problems: dict, field: str, value, max_length: int, *, required: bool = False) -> str | None:
    # One line ending: an .xlsx file turns a lone carriage return into a line feed.
    text = "" if value is None else str(value).replace("\r\n", "\n").replace("\r", "\n").strip()
    if not text:
        if required:
            problems[field] = ("validation.required", {})
        return None
    if len(text) > max_length:
        problems[field] = ("validation.too_long", {"max": max_length})
    elif rules.CONTROL_CHARACTERS.search(text):
        problems[field] = ("validation.control_characters", {})
    return text


def _typed_decimal(
    problems: dict, field: str, value, *, required: bool, invalid: str, symbols: dict[str, str]
) -> Decimal | None:
    """The number a form or a file typed, or None with a problem noted (``invalid``
    when it is not a finite number). Spaces of any kind go, a decimal comma is a
    point, and each of ``symbols`` is replaced as given (a euro sign, a minus sign)."""
    if value is None or (isinstance(value, str) and not value.strip()):
        if required:
            problems[field] = ("validation.required", {})
        return None
    if isinstance(value, bool):
        problems[field] = (invalid, {})
        return None
    if isinstance(value, float):
        value = repr(value)
    text = str(value).replace("\u00a0", "").replace("\u202f", "").replace(" ", "")
    for symbol, replacement in symbols.items():
        text = text.replace(symbol, replacement)
    try:
        number = Decimal(text.replace(",", "."))
    except InvalidOperation:
        problems[field] = (invalid, {})
        return None
    if not number.is_finite():
        problems[field] = (invalid, {})
        return None
    return number


def clean_euros(problems: dict, field: str, value, *, required: bool = False) -> Decimal | None:
    """Euros as typed (``1 200,50``, ``1200.5 €``): not negative, at most two decimals."""
    amount = _typed_decimal(problems, field, value, required=required, invalid="validation.euros", symbols={"€": ""})
    if amount is None:
        return None
    # Too big is said before the cents: 1e30 cannot even be rounded to cents.
    if amount < 0:
        problems[field] = ("validation.euros_negative", {})
    elif amount > rules.MAX_EUROS:
        problems[field] = ("validation.euros_too_big", {})
    elif amount != amount.quantize(Decimal("0.01")):
        problems[field] = ("validation.euros_cents", {})
    return amount


def clean_decimal(
    problems: dict, field: str, value, *, decimals: int, largest: Decimal, required: bool = False
) -> Decimal | None:
    """A number as typed (``1 200,5``, ``-3.25``, or a number): at most ``decimals``
    decimals and at most ``largest`` either side of zero."""
    number = _typed_decimal(
        problems, field, value, required=required, invalid="validation.number", symbols={"\u2212": "-"}
    )
    if number is None:
        return None
    if abs(number) > largest:
        problems[field] = ("validation.number_too_big", {})
    elif -number.normalize().as_tuple().exponent > decimals:
        problems[field] = ("validation.number_decimals", {"decimals": decimals})
    return number


def clean_int(problems: dict, field: str, value, low: int, high: int, *, required: bool = False) -> int | None:
    if value is None or (isinstance(value, str) and not value.strip()):
        if required:
            problems[field] = ("validation.required", {})
        return None
    try:
        number = Decimal(str(value).strip())
        # NaN and infinity are no whole numbers; neither is a number too long to be one.
        if isinstance(value, bool) or not number.is_finite() or number.adjusted() > 18:
            raise InvalidOperation
        if number != number.to_integral_value():
            raise InvalidOperation
        number = int(number)
    except (InvalidOperation, ValueError):
        problems[field] = ("validation.whole_number", {"low": low, "high": high})
        return None
    if not low <= number <= high:
        problems[field] = ("validation.whole_number", {"low": low, "high": high})
    return number


def clean_progress(problems: dict, field: str, value) -> int | None:
    """Progress in percent: a whole number 0–100 (not NaN, not a fraction)."""
    number = clean_int(problems, field, value, 0, 100)
    if field in problems:
        problems[field] = ("validation.progress_range", {})
        return None
    return number


def clean_date(problems: dict, field: str, value) -> date | None:
    """A day (a date, or text YYYY-MM-DD) in the years every date may fall in (rules.MIN_YEAR–MAX_YEAR)."""
    if value is None or value == "":
        return None
    if isinstance(value, datetime):
        day = value.date()
    elif isinstance(value, date):
        day = value
    else:
        try:
            day = date.fromisoformat(str(value).strip())
        except ValueError:
            problems[field] = ("validation.date", {})
            return None
    if not rules.year_in_range(day.year):
        problems[field] = ("validation.year_range", {"low": rules.MIN_YEAR, "high": rules.MAX_YEAR})
    return day


def clean_year(problems: dict, field: str, value) -> int | None:
    return clean_int(problems, field, value, rules.MIN_YEAR, rules.MAX_YEAR, required=True)


def check_date_order(problems: dict, start: date | None, end: date | None, end_field: str = "end_date") -> None:
    if start and end and end < start:
        problems[end_field] = ("validation.end_before_start", {})


def check_email(problems: dict, field: str, value: str | None) -> None:
    if value and field not in problems and not rules.EMAIL_PATTERN.match(value):
        problems[field] = ("validation.email", {})


def check_url(problems: dict, field: str, value: str | None) -> None:
    """Only http(s) links: a ``javascript:`` or ``data:`` URL never reaches a page."""
    if value and field not in problems and not rules.URL_PATTERN.match(value):
        problems[field] = ("validation.url", {})
