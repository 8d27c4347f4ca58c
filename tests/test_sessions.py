"""Sessions that stay signed in (issue 12) and a sign-in that slows guessing
without telling which accounts exist (issue 17): tracker.write.sessions."""

from datetime import datetime, timedelta

import pytest

from tests.integrity import orphan_rows
from tracker import db, write
from tracker.auth import SYSTEM
from tracker.errors import AuthError
from tracker.write import password_sign_in, sessions

NOW = datetime(2026, 11, 28, 9, 0)
ATTACKER = "198.51.100.7"
OWNER = "192.0.2.10"


@pytest.fixture
def account(con):
    """An editor's e-mail and password."""
    password = write.accounts.add_user(con, SYSTEM, "ed@x.example", "editor", now=NOW)
    return "ed@x.example", password


def open_session(con, email, password, *, now=NOW, client=OWNER, browser=None, max_hours=12):
    """Sign in and redeem the hand-off as /auth/session does: the Redeemed cookies."""
    signed_in = password_sign_in.sign_in_with_password(
        con, email, password, client=client, browser_token=browser, next_path="/weekly?lang=sv", now=now
    )
    return sessions.redeem_handoff(
        con, signed_in.handoff, max_hours=max_hours, client=client, browser_token=browser, now=now
    )


def attempt(con, email, password, *, now, client=ATTACKER, browser=None) -> tuple[str, dict]:
    """(message key, parameters) a sign-in answers, or ("ok", {})."""
    try:
        password_sign_in.sign_in_with_password(con, email, password, client=client, browser_token=browser, now=now)
    except AuthError as refused:
        return refused.key, refused.params
    return "ok", {}


def fail(con, email, times, *, start=NOW, clients=None) -> datetime:
    """``times`` real failures on ``email`` (each after the wait the last one
    set), from a new client each unless ``clients`` names them; the time of the last."""
    now = start
    for index in range(times):
        client = clients[index % len(clients)] if clients else f"198.51.100.{index % 250}"
        key, params = attempt(con, email, "wrong", now=now, client=client)
        if key == "session.wait":
            now += timedelta(seconds=params["seconds"])
            key, _params = attempt(con, email, "wrong", now=now, client=client)
        assert key == "auth.failed"
    return now


def audit_rows(con, action):
    return con.execute(
        "SELECT actor, entity_id, after FROM audit_log WHERE action = ? ORDER BY id", [action]
    ).fetchall()


# -- sessions ----------------------------------------------------------------


def test_the_database_keeps_only_a_hash_of_the_cookie(con, account):
    redeemed = open_session(con, *account)
    assert redeemed.next_path == "/weekly?lang=sv"
    assert redeemed.max_age_seconds == 12 * 3600
    stored = con.execute("SELECT token_hash, method, expires_at FROM sessions").fetchall()
    assert stored == [(sessions.token_hash(redeemed.session_token), "password", NOW + timedelta(hours=12))]
    everything = str(con.execute("SELECT * FROM sessions, sign_in_handoffs, known_browsers").fetchall())
    everything += str(con.execute("SELECT * FROM sessions, known_browsers").fetchall())
    assert redeemed.session_token not in everything and redeemed.browser_token not in everything
    assert len(redeemed.session_token) >= 43  # 32 random bytes
    assert orphan_rows(con).query("orphans > 0").empty


def test_a_session_holds_across_runs_until_idle_or_its_end(con, account):
    token = open_session(con, *account).session_token
    resumed = sessions.resume(con, token, idle_minutes=30, now=NOW + timedelta(minutes=29))
    assert (resumed.caller.email, resumed.caller.role, resumed.ended) == ("ed@x.example", "editor", None)
    # activity moves the idle timer: 29 + 29 minutes later it still holds
    assert sessions.resume(con, token, idle_minutes=30, now=NOW + timedelta(minutes=58)).ended is None
    assert sessions.resume(con, token, idle_minutes=30, now=NOW + timedelta(minutes=89)).ended == "idle"
    # once ended, always ended, even if the clock were wound back
    assert sessions.resume(con, token, idle_minutes=30, now=NOW + timedelta(minutes=59)).ended == "idle"

    token = open_session(con, *account, max_hours=1).session_token
    for minutes in range(0, 60, 20):
        assert sessions.resume(con, token, idle_minutes=30, now=NOW + timedelta(minutes=minutes)).ended is None
    assert sessions.resume(con, token, idle_minutes=30, now=NOW + timedelta(minutes=61)).ended == "expired"
    assert sessions.resume(con, "forged", idle_minutes=30, now=NOW).ended == "unknown"
    assert sessions.resume(con, None, idle_minutes=30, now=NOW).ended == "unknown"


# On a lake every commit is a new snapshot: the data version skips those of this bookkeeping.
def test_a_run_writes_the_activity_at_most_once_a_minute_and_no_page_cache_is_dropped(con, account):
    token = open_session(con, *account).session_token
    writes = db.write_count()
    version = db.data_version(con)
    sessions.resume(con, token, idle_minutes=30, now=NOW + timedelta(seconds=20))
    assert con.execute("SELECT last_seen_at FROM sessions").fetchone()[0] == NOW
    sessions.resume(con, token, idle_minutes=30, now=NOW + timedelta(seconds=61))
    assert con.execute("SELECT last_seen_at FROM sessions").fetchone()[0] == NOW + timedelta(seconds=61)
    assert (db.write_count(), db.data_version(con)) == (writes, version)


def test_a_sign_in_refused_again_and_again_for_others_commits_takes_its_turn(con, account, monkeypatch):
    """Two app servers on a lake signing people in at the same moment: the commit is
    refused for the other's, again and again; the sign-in waits its turn (growing
    random pauses, as every write) instead of failing after a few immediate tries."""
    import duckdb

    real_record = write.accounts.record_sign_in
    refusals = []

    def refused_six_times(cur, *args, **kwargs):
        if len(refusals) < 6:
            refusals.append(1)
            raise duckdb.TransactionException("TransactionContext Error: Transaction conflict on commit")
        return real_record(cur, *args, **kwargs)

    monkeypatch.setattr(write.accounts, "record_sign_in", refused_six_times)
    redeemed = open_session(con, *account)
    assert len(refusals) == 6 and redeemed is not None
    assert len(audit_rows(con, "user.sign_in")) == 1


def test_opening_a_session_from_its_hand_off_drops_no_page_cache(con, account):
    handoff = password_sign_in.sign_in_with_password(con, *account, client=OWNER, now=NOW).handoff
    writes, version = db.write_count(), db.data_version(con)
    # the session, a known browser and the used hand-off: bookkeeping in three tables
    redeemed = sessions.redeem_handoff(con, handoff, max_hours=12, client=OWNER, now=NOW + timedelta(seconds=1))
    assert redeemed.browser_token
    assert (db.write_count(), db.data_version(con)) == (writes, version)


def test_the_hand_off_is_used_once_within_a_minute(con, account):
    def redeem(token, *, seconds, client=OWNER):
        return sessions.redeem_handoff(con, token, max_hours=12, client=client, now=NOW + timedelta(seconds=seconds))

    assert (
        redeem(password_sign_in.sign_in_with_password(con, *account, client=OWNER, now=NOW).handoff, seconds=61) is None
    )
    token = password_sign_in.sign_in_with_password(con, *account, client=OWNER, now=NOW).handoff
    assert redeem(token, seconds=5)
    assert redeem(token, seconds=6) is None
    assert redeem("forged", seconds=0) is None
    # a hand-off link given to someone else (login CSRF) opens nothing for them
    token = password_sign_in.sign_in_with_password(con, *account, client=OWNER, now=NOW).handoff
    assert redeem(token, seconds=1, client=ATTACKER) is None
    assert redeem(token, seconds=1) is None
    assert con.execute("SELECT count(*) FROM sign_in_handoffs").fetchone()[0] == 0


@pytest.mark.parametrize(
    ("change", "reason"),
    [
        (lambda con: write.accounts.reset_password(con, SYSTEM, "ed@x.example", now=NOW), "password"),
        (lambda con: write.accounts.set_role(con, SYSTEM, "ed@x.example", "viewer", now=NOW), "role"),
        (lambda con: write.accounts.set_active(con, SYSTEM, "ed@x.example", False, now=NOW), "disabled"),
    ],
)
def test_a_password_reset_role_change_or_disabling_ends_every_session(con, account, change, reason):
    first, second = open_session(con, *account), open_session(con, *account, client="203.0.113.5")
    pending = password_sign_in.sign_in_with_password(con, *account, client=OWNER, now=NOW).handoff
    other_password = write.accounts.add_user(con, SYSTEM, "other@x.example", "viewer", now=NOW)
    other = open_session(con, "other@x.example", other_password)
    change(con)
    for redeemed in (first, second):
        assert sessions.resume(con, redeemed.session_token, idle_minutes=30, now=NOW).ended == reason
    assert sessions.redeem_handoff(con, pending, max_hours=12, now=NOW) is None
    assert sessions.resume(con, other.session_token, idle_minutes=30, now=NOW).ended is None
    browsers = con.execute("SELECT count(*) FROM known_browsers WHERE user_id = 1").fetchone()[0]
    assert (browsers == 0) == (reason == "disabled")


def test_sign_out_ends_that_session_only_and_is_audited(con, account):
    here, elsewhere = open_session(con, *account), open_session(con, *account, client="203.0.113.5")
    sessions.sign_out(con, here.session_token, client=OWNER, now=NOW)
    sessions.sign_out(con, here.session_token, client=OWNER, now=NOW)  # again: nothing more happens
    assert sessions.resume(con, here.session_token, idle_minutes=30, now=NOW).ended == "sign_out"
    assert not sessions.is_active(con, here.session_token, now=NOW)
    assert sessions.is_active(con, elsewhere.session_token, now=NOW)
    rows = audit_rows(con, "user.sign_out")
    assert len(rows) == 1 and rows[0][0] == "ed@x.example" and OWNER in rows[0][2]


def test_old_rows_are_pruned_when_a_session_opens(con, account):
    old = open_session(con, *account, now=NOW)
    sessions.sign_out(con, old.session_token, now=NOW)
    open_session(con, *account, now=NOW + sessions.KEEP_ENDED + timedelta(hours=1))
    assert con.execute("SELECT count(*) FROM sessions").fetchone()[0] == 1


@pytest.mark.parametrize(
    ("path", "kept"),
    [
        ("/weekly?lang=sv", True),
        ("/", True),
        ("//evil.example/x", False),
        ("https://evil.example/", False),
        ("/\\evil.example", False),
        ("javascript:alert(1)", False),
        ("/a\nSet-Cookie: x", False),
        ("", False),
        (None, False),
    ],
)
def test_only_a_local_path_is_a_place_to_go_next(path, kept):
    assert sessions.safe_next(path) == (path if kept else "/")


# -- OIDC ----------------------------------------------------------------------


def test_a_fresh_oidc_sign_in_opens_one_session_only(con, account):
    proof = sessions.oidc_proof("https://idp.example", "sub-1", 1764320000)
    handoff = sessions.oidc_handoff(con, "Ed@x.example", proof, NOW - timedelta(minutes=1), next_path="/", now=NOW)
    redeemed = sessions.redeem_handoff(con, handoff, max_hours=12, now=NOW)
    assert redeemed.browser_token is None  # only password sign-ins are throttled, so only they need it
    assert sessions.resume(con, redeemed.session_token, idle_minutes=30, now=NOW).method == "oidc"
    # the same sign-in at the provider, seen again by a tab after sign-out, opens nothing
    sessions.sign_out(con, redeemed.session_token, now=NOW)
    again = sessions.oidc_handoff(con, "ed@x.example", proof, NOW - timedelta(minutes=1), next_path="/", now=NOW)
    assert again is None
    assert audit_rows(con, "user.sign_in")[0][2].count('"oidc"') == 1


@pytest.mark.parametrize(
    ("email", "issued_minutes_ago"),
    [("ed@x.example", 11), ("ed@x.example", -3), ("stranger@x.example", 1), ("", 1)],
)
def test_a_stale_or_unknown_oidc_identity_opens_no_session(con, account, email, issued_minutes_ago):
    proof = sessions.oidc_proof("https://idp.example", email, issued_minutes_ago)
    issued = NOW - timedelta(minutes=issued_minutes_ago)
    assert sessions.oidc_handoff(con, email, proof, issued, next_path="/", now=NOW) is None
    assert sessions.oidc_handoff(con, email, proof, None, next_path="/", now=NOW) is None


# -- the sign-in throttle (issue 17) ---------------------------------------------


def test_unknown_and_known_addresses_get_the_same_answers_all_the_way(con, account):
    """The probe's sequence: forty wrong passwords in a row, for a real address
    and for one that has no account, answer alike at every step."""

    def sequence(email, client):
        answers = []
        now = NOW
        for _ in range(40):
            key, params = attempt(con, email, "wrong password", now=now, client=client)
            answers.append((key, params))
            now += timedelta(seconds=params["seconds"] if key == "session.wait" else 0)
        return answers

    known = sequence("ed@x.example", "198.51.100.1")
    unknown = sequence("nobody@x.example", "198.51.100.2")
    assert known == unknown
    assert {key for key, _ in known} == {"auth.failed", "session.wait"}
    waits = [params["seconds"] for key, params in known if key == "session.wait"]
    assert waits[:6] == [1, 2, 4, 8, 16, 32] and waits[-1] == password_sign_in.MAX_WAIT_SECONDS


def test_each_failure_beyond_the_first_few_doubles_the_wait(con, account):
    now = NOW
    for _ in range(password_sign_in.FREE_FAILURES):
        assert attempt(con, "ed@x.example", "wrong", now=now)[0] == "auth.failed"
    waits = []
    for _ in range(6):
        key, params = attempt(con, "ed@x.example", "wrong", now=now)
        assert key == "session.wait"
        waits.append(params["seconds"])
        now += timedelta(seconds=params["seconds"])
        assert attempt(con, "ed@x.example", "wrong", now=now)[0] == "auth.failed"
    assert waits == [1, 2, 4, 8, 16, 32]
    # even the right password waits its turn
    assert attempt(con, *account, now=now)[0] == "session.wait"
    assert attempt(con, *account, now=now + timedelta(seconds=64))[0] == "ok"


def test_one_client_is_slowed_across_addresses_and_others_are_not(con, account):
    for index in range(8):
        attempt(con, f"guess{index}@x.example", "wrong", now=NOW)
    assert attempt(con, "guess9@x.example", "wrong", now=NOW)[0] == "session.wait"
    assert attempt(con, *account, now=NOW, client=OWNER)[0] == "ok"


def test_a_shared_client_address_is_slowed_for_a_minute_at_most(con, account):
    """Many people may sign in from one address (an office, a proxy): one
    guesser there slows them, but never for longer than a minute."""
    now = NOW
    for index in range(20):
        key, params = attempt(con, f"guess{index}@x.example", "wrong", now=now)
        if key == "session.wait":
            assert params["seconds"] <= password_sign_in.MAX_CLIENT_WAIT_SECONDS
            now += timedelta(seconds=params["seconds"])
            attempt(con, f"guess{index}@x.example", "wrong", now=now)
    assert attempt(con, "new@x.example", "wrong", now=now)[1]["seconds"] == password_sign_in.MAX_CLIENT_WAIT_SECONDS
    assert attempt(con, *account, now=now + timedelta(seconds=60))[0] == "ok"


def test_one_address_is_slowed_across_clients(con, account):
    for index in range(8):
        attempt(con, "ed@x.example", "wrong", now=NOW, client=f"198.51.100.{index}")
    assert attempt(con, *account, now=NOW, client=OWNER)[0] == "session.wait"


def test_the_owners_browser_is_not_kept_out_by_someone_elses_guesses(con, account):
    browser = open_session(con, *account, client=OWNER).browser_token
    assert browser
    last = fail(con, "ed@x.example", password_sign_in.ALERT_FAILURES - 1)
    assert attempt(con, *account, now=last, client=OWNER)[0] == "session.wait"
    assert attempt(con, *account, now=last, client=OWNER, browser=browser)[0] == "ok"
    # another account's browser token is no use on this one
    other = write.accounts.add_user(con, SYSTEM, "other@x.example", "viewer", now=NOW)
    other_browser = open_session(con, "other@x.example", other, client="203.0.113.9", now=last).browser_token
    last = fail(con, "ed@x.example", 5, start=last)
    assert attempt(con, *account, now=last, client="203.0.113.9", browser=other_browser)[0] == "session.wait"


def test_a_known_browser_waits_too_once_the_admin_has_been_alerted(con, account):
    browser = open_session(con, *account, client=OWNER).browser_token
    last = fail(con, "ed@x.example", password_sign_in.ALERT_FAILURES)
    assert len(audit_rows(con, "user.sign_in_alert")) == 1
    alerts = db.query(
        con, "sign_in_alerts", since=last - password_sign_in.FORGET_AFTER, least=password_sign_in.ALERT_FAILURES
    )
    assert list(alerts["email"]) == ["ed@x.example"]
    assert alerts.iloc[0]["last_client"] == f"198.51.100.{password_sign_in.ALERT_FAILURES - 1}"
    assert attempt(con, *account, now=last, client=OWNER, browser=browser)[0] == "session.wait"
    # the admin lifts the wait
    assert write.accounts.lift_sign_in_wait(con, SYSTEM, "ed@x.example", now=last)
    assert attempt(con, *account, now=last, client=OWNER, browser=browser)[0] == "ok"
    assert len(audit_rows(con, "user.unlock")) == 1
    assert not write.accounts.lift_sign_in_wait(con, SYSTEM, "ed@x.example", now=last)


def test_guesses_at_unknown_addresses_never_alert_the_admin(con, account):
    fail(con, "nobody@x.example", password_sign_in.ALERT_FAILURES + 2)
    assert audit_rows(con, "user.sign_in_alert") == []
    assert db.query(con, "sign_in_alerts", since=NOW - password_sign_in.FORGET_AFTER, least=1).empty


def test_a_success_forgives_the_address_but_not_the_client(con, account):
    """An attacker who signs in to an account of their own cannot wipe the
    failures their client collected on other addresses."""
    for index in range(6):
        attempt(con, f"guess{index}@x.example", "wrong", now=NOW + timedelta(seconds=index * 100))
    assert attempt(con, *account, now=NOW + timedelta(seconds=1000), client=ATTACKER)[0] == "ok"
    # the client's count goes on from six: one more failure, and the next attempt waits 2 ** (7 - 3) s
    assert attempt(con, "guess8@x.example", "wrong", now=NOW + timedelta(seconds=1000))[0] == "auth.failed"
    assert attempt(con, "guess9@x.example", "wrong", now=NOW + timedelta(seconds=1000)) == (
        "session.wait",
        {"seconds": 16},
    )
    assert con.execute("SELECT count(*) FROM sign_in_throttle WHERE scope = 'account'").fetchone()[0] == 7


def test_a_success_leaves_the_clients_wait_as_it_was(con, account):
    """The counted-up-front attempt is forgiven whole: a sign-in does not start
    a new wait for the next person at the same address."""
    last = fail(con, "guess@x.example", 6)  # from six clients: 198.51.100.0-5
    fail(con, "other@x.example", 4, start=last, clients=[OWNER])
    before = con.execute("SELECT failures, last_failure_at FROM sign_in_throttle WHERE subject = ?", [OWNER]).fetchall()
    later = last + timedelta(minutes=5)
    assert attempt(con, *account, now=later, client=OWNER)[0] == "ok"
    after = con.execute("SELECT failures, last_failure_at FROM sign_in_throttle WHERE subject = ?", [OWNER]).fetchall()
    assert after == before


def test_failures_are_forgotten_an_hour_after_the_last(con, account):
    last = fail(con, "ed@x.example", 8)
    # within the hour the count goes on: one more failure, and the next attempt waits 2 ** (9 - 3) s
    soon = last + timedelta(minutes=59)
    assert attempt(con, "ed@x.example", "wrong", now=soon, client=OWNER)[0] == "auth.failed"
    assert attempt(con, "ed@x.example", "wrong", now=soon, client=OWNER) == ("session.wait", {"seconds": 64})
    # an hour after the last failure the count starts again
    later = soon + timedelta(minutes=61)
    assert attempt(con, "ed@x.example", "wrong", now=later, client="203.0.113.1")[0] == "auth.failed"
    assert attempt(con, "ed@x.example", "wrong", now=later, client="203.0.113.2")[0] == "auth.failed"


def test_every_attempt_leaves_an_audit_row_with_the_client_address(con, account):
    attempt(con, "nobody@x.example", "wrong", now=NOW, client="203.0.113.4")  # an unknown address
    for _ in range(password_sign_in.FREE_FAILURES):
        attempt(con, "ed@x.example", "wrong", now=NOW)
    for _ in range(5):  # while waiting: one row for the whole wait
        assert attempt(con, "ed@x.example", "wrong", now=NOW)[0] == "session.wait"
    attempt(con, *account, now=NOW + timedelta(seconds=10), client=OWNER)
    failed = audit_rows(con, "user.sign_in_failed")
    assert len(failed) == 1 + password_sign_in.FREE_FAILURES
    assert failed[0][:2] == ("nobody@x.example", None) and "203.0.113.4" in failed[0][2]
    assert all(ATTACKER in row[2] for row in failed[1:])
    refused = audit_rows(con, "user.sign_in_refused")
    assert len(refused) == 1 and ATTACKER in refused[0][2] and '"wait_seconds": 1' in refused[0][2]
    signed_in = audit_rows(con, "user.sign_in")
    assert len(signed_in) == 1 and OWNER in signed_in[0][2]


def test_an_attempt_is_counted_before_its_password_is_checked(con, account, monkeypatch):
    """Attempts sent at the same moment cannot all slip through one wait: the
    count is already stored while the (slow) password check runs."""
    seen = []
    check = write.accounts.password_matches

    def counting(user, password):
        seen.append(con.execute("SELECT failures FROM sign_in_throttle WHERE scope = 'account'").fetchone()[0])
        return check(user, password)

    monkeypatch.setattr(write.accounts, "password_matches", counting)
    attempt(con, "ed@x.example", "wrong", now=NOW)
    attempt(con, "ed@x.example", "wrong", now=NOW)
    assert seen == [1, 2]


def test_a_disabled_account_is_refused_like_a_wrong_password(con, account):
    write.accounts.set_active(con, SYSTEM, "ed@x.example", False, now=NOW)
    assert attempt(con, *account, now=NOW, client=OWNER) == attempt(con, "nobody@x.example", "x", now=NOW)
