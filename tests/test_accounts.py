"""Local accounts: argon2 hashes, the users CLI and the demo admin that init
creates (signing in, its throttle and sessions: tests/test_sessions.py)."""

from datetime import datetime

import pytest

from tracker import cli, write
from tracker.auth import SYSTEM
from tracker.errors import AuthError, ValidationError

NOW = datetime(2026, 11, 28, 9, 0)


def sign_in(con, email, password):
    """The caller a password sign-in opens a session for (tracker.write.sessions)."""
    return write.password_sign_in.sign_in_with_password(con, email, password, client="192.0.2.1").caller


def test_password_is_stored_only_as_an_argon2_hash(con):
    password = write.accounts.add_user(con, SYSTEM, "Coordinator@Joensuu.example", "editor", now=NOW)
    stored = con.execute("SELECT email, password_hash FROM users").fetchone()
    assert stored[0] == "coordinator@joensuu.example"
    assert stored[1].startswith("$argon2id$") and password not in stored[1]
    who = sign_in(con, "coordinator@joensuu.example ", password)
    assert (who.role, who.email) == ("editor", "coordinator@joensuu.example")
    audited = str(con.execute("SELECT before, after FROM audit_log").fetchall())
    assert password not in audited and "$argon2" not in audited


def test_unknown_and_disabled_accounts_are_refused_alike(con):
    password = write.accounts.add_user(con, SYSTEM, "a@x.example", "viewer")
    write.accounts.set_active(con, SYSTEM, "a@x.example", False)
    for email, secret in (("a@x.example", password), ("nobody@x.example", password)):
        with pytest.raises(AuthError) as refused:
            sign_in(con, email, secret)
        assert refused.value.key == "auth.failed"
    assert write.accounts.current_caller(con, "a@x.example").role == "anonymous"


def test_oidc_email_maps_to_the_users_role_and_unknown_gets_none(con):
    write.accounts.add_user(con, SYSTEM, "boss@x.example", "viewer")
    assert write.accounts.current_caller(con, "Boss@X.example").role == "viewer"
    stranger = write.accounts.current_caller(con, "stranger@x.example")
    assert (stranger.role, stranger.signed_in) == ("anonymous", False)


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
        sign_in(con, "ed@x.example", password)
    con.close()


def test_init_on_a_fresh_database_prints_a_demo_admin_once(tmp_path, capsys):
    path = tmp_path / "fresh.duckdb"
    assert cli.main(["--db", str(path), "init"]) == 0
    out = capsys.readouterr().out
    password = out.split("password: ")[1].split()[0]
    con = write.accounts.db.connect(path)
    assert sign_in(con, cli.database.DEMO_ADMIN, password).role == "admin"
    con.close()
    assert cli.main(["--db", str(path), "init"]) == 0
    assert "password" not in capsys.readouterr().out
