"""Settings an admin can change, with their defaults and the values each may
take, read from ``settings`` (``tracker.write.settings`` writes them).

Every setting has a parser that turns the stored text into its value and
refuses a value out of its range with ``SettingRefused`` (a catalogue key and
its parameters for the message beside the field). A stored value the parser
refuses (written before ranges existed, or by hand in the database) never
reaches a page: the default is used instead, the admin is told on the
settings page, and the server log says it once.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Callable
from datetime import date

import duckdb

from tracker import rules

log = logging.getLogger(__name__)


class SettingRefused(ValueError):
    """A setting's value is not one it may take; ``key`` and ``params`` say why."""

    def __init__(self, key: str, **params):
        super().__init__(key)
        self.key = key
        self.params = params


# -- parsers: stored text -> value, or SettingRefused --


def whole_number(low: int, high: int) -> Callable[[str], int]:
    """A whole number from ``low`` to ``high``."""

    def parse(text: str) -> int:
        try:
            number = int(text.strip())
        except ValueError:
            raise SettingRefused("validation.whole_number", low=low, high=high) from None
        if not low <= number <= high:
            raise SettingRefused("validation.whole_number", low=low, high=high)
        return number

    parse.range = (low, high)
    return parse


def flag(text: str) -> bool:
    """A yes/no setting stored as text."""
    value = text.strip().lower()
    if value in {"true", "1", "yes", "on"}:
        return True
    if value in {"false", "0", "no", "off"}:
        return False
    raise SettingRefused("validation.setting_flag")


def optional_id(text: str) -> int | None:
    """An id (a positive whole number), or nothing when the text is empty."""
    if not text.strip():
        return None
    try:
        number = int(text.strip())
    except ValueError:
        raise SettingRefused("validation.setting_id") from None
    if not 1 <= number <= 2**31 - 1:
        raise SettingRefused("validation.setting_id")
    return number


def optional_date(text: str) -> date | None:
    """A day written YYYY-MM-DD in the years every date may fall in, or nothing when empty."""
    if not text.strip():
        return None
    try:
        day = date.fromisoformat(text.strip())
    except ValueError:
        raise SettingRefused("validation.date") from None
    if not rules.year_in_range(day.year):
        raise SettingRefused("validation.year_range", low=rules.MIN_YEAR, high=rules.MAX_YEAR)
    return day


def line_of_text(max_length: int, *, required: bool = False) -> Callable[[str], str]:
    """One line of text of at most ``max_length`` characters."""

    def parse(text: str) -> str:
        value = text.strip()
        if required and not value:
            raise SettingRefused("validation.required")
        if len(value) > max_length:
            raise SettingRefused("validation.too_long", max=max_length)
        if any(ch in value for ch in "\r\n\x00"):
            raise SettingRefused("validation.one_line")
        return value

    return parse


def web_address(text: str) -> str:
    """An http(s) address, or nothing."""
    value = line_of_text(rules.URL_MAX)(text)
    if value and not rules.URL_PATTERN.match(value):
        raise SettingRefused("validation.url")
    return value


def base_address(text: str) -> str:
    """The app's own public address (http or https) without a trailing slash, or nothing."""
    return web_address(text).rstrip("/")


def optional_email(text: str) -> str:
    """An e-mail address, or nothing."""
    value = line_of_text(rules.EMAIL_MAX_LENGTH)(text)
    if value and not rules.EMAIL_PATTERN.match(value):
        raise SettingRefused("validation.email")
    return value


def one_of(*choices: str) -> Callable[[str], str]:
    """One of ``choices`` (case does not matter)."""

    def parse(text: str) -> str:
        value = text.strip().lower()
        if value not in choices:
            raise SettingRefused("validation.setting_choice", choices=", ".join(choices))
        return value

    parse.choices = choices
    return parse


def origins(text: str) -> tuple[str, ...]:
    """Web origins (``https://www.example.fi``), separated by spaces, commas or lines:
    scheme http(s), a host, an optional port, nothing after it. A bad one is refused by name."""
    found = []
    for part in text.replace(",", " ").split():
        if not _ORIGIN.match(part.rstrip("/")):
            raise SettingRefused("validation.origin", origin=part[:80])
        found.append(part.rstrip("/").lower())
    return tuple(dict.fromkeys(found))


_LABEL = r"[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?"
_ORIGIN = re.compile(rf"^https?://(?:{_LABEL}\.)*{_LABEL}(?::\d{{1,5}})?$", re.IGNORECASE)


# How many days the freshness and horizon settings may span (ten years).
MAX_DAYS = 3650
# A signed-in session ends after 5 minutes to 24 hours without any action ...
IDLE_MINUTES = (5, 24 * 60)
# ... and at the latest 1 hour to a week after signing in, however active.
SESSION_HOURS = (1, 7 * 24)
SMTP_SECURITY = ("starttls", "ssl", "none")

# key -> (default, parser). A new setting gets a parser that says its range.
DEFAULTS: dict[str, tuple[str, Callable[[str], object]]] = {
    # Update freshness (PRODUCT.md): updated within fresh_days is fresh, within
    # acceptable_days acceptable; not updated for stale_days is stale.
    "fresh_days": ("30", whole_number(1, MAX_DAYS)),
    "acceptable_days": ("60", whole_number(1, MAX_DAYS)),
    "stale_days": ("180", whole_number(1, MAX_DAYS)),
    "upcoming_days": ("90", whole_number(1, MAX_DAYS)),
    # -- public view --
    # The programme the public view shows when the URL names none; empty means
    # the one marked programmes.is_default, else the only (first) one.
    "public_programme_id": ("", optional_id),
    "public_show_money": ("true", flag),
    "open_data_licence": ("CC BY 4.0", line_of_text(rules.NAME_MAX, required=True)),
    "open_data_licence_url": ("https://creativecommons.org/licenses/by/4.0/", web_address),
    # Where residents send accessibility feedback (an e-mail address, a web form, or a phone number).
    "accessibility_feedback_contact": ("", line_of_text(rules.NAME_MAX)),
    # The day the accessibility statement was prepared or last reviewed (YYYY-MM-DD).
    "accessibility_statement_date": ("", optional_date),
    # Sites (origins) that may frame the public view (embed); the app itself always may.
    "embed_allowed_origins": ("", origins),
    # Days a handled feedback item keeps its sender's name and e-mail (0: deleted when handled).
    "feedback_contact_retention_days": ("30", whole_number(0, 730)),
    # A signed-in session ends after this many minutes without any action.
    "session_idle_minutes": ("30", whole_number(*IDLE_MINUTES)),
    "session_max_hours": ("12", whole_number(*SESSION_HOURS)),
    # -- reminders; the password is never stored here: .streamlit/secrets.toml
    # [smtp] password, or $TRACKER_SMTP_PASSWORD (tracker.mail) --
    "smtp_host": ("", line_of_text(rules.NAME_MAX)),
    "smtp_port": ("587", whole_number(1, 65535)),
    "smtp_security": ("starttls", one_of(*SMTP_SECURITY)),
    "smtp_user": ("", line_of_text(rules.NAME_MAX)),
    "smtp_from": ("", optional_email),
    # The address the app is reached at, for the links in reminders (e.g. https://ilmasto.example.fi).
    "app_base_url": ("", base_address),
}

# Settings that must keep an order among themselves: (smaller, larger).
ORDERED = (("fresh_days", "acceptable_days"), ("acceptable_days", "stale_days"))


def parse(key: str, text: str):
    """The value of setting ``key`` written as ``text``; SettingRefused when it may not take it."""
    return DEFAULTS[key][1](text)


def order_problems(values: dict, changed) -> dict[str, tuple[str, dict]]:
    """The ORDERED pairs ``values`` break, each said beside the one of the two
    being ``changed`` (the larger when both are): key -> (catalogue key, params)."""
    problems = {}
    for smaller, larger in ORDERED:
        if values[larger] >= values[smaller]:
            continue
        if larger in changed:
            problems[larger] = ("validation.setting_at_least", {"value": values[smaller]})
        elif smaller in changed:
            problems[smaller] = ("validation.setting_at_most", {"value": values[larger]})
    return problems


_logged: set[tuple[str, str]] = set()


def read_all(con: duckdb.DuckDBPyConnection) -> tuple[dict, dict[str, str]]:
    """Every setting's value in one read, and the stored texts that were refused
    (key -> the text; the default is in the values instead)."""
    cur = con.cursor()
    try:
        stored = dict(cur.execute("SELECT key, value FROM settings").fetchall())
    finally:
        cur.close()
    return from_stored(stored)


def from_stored(stored: dict[str, str]) -> tuple[dict, dict[str, str]]:
    """The values of the stored texts (key -> text), defaults where a key is
    missing or its text refused, and the refused texts (key -> text)."""
    values, refused = {}, {}
    for key, (default, parser) in DEFAULTS.items():
        text = stored.get(key, default)
        try:
            values[key] = parser(text)
        except ValueError:
            values[key] = parser(default)
            refused[key] = text
            if (key, text) not in _logged:
                _logged.add((key, text))
                log.warning("setting %s holds %r, which it may not take; its default %r is used", key, text, default)
    return values, refused


def all_settings(con: duckdb.DuckDBPyConnection) -> dict:
    """Every setting, parsed, in one read (pages call this on every run)."""
    return read_all(con)[0]


def get(con: duckdb.DuckDBPyConnection, key: str):
    return all_settings(con)[key]
