"""Settings an admin can change, with their defaults, read from ``settings``
(``tracker.write.settings`` writes them)."""

from __future__ import annotations

import re
from collections.abc import Callable
from datetime import date

import duckdb


# key -> (default, parser). Parsers turn the stored text into its value and
# raise ValueError for a bad one.
def _flag(text: str) -> bool:
    """A yes/no setting stored as text."""
    value = text.strip().lower()
    if value in {"true", "1", "yes", "on"}:
        return True
    if value in {"false", "0", "no", "off"}:
        return False
    raise ValueError(text)


def _optional_id(text: str) -> int | None:
    """An id, or nothing when the text is empty."""
    return int(text) if text.strip() else None


def _optional_date(text: str) -> date | None:
    """A day written YYYY-MM-DD, or nothing when the text is empty."""
    return date.fromisoformat(text.strip()) if text.strip() else None


def origins(text: str) -> tuple[str, ...]:
    """Web origins (``https://www.example.fi``), separated by spaces, commas or lines:
    scheme http(s), a host, an optional port, nothing after it. A bad one raises ValueError."""
    found = []
    for part in text.replace(",", " ").split():
        match = _ORIGIN.match(part.rstrip("/"))
        if not match:
            raise ValueError(part)
        found.append(part.rstrip("/").lower())
    return tuple(dict.fromkeys(found))


_LABEL = r"[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?"
_ORIGIN = re.compile(rf"^https?://(?:{_LABEL}\.)*{_LABEL}(?::\d{{1,5}})?$", re.IGNORECASE)


def _days_up_to_two_years(text: str) -> int:
    days = int(text)
    if not 0 <= days <= 730:
        raise ValueError(text)
    return days


DEFAULTS: dict[str, tuple[str, Callable[[str], object]]] = {
    # Update freshness (PRODUCT.md): updated within fresh_days is fresh, within
    # acceptable_days acceptable; not updated for stale_days is stale.
    "fresh_days": ("30", int),
    "acceptable_days": ("60", int),
    "stale_days": ("180", int),
    "upcoming_days": ("90", int),
    # -- public view --
    # The programme the public view shows when the URL names none; empty means
    # the one marked programmes.is_default, else the only (first) one.
    "public_programme_id": ("", _optional_id),
    "public_show_money": ("true", _flag),
    "open_data_licence": ("CC BY 4.0", str),
    "open_data_licence_url": ("https://creativecommons.org/licenses/by/4.0/", str),
    # Where residents send accessibility feedback (an e-mail address or a web form).
    "accessibility_feedback_contact": ("", str),
    # The day the accessibility statement was prepared or last reviewed (YYYY-MM-DD).
    "accessibility_statement_date": ("", _optional_date),
    # Sites (origins) that may frame the public view (embed); the app itself always may.
    "embed_allowed_origins": ("", origins),
    # Days a handled feedback item keeps its sender's name and e-mail (0: deleted when handled).
    "feedback_contact_retention_days": ("30", _days_up_to_two_years),
    # A signed-in session ends after this many minutes without any action.
    "session_idle_minutes": ("30", int),
}


def get(con: duckdb.DuckDBPyConnection, key: str):
    default, parse = DEFAULTS[key]
    cur = con.cursor()
    try:
        row = cur.execute("SELECT value FROM settings WHERE key = ?", [key]).fetchone()
    finally:
        cur.close()
    return parse(row[0] if row else default)


def all_settings(con: duckdb.DuckDBPyConnection) -> dict:
    """Every setting, parsed, in one read (pages call this on every run)."""
    cur = con.cursor()
    try:
        stored = dict(cur.execute("SELECT key, value FROM settings").fetchall())
    finally:
        cur.close()
    return {key: parse(stored.get(key, default)) for key, (default, parse) in DEFAULTS.items()}
