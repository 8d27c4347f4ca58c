"""Reminders (issue 14) against a real SMTP server on loopback (aiosmtpd): one
digest per contact person a day in their language, opt-out, every send
audited, a failed send reported and tried again by the next run."""

from __future__ import annotations

import email
import email.policy
import json
from datetime import date, timedelta

import pytest
from aiosmtpd.controller import Controller
from aiosmtpd.smtp import AuthResult, LoginPassword

from tests.browser import free_port
from tests.conftest import TODAY
from tracker import cli, db, mail, reminders
from tracker.auth import SYSTEM, Caller
from tracker.errors import PermissionDenied
from tracker.write import periods
from tracker.write import reminders as reminder_writes
from tracker.write import settings as setting_writes

BASE_URL = "https://ilmasto.joensuu.example"
PASSWORD = "salainen-smtp-salasana"


class Mailbox:
    """An aiosmtpd handler that keeps every message and can refuse chosen recipients."""

    def __init__(self):
        self.messages: list[email.message.EmailMessage] = []
        self.refuse: set[str] = set()

    async def handle_RCPT(self, server, session, envelope, address, rcpt_options):
        if address.lower() in self.refuse:
            return "550 5.1.1 mailbox unavailable"
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server, session, envelope):
        self.messages.append(email.message_from_bytes(envelope.content, policy=email.policy.default))
        return "250 Message accepted for delivery"

    def to(self, address: str) -> list:
        return [m for m in self.messages if m["To"] == address]


def authenticator(server, session, envelope, mechanism, auth_data):
    ok = isinstance(auth_data, LoginPassword) and auth_data.password == PASSWORD.encode()
    return AuthResult(success=ok, handled=False)


@pytest.fixture
def mailbox():
    box = Mailbox()
    controller = Controller(
        box, hostname="127.0.0.1", port=free_port(), authenticator=authenticator, auth_require_tls=False
    )
    controller.start()
    box.port = controller.port
    yield box
    controller.stop()


@pytest.fixture
def configured(demo_con, mailbox, monkeypatch):
    monkeypatch.setenv(mail.PASSWORD_VARIABLE, PASSWORD)
    for key, value in {
        "smtp_host": "127.0.0.1",
        "smtp_port": mailbox.port,
        "smtp_security": "none",
        "smtp_user": "tracker",
        "smtp_from": "ilmasto@joensuu.example",
        "app_base_url": BASE_URL + "/",
    }.items():
        setting_writes.set_setting(demo_con, SYSTEM, key, value)
    return demo_con


def contacts(con, day: date = TODAY) -> dict[str, int]:
    """Contact e-mail -> how many measures the digest should list on ``day`` (worked out independently)."""
    rows = con.execute(
        "SELECT lower(contact_email), count(*) FROM measures WHERE archived_at IS NULL"
        " AND status NOT IN ('done', 'cancelled') AND coalesce(contact_email, '') <> ''"
        " AND ? - CAST(updated_at AS DATE) > 60 GROUP BY 1",
        [day],
    ).fetchall()
    return dict(rows)


def test_each_contact_gets_one_digest_a_day_in_their_language(configured, mailbox):
    con = configured
    expected = contacts(con)
    assert len(expected) >= 3
    swedish = sorted(expected)[0]
    reminder_writes.update_contact(con, SYSTEM, swedish, language="sv", opted_out=False)
    outcomes = reminders.run(con, today=TODAY)
    assert {o.email: (o.outcome, o.measures) for o in outcomes} == {e: ("sent", n) for e, n in expected.items()}
    assert sorted(m["To"] for m in mailbox.messages) == sorted(expected)
    sv = mailbox.to(swedish)[0]
    assert sv["Subject"] == f"Klimatprogrammet: {expected[swedish]} åtgärder väntar på din uppdatering"
    assert sv["Content-Language"] == "sv"
    body = sv.get_content()
    assert "Senast uppdaterad" in body and f"{BASE_URL}/measure?lang=sv&programme=1&code=" in body
    assert f"{BASE_URL}/weekly?lang=sv&programme=1" in body
    token = con.execute("SELECT opt_out_token FROM reminder_contacts WHERE email = ?", [swedish]).fetchone()[0]
    assert f"{BASE_URL}/reminders/opt-out?token={token}" in body
    assert sv["List-Unsubscribe"] == f"<{BASE_URL}/reminders/opt-out?token={token}>"
    finnish = mailbox.to(sorted(expected)[1])[0]
    assert finnish["Subject"].startswith("Ilmasto-ohjelma: ") and "Päivitetty viimeksi" in finnish.get_content()
    # every send audited, and the same day sends nothing more
    assert con.execute("SELECT count(*) FROM audit_log WHERE action = 'reminder.send'").fetchone()[0] == len(expected)
    again = reminders.run(con, today=TODAY)
    assert {o.outcome for o in again} == {"sent_today"}
    assert len(mailbox.messages) == len(expected)
    # the next day they are reminded again
    reminders.run(con, today=TODAY + timedelta(days=1))
    assert len(mailbox.messages) == 2 * len(expected)


def test_a_measure_not_ready_for_an_open_period_is_in_the_digest_until_marked_ready(configured, mailbox):
    con = configured
    code, address = con.execute(
        "SELECT code, lower(contact_email) FROM measures WHERE status NOT IN ('done', 'cancelled')"
        " AND coalesce(contact_email, '') <> '' AND ? - CAST(updated_at AS DATE) <= 60 ORDER BY id LIMIT 1",
        [TODAY],
    ).fetchone()
    period_id = periods.open_period(
        con, SYSTEM, 1, {"name_fi": "Vuosiraportti 2026", "as_of": date(2026, 12, 31), "due_on": date(2027, 1, 31)}
    )
    reminders.run(con, today=TODAY)
    body = mailbox.to(address)[0].get_content()
    assert code in body and "Ei vielä merkitty valmiiksi raportointikaudelle Vuosiraportti 2026" in body
    assert "31.1.2027" in body
    measure = con.execute("SELECT id FROM measures WHERE code = ? AND programme_id = 1", [code]).fetchone()[0]
    periods.set_ready(con, SYSTEM, period_id, measure, True)
    items = db.query(con, "reminder_items", today=TODAY, acceptable_days=60, stale_days=180)
    assert code not in set(items[items["email"] == address]["code"])


def test_opted_out_people_get_nothing_and_the_link_opts_out(configured, mailbox):
    con = configured
    expected = contacts(con)
    first, second = sorted(expected)[:2]
    reminder_writes.update_contact(con, SYSTEM, first, language="fi", opted_out=True)
    reminders.run(con, today=TODAY)
    assert not mailbox.to(first) and mailbox.to(second)
    token = con.execute("SELECT opt_out_token FROM reminder_contacts WHERE email = ?", [second]).fetchone()[0]
    assert reminder_writes.opt_out_by_token(con, token) == second
    assert reminder_writes.opt_out_by_token(con, "not-a-token") is None
    outcomes = {o.email: o.outcome for o in reminders.run(con, today=TODAY + timedelta(days=1))}
    assert outcomes[first] == outcomes[second] == "opted_out"
    assert len(mailbox.to(second)) == 1
    audit = con.execute("SELECT actor FROM audit_log WHERE action = 'reminder.opt_out'").fetchall()
    assert audit == [(second,)]


def test_a_failed_send_is_reported_audited_and_retried_next_run(configured, mailbox, capsys):
    con = configured
    expected = contacts(con, date.today())  # the command runs on the real day
    refused = sorted(expected)[0]
    mailbox.refuse.add(refused)
    assert cli.main(["--db", db.db_path(), "remind", "--json"]) == 1
    report = {o["email"]: o for o in json.loads(capsys.readouterr().out)}
    assert report[refused]["outcome"] == "failed" and "550" in report[refused]["error"]
    assert all(report[e]["outcome"] == "sent" for e in expected if e != refused)
    assert len(mailbox.messages) == len(expected) - 1
    failure = con.execute("SELECT actor, after FROM audit_log WHERE action = 'reminder.fail'").fetchone()
    assert failure[0] == "system" and "550" in json.loads(failure[1])["error"]
    mailbox.refuse.clear()
    assert cli.main(["--db", db.db_path(), "remind"]) == 0
    out = capsys.readouterr().out
    assert f"{refused}\tfi\t{expected[refused]} measures\tsent (retry of a failed send)" in out
    assert "1 sent, 0 failed" in out
    assert len(mailbox.to(refused)) == 1


def test_a_server_that_cannot_be_reached_fails_every_send_without_crashing(configured, mailbox):
    con = configured
    setting_writes.set_setting(con, SYSTEM, "smtp_port", free_port())  # nothing listens there
    outcomes = reminders.run(con, today=TODAY)
    assert outcomes and {o.outcome for o in outcomes} == {"failed"}
    assert con.execute("SELECT count(*) FROM reminder_sends WHERE outcome = 'failed'").fetchone()[0] == len(outcomes)


def test_a_wrong_password_is_a_failed_send(configured, mailbox, monkeypatch):
    monkeypatch.setenv(mail.PASSWORD_VARIABLE, "wrong")
    outcomes = reminders.run(configured, today=TODAY)
    assert {o.outcome for o in outcomes} == {"failed"} and "535" in outcomes[0].error
    # a password SMTP cannot carry (not ASCII) is a failed send too, not a crash
    monkeypatch.setenv(mail.PASSWORD_VARIABLE, "väärä")
    outcomes = reminders.run(configured, today=TODAY)
    assert {o.outcome for o in outcomes} == {"failed"} and "UnicodeEncodeError" in outcomes[0].error
    assert mailbox.messages == []


def test_the_password_comes_from_secrets_toml_when_the_environment_has_none(configured, mailbox, monkeypatch, tmp_path):
    monkeypatch.delenv(mail.PASSWORD_VARIABLE)
    secrets = tmp_path / ".streamlit" / "secrets.toml"
    secrets.parent.mkdir()
    secrets.write_text(f'[smtp]\npassword = "{PASSWORD}"\n', encoding="utf-8")
    monkeypatch.setattr(mail, "SECRETS_FILES", (secrets,))
    assert mail.password() == PASSWORD
    mail.send_test(configured, Caller(role="admin", email="admin@joensuu.example"), "testi@joensuu.example", "fi")
    assert mailbox.messages[0]["Subject"] == "Ilmasto-ohjelman seuranta: testiviesti"
    assert PASSWORD not in json.dumps(configured.execute("SELECT * FROM settings").fetchall())


def test_dry_run_sends_and_writes_nothing_and_unconfigured_mail_is_exit_2(demo_db_path, capsys):
    con = db.connect(demo_db_path)
    version = db.data_version(con)
    con.close()
    assert cli.main(["--db", str(demo_db_path), "remind", "--dry-run"]) == 0
    out = capsys.readouterr().out
    assert "would be sent" in out and "dry_run" in out
    assert cli.main(["--db", str(demo_db_path), "remind"]) == 2
    assert "mail server" in capsys.readouterr().err
    con = db.connect(demo_db_path)
    assert db.data_version(con) == version
    con.close()


def test_the_test_mail_is_for_admins_and_audited(configured, mailbox):
    with pytest.raises(PermissionDenied):
        mail.send_test(configured, Caller(role="editor", email="e@x.example"), "testi@joensuu.example", "fi")
    mail.send_test(configured, Caller(role="admin", email="a@x.example"), "testi@joensuu.example", "sv")
    assert mailbox.messages[0]["Subject"] == "Uppföljning av klimatprogrammet: testmeddelande"
    mailbox.refuse.add("toinen@joensuu.example")
    with pytest.raises(mail.MailFailed) as failed:
        mail.send_test(configured, Caller(role="admin", email="a@x.example"), "toinen@joensuu.example", "fi")
    assert "550" in failed.value.params["detail"]
    assert configured.execute("SELECT count(*) FROM audit_log WHERE action = 'reminder.test_mail'").fetchone()[0] == 2


def test_the_opt_out_link_asks_first_and_opts_out_on_the_button(demo_db_path):
    from starlette.applications import Starlette
    from starlette.testclient import TestClient

    from web.routes import routes

    con = db.connect(demo_db_path)
    email = sorted(contacts(con))[0]
    reminder_writes.update_contact(con, SYSTEM, email, language="sv", opted_out=False)
    token = con.execute("SELECT opt_out_token FROM reminder_contacts WHERE email = ?", [email]).fetchone()[0]
    con.close()
    client = TestClient(Starlette(routes=routes()))
    asked = client.get(f"/reminders/opt-out?token={token}")
    assert asked.status_code == 200 and 'lang="sv"' in asked.text and "Avbeställ påminnelserna" in asked.text
    assert email in asked.text
    assert client.get("/reminders/opt-out?token=nope").status_code == 404
    done = client.post(f"/reminders/opt-out?token={token}")
    assert done.status_code == 200 and "Inga fler påminnelser skickas" in done.text
    con = db.connect(demo_db_path)
    assert con.execute("SELECT opted_out FROM reminder_contacts WHERE email = ?", [email]).fetchone() == (True,)
    assert con.execute("SELECT count(*) FROM audit_log WHERE action = 'reminder.opt_out'").fetchone() == (1,)
    con.close()
