"""Local accounts: argon2 hashes, lockout after five failures, the idle rule,
the users CLI and the demo admin that init creates."""

from datetime import datetime, timedelta

import pytest

from tracker import cli, write
from tracker.auth import SYSTEM
from tracker.errors import AuthError, ValidationError

NOW = datetime(2026, 11, 28, 9, 0)


def test_password_is_stored_only_as_an_argon2_hash(con):
    password = write.accounts.add_user(con, SYSTEM, "Coordinator@Joensuu.example", "editor", now=NOW)
    stored = con.execute("SELECT email, password_hash FROM users").fetchone()
    assert stored[0] == "coordinator@joensuu.example"
    assert stored[1].startswith("$argon2id$") and password not in stored[1]
    who = write.accounts.authenticate(con, "coordinator@joensuu.example ", password, now=NOW)
    assert (who.role, who.email) == ("editor", "coordinator@joensuu.example")
    assert "password" not in str(con.execute("SELECT after FROM audit_log").fetchall())


def test_five_failures_lock_the_account_for_fifteen_minutes(con):
    password = write.accounts.add_user(con, SYSTEM, "a@x.example", "viewer", now=NOW)
    for attempt in range(4):
        with pytest.raises(AuthError) as refused:
            write.accounts.authenticate(con, "a@x.example", "wrong", now=NOW + timedelta(seconds=attempt))
        assert refused.value.key == "auth.failed"
    with pytest.raises(AuthError):
        write.accounts.authenticate(con, "a@x.example", "wrong", now=NOW)
    with pytest.raises(AuthError) as locked:
        write.accounts.authenticate(con, "a@x.example", password, now=NOW + timedelta(minutes=14))
    assert locked.value.key == "auth.locked"
    assert locked.value.params["minutes"] == 1
    assert (
        write.accounts.authenticate(con, "a@x.example", password, now=NOW + timedelta(minutes=15, seconds=1)).role
        == "viewer"
    )
    assert con.execute("SELECT count(*) FROM audit_log WHERE action = 'user.lock'").fetchone()[0] == 1


def test_a_success_resets_the_failure_count(con):
    password = write.accounts.add_user(con, SYSTEM, "a@x.example", "viewer", now=NOW)
    for _ in range(4):
        with pytest.raises(AuthError):
            write.accounts.authenticate(con, "a@x.example", "wrong", now=NOW)
    write.accounts.authenticate(con, "a@x.example", password, now=NOW)
    with pytest.raises(AuthError) as refused:
        write.accounts.authenticate(con, "a@x.example", "wrong", now=NOW)
    assert refused.value.key == "auth.failed"


def test_unknown_and_disabled_accounts_are_refused_alike(con):
    password = write.accounts.add_user(con, SYSTEM, "a@x.example", "viewer")
    write.accounts.set_active(con, SYSTEM, "a@x.example", False)
    for email, secret in (("a@x.example", password), ("nobody@x.example", password)):
        with pytest.raises(AuthError) as refused:
            write.accounts.authenticate(con, email, secret)
        assert refused.value.key == "auth.failed"
    assert write.accounts.current_caller(con, "a@x.example").role == "anonymous"


def test_oidc_email_maps_to_the_users_role_and_unknown_gets_none(con):
    write.accounts.add_user(con, SYSTEM, "boss@x.example", "viewer")
    assert write.accounts.current_caller(con, "Boss@X.example").role == "viewer"
    stranger = write.accounts.current_caller(con, "stranger@x.example")
    assert (stranger.role, stranger.signed_in) == ("anonymous", False)


def test_idle_sessions_expire():
    assert write.accounts.session_expired(NOW - timedelta(minutes=31), NOW, 30)
    assert not write.accounts.session_expired(NOW - timedelta(minutes=29), NOW, 30)
    assert not write.accounts.session_expired(None, NOW, 30)


def test_bad_user_fields_are_named(con):
    with pytest.raises(ValidationError) as refused:
        write.accounts.add_user(con, SYSTEM, "not-an-address", "editor")
    assert "email" in refused.value.problems
    with pytest.raises(ValidationError) as refused:
        write.accounts.add_user(con, SYSTEM, "a@x.example", "owner")
    assert "role" in refused.value.problems
    write.accounts.add_user(con, SYSTEM, "a@x.example", "editor")
    with pytest.raises(ValidationError) as refused:
        write.accounts.add_user(con, SYSTEM, "A@x.example", "editor")
    assert refused.value.problems["email"][0] == "validation.email_taken"


def test_users_cli_adds_lists_changes_and_disables(empty_db_path, capsys):
    db = ["--db", str(empty_db_path)]
    assert cli.main([*db, "users", "add", "ed@x.example", "--role", "editor"]) == 0
    password = capsys.readouterr().out.split("(shown once): ")[1].strip()
    assert len(password) >= write.accounts.PASSWORD_MIN_LENGTH
    assert cli.main([*db, "users", "set-role", "ed@x.example", "admin"]) == 0
    assert cli.main([*db, "users", "list"]) == 0
    listing = capsys.readouterr().out
    assert "ed@x.example\tadmin\tactive" in listing and password not in listing
    assert cli.main([*db, "users", "disable", "ed@x.example"]) == 0
    assert cli.main([*db, "users", "add", "ed@x.example", "--role", "viewer"]) == 1
    assert "already exists" in capsys.readouterr().err
    con = write.accounts.db.connect(empty_db_path)
    with pytest.raises(AuthError):
        write.accounts.authenticate(con, "ed@x.example", password)
    con.close()


def test_init_on_a_fresh_database_prints_a_demo_admin_once(tmp_path, capsys):
    path = tmp_path / "fresh.duckdb"
    assert cli.main(["--db", str(path), "init"]) == 0
    out = capsys.readouterr().out
    password = out.split("password: ")[1].split()[0]
    con = write.accounts.db.connect(path)
    assert write.accounts.authenticate(con, cli.database.DEMO_ADMIN, password).role == "admin"
    con.close()
    assert cli.main(["--db", str(path), "init"]) == 0
    assert "password" not in capsys.readouterr().out
