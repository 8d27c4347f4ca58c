"""Reminders before the deadline (issue 14): ``python -m tracker remind`` run by a
system timer. Each contact person of measures gets at most one digest a day,
in their language, listing their open measures that are stale (the staleness
thresholds of the settings) or not yet marked ready for an open reporting
period that has a due day, with links to them and to opt out.

People who opted out get nothing. Every attempt is recorded and audited
(tracker.write.reminders); a failed send is reported and tried again by the
next run, and never stops the run: the others are still sent.
"""

from __future__ import annotations

import smtplib
from dataclasses import dataclass, field
from datetime import date
from urllib.parse import urlencode

import duckdb
import pandas as pd

from tracker import db, i18n, mail
from tracker import settings as stored_settings
from tracker.auth import SYSTEM, Caller
from tracker.write import reminders

OPT_OUT_PATH = "/reminders/opt-out"


@dataclass
class Digest:
    """What one contact person is to hear about today."""

    email: str
    name: str | None
    language: str
    opted_out: bool
    sent_today: bool
    last_failed: bool
    last_error: str | None
    items: list[dict] = field(default_factory=list)


@dataclass
class Outcome:
    """What the run did for one contact person."""

    email: str
    language: str
    measures: int
    outcome: str  # sent | failed | opted_out | sent_today | dry_run
    retried: bool = False  # their previous attempt had failed
    error: str | None = None
    subject: str | None = None


def _value(value):
    return None if value is None or (not isinstance(value, str) and pd.isna(value)) else value


def plan(con: duckdb.DuckDBPyConnection, today: date) -> list[Digest]:
    """Every contact person with something to hear about on ``today`` (opted out and already sent included)."""
    limits = stored_settings.all_settings(con)
    frame = db.query(
        con,
        "reminder_items",
        today=today,
        acceptable_days=limits["acceptable_days"],
        stale_days=limits["stale_days"],
    )
    digests: dict[str, Digest] = {}
    for row in frame.astype(object).to_dict("records"):
        row = {key: _value(value) for key, value in row.items()}
        digest = digests.get(row["email"])
        if digest is None:
            digest = digests[row["email"]] = Digest(
                email=row["email"],
                name=row["contact_name"],
                language=row["language"],
                opted_out=bool(row["opted_out"]),
                sent_today=bool(row["sent_today"]),
                last_failed=bool(row["last_failed"]),
                last_error=row["last_error"],
            )
        digest.items.append(row)
    return list(digests.values())


def _link(base_url: str, path: str, lang: str, **params) -> str:
    return f"{base_url}/{path}?{urlencode({'lang': lang, **params})}"


def compose(digest: Digest, base_url: str, token: str | None) -> tuple[str, str, str]:
    """(subject, plain-text body, opt-out link) of a digest in the contact person's language."""
    lang = digest.language
    subject = i18n.t("remind.subject", lang, count=len(digest.items))
    lines = [
        i18n.t("remind.greeting", lang, name=digest.name or digest.email),
        "",
        i18n.t("remind.intro", lang, count=len(digest.items)),
    ]
    programme = None
    for item in digest.items:
        if item["programme"] != programme:
            programme = item["programme"]
            lines += ["", programme, "-" * min(len(programme), 70)]
        lines.append(f"* {item['code']} {item['title']}")
        if item["is_stale"]:
            lines.append(
                "  "
                + i18n.t(
                    "remind.item_stale",
                    lang,
                    date=i18n.format_date(item["updated_at"], lang),
                    days=int(item["days_since_update"]),
                )
            )
        if item["period_id"] is not None:
            lines.append(
                "  "
                + i18n.t(
                    "remind.item_not_ready", lang, period=item["period"], due=i18n.format_date(item["due_on"], lang)
                )
            )
        lines.append("  " + _link(base_url, "measure", lang, programme=item["programme_id"], code=item["code"]))
    programmes = list(dict.fromkeys(item["programme_id"] for item in digest.items))
    lines += ["", i18n.t("remind.update_link", lang)]
    lines += [f"  {_link(base_url, 'weekly', lang, programme=programme_id)}" for programme_id in programmes]
    opt_out = f"{base_url}{OPT_OUT_PATH}?{urlencode({'token': token or '…'})}"
    lines += ["", "-- ", i18n.t("remind.footer", lang), i18n.t("remind.opt_out", lang, url=opt_out)]
    return subject, "\n".join(lines) + "\n", opt_out


def _send_all(cfg: mail.SmtpConfig, outgoing: list[tuple[Outcome, object]]) -> None:
    """Send each message over one session; a broken session is opened again for the next
    message; a failure is kept in its outcome and the rest still go."""
    pending = list(outgoing)
    while pending:
        try:
            with mail.connection(cfg) as server:
                while pending:
                    outcome, message = pending[0]
                    try:
                        server.send_message(message)
                    except smtplib.SMTPServerDisconnected:
                        raise
                    except (smtplib.SMTPException, OSError, UnicodeError) as error:
                        outcome.outcome, outcome.error = "failed", mail.failure_text(error)
                    else:
                        outcome.outcome = "sent"
                    pending.pop(0)
        except (smtplib.SMTPException, OSError, UnicodeError) as error:
            # No session (refused, timed out, bad login): this message fails and the next gets a new try,
            # unless the server could not be reached at all, when the rest fail with the same reason.
            detail = mail.failure_text(error)
            if pending:
                failed, _message = pending.pop(0)
                failed.outcome, failed.error = "failed", detail
            if isinstance(
                error, (ConnectionError, TimeoutError, smtplib.SMTPConnectError, smtplib.SMTPAuthenticationError)
            ):
                for outcome, _message in pending:
                    outcome.outcome, outcome.error = "failed", detail
                pending = []


def run(
    con: duckdb.DuckDBPyConnection,
    *,
    today: date | None = None,
    dry_run: bool = False,
    caller: Caller = SYSTEM,
) -> list[Outcome]:
    """Send today's digests (or, ``dry_run``, only say what would be sent); returns
    what happened per contact person. MailNotConfigured when sending is asked
    without the SMTP settings or the app's address."""
    today = today or date.today()
    digests = plan(con, today)
    base_url = stored_settings.get(con, "app_base_url")
    cfg = None
    if not dry_run:
        cfg = mail.config(con)
        if not base_url:
            raise mail.MailNotConfigured("app_base_url must be set for the links", key="mail.no_base_url")
    due = [d for d in digests if not d.opted_out and not d.sent_today]
    contacts = {} if dry_run or not due else reminders.contacts_for(con, caller, [d.email for d in due])
    outcomes: list[Outcome] = []
    outgoing = []
    for digest in digests:
        outcome = Outcome(digest.email, digest.language, len(digest.items), "dry_run", retried=digest.last_failed)
        outcomes.append(outcome)
        if digest.opted_out:
            outcome.outcome = "opted_out"
            continue
        if digest.sent_today:
            outcome.outcome = "sent_today"
            continue
        token = contacts.get(digest.email, {}).get("opt_out_token")
        subject, body, opt_out = compose(digest, base_url or "", token)
        outcome.subject = subject
        if not dry_run:
            outgoing.append(
                (outcome, mail.message(cfg, digest.email, subject, body, digest.language, unsubscribe=opt_out))
            )
    if outgoing:
        _send_all(cfg, outgoing)
        for outcome, _message in outgoing:
            reminders.record_send(
                con,
                caller,
                outcome.email,
                sent_on=today,
                language=outcome.language,
                measures=outcome.measures,
                error=outcome.error if outcome.outcome == "failed" else None,
            )
    return outcomes


def preview(con: duckdb.DuckDBPyConnection, today: date) -> list[tuple[Digest, str, str]]:
    """Each contact person's digest with its subject and body as the next run would
    send it, opted out and already sent ones too (for the reminders page)."""
    base_url = stored_settings.get(con, "app_base_url")
    digests = plan(con, today)
    cur = con.cursor()
    try:
        contacts = {digest.email: reminders.fetch_contact(cur, digest.email) for digest in digests}
    finally:
        cur.close()
    shown = []
    for digest in digests:
        token = (contacts.get(digest.email) or {}).get("opt_out_token")
        subject, body, _opt_out = compose(digest, base_url or "", token)
        shown.append((digest, subject, body))
    return shown
