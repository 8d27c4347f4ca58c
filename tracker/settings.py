"""Settings an admin can change, with their defaults, read from ``settings``
(``tracker.write.settings`` writes them)."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date

import duckdb

from tracker import rules


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


# -- reminders (issue 14) --
SMTP_SECURITY = ("starttls", "ssl", "none")


def _port(text: str) -> int:
    """A TCP port, 1-65535."""
    port = int(text.strip())
    if not 1 <= port <= 65535:
        raise ValueError(text)
    return port


def _smtp_security(text: str) -> str:
    """How the mail server connection is protected: starttls, ssl or none."""
    value = text.strip().lower()
    if value not in SMTP_SECURITY:
        raise ValueError(text)
    return value


def _optional_email(text: str) -> str:
    """An e-mail address, or nothing."""
    value = text.strip()
    if value and (len(value) > rules.EMAIL_MAX_LENGTH or not rules.EMAIL_PATTERN.match(value)):
        raise ValueError(text)
    return value


def _optional_base_url(text: str) -> str:
    """The app's public address (http or https), without a trailing slash, or nothing."""
    value = text.strip().rstrip("/")
    if value and not rules.URL_PATTERN.match(value):
        raise ValueError(text)
    return value


def _session_hours(text: str) -> int:
    """A session's longest life in hours: from one hour to a week."""
    hours = int(text)
    if not 1 <= hours <= 168:
        raise ValueError(text)
    return hours


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
    # A signed-in session ends after this many minutes without any action.
    "session_idle_minutes": ("30", int),
    # -- reminders (issue 14); the password is never stored here: .streamlit/secrets.toml
    # [smtp] password, or $TRACKER_SMTP_PASSWORD (tracker.mail) --
    "smtp_host": ("", str.strip),
    "smtp_port": ("587", _port),
    "smtp_security": ("starttls", _smtp_security),
    "smtp_user": ("", str.strip),
    "smtp_from": ("", _optional_email),
    # The address the app is reached at, for the links in reminders (e.g. https://ilmasto.example.fi).
    "app_base_url": ("", _optional_base_url),
    # -- end of reminders --
    # ... and at the latest this many hours after signing in, however active.
    "session_max_hours": ("12", _session_hours),
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
