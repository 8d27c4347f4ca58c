"""Writes of the reminders (issue 14): ``reminder_contacts`` (a contact
person's language and opt-out) and ``reminder_sends`` (every attempt to send
a digest), each with its audit row. No other module writes them;
tracker.reminders composes and sends the digests."""

from __future__ import annotations

import secrets
from datetime import date, datetime

import duckdb

from tracker import db, i18n, rules
from tracker.auth import ANONYMOUS, Caller, require
from tracker.errors import ValidationError
from tracker.write import audit
from tracker.write.base import Target, in_transaction, run_service
from tracker.write.ids import allocate_id

CONTACT_FIELDS = ("email", "language", "opted_out", "opt_out_token", "updated_at")
ERROR_MAX = 500


def normalise_email(email: str) -> str:
    return (email or "").strip().lower()


def fetch_contact(cur: duckdb.DuckDBPyConnection, email: str) -> dict | None:
    row = cur.execute(
        "SELECT email, language, opted_out, opt_out_token, updated_at FROM reminder_contacts WHERE email = ?",
        [normalise_email(email)],
    ).fetchone()
    return None if row is None else dict(zip(CONTACT_FIELDS, row, strict=True))


def ensure_contact(cur: duckdb.DuckDBPyConnection, email: str, *, now: datetime) -> dict:
    """The contact's row, made (Finnish, not opted out, a new opt-out token) when it has none yet."""
    found = fetch_contact(cur, email)
    if found is not None:
        return found
    row = {
        "email": normalise_email(email),
        "language": i18n.DEFAULT_LANGUAGE,
        "opted_out": False,
        "opt_out_token": secrets.token_urlsafe(24),
        "updated_at": now,
    }
    cur.execute(
        "INSERT INTO reminder_contacts (email, language, opted_out, opt_out_token, updated_at) VALUES (?, ?, ?, ?, ?)",
        list(row.values()),
    )
    return row


def update_contact(
    con: duckdb.DuckDBPyConnection,
    caller: Caller,
    email: str,
    *,
    language: str,
    opted_out: bool,
    now: datetime | None = None,
) -> None:
    """Set a contact person's digest language and whether they get reminders (editor)."""
    require(caller, "editor")
    problems: dict = {}
    email = normalise_email(email)
    if not rules.EMAIL_PATTERN.match(email) or len(email) > rules.EMAIL_MAX_LENGTH:
        problems["email"] = ("validation.email", {})
    if language not in i18n.LANGUAGES:
        problems["language"] = ("validation.unknown_choice", {"value": str(language)[:60]})
    if problems:
        raise ValidationError(problems)
    now = now or db.utcnow()

    def write(cur: duckdb.DuckDBPyConnection):
        current = ensure_contact(cur, email, now=now)
        before = {"language": current["language"], "opted_out": current["opted_out"]}
        after = {"language": language, "opted_out": bool(opted_out)}
        if before == after:
            return
        cur.execute(
            "UPDATE reminder_contacts SET language = ?, opted_out = ?, updated_at = ? WHERE email = ?",
            [language, bool(opted_out), now, email],
        )
        audit.record(cur, caller, "reminder.contact_update", email, before=before, after=after, now=now)

    return in_transaction(con, Target("reminder", email), write)


def opt_out_by_token(con: duckdb.DuckDBPyConnection, token: str, *, now: datetime | None = None) -> str | None:
    """The contact whose opt-out link carries ``token`` gets no more reminders;
    returns their e-mail, or None when no contact has that token."""
    token = (token or "").strip()
    if not token or len(token) > 200:
        return None

    def write(cur: duckdb.DuckDBPyConnection, now: datetime) -> str | None:
        row = cur.execute("SELECT email, opted_out FROM reminder_contacts WHERE opt_out_token = ?", [token]).fetchone()
        if row is None:
            return None
        email, opted_out = row
        if not opted_out:
            cur.execute("UPDATE reminder_contacts SET opted_out = true, updated_at = ? WHERE email = ?", [now, email])
            audit.record(
                cur,
                Caller(email=email),
                "reminder.opt_out",
                email,
                before={"opted_out": False},
                after={"opted_out": True},
                now=now,
            )
        return email

    return run_service(con, ANONYMOUS, "anonymous", Target("reminder"), write, now)


def record_send(
    con: duckdb.DuckDBPyConnection,
    caller: Caller,
    email: str,
    *,
    sent_on: date,
    language: str,
    measures: int,
    error: str | None,
    now: datetime | None = None,
) -> None:
    """One attempt to send a digest: sent (``error`` None) or failed, with its audit row."""
    outcome = "sent" if error is None else "failed"
    error = None if error is None else error[:ERROR_MAX]

    def write(cur: duckdb.DuckDBPyConnection, now: datetime):
        cur.execute(
            "INSERT INTO reminder_sends (id, email, sent_on, attempted_at, outcome, error, measures, language)"
            " VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
            [
                allocate_id(cur, "reminder_sends"),
                normalise_email(email),
                sent_on,
                now,
                outcome,
                error,
                measures,
                language,
            ],
        )
        after = {"recipient": normalise_email(email), "measures": measures, "language": language}
        if error is not None:
            after["error"] = error
        audit.record(
            cur, caller, "reminder.send" if error is None else "reminder.fail", email, before=None, after=after, now=now
        )

    return run_service(con, caller, "editor", Target("reminder", email), write, now)


def record_test_mail(
    con: duckdb.DuckDBPyConnection, caller: Caller, recipient: str, error: str | None, *, now: datetime | None = None
) -> None:
    """The settings page's test message: who sent it to whom, and whether it went."""
    require(caller, "admin")

    def write(cur: duckdb.DuckDBPyConnection):
        after = {"recipient": recipient}
        if error is not None:
            after["error"] = error[:ERROR_MAX]
        audit.record(cur, caller, "reminder.test_mail", recipient, before=None, after=after, now=now)

    return in_transaction(con, Target("reminder", recipient), write)


def contacts_for(
    con: duckdb.DuckDBPyConnection, caller: Caller, emails: list[str], *, now: datetime | None = None
) -> dict[str, dict]:
    """Every listed contact's row by e-mail; those that had none get one (Finnish,
    reminders on, a new opt-out token), each with its audit row."""

    def write(cur: duckdb.DuckDBPyConnection, now: datetime):
        rows = {}
        for email in emails:
            existed = fetch_contact(cur, email) is not None
            row = rows[normalise_email(email)] = ensure_contact(cur, email, now=now)
            if not existed:
                after = {"language": row["language"], "opted_out": row["opted_out"]}
                audit.record(cur, caller, "reminder.contact_update", row["email"], before=None, after=after, now=now)
        return rows

    return run_service(con, caller, "editor", Target("reminder"), write, now)
