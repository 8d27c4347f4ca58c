"""Writes of ``feedback`` and ``feedback_senders``: a resident's feedback
received (anyone may give it), an editor marking it handled or new again and
noting a reply, and the deletion of the sender's name and e-mail a retention
period after handling. No other module writes these tables.

Spam is kept out without a third party: the public form carries a honeypot
field (web/public_pages.py drops what fills it), sizes are capped here and
in the route, and each sender address may give ``PER_ADDRESS_PER_HOUR``
items an hour (``ALL_PER_HOUR`` in all). The address itself is never stored:
``feedback_senders`` keeps a hash of it for a day.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from datetime import datetime, timedelta

import duckdb

from tracker import i18n, rules
from tracker.auth import ANONYMOUS, Caller
from tracker.errors import NotFound, UserError
from tracker.write import audit
from tracker.write.base import Target, check_version, fetch_row, raise_if, run_service
from tracker.write.fields import check_email, clean_text
from tracker.write.ids import allocate_id

KINDS = ("general", "measure", "accessibility")
MESSAGE_MAX = rules.NOTE_MAX
PER_ADDRESS_PER_HOUR = 5
ALL_PER_HOUR = 200
# How long a sender's hashed address is kept for the rate limit.
SENDER_MEMORY = timedelta(days=1)
FEEDBACK_FIELDS = (
    "id",
    "received_at",
    "kind",
    "programme_id",
    "measure_id",
    "lang",
    "message",
    "sender_name",
    "sender_email",
    "consent",
    "status",
    "handled_at",
    "handled_by",
    "replied_at",
    "contact_deleted_at",
    "version",
)


class TooManyFeedback(UserError):
    """The sender (or everyone together) gave more feedback within the hour than is taken."""

    key = "feedback.too_many"


@dataclass(frozen=True)
class Feedback:
    """What the public form sends."""

    kind: str
    lang: str
    message: str
    programme_id: int | None = None
    measure_id: int | None = None
    name: str | None = None
    email: str | None = None
    consent: bool = False


def sender_key(address: str | None) -> str:
    """What is stored of the sender's address: a hash, kept a day for the rate limit."""
    return hashlib.sha256(f"tracker-feedback:{address or 'unknown'}".encode()).hexdigest()


def fetch_feedback(cur: duckdb.DuckDBPyConnection, feedback_id: int) -> dict:
    missing = NotFound(f"feedback {feedback_id}", key="feedback.not_found", id=feedback_id)
    return fetch_row(cur, "feedback", FEEDBACK_FIELDS, feedback_id, missing)


def _feedback_target(feedback_id: int, expected_version: int) -> Target:
    return Target("feedback", feedback_id, expected_version, lambda cur: fetch_feedback(cur, feedback_id))


def _fetch_at_version(cur: duckdb.DuckDBPyConnection, feedback_id: int, expected_version: int) -> dict:
    """The item as stored, or a conflict when someone changed it after the form loaded it."""
    before = fetch_feedback(cur, feedback_id)
    check_version("feedback", feedback_id, before, expected_version)
    return before


def _validate(cur: duckdb.DuckDBPyConnection, item: Feedback) -> dict:
    problems: dict = {}
    clean = {
        "message": clean_text(problems, "message", item.message, MESSAGE_MAX, required=True),
        "sender_name": clean_text(problems, "name", item.name, rules.NAME_MAX),
        "sender_email": clean_text(problems, "email", item.email, rules.EMAIL_MAX_LENGTH),
    }
    check_email(problems, "email", clean["sender_email"])
    if not item.consent:
        problems["consent"] = ("feedback.consent_required", {})
    kind = item.kind if item.kind in KINDS else "general"
    programme_id = item.programme_id
    if programme_id is not None and not cur.execute("SELECT 1 FROM programmes WHERE id = ?", [programme_id]).fetchone():
        programme_id = None
    measure_id = None
    if kind == "measure" and item.measure_id is not None:
        # Only a measure a resident can see: published, not archived.
        row = cur.execute("SELECT programme_id FROM visible_measures(false) WHERE id = ?", [item.measure_id]).fetchone()
        if row is not None:
            measure_id, programme_id = item.measure_id, row[0]
    if kind == "measure" and measure_id is None:
        kind = "general"
    raise_if(problems)
    return {
        **clean,
        "kind": kind,
        "programme_id": programme_id,
        "measure_id": measure_id,
        "lang": i18n.normalise_language(item.lang),
    }


def _check_rate(cur: duckdb.DuckDBPyConnection, key: str, now: datetime) -> None:
    since = now - timedelta(hours=1)
    mine, everyone = cur.execute(
        "SELECT count(*) FILTER (WHERE sender_key = ?), count(*) FROM feedback_senders WHERE sent_at > ?",
        [key, since],
    ).fetchone()
    if mine >= PER_ADDRESS_PER_HOUR or everyone >= ALL_PER_HOUR:
        raise TooManyFeedback("too much feedback within the hour")


def receive(
    con: duckdb.DuckDBPyConnection,
    item: Feedback,
    *,
    address: str | None,
    retention_days: int,
    now: datetime | None = None,
) -> int:
    """Store a resident's feedback; returns its id. ValidationError names the
    fields (message, name, email, consent); TooManyFeedback when the sender's
    address (or everyone) reached the hourly limit."""
    key = sender_key(address)

    def write(cur: duckdb.DuckDBPyConnection, now: datetime) -> int:
        clean = _validate(cur, item)
        cur.execute("DELETE FROM feedback_senders WHERE sent_at < ?", [now - SENDER_MEMORY])
        _check_rate(cur, key, now)
        feedback_id = allocate_id(cur, "feedback")
        cur.execute(
            "INSERT INTO feedback (id, received_at, kind, programme_id, measure_id, lang, message, sender_name,"
            " sender_email, consent, status, version) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, true, 'new', 1)",
            [
                feedback_id,
                now,
                clean["kind"],
                clean["programme_id"],
                clean["measure_id"],
                clean["lang"],
                clean["message"],
                clean["sender_name"],
                clean["sender_email"],
            ],
        )
        cur.execute("INSERT INTO feedback_senders (sender_key, sent_at) VALUES (?, ?)", [key, now])
        # The audit row says that feedback came, never what it says or who sent it.
        audit.record(
            cur,
            ANONYMOUS,
            "feedback.receive",
            feedback_id,
            before=None,
            after={k: clean[k] for k in ("kind", "programme_id", "measure_id", "lang")},
            measure_id=clean["measure_id"],
            now=now,
        )
        _delete_expired_contacts(cur, ANONYMOUS, now, retention_days)
        return feedback_id

    return run_service(con, ANONYMOUS, "anonymous", Target("feedback"), write, now)


def set_handled(
    con: duckdb.DuckDBPyConnection,
    caller: Caller,
    feedback_id: int,
    *,
    expected_version: int,
    handled: bool = True,
    retention_days: int,
    now: datetime | None = None,
) -> int:
    """Mark an item handled (or new again); returns its new version. With a retention of
    0 days the sender's name and e-mail go at once; otherwise that many days later."""

    def write(cur: duckdb.DuckDBPyConnection, now: datetime):
        before = _fetch_at_version(cur, feedback_id, expected_version)
        status = "handled" if handled else "new"
        if before["status"] == status:
            return before["version"]
        cur.execute(
            "UPDATE feedback SET status = ?, handled_at = ?, handled_by = ?, version = version + 1 WHERE id = ?",
            [status, now if handled else None, caller.actor if handled else None, feedback_id],
        )
        audit.record(
            cur,
            caller,
            "feedback.handle" if handled else "feedback.reopen",
            feedback_id,
            before={"status": before["status"]},
            after={"status": status},
            version=expected_version,
            measure_id=before["measure_id"],
            now=now,
        )
        _delete_expired_contacts(cur, caller, now, retention_days)
        return fetch_feedback(cur, feedback_id)["version"]

    return run_service(con, caller, "editor", _feedback_target(feedback_id, expected_version), write, now)


def record_reply(
    con: duckdb.DuckDBPyConnection,
    caller: Caller,
    feedback_id: int,
    *,
    expected_version: int,
    now: datetime | None = None,
) -> int:
    """Note that the sender was answered by e-mail (the item is handled with it); returns the new version."""

    def write(cur: duckdb.DuckDBPyConnection, now: datetime):
        before = _fetch_at_version(cur, feedback_id, expected_version)
        cur.execute(
            "UPDATE feedback SET replied_at = ?, status = 'handled', handled_at = coalesce(handled_at, ?),"
            " handled_by = coalesce(handled_by, ?), version = version + 1 WHERE id = ?",
            [now, now, caller.actor, feedback_id],
        )
        audit.record(
            cur,
            caller,
            "feedback.reply",
            feedback_id,
            before={"status": before["status"]},
            after={"status": "handled", "replied": True},
            version=expected_version,
            measure_id=before["measure_id"],
            now=now,
        )
        return expected_version + 1

    return run_service(con, caller, "editor", _feedback_target(feedback_id, expected_version), write, now)


def delete_expired_contacts(
    con: duckdb.DuckDBPyConnection, caller: Caller, *, retention_days: int, now: datetime | None = None
) -> int:
    """Delete the name and e-mail of every item handled more than ``retention_days``
    ago; returns how many items lost them (the inbox and the CLI call this)."""

    def write(cur: duckdb.DuckDBPyConnection, now: datetime):
        return _delete_expired_contacts(cur, caller, now, retention_days)

    return run_service(con, caller, "editor", Target("feedback"), write, now)


def _delete_expired_contacts(cur: duckdb.DuckDBPyConnection, caller: Caller, now: datetime, days: int) -> int:
    cutoff = now - timedelta(days=max(0, int(days)))
    expired = [
        row[0]
        for row in cur.execute(
            "SELECT id FROM feedback WHERE status = 'handled' AND handled_at <= ?"
            " AND (sender_name IS NOT NULL OR sender_email IS NOT NULL) ORDER BY id",
            [cutoff],
        ).fetchall()
    ]
    if not expired:
        return 0
    cur.execute(
        "UPDATE feedback SET sender_name = NULL, sender_email = NULL, contact_deleted_at = ?,"
        " version = version + 1 WHERE list_contains(?, id)",
        [now, expired],
    )
    audit.record(
        cur,
        caller,
        "feedback.delete_contact",
        None,
        before=None,
        after={"items": len(expired), "retention_days": int(days)},
        now=now,
    )
    return len(expired)
