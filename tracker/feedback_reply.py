"""Answering a resident's feedback by e-mail through the app's mail settings
(tracker.mail: the SMTP server an admin sets on the settings page). The
message goes out first; only then is the item marked replied (and handled),
so a failed send leaves it as it was."""

from __future__ import annotations

import importlib
import smtplib

import duckdb

from tracker.auth import Caller, require
from tracker.errors import UserError
from tracker.write import feedback
from tracker.write.base import read_one

SUBJECT_MAX = 200
BODY_MAX = 10_000


class ReplyImpossible(UserError):
    """No address to answer to, or no mail settings to answer with."""

    key = "inbox.mail_unavailable"


def mail_module():
    """tracker.mail when this installation has it (the reminders' SMTP settings), else None."""
    try:
        return importlib.import_module("tracker.mail")
    except ModuleNotFoundError:
        return None


def mail_ready(con: duckdb.DuckDBPyConnection) -> bool:
    """Whether replies can go out through the app: the mail module is there and configured."""
    mail = mail_module()
    if mail is None:
        return False
    try:
        mail.config(con)
    except UserError:
        return False
    return True


def send_reply(
    con: duckdb.DuckDBPyConnection,
    caller: Caller,
    feedback_id: int,
    *,
    expected_version: int,
    subject: str,
    body: str,
) -> int:
    """Send ``body`` to the sender of the item in the sender's language; returns the
    item's new version. ReplyImpossible when there is no address or no mail setting;
    the mail module's own error (MailFailed) when the server refused."""
    require(caller, "editor")
    item = read_one(con, feedback.fetch_feedback, feedback_id)
    if not item["sender_email"]:
        raise ReplyImpossible("no address", key="inbox.no_address")
    subject, body = (subject or "").strip()[:SUBJECT_MAX], (body or "").strip()[:BODY_MAX]
    if not body:
        raise UserError("empty reply", key="validation.required")
    mail = mail_module()
    if mail is None:
        raise ReplyImpossible("no mail module")
    cfg = mail.config(con)
    try:
        with mail.connection(cfg) as server:
            server.send_message(mail.message(cfg, item["sender_email"], subject, body, item["lang"]))
    except (smtplib.SMTPException, OSError, UnicodeError) as error:
        raise mail.MailFailed(str(error), detail=mail.failure_text(error)) from error
    return feedback.record_reply(con, caller, feedback_id, expected_version=expected_version)
