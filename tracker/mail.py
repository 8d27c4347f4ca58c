"""Sending e-mail (issue 14): the SMTP settings an admin keeps on the settings
page (host, port, STARTTLS/SSL, user, sender), the password from
``.streamlit/secrets.toml`` (``[smtp] password``) or ``$TRACKER_SMTP_PASSWORD``
— never from the database — and the test message of the settings page."""

from __future__ import annotations

import os
import smtplib
import ssl
import tomllib
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from email.message import EmailMessage
from email.utils import formatdate, make_msgid
from pathlib import Path

import duckdb

from tracker import db, i18n, rules
from tracker import settings as stored_settings
from tracker.auth import Caller, require
from tracker.errors import UserError
from tracker.write import reminders

PASSWORD_VARIABLE = "TRACKER_SMTP_PASSWORD"
TIMEOUT_S = 30
# Where Streamlit reads its secrets from: the folder the app runs in, and the repository.
SECRETS_FILES = (Path.cwd() / ".streamlit" / "secrets.toml", db.ROOT / ".streamlit" / "secrets.toml")


class MailNotConfigured(UserError):
    key = "mail.not_configured"


class MailFailed(UserError):
    key = "mail.failed"


@dataclass(frozen=True)
class SmtpConfig:
    host: str
    port: int
    security: str  # starttls | ssl | none
    user: str
    password: str | None
    sender: str


def password() -> str | None:
    """The SMTP password: $TRACKER_SMTP_PASSWORD, else ``[smtp] password`` in .streamlit/secrets.toml."""
    from_environment = os.environ.get(PASSWORD_VARIABLE)
    if from_environment:
        return from_environment
    for path in dict.fromkeys(SECRETS_FILES):
        if path.is_file():
            with path.open("rb") as handle:
                found = tomllib.load(handle).get("smtp", {}).get("password")
            if found:
                return str(found)
    return None


def config(con: duckdb.DuckDBPyConnection) -> SmtpConfig:
    """The SMTP settings; MailNotConfigured when the server or the sender is not set."""
    values = stored_settings.all_settings(con)
    if not values["smtp_host"] or not values["smtp_from"]:
        raise MailNotConfigured("smtp_host and smtp_from must be set")
    return SmtpConfig(
        host=values["smtp_host"],
        port=values["smtp_port"],
        security=values["smtp_security"],
        user=values["smtp_user"],
        password=password(),
        sender=values["smtp_from"],
    )


@contextmanager
def connection(cfg: SmtpConfig) -> Iterator[smtplib.SMTP]:
    """An SMTP session, protected as configured and signed in when a user is set; closed afterwards."""
    context = ssl.create_default_context()
    if cfg.security == "ssl":
        server: smtplib.SMTP = smtplib.SMTP_SSL(cfg.host, cfg.port, timeout=TIMEOUT_S, context=context)
    else:
        server = smtplib.SMTP(cfg.host, cfg.port, timeout=TIMEOUT_S)
    try:
        if cfg.security == "starttls":
            server.starttls(context=context)
        if cfg.user:
            server.login(cfg.user, cfg.password or "")
        yield server
    finally:
        try:
            server.quit()
        except (smtplib.SMTPException, OSError):
            server.close()


def message(cfg: SmtpConfig, recipient: str, subject: str, body: str, lang: str, *, unsubscribe: str | None = None):
    """A plain-text message in ``lang``, marked as sent automatically."""
    mail = EmailMessage()
    mail["From"] = cfg.sender
    mail["To"] = recipient
    mail["Subject"] = subject
    mail["Date"] = formatdate(localtime=True)
    mail["Message-ID"] = make_msgid(domain=cfg.sender.rpartition("@")[2] or None)
    mail["Auto-Submitted"] = "auto-generated"
    if unsubscribe:
        mail["List-Unsubscribe"] = f"<{unsubscribe}>"
    mail.set_content(body)
    mail["Content-Language"] = lang  # after set_content, which replaces the Content-* headers
    return mail


def failure_text(error: BaseException) -> str:
    """A failed send in one line, for the run's report and the audit log (no secrets: the server's words)."""
    if isinstance(error, smtplib.SMTPRecipientsRefused):
        codes = "; ".join(
            f"{to}: {code} {text.decode(errors='replace')}" for to, (code, text) in error.recipients.items()
        )
        return f"recipient refused ({codes})"
    if isinstance(error, smtplib.SMTPResponseException):
        words = error.smtp_error
        return f"{error.smtp_code} {words.decode(errors='replace') if isinstance(words, bytes) else words}"
    return f"{type(error).__name__}: {error}" if str(error) else type(error).__name__


def send_test(con: duckdb.DuckDBPyConnection, caller: Caller, recipient: str, lang: str) -> None:
    """The settings page's test message to ``recipient`` (admin); audited whether it
    went or not. MailNotConfigured or MailFailed says why not."""
    require(caller, "admin")
    recipient = (recipient or "").strip()
    if not rules.EMAIL_PATTERN.match(recipient):
        raise UserError(recipient, key="validation.email")
    cfg = config(con)
    subject = i18n.t("mail.test_subject", lang)
    body = i18n.t("mail.test_body", lang, host=cfg.host, port=cfg.port, security=cfg.security)
    try:
        with connection(cfg) as server:
            server.send_message(message(cfg, recipient, subject, body, lang))
    except (smtplib.SMTPException, OSError, UnicodeError) as error:
        detail = failure_text(error)
        reminders.record_test_mail(con, caller, recipient, detail)
        raise MailFailed(detail, detail=detail) from error
    reminders.record_test_mail(con, caller, recipient, None)
