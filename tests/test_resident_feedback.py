"""Residents' feedback: the service (checks, the per-address and overall limits,
handling, the contact details deleted after the retention period, a reply),
what the audit log keeps of it (never the content), and the editors' inbox."""

from __future__ import annotations

import json
import smtplib
import sys
import types
from contextlib import contextmanager
from datetime import datetime, timedelta
from typing import ClassVar

import pytest
from streamlit.testing.v1 import AppTest

from tests.conftest import ROOT
from tracker import feedback_reply, i18n, write
from tracker.auth import ANONYMOUS, SYSTEM, Caller
from tracker.errors import PermissionDenied, UserError, ValidationError
from tracker.write.feedback import ALL_PER_HOUR, PER_ADDRESS_PER_HOUR, Feedback, TooManyFeedback

EDITOR = Caller(role="editor", email="koordinaattori@example.fi")
VIEWER = Caller(role="viewer", email="katsoja@example.fi")
NOW = datetime(2026, 11, 28, 12, 0)


def give(con, message="Hyvä ohjelma!", *, address="203.0.113.5", now=NOW, retention=30, **fields) -> int:
    item = Feedback(
        kind=fields.pop("kind", "general"),
        lang=fields.pop("lang", "fi"),
        message=message,
        consent=fields.pop("consent", True),
        **fields,
    )
    return write.feedback.receive(con, item, address=address, retention_days=retention, now=now)


def row(con, feedback_id: int) -> dict:
    return write.base.read_one(con, write.feedback.fetch_feedback, feedback_id)


def test_feedback_is_stored_with_its_measure_and_nothing_of_it_in_the_audit_log(demo_con):
    measure_id = demo_con.execute("SELECT id FROM measures WHERE code = '6.1'").fetchone()[0]
    feedback_id = give(
        demo_con,
        "Hienoa, että liityitte ICLEIin. SECRET-CONTENT",
        kind="measure",
        measure_id=measure_id,
        name="Maija Meikäläinen",
        email="maija@example.fi",
        lang="sv",
    )
    stored = row(demo_con, feedback_id)
    assert (stored["kind"], stored["measure_id"], stored["programme_id"], stored["lang"]) == (
        "measure",
        measure_id,
        1,
        "sv",
    )
    assert (stored["sender_name"], stored["sender_email"], stored["status"]) == (
        "Maija Meikäläinen",
        "maija@example.fi",
        "new",
    )
    audit = demo_con.execute("SELECT actor, action, before, after FROM audit_log WHERE entity = 'feedback'").fetchall()
    assert [(a, b) for a, b, _, _ in audit] == [("anonymous", "feedback.receive")]
    assert "SECRET-CONTENT" not in str(audit) and "maija" not in str(audit).lower()
    for _actor, _action, before, after in audit:
        for key in json.loads(after or "{}") | json.loads(before or "{}"):
            assert i18n.has(f"audit.field.{key}"), key
    # the address is never stored, only a hash of it for the rate limit
    assert "203.0.113.5" not in str(demo_con.execute("SELECT * FROM feedback_senders").fetchall())


def test_each_field_is_checked_and_named(demo_con):
    with pytest.raises(ValidationError) as refused:
        give(demo_con, "   ", email="not an address", name="x" * 201, consent=False)
    assert set(refused.value.problems) == {"message", "email", "name", "consent"}
    with pytest.raises(ValidationError) as refused:
        give(demo_con, "x" * (write.feedback.MESSAGE_MAX + 1))
    assert refused.value.problems["message"][0] == "validation.too_long"
    assert demo_con.execute("SELECT count(*) FROM feedback").fetchone()[0] == 0


def test_an_unpublished_measure_or_a_strange_kind_becomes_general_feedback(demo_con):
    hidden = demo_con.execute("SELECT id FROM measures WHERE NOT is_published LIMIT 1").fetchone()[0]
    stored = row(demo_con, give(demo_con, kind="measure", measure_id=hidden))
    assert (stored["kind"], stored["measure_id"]) == ("general", None)
    assert row(demo_con, give(demo_con, kind="<script>", address="198.51.100.1"))["kind"] == "general"


def test_one_address_may_give_a_few_an_hour_and_everyone_together_a_limited_number(demo_con):
    for _ in range(PER_ADDRESS_PER_HOUR):
        give(demo_con)
    with pytest.raises(TooManyFeedback):
        give(demo_con)
    give(demo_con, address="198.51.100.7")  # another address is not held back
    give(demo_con, now=NOW + timedelta(hours=1, minutes=1))  # an hour later the first may again
    # the hashed addresses are forgotten after a day
    give(demo_con, address="198.51.100.8", now=NOW + timedelta(days=2))
    assert demo_con.execute("SELECT count(*) FROM feedback_senders").fetchone()[0] == 1
    demo_con.execute(
        "INSERT INTO feedback_senders SELECT 'someone-' || i, ? FROM range(?) AS t(i)",
        [NOW + timedelta(days=3), ALL_PER_HOUR],
    )
    with pytest.raises(TooManyFeedback):
        give(demo_con, address="192.0.2.99", now=NOW + timedelta(days=3, minutes=1))


def test_handling_deletes_the_contact_after_the_retention_period(demo_con):
    first = give(demo_con, name="Matti", email="matti@example.fi")
    second = give(demo_con, name="Liisa", email="liisa@example.fi")
    with pytest.raises(PermissionDenied):
        write.feedback.set_handled(demo_con, VIEWER, first, expected_version=1, retention_days=30)
    write.feedback.set_handled(demo_con, EDITOR, first, expected_version=1, retention_days=30, now=NOW)
    assert row(demo_con, first)["sender_email"] == "matti@example.fi"  # kept for an answer, for now
    # another item handled 31 days later: the first one's contact goes with it
    write.feedback.set_handled(
        demo_con, EDITOR, second, expected_version=1, retention_days=30, now=NOW + timedelta(days=31)
    )
    gone = row(demo_con, first)
    assert (gone["sender_name"], gone["sender_email"], gone["status"]) == (None, None, "handled")
    assert gone["contact_deleted_at"] == NOW + timedelta(days=31)
    assert row(demo_con, second)["sender_email"] == "liisa@example.fi"
    # retention 0: deleted when handled
    third = give(demo_con, email="heti@example.fi", address="198.51.100.9")
    write.feedback.set_handled(demo_con, EDITOR, third, expected_version=1, retention_days=0, now=NOW)
    assert row(demo_con, third)["sender_email"] is None
    # the inbox's sweep finds what is due and writes one audit row
    assert write.feedback.delete_expired_contacts(demo_con, EDITOR, retention_days=1, now=NOW + timedelta(days=90)) == 1
    assert row(demo_con, second)["sender_email"] is None
    assert write.feedback.delete_expired_contacts(demo_con, EDITOR, retention_days=1, now=NOW + timedelta(days=90)) == 0


def test_an_item_can_be_made_new_again_and_a_stale_version_is_refused(demo_con):
    feedback_id = give(demo_con, email="a@example.fi")
    version = write.feedback.set_handled(demo_con, EDITOR, feedback_id, expected_version=1, retention_days=30)
    with pytest.raises(UserError):  # ConflictError: loaded version 1, now 2
        write.feedback.set_handled(demo_con, EDITOR, feedback_id, expected_version=1, handled=False, retention_days=30)
    write.feedback.set_handled(
        demo_con, EDITOR, feedback_id, expected_version=version, handled=False, retention_days=30
    )
    assert row(demo_con, feedback_id)["status"] == "new"
    assert row(demo_con, feedback_id)["handled_at"] is None


class FakeSmtp:
    sent: ClassVar[list] = []
    refuse = False

    def send_message(self, message):
        if FakeSmtp.refuse:
            raise smtplib.SMTPRecipientsRefused({message["To"]: (550, b"no such user")})
        FakeSmtp.sent.append(message)


@pytest.fixture
def fake_mail(monkeypatch):
    """The mail settings' module (tracker.mail) as a stand-in that keeps what it would send."""
    module = types.ModuleType("tracker.mail")

    class MailFailed(UserError):
        key = "error.generic"

    @contextmanager
    def connection(cfg):
        yield FakeSmtp()

    def message(cfg, recipient, subject, body, lang):
        return {"To": recipient, "Subject": subject, "Body": body, "Content-Language": lang}

    module.config = lambda con: types.SimpleNamespace(sender="ilmasto@example.fi")
    module.connection = connection
    module.message = message
    module.MailFailed = MailFailed
    module.failure_text = lambda error: str(error)
    monkeypatch.setitem(sys.modules, "tracker.mail", module)
    FakeSmtp.sent, FakeSmtp.refuse = [], False
    return module


def test_a_reply_goes_to_the_sender_in_their_language_and_marks_the_item(demo_con, fake_mail):
    feedback_id = give(demo_con, email="anna@example.fi", lang="sv")
    assert feedback_reply.mail_ready(demo_con)
    FakeSmtp.refuse = True
    with pytest.raises(fake_mail.MailFailed):
        feedback_reply.send_reply(demo_con, EDITOR, feedback_id, expected_version=1, subject="Svar", body="Tack!")
    assert row(demo_con, feedback_id)["replied_at"] is None  # nothing changed when the server refused
    FakeSmtp.refuse = False
    feedback_reply.send_reply(demo_con, EDITOR, feedback_id, expected_version=1, subject="Svar", body="Tack!")
    assert FakeSmtp.sent == [{"To": "anna@example.fi", "Subject": "Svar", "Body": "Tack!", "Content-Language": "sv"}]
    stored = row(demo_con, feedback_id)
    assert stored["status"] == "handled" and stored["replied_at"] is not None
    anonymous_item = give(demo_con, address="198.51.100.3")
    with pytest.raises(feedback_reply.ReplyImpossible):
        feedback_reply.send_reply(demo_con, EDITOR, anonymous_item, expected_version=1, subject="x", body="y")
    with pytest.raises(PermissionDenied):
        feedback_reply.send_reply(demo_con, ANONYMOUS, feedback_id, expected_version=2, subject="x", body="y")


def test_without_mail_settings_replies_are_written_in_the_mail_program(demo_con, monkeypatch):
    monkeypatch.setattr(feedback_reply, "mail_module", lambda: None)
    assert not feedback_reply.mail_ready(demo_con)


def inbox(caller) -> AppTest:
    at = AppTest.from_file(str(ROOT / "dashboard.py"), default_timeout=60)
    at.session_state["app_caller"] = caller
    at.run()
    return at.switch_page("app_pages/feedback_inbox.py").run()


def test_the_inbox_shows_new_items_to_editors_and_marks_them_handled(demo_db_path, demo_con, monkeypatch):
    monkeypatch.setattr(feedback_reply, "mail_module", lambda: None)
    give(demo_con, "Pyörätiet kuntoon, kiitos.", name="Matti", email="matti@example.fi")
    at = inbox(EDITOR)
    assert not at.exception, at.exception
    assert [t.value for t in at.text] == ["Pyörätiet kuntoon, kiitos."]
    assert any("matti@example.fi" in m.value for m in at.markdown)
    at.button(key=next(b.key for b in at.button if b.key and b.key.startswith("inbox_handle_"))).click().run()
    assert not at.exception, at.exception
    assert demo_con.execute("SELECT status FROM feedback").fetchone()[0] == "handled"
    assert at.info  # nothing new left
    # a viewer and an anonymous visitor get the sign-in page at the inbox's address
    for caller in (VIEWER, ANONYMOUS):
        other = AppTest.from_file(str(ROOT / "dashboard.py"), default_timeout=60)
        other.session_state["app_caller"] = caller
        other.run()
        pages = {info["url_pathname"]: str(info["script_path"]) for info in other._registered_pages.values()}
        assert pages["feedback"].endswith("app_pages/signin.py")


def test_the_inbox_says_when_a_sender_left_no_contact_beside_one_who_did(demo_db_path, demo_con, monkeypatch):
    """With one sender named, the other's missing name and e-mail are NaN in the frame, never "nan" on the page."""
    monkeypatch.setattr(feedback_reply, "mail_module", lambda: None)
    iclei = demo_con.execute("SELECT id FROM measures WHERE code = '6.1'").fetchone()[0]
    give(demo_con, "Hyvä liittyä.", kind="measure", measure_id=iclei, name="Matti", email="matti@example.fi")
    give(demo_con, "Lisää penkkejä puistoihin.", address="203.0.113.6")
    at = inbox(EDITOR)
    assert not at.exception, at.exception
    said = [m.value for m in at.markdown] + [c.value for c in at.caption] + [h.value for h in at.html]
    assert not any("nan" in text.replace("<", " ").replace(">", " ").split() for text in said)
    assert sum("code=nan" in text for text in said) == 0
    assert "Lähettäjä ei antanut yhteystietoja." in said
    assert any("Matti matti@example.fi" in text for text in said)


def test_the_service_refuses_anonymous_and_viewers_everything_but_giving_feedback(demo_con):
    feedback_id = give(demo_con)
    for caller in (ANONYMOUS, VIEWER):
        with pytest.raises(PermissionDenied):
            write.feedback.delete_expired_contacts(demo_con, caller, retention_days=1)
        with pytest.raises(PermissionDenied):
            write.feedback.record_reply(demo_con, caller, feedback_id, expected_version=1)
    assert write.feedback.delete_expired_contacts(demo_con, SYSTEM, retention_days=1) == 0
